import type { AccountType, MemberRole, NormalBalance, Settings } from "@bukubesar/ledger-core";
import { wireToSen } from "@bukubesar/money";
import type { EntryAnalysis } from "./entryAnalysis.js";
import type { SupervisedEvent } from "./supervisedEvent.js";
import {
  BANK_ACCOUNT_PREFIXES,
  CASH_ACCOUNT_PREFIXES,
  CURRENT_LIABILITY_PREFIXES,
  DEFAULT_SETTINGS,
  LOAN_ACCOUNT_PREFIXES,
} from "./thresholds.js";

export interface AccountFacts {
  readonly code: string;
  readonly accountType: AccountType;
  readonly normalBalance: NormalBalance;
  readonly noOverdraft: boolean;
  /** Cash: an asset account in the cash range (Kas). */
  readonly cash: boolean;
  /** Cash and bank (Kas dan Setara Kas), for the cash ratio. */
  readonly cashOrBank: boolean;
  /** Loans given (Pinjaman yang Diberikan). */
  readonly loan: boolean;
  /** A current liability, for the cash ratio. */
  readonly currentLiability: boolean;
  /** Watched for a balance below zero: cash accounts and any account opened with noOverdraft. */
  readonly watchedForOverdraft: boolean;
}

/**
 * The running totals the balance-based rules compare before and after an entry. All in sen; cash and bank
 * is debit-positive, current liabilities and own capital credit-positive.
 */
export interface FactsTotals {
  readonly cashAndBank: bigint;
  readonly currentLiabilities: bigint;
  /** Own capital (modal sendiri): the equity accounts' balance. */
  readonly ownCapital: bigint;
  /** The loan book: the sum of every member's positive outstanding loans. */
  readonly loanBook: bigint;
  /** How many members have positive outstanding loans. */
  readonly borrowers: number;
}

/**
 * The supervisor's own small projection of a cooperative: what the rules need to know, built from the
 * cooperative's ledger stream only (LedgerOpened, SettingsChanged, AccountOpened, MemberRegistered,
 * JournalEntryPosted). Amounts are sen (bigint); balances are debit-positive.
 *
 * It is mutable on purpose: the fold (`runRules`) owns one per cooperative and updates it in place, so a
 * replay of millions of events copies nothing. Rules read it and never change it.
 */
export interface CooperativeFacts extends FactsTotals {
  readonly coopId: string;
  regionCode: string;
  settings: Settings;
  /** settings.largeCashThreshold in sen, parsed when the settings change. */
  largeCashThresholdSen: bigint;
  /** settings.approvalThreshold in sen (null: every entry posts at once). */
  approvalThresholdSen: bigint | null;
  readonly accounts: Map<string, AccountFacts>;
  readonly members: Map<string, MemberRole>;
  readonly balances: Map<string, bigint>;
  /** Outstanding loans given (debit-positive) per member. */
  readonly loansByMember: Map<string, bigint>;
  cashAndBank: bigint;
  currentLiabilities: bigint;
  ownCapital: bigint;
  loanBook: bigint;
  borrowers: number;
  /** The last posting's recording instant and event id (or the opening's, before any posting). */
  lastActivityAt: string | null;
  lastActivityEventId: string | null;
}

export const emptyFacts = (coopId: string): CooperativeFacts => {
  return {
    coopId,
    regionCode: "",
    settings: DEFAULT_SETTINGS,
    largeCashThresholdSen: wireToSen(DEFAULT_SETTINGS.largeCashThreshold),
    approvalThresholdSen: null,
    accounts: new Map(),
    members: new Map(),
    balances: new Map(),
    loansByMember: new Map(),
    cashAndBank: 0n,
    currentLiabilities: 0n,
    ownCapital: 0n,
    loanBook: 0n,
    borrowers: 0,
    lastActivityAt: null,
    lastActivityEventId: null,
  };
};

/** A copy of the running totals (taken before an entry is applied, for the rules that judge a crossing). */
export const totalsOf = (facts: FactsTotals): FactsTotals => {
  return {
    cashAndBank: facts.cashAndBank,
    currentLiabilities: facts.currentLiabilities,
    ownCapital: facts.ownCapital,
    loanBook: facts.loanBook,
    borrowers: facts.borrowers,
  };
};

