/**
 * `evolve(state, event) → state`: applies one fact. It never fails; an impossible state is a bug and
 * throws.
 *
 * Speed without copying whole maps: every change goes through a `StateWriter`. In `evolve` the writer
 * is copy-on-write: the first time a collection is changed it is copied once, so the state passed in
 * is never touched and a decider test's "given" state stays as it was. `foldLedger` starts from fresh
 * collections that nobody else can see and lets the writer change them in place, so replaying a
 * million events costs a million small updates, not a million map copies. Records inside the maps
 * (accounts, entries) are never mutated, only replaced. The one exception is a noOverdraft account's
 * end-of-day balances (dailyBalances.ts): in `evolve` the touched account's two arrays are copied once
 * per event, in `foldLedger` and `applyInPlace` they are changed in place.
 */
import { wireToSen } from "@bukubesar/money";
import { recordedAmountToSen, signedForNormalBalance } from "./amounts.js";
import type { WritableDailyBalances } from "./dailyBalances.js";
import { addToDailyBalances, copyDailyBalances, emptyDailyBalances } from "./dailyBalances.js";
import type { AccountTagged, EntryLine, FiscalYearClosed, LedgerEvent } from "./events.js";
import { LEGACY_RESULT_ACCOUNT } from "./shuAllocation.js";
import type {
  AccountState,
  EntryState,
  FiscalYearClosing,
  LedgerState,
  MemberState,
  PendingClose,
  PendingRatDecision,
  RatDecisionState,
} from "./state.js";
import { initialLedgerState, postedLinesOn } from "./state.js";

type Scalars = {
  -readonly [Key in "opened" | "coopId" | "name" | "regionCode" | "settings"]: LedgerState[Key];
};

interface Draft extends Scalars {
  accounts: Map<string, AccountState>;
  yearBalances: Map<number, Map<string, bigint>>;
  dailyBalances: Map<string, WritableDailyBalances>;
  members: Map<string, MemberState>;
  memberBalances: Map<string, Map<string, bigint>>;
  entries: Map<string, EntryState>;
  closedPeriods: Set<string>;
  closedFiscalYears: Map<number, FiscalYearClosing>;
  ratDecisions: Map<number, RatDecisionState>;
  pendingCloses: Map<number, PendingClose>;
  pendingRatDecisions: Map<number, PendingRatDecision>;
}

type CollectionName = Exclude<keyof Draft, keyof Scalars>;

/**
 * Hands out writable collections: copied on first write (evolve) or owned outright (foldLedger). The
 * bookkeeping of what was copied is only made when copying can happen, so applying an event in place
 * (a replay does it a million times) allocates nothing but the event's own changes.
 */
class StateWriter {
  private copied: Set<CollectionName> | null = null;
  private copiedYears: Set<number> | null = null;
  private copiedMembers: Set<string> | null = null;
  private copiedDailyBalances: Set<string> | null = null;

  constructor(
    readonly draft: Draft,
    private readonly ownsEverything: boolean,
  ) {}

  collection<Name extends CollectionName>(name: Name): Draft[Name] {
    if (this.ownsEverything) return this.draft[name];
    this.copied ??= new Set();
    if (!this.copied.has(name)) {
      const current = this.draft[name];
      this.draft[name] = (
        current instanceof Set ? new Set(current) : new Map(current as Map<unknown, unknown>)
      ) as Draft[Name];
      this.copied.add(name);
    }
    return this.draft[name];
  }

  yearBalances(year: number): Map<string, bigint> {
    const years = this.collection("yearBalances");
    const current = years.get(year);
    if (current === undefined) {
      const fresh = new Map<string, bigint>();
      years.set(year, fresh);
      if (!this.ownsEverything) {
        this.copiedYears ??= new Set();
        this.copiedYears.add(year);
      }
      return fresh;
    }
    if (this.ownsEverything) return current;
    this.copiedYears ??= new Set();
    if (this.copiedYears.has(year)) return current;
    const copy = new Map(current);
    years.set(year, copy);
    this.copiedYears.add(year);
    return copy;
  }

  /** One member's balances on the control accounts; only the touched member's map is copied. */
  memberBalances(memberId: string): Map<string, bigint> {
    const all = this.collection("memberBalances");
    const current = all.get(memberId);
    if (this.ownsEverything && current !== undefined) return current;
    if (!this.ownsEverything) {
      this.copiedMembers ??= new Set();
      if (current !== undefined && this.copiedMembers.has(memberId)) return current;
      this.copiedMembers.add(memberId);
    }
    const copy = new Map(current ?? []);
    all.set(memberId, copy);
    return copy;
  }

