import type {
  AccountType,
  BusinessWith,
  Counterparty,
  EntryKind,
  EntryLine,
  LedgerEvent,
  MemberRole,
  NormalBalance,
  RecordedLedgerEvent,
  ShuRules,
  UnattributedJasaUsaha,
  Unit,
} from "@bukubesar/ledger-core";
import { wireToSen } from "@bukubesar/money";
import { DailyTotals } from "./dailyTotals.js";
import { type DayNumber, dayNumber, wireToSmallSen } from "./sen.js";

/**
 * Everything the reports of ONE cooperative need, kept so that any "as of" question is answered without
 * replaying history: per account (and per member and account, and per income/expense dimension) the
 * debit and credit totals per day with a cumulative index, plus the posted entries in recording order.
 *
 * The model is mutable for speed: `applyLedgerEvent` updates it in place. It does no I/O and reads no
 * clock, so the same events always give the same model.
 */
export interface LedgerReadModel {
  readonly coopId: string;
  name: string | null;
  regionCode: string | null;
  /** The revision of the last event applied, -1 before any. */
  revision: number;
  readonly accounts: Map<string, AccountState>;
  readonly members: Map<string, MemberState>;
  /** Posted entries in recording order; `sortedEntries` gives them by date. */
  readonly entries: PostedEntry[];
  /**
   * Entries by id, built on first use (`entryById`) and then kept up to date: a rebuild of a million
   * events never needs it, and filling a Map per entry was a large part of the rebuild's time.
   */
  entryIndex: Map<string, PostedEntry> | null;
  /** Original entry id → the id of the entry that reverses it. */
  readonly reversedBy: Map<string, string>;
  /** Original entry id → the reason given in JournalEntryReversed. */
  readonly reversalReasons: Map<string, string>;
  /** Per member, per (account, unit): the member's postings (lines carrying that memberId). */
  readonly memberTotals: Map<string, MemberTotals>;
  /**
   * Income and expense postings by (account, unit, counterparty), leaving out the fiscal-year closing
   * entries, so that the income statement of a closed year still shows the year's business. Listed
   * here for iteration; looked up through nested maps (account → unit → counterparty) so that the hot
   * path builds no key strings.
   */
  readonly resultDimensions: ResultDimensionTotals[];
  readonly resultDimensionIndex: Map<
    string,
    Map<Unit | null, Map<Counterparty | null, ResultDimensionTotals>>
  >;
  readonly fiscalYearsClosed: Map<number, { readonly entryId: string | null; readonly shuSen: bigint }>;
  readonly ratDecisions: Map<number, RatDecision>;
  /** The AD/ART rules on SHU from the settings (null until set: ledger-core's defaults apply). */
  shuRules: ShuRules | null;
  /** Cached date order of `entries`; null when it must be rebuilt. */
  sortedCache: PostedEntry[] | null;
}

export interface AccountState {
  readonly code: string;
  name: string;
  type: AccountType;
  normalBalance: NormalBalance;
  parent: string | null;
  postable: boolean;
  open: boolean;
  /** False for an account a posting named before any AccountOpened (kept so no amount is lost). */
  declared: boolean;
  /** Member or non-member business only (the chart's tag, or one set later); null when untagged. */
  businessWith: BusinessWith | null;
  readonly totals: DailyTotals;
}

export interface MemberState {
  readonly memberId: string;
  readonly name: string;
  readonly joinedOn: string;
  readonly role: MemberRole;
  /** The day the member left; absent while a member. */
  readonly exitedOn?: string;
}

export interface PostedEntry {
  readonly entryId: string;
  readonly kind: EntryKind;
  readonly date: string;
  readonly day: DayNumber;
  readonly memo: string;
  /** The event's own lines (amounts stay wire strings; reports parse them again, off the hot path). */
  readonly lines: readonly EntryLine[];
  readonly reverses: string | null;
  readonly revision: number;
  readonly recordedAt: string;
  readonly postedBy: string;
}

/** One member's totals: a list for iteration and nested maps (account → unit) for lookup. */
export interface MemberTotals {
  readonly list: MemberAccountTotals[];
  readonly byAccount: Map<string, Map<Unit | null, MemberAccountTotals>>;
}