const startsWithAny = (code: string, prefixes: readonly string[]): boolean => {
  for (const prefix of prefixes) if (code.startsWith(prefix)) return true;
  return false;
};

/** Classifies an account once, when it is opened. */
export const accountFactsOf = (
  code: string,
  accountType: AccountType,
  normalBalance: NormalBalance,
  noOverdraft: boolean,
): AccountFacts => {
  const cash = accountType === "asset" && startsWithAny(code, CASH_ACCOUNT_PREFIXES);
  return {
    code,
    accountType,
    normalBalance,
    noOverdraft,
    cash,
    cashOrBank: cash || startsWithAny(code, BANK_ACCOUNT_PREFIXES),
    loan: accountType === "asset" && startsWithAny(code, LOAN_ACCOUNT_PREFIXES),
    currentLiability: accountType === "liability" && startsWithAny(code, CURRENT_LIABILITY_PREFIXES),
    watchedForOverdraft: cash || noOverdraft,
  };
};

export const isCashAccount = (facts: CooperativeFacts, code: string): boolean => {
  return facts.accounts.get(code)?.cash === true;
};

const applySettings = (facts: CooperativeFacts, settings: Settings): void => {
  facts.settings = settings;
  facts.largeCashThresholdSen = wireToSen(settings.largeCashThreshold);
  facts.approvalThresholdSen =
    settings.approvalThreshold === null ? null : wireToSen(settings.approvalThreshold);
};

/** Moves a member's outstanding loans by `delta`, keeping the loan book and the borrower count. */
const moveLoan = (facts: CooperativeFacts, memberId: string, delta: bigint): void => {
  const was = facts.loansByMember.get(memberId) ?? 0n;
  const now = was + delta;
  facts.loansByMember.set(memberId, now);
  facts.loanBook += (now > 0n ? now : 0n) - (was > 0n ? was : 0n);
  if (was > 0n !== now > 0n) facts.borrowers += now > 0n ? 1 : -1;
};

/** Applies a posting's changes (from its analysis) to the balances, the running totals and the loans. */
const applyPosting = (facts: CooperativeFacts, entry: EntryAnalysis): void => {
  const deltas = entry.deltas;
  for (let index = 0; index < deltas.count; index += 1) {
    const code = deltas.key(index);
    const delta = deltas.amount(index);
    facts.balances.set(code, (facts.balances.get(code) ?? 0n) + delta);
    const account = entry.deltaAccounts[index];
    if (account === undefined) {
      // An account the supervisor never saw opened (not on a full log): bank by its code only.
      if (startsWithAny(code, BANK_ACCOUNT_PREFIXES)) facts.cashAndBank += delta;
      continue;
    }
    if (account.cashOrBank) facts.cashAndBank += delta;
    if (account.currentLiability) facts.currentLiabilities -= delta;
    if (account.accountType === "equity") facts.ownCapital -= delta;
  }
  const loanDeltas = entry.loanDeltas;
  for (let index = 0; index < loanDeltas.count; index += 1)
    moveLoan(facts, loanDeltas.key(index), loanDeltas.amount(index));
};

/**
 * Applies one event to the facts, in place. A posting must come with its analysis (the amounts parsed once
 * for the fold and the rules).
 */
export const applyToFacts = (
  facts: CooperativeFacts,
  event: SupervisedEvent,
  entry: EntryAnalysis | null,
): void => {
  switch (event.type) {
    case "LedgerOpened":
      facts.regionCode = event.data.regionCode;
      applySettings(facts, event.data.settings);
      facts.lastActivityAt = event.metadata.recordedAt;
      facts.lastActivityEventId = event.metadata.eventId;
      return;
    case "SettingsChanged":
      applySettings(facts, event.data.settings);
      return;
    case "AccountOpened":
      facts.accounts.set(
        event.data.code,
        accountFactsOf(
          event.data.code,
          event.data.accountType,
          event.data.normalBalance,
          event.data.noOverdraft,
        ),
      );
      return;
    case "MemberRegistered":
      facts.members.set(event.data.memberId, event.data.role);
      return;
    case "JournalEntryPosted":
      if (entry === null) throw new Error("a posting is applied with its entry analysis");
      applyPosting(facts, entry);
      facts.lastActivityAt = event.metadata.recordedAt;
      facts.lastActivityEventId = event.metadata.eventId;
      return;
    default:
      return;
  }
};