  /** The end-of-day balances of one noOverdraft account; only the touched account's arrays are copied. */
  dailyBalances(code: string): WritableDailyBalances {
    const all = this.collection("dailyBalances");
    const current = all.get(code);
    if (this.ownsEverything) {
      if (current !== undefined) return current;
      const fresh = emptyDailyBalances();
      all.set(code, fresh);
      return fresh;
    }
    this.copiedDailyBalances ??= new Set();
    if (current !== undefined && this.copiedDailyBalances.has(code)) return current;
    const copy = current === undefined ? emptyDailyBalances() : copyDailyBalances(current);
    all.set(code, copy);
    this.copiedDailyBalances.add(code);
    return copy;
  }
}

export const evolve = (state: LedgerState, event: LedgerEvent): LedgerState => {
  const writer = new StateWriter({ ...(state as Draft) }, false);
  apply(writer, event);
  return writer.draft;
};

/**
 * Folds events into a state. With `from` given, its collections are copied once up front and then
 * changed in place; `from` itself is left as it was.
 */
export const foldLedger = (
  events: Iterable<LedgerEvent>,
  from: LedgerState = initialLedgerState,
): LedgerState => {
  const writer = new StateWriter(ownedCopy(from), true);
  for (const event of events) apply(writer, event);
  return writer.draft;
};

/**
 * Applies one fact to `state` IN PLACE and returns nothing. Only for the owner of a private state: a
 * state that came from `foldLedger` (whose collections nobody else shares) and that no one else reads
 * while it changes, such as the API's command handler, which serialises every command of a cooperative
 * and keeps one state per cooperative. Everyone else uses `evolve`, which never touches its input.
 * Passing a state that shares collections with another (one made by `evolve`, or `initialLedgerState`)
 * would change that other state too.
 */
export const applyInPlace = (state: LedgerState, event: LedgerEvent): void => {
  apply(new StateWriter(state as Draft, true), event);
};

const ownedCopy = (state: LedgerState): Draft => ({
  opened: state.opened,
  coopId: state.coopId,
  name: state.name,
  regionCode: state.regionCode,
  settings: state.settings,
  accounts: new Map(state.accounts),
  yearBalances: new Map([...state.yearBalances].map(([year, balances]) => [year, new Map(balances)])),
  dailyBalances: new Map([...state.dailyBalances].map(([code, series]) => [code, copyDailyBalances(series)])),
  members: new Map(state.members),
  memberBalances: new Map([...state.memberBalances].map(([member, balances]) => [member, new Map(balances)])),
  entries: new Map(state.entries),
  closedPeriods: new Set(state.closedPeriods),
  closedFiscalYears: new Map(state.closedFiscalYears),
  ratDecisions: new Map(state.ratDecisions),
  pendingCloses: new Map(state.pendingCloses),
  pendingRatDecisions: new Map(state.pendingRatDecisions),
});

