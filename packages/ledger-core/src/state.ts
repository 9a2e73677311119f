/**
 * The decider's state: just what `decide` needs to check the rules, folded from the events.
 *
 * Balances are bigint sen, signed by the account's normal balance (positive when on its normal side),
 * so `noOverdraft` is simply `balance >= 0n`. The collections are read-only views; see evolve.ts for
 * how they are updated without copying whole maps per event.
 */
import type { DailyBalances } from "./dailyBalances.js";
import type {
  AccountType,
  BusinessWith,
  EntryKind,
  EntryLine,
  LocalDate,
  LossCoverage,
  MemberRole,
  NormalBalance,
  PeriodId,
  Settings,
  UnattributedJasaUsaha,
} from "./events.js";

export interface AccountState {
  readonly code: string;
  readonly name: string;
  readonly accountType: AccountType;
  readonly normalBalance: NormalBalance;
  readonly parent: string | null;
  readonly postable: boolean;
  readonly noOverdraft: boolean;
  readonly open: boolean;
  /** Posted balance in sen, positive on the normal side. */
  readonly balance: bigint;
  /** The chart's control tags (docs/accounting.md, section 2); false or null on accounts opened without. */
  readonly memberControl: boolean;
  readonly businessWith: BusinessWith | null;
  readonly systemAccount: boolean;
}

export interface MemberState {
  readonly memberId: string;
  readonly name: string;
  readonly joinedOn: LocalDate;
  readonly role: MemberRole;
  /** The day the member left (their exit entry is dated on it); null while a member. */
  readonly exitedOn: LocalDate | null;
  /**
   * Where the exit left what the cooperative still owes them (e.g. 2103), the one account a line may
   * name them on after they left; null when the exit paid out in cash or before any exit.
   */
  readonly exitSettlementAccount: string | null;
  /** The latest date of a posted line naming them; an exit cannot be dated before it. */
  readonly lastLineOn: LocalDate | null;
  /** An exit awaiting its approver; absent otherwise (and on states folded before exits could wait). */
  readonly pendingExit?: PendingExit;
}

/** An exit whose settlement entry awaits an approver (above the approval threshold). */
export interface PendingExit {
  readonly entryId: string;
  readonly exitedOn: LocalDate;
  readonly reason: string;
  readonly owedOn: string | null;
}

export type EntryStatus = "pending" | "posted" | "rejected";

export interface EntryState {
  readonly entryId: string;
  readonly status: EntryStatus;
  readonly kind: EntryKind;
  readonly date: LocalDate;
  readonly memo: string;
  readonly lines: readonly EntryLine[];
  readonly proposedBy: string | null;
  readonly postedBy: string | null;
  /** For a reversal, the entry it mirrors. */
  readonly reverses: string | null;
  /** For a reversed entry, the reversal that mirrors it. */
  readonly reversedBy: string | null;
}

export interface FiscalYearClosing {
  readonly entryId: string | null;
  /** The year's result in sen; negative for a loss. */
  readonly shu: bigint;
  /** The account holding the result until the RAT decides on it (3600, 3610, or 3700 for old closes). */
  readonly resultAccount: string | null;
}

export interface RatDecisionState {
  readonly decidedOn: LocalDate;
  readonly allocation: Readonly<Record<string, string>>;
  readonly lossCoverage: LossCoverage | null;
  readonly entryId: string | null;
  /** How jasa usaha on member revenue recorded without a member is spread (null: not decided). */
  readonly unattributedJasaUsaha: UnattributedJasaUsaha | null;
}

/** A close asked for by the treasurer, waiting for an approver. */
export interface PendingClose {
  readonly entryId: string;
  readonly shu: bigint;
  readonly requestedBy: string;
}

/** A RAT decision recorded by the treasurer, waiting for an approver. */
export interface PendingRatDecision extends RatDecisionState {
  readonly entryId: string;
  readonly proposedBy: string;
}

export interface LedgerState {
  readonly opened: boolean;
  readonly coopId: string | null;
  readonly name: string | null;
  readonly regionCode: string | null;
  readonly settings: Settings | null;
  readonly accounts: ReadonlyMap<string, AccountState>;
  /**
   * For income and expense accounts only: balance in sen (normal side positive) of the postings dated
   * in each fiscal year, which is what closing the year moves into SHU Tahun Berjalan.
   */
  readonly yearBalances: ReadonlyMap<number, ReadonlyMap<string, bigint>>;
  /**
   * For `noOverdraft` accounts only (once they have postings): the balance at the end of every day
   * with postings, so a back-dated entry can be checked against every later day, not just today.
   */
  readonly dailyBalances: ReadonlyMap<string, DailyBalances>;
  readonly members: ReadonlyMap<string, MemberState>;
  /**
   * Each member's balance (sen, normal side positive) on every member control account they have lines on:
   * memberId → account code → balance. Summed over members it equals the control account's balance.
   */
  readonly memberBalances: ReadonlyMap<string, ReadonlyMap<string, bigint>>;
  readonly entries: ReadonlyMap<string, EntryState>;
  readonly closedPeriods: ReadonlySet<PeriodId>;
  readonly closedFiscalYears: ReadonlyMap<number, FiscalYearClosing>;
  readonly ratDecisions: ReadonlyMap<number, RatDecisionState>;
  /** Year-end steps awaiting an approver (four eyes), by fiscal year. */
  readonly pendingCloses: ReadonlyMap<number, PendingClose>;
  readonly pendingRatDecisions: ReadonlyMap<number, PendingRatDecision>;
}

export const initialLedgerState: LedgerState = Object.freeze<LedgerState>({
  opened: false,
  coopId: null,
  name: null,
  regionCode: null,
  settings: null,
  accounts: new Map(),
  yearBalances: new Map(),
  dailyBalances: new Map(),
  members: new Map(),
  memberBalances: new Map(),
  entries: new Map(),
  closedPeriods: new Set<string>(),
  closedFiscalYears: new Map(),
  ratDecisions: new Map(),
  pendingCloses: new Map(),
  pendingRatDecisions: new Map(),
});

/**
 * Whether entries dated on `date` may no longer be posted: its month or its whole fiscal year is closed,
 * or the year's close awaits an approver (the approver approves the result the treasurer asked to close).
 */
export const isDateClosed = (state: LedgerState, date: LocalDate): boolean => {
  const year = Number(date.slice(0, 4));
  return (
    state.closedPeriods.has(date.slice(0, 7)) ||
    state.closedFiscalYears.has(year) ||
    state.pendingCloses.has(year)
  );
};

/** Every posted line on an account. Tagging is rare, so reading the entries (not an index of lines) is enough. */
export const postedLinesOn = function* (state: LedgerState, code: string): Generator<EntryLine> {
  for (const entry of state.entries.values()) {
    if (entry.status !== "posted") continue;
    for (const line of entry.lines) if (line.account === code) yield line;
  }
};