export interface MemberAccountTotals {
  readonly account: string;
  readonly unit: Unit | null;
  readonly totals: DailyTotals;
}

export interface ResultDimensionTotals {
  readonly account: string;
  readonly unit: Unit | null;
  readonly counterparty: Counterparty | null;
  readonly totals: DailyTotals;
}

export interface RatDecision {
  readonly year: number;
  readonly decidedOn: string;
  readonly allocation: Readonly<Record<string, string>>;
  /** Null when the decision posted nothing (a loss carried forward whole). */
  readonly entryId: string | null;
  /** For a loss year, how it is covered (absent or null otherwise). */
  readonly lossCoverage?: { readonly fromReserve: string; readonly carriedForward: string } | null;
  /** The part of the year's SHU that covered earlier years' loss first. */
  readonly priorLossCovered?: string;
  /** How the RAT spread jasa usaha on member revenue naming no member (absent on older decisions). */
  readonly unattributedJasaUsaha?: UnattributedJasaUsaha | null;
  /** Every entry of an appropriation posted in parts, `entryId` first; absent when it is one entry. */
  readonly entryIds?: readonly string[];
}

/** A new, empty model for `coopId`. */
export const emptyReadModel = (coopId: string): LedgerReadModel => ({
  coopId,
  name: null,
  regionCode: null,
  revision: -1,
  accounts: new Map(),
  members: new Map(),
  entries: [],
  entryIndex: null,
  reversedBy: new Map(),
  reversalReasons: new Map(),
  memberTotals: new Map(),
  resultDimensions: [],
  resultDimensionIndex: new Map(),
  fiscalYearsClosed: new Map(),
  ratDecisions: new Map(),
  shuRules: null,
  sortedCache: null,
});

/**
 * Applies one recorded event to the model, in place. Only `JournalEntryPosted` moves balances; the other
 * events name accounts and members or record the fiscal-year close and the RAT decision. Events that do
 * not concern the reports (proposals, approvals, settings, periods) only advance the revision.
 */
export const applyLedgerEvent = (model: LedgerReadModel, event: RecordedLedgerEvent): void =>
  applyLedgerEventAt(model, event, event.revision, event.metadata.recordedAt);

/**
 * As applyLedgerEvent, with the revision and the recording time given apart from the event: what a fold
 * of the log reads (LogEventData), without the rest of the metadata.
 */
export const applyLedgerEventAt = (
  model: LedgerReadModel,
  event: LedgerEvent,
  revision: number,
  recordedAt: string,
): void => {
  applyEventData(model, event, revision, recordedAt);
  model.revision = revision;
};

/** Builds the model of `coopId` from its events in revision order. */
export const buildReadModel = (coopId: string, events: Iterable<RecordedLedgerEvent>): LedgerReadModel => {
  const model = emptyReadModel(coopId);
  for (const event of events) applyLedgerEvent(model, event);
  return model;
};

/** The posted entries ordered by date, then by recording order (cached until a back-dated entry arrives). */
export const sortedEntries = (model: LedgerReadModel): readonly PostedEntry[] => {
  if (model.sortedCache === null) {
    model.sortedCache = [...model.entries].sort(
      (left, right) => left.day - right.day || left.revision - right.revision,
    );
  }
  return model.sortedCache;
};

/**
 * The posted entries dated from `fromDay` to `toDay` (inclusive) in date order, found by binary search so
 * that a short period of a long history costs only its own entries.
 */
export const entriesBetween = (
  model: LedgerReadModel,
  fromDay: DayNumber,
  toDay: DayNumber,
): readonly PostedEntry[] => {
  const sorted = sortedEntries(model);
  return sorted.slice(firstIndexFrom(sorted, fromDay), firstIndexFrom(sorted, toDay + 1));
};

/** The position of the first entry dated on or after `day`. */
const firstIndexFrom = (sorted: readonly PostedEntry[], day: DayNumber): number => {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((sorted[middle] as PostedEntry).day < day) low = middle + 1;
    else high = middle;
  }
  return low;
};