// biome-ignore lint/complexity/noExcessiveLinesPerFunction: a table of cases, one per ledger event type, exhaustive over the union; the fold reads as one list.
// biome-ignore lint/complexity/noExcessiveCognitiveComplexity: the same table: each case only sets what its event changes.
const apply = (writer: StateWriter, event: LedgerEvent): void => {
  const draft = writer.draft;
  switch (event.type) {
    case "LedgerOpened":
      draft.opened = true;
      draft.coopId = event.data.coopId;
      draft.name = event.data.name;
      draft.regionCode = event.data.regionCode;
      draft.settings = event.data.settings;
      return;
    case "SettingsChanged":
      draft.settings = event.data.settings;
      return;
    case "AccountOpened":
      writer.collection("accounts").set(event.data.code, {
        ...event.data,
        open: true,
        balance: 0n,
        memberControl: event.data.memberControl ?? false,
        businessWith: event.data.businessWith ?? null,
        systemAccount: event.data.systemAccount ?? false,
      });
      return;
    case "AccountTagged":
      applyTags(writer, event.data);
      return;
    case "AccountClosed": {
      const account = mustFind(draft.accounts, event.data.code, event.type);
      writer.collection("accounts").set(account.code, { ...account, open: false });
      return;
    }
    case "MemberRegistered":
      writer.collection("members").set(event.data.memberId, {
        ...event.data,
        exitedOn: null,
        exitSettlementAccount: null,
        lastLineOn: null,
      });
      return;
    case "MemberExited": {
      const { pendingExit: _approved, ...member } = mustFind(draft.members, event.data.memberId, event.type);
      writer.collection("members").set(member.memberId, {
        ...member,
        exitedOn: event.data.exitedOn,
        exitSettlementAccount: event.data.owedOn,
      });
      return;
    }
    case "MemberExitRequested": {
      const member = mustFind(draft.members, event.data.memberId, event.type);
      const { memberId: _id, ...pendingExit } = event.data;
      writer.collection("members").set(member.memberId, { ...member, pendingExit });
      return;
    }
    case "MemberExitReversed": {
      const member = mustFind(draft.members, event.data.memberId, event.type);
      writer.collection("members").set(member.memberId, {
        ...member,
        exitedOn: null,
        exitSettlementAccount: null,
      });
      return;
    }
    case "JournalEntryProposed":
      writer.collection("entries").set(event.data.entryId, {
        entryId: event.data.entryId,
        status: "pending",
        kind: event.data.kind ?? "regular",
        date: event.data.date,
        memo: event.data.memo,
        lines: event.data.lines,
        proposedBy: event.data.proposedBy,
        postedBy: null,
        reverses: null,
        reversedBy: null,
      });
      return;
    case "JournalEntryApproved":
      // The approval itself changes nothing; the JournalEntryPosted that follows it posts the entry.
      mustFind(draft.entries, event.data.entryId, event.type);
      return;
    case "JournalEntryRejected": {
      const entry = mustFind(draft.entries, event.data.entryId, event.type);
      writer.collection("entries").set(entry.entryId, { ...entry, status: "rejected" });
      if (entry.kind === "member_exit") dropPendingExit(writer, entry.entryId, entry.lines);
      return;
    }
    case "JournalEntryPosted":
      applyPosting(writer, event.data);
      return;
    case "JournalEntryReversed": {
      const entry = mustFind(draft.entries, event.data.entryId, event.type);
      writer.collection("entries").set(entry.entryId, { ...entry, reversedBy: event.data.reversedBy });
      return;
    }
    case "PeriodClosed":
      writer.collection("closedPeriods").add(event.data.period);
      return;
    case "PeriodReopened":
      writer.collection("closedPeriods").delete(event.data.period);
      return;
    case "FiscalYearCloseRequested":
      writer.collection("pendingCloses").set(event.data.year, {
        entryId: event.data.entryId,
        shu: wireToSen(event.data.shu),
        requestedBy: event.data.requestedBy,
      });
      return;
    case "RatDecisionProposed":
      writer.collection("pendingRatDecisions").set(event.data.year, {
        decidedOn: event.data.decidedOn,
        allocation: event.data.allocation,
        lossCoverage: event.data.lossCoverage ?? null,
        entryId: event.data.entryId,
        proposedBy: event.data.proposedBy,
        unattributedJasaUsaha: event.data.unattributedJasaUsaha ?? null,
      });
      return;
    case "YearEndStepRejected":
      writer
        .collection(event.data.step === "close" ? "pendingCloses" : "pendingRatDecisions")
        .delete(event.data.year);
      return;
    case "FiscalYearClosed": {
      if (draft.pendingCloses.has(event.data.year))
        writer.collection("pendingCloses").delete(event.data.year);
      writer.collection("closedFiscalYears").set(event.data.year, {
        entryId: event.data.entryId,
        shu: wireToSen(event.data.shu),
        resultAccount: resultAccountOf(event.data),
      });
      return;
    }
    case "FiscalYearReopened":
      writer.collection("closedFiscalYears").delete(event.data.year);
      return;
    case "RatDecisionRecorded":
      if (draft.pendingRatDecisions.has(event.data.year)) {
        writer.collection("pendingRatDecisions").delete(event.data.year);
      }
      writer.collection("ratDecisions").set(event.data.year, {
        decidedOn: event.data.decidedOn,
        allocation: event.data.allocation,
        lossCoverage: event.data.lossCoverage ?? null,
        entryId: event.data.entryId,
        unattributedJasaUsaha: event.data.unattributedJasaUsaha ?? null,
      });
      return;
    default:
      absurd(event);
  }
};

const applyPosting = (
  writer: StateWriter,
  data: Extract<LedgerEvent, { type: "JournalEntryPosted" }>["data"],
) => {
  const accounts = writer.collection("accounts");
  const year = Number(data.date.slice(0, 4));
  let yearBalances: Map<string, bigint> | null = null;
  for (const line of data.lines) {
    const account = mustFind(accounts, line.account, "JournalEntryPosted");
    const delta = signedForNormalBalance(line.side, account.normalBalance, amountOrThrow(line.amount));
    accounts.set(account.code, { ...account, balance: account.balance + delta });
    if (account.noOverdraft) addToDailyBalances(writer.dailyBalances(account.code), data.date, delta);
    if (line.memberId !== null) noteMemberLine(writer, line.memberId, data.date);
    if (account.memberControl && line.memberId !== null) {
      const balances = writer.memberBalances(line.memberId);
      balances.set(account.code, (balances.get(account.code) ?? 0n) + delta);
    }
    if (account.accountType === "income" || account.accountType === "expense") {
      yearBalances ??= writer.yearBalances(year);
      yearBalances.set(account.code, (yearBalances.get(account.code) ?? 0n) + delta);
    }
  }
  const entries = writer.collection("entries");
  const existing = entries.get(data.entryId);
  entries.set(data.entryId, {
    entryId: data.entryId,
    status: "posted",
    kind: data.kind,
    date: data.date,
    memo: data.memo,
    lines: data.lines,
    proposedBy: data.proposedBy,
    postedBy: data.postedBy,
    reverses: data.reverses,
    reversedBy: existing?.reversedBy ?? null,
  });
};

/**
 * Sets an account's new tags. A new member sub-ledger gets each member's balance from the lines posted on it
 * so far (the decider checked that those naming no member net to zero), so the members' balances sum to it.
 */
const applyTags = (writer: StateWriter, data: AccountTagged["data"]): void => {
  const account = mustFind(writer.draft.accounts, data.code, "AccountTagged");
  writer.collection("accounts").set(account.code, {
    ...account,
    memberControl: account.memberControl || data.memberControl === true,
    businessWith: data.businessWith ?? account.businessWith,
    systemAccount: account.systemAccount || data.systemAccount === true,
  });
  if (data.memberControl !== true || account.memberControl) return;
  for (const line of postedLinesOn(writer.draft, account.code)) {
    if (line.memberId === null) continue;
    const delta = signedForNormalBalance(line.side, account.normalBalance, amountOrThrow(line.amount));
    const balances = writer.memberBalances(line.memberId);
    balances.set(account.code, (balances.get(account.code) ?? 0n) + delta);
  }
};

/** A rejected exit leaves the member as they were: no longer waiting to leave. */
const dropPendingExit = (writer: StateWriter, entryId: string, lines: readonly EntryLine[]): void => {
  const memberId = lines.find((line) => line.memberId !== null)?.memberId ?? null;
  const member = memberId === null ? undefined : writer.draft.members.get(memberId);
  if (member?.pendingExit?.entryId !== entryId) return;
  const { pendingExit: _rejected, ...unchanged } = member;
  writer.collection("members").set(unchanged.memberId, unchanged);
};

const noteMemberLine = (writer: StateWriter, memberId: string, date: string): void => {
  const member = writer.draft.members.get(memberId);
  if (member === undefined || (member.lastLineOn !== null && member.lastLineOn >= date)) return;
  writer.collection("members").set(memberId, { ...member, lastLineOn: date });
};

/** Where a closed year's result sits; see `FiscalYearClosed` for events recorded before the field existed. */
const resultAccountOf = (data: FiscalYearClosed["data"]): string | null => {
  if (data.resultAccount !== undefined) return data.resultAccount;
  return data.entryId === null ? null : LEGACY_RESULT_ACCOUNT;
};

const mustFind = <Key, Value>(map: ReadonlyMap<Key, Value>, key: Key, eventType: string): Value => {
  const value = map.get(key);
  if (value === undefined)
    throw new Error(`${eventType} refers to ${String(key)}, which the ledger does not know`);
  return value;
};

const amountOrThrow = (amount: string): bigint => {
  const sen = recordedAmountToSen(amount);
  if (sen === null) throw new Error(`an event carries the malformed amount ${JSON.stringify(amount)}`);
  return sen;
};

const absurd = (value: never): never => {
  throw new Error(`unknown ledger event ${JSON.stringify(value)}`);
};