/** The posted entry with this id, or undefined; builds the id index on first use. */
export const entryById = (model: LedgerReadModel, entryId: string): PostedEntry | undefined => {
  if (model.entryIndex === null) {
    model.entryIndex = new Map(model.entries.map((entry) => [entry.entryId, entry]));
  }
  return model.entryIndex.get(entryId);
};

/** The account, or a placeholder typed by the first digit of its code when it was never opened. */
export const accountOrPlaceholder = (model: LedgerReadModel, code: string): AccountState => {
  let account = model.accounts.get(code);
  if (account === undefined) {
    const type = typeFromCode(code);
    account = {
      code,
      name: code,
      type,
      normalBalance: type === "asset" || type === "expense" ? "debit" : "credit",
      parent: null,
      postable: true,
      open: true,
      declared: false,
      businessWith: null,
      totals: new DailyTotals(),
    };
    model.accounts.set(code, account);
  }
  return account;
};

const typeFromCode = (code: string): AccountType => {
  switch (code.charAt(0)) {
    case "1":
      return "asset";
    case "2":
      return "liability";
    case "3":
      return "equity";
    case "4":
      return "income";
    default:
      return "expense";
  }
};

const applyEventData = (
  model: LedgerReadModel,
  event: LedgerEvent,
  revision: number,
  recordedAt: string,
): void => {
  switch (event.type) {
    case "LedgerOpened":
      model.name = event.data.name;
      model.regionCode = event.data.regionCode;
      model.shuRules = event.data.settings.shuRules ?? null;
      return;
    case "SettingsChanged":
      model.shuRules = event.data.settings.shuRules ?? null;
      return;
    case "AccountOpened":
      applyAccountOpened(model, event.data);
      return;
    case "AccountTagged": {
      const account = model.accounts.get(event.data.code);
      if (account !== undefined && event.data.businessWith !== undefined)
        account.businessWith = event.data.businessWith;
      return;
    }
    case "AccountClosed": {
      const account = model.accounts.get(event.data.code);
      if (account !== undefined) account.open = false;
      return;
    }
    case "MemberRegistered":
      model.members.set(event.data.memberId, { ...event.data });
      return;
    case "MemberExited": {
      const member = model.members.get(event.data.memberId);
      if (member !== undefined)
        model.members.set(member.memberId, { ...member, exitedOn: event.data.exitedOn });
      return;
    }
    case "MemberExitReversed": {
      const member = model.members.get(event.data.memberId);
      if (member !== undefined) {
        const { exitedOn: _undone, ...reinstated } = member;
        model.members.set(member.memberId, reinstated);
      }
      return;
    }
    case "JournalEntryPosted":
      applyPosted(model, event.data, revision, recordedAt);
      return;
    case "JournalEntryReversed": {
      // The reversing entry links itself through `reverses`; this event adds the reason.
      model.reversalReasons.set(event.data.entryId, event.data.reason);
      return;
    }
    case "FiscalYearClosed":
      model.fiscalYearsClosed.set(event.data.year, {
        entryId: event.data.entryId,
        shuSen: wireToSen(event.data.shu),
      });
      return;
    case "FiscalYearReopened":
      model.fiscalYearsClosed.delete(event.data.year);
      return;
    case "RatDecisionRecorded":
      model.ratDecisions.set(event.data.year, { ...event.data });
      return;
    case "MemberExitRequested":
    case "JournalEntryProposed":
    case "JournalEntryApproved":
    case "JournalEntryRejected":
    case "PeriodClosed":
    case "PeriodReopened":
    case "FiscalYearCloseRequested":
    case "RatDecisionProposed":
    case "YearEndStepRejected":
      return;
    default:
      absurd(event);
  }
};

const applyAccountOpened = (
  model: LedgerReadModel,
  data: Extract<LedgerEvent, { type: "AccountOpened" }>["data"],
): void => {
  const account = accountOrPlaceholder(model, data.code);
  account.name = data.name;
  account.type = data.accountType;
  account.normalBalance = data.normalBalance;
  account.parent = data.parent;
  account.postable = data.postable;
  account.open = true;
  account.declared = true;
  account.businessWith = data.businessWith ?? null;
};

const absurd = (value: never): never => {
  throw new Error(`unknown ledger event: ${JSON.stringify(value)}`);
};

const applyPosted = (
  model: LedgerReadModel,
  data: Extract<LedgerEvent, { type: "JournalEntryPosted" }>["data"],
  revision: number,
  recordedAt: string,
): void => {
  const day = dayNumber(data.date);
  const entry: PostedEntry = {
    entryId: data.entryId,
    kind: data.kind,
    date: data.date,
    day,
    memo: data.memo,
    lines: data.lines,
    reverses: data.reverses,
    revision,
    recordedAt,
    postedBy: data.postedBy,
  };
  const sorted = model.sortedCache;
  if (sorted !== null) {
    const last = sorted[sorted.length - 1];
    if (last === undefined || last.day <= day) sorted.push(entry);
    else model.sortedCache = null;
  }
  model.entries.push(entry);
  model.entryIndex?.set(entry.entryId, entry);
  if (data.reverses !== null) model.reversedBy.set(data.reverses, data.entryId);
  const isClosing = data.kind === "closing";
  for (const line of data.lines) addLineTotals(model, line, day, isClosing);
};

/** Adds a posted line to its account's daily totals, its member's, and (for results) its dimensions'. */
const addLineTotals = (model: LedgerReadModel, line: EntryLine, day: DayNumber, isClosing: boolean): void => {
  const isDebit = line.side === "debit";
  const account = accountOrPlaceholder(model, line.account);
  const memberTotals =
    line.memberId === null ? null : memberTotalsFor(model, line.memberId, line.account, line.unit);
  const dimensionTotals =
    !isClosing && (account.type === "income" || account.type === "expense")
      ? dimensionTotalsFor(model, line)
      : null;
  const small = wireToSmallSen(line.amount);
  if (small >= 0) {
    account.totals.add(day, isDebit, small);
    memberTotals?.add(day, isDebit, small);
    dimensionTotals?.add(day, isDebit, small);
  } else {
    const sen = wireToSen(line.amount);
    account.totals.addBig(day, isDebit, sen);
    memberTotals?.addBig(day, isDebit, sen);
    dimensionTotals?.addBig(day, isDebit, sen);
  }
};

const memberTotalsFor = (
  model: LedgerReadModel,
  memberId: string,
  account: string,
  unit: Unit | null,
): DailyTotals => {
  let perMember = model.memberTotals.get(memberId);
  if (perMember === undefined) {
    perMember = { list: [], byAccount: new Map() };
    model.memberTotals.set(memberId, perMember);
  }
  let perAccount = perMember.byAccount.get(account);
  if (perAccount === undefined) {
    perAccount = new Map();
    perMember.byAccount.set(account, perAccount);
  }
  let totals = perAccount.get(unit);
  if (totals === undefined) {
    totals = { account, unit, totals: new DailyTotals() };
    perAccount.set(unit, totals);
    perMember.list.push(totals);
  }
  return totals.totals;
};

const dimensionTotalsFor = (model: LedgerReadModel, line: EntryLine): DailyTotals => {
  let perAccount = model.resultDimensionIndex.get(line.account);
  if (perAccount === undefined) {
    perAccount = new Map();
    model.resultDimensionIndex.set(line.account, perAccount);
  }
  let perUnit = perAccount.get(line.unit);
  if (perUnit === undefined) {
    perUnit = new Map();
    perAccount.set(line.unit, perUnit);
  }
  let totals = perUnit.get(line.counterparty);
  if (totals === undefined) {
    totals = {
      account: line.account,
      unit: line.unit,
      counterparty: line.counterparty,
      totals: new DailyTotals(),
    };
    perUnit.set(line.counterparty, totals);
    model.resultDimensions.push(totals);
  }
  return totals.totals;
};

/**
 * A model that went through the structured clone algorithm (a per-cooperative snapshot: node:v8 keeps
 * every Map, bigint and shared reference, but not classes), its totals made DailyTotals again in place.
 */
export const reviveClonedReadModel = (model: LedgerReadModel): LedgerReadModel => {
  for (const account of model.accounts.values()) DailyTotals.revive(account.totals);
  for (const perMember of model.memberTotals.values())
    for (const item of perMember.list) DailyTotals.revive(item.totals);
  for (const item of model.resultDimensions) DailyTotals.revive(item.totals);
  return model;
};
