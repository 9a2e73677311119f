import type {
  AccountType,
  BusinessWith,
  Counterparty,
  EntryKind,
  MemberRole,
  NormalBalance,
  ShuRules,
  Side,
  Unit,
} from "@bukubesar/ledger-core";
import { DailyTotals } from "./dailyTotals.js";
import {
  emptyReadModel,
  type LedgerReadModel,
  type MemberAccountTotals,
  type MemberTotals,
  type PostedEntry,
  type ResultDimensionTotals,
} from "./readModel.js";
import { dayNumber } from "./sen.js";

/**
 * Snapshots of the read models with the checkpoint they belong to. A snapshot store keeps ONE snapshot
 * and replaces it atomically, so the models and the position they were built up to are always committed
 * together: after a crash the runner loads the last snapshot and replays the log after its position,
 * which can neither count an event twice nor skip one.
 *
 * The models are written as several JSON texts ("parts"): the models of a million events are larger than
 * one JavaScript string may be, so entries and member totals go in parts of bounded size.
 */
export interface ReadModelSnapshot {
  /** The global position of the last event the models include (-1n for none). */
  readonly position: bigint;
  /** `serializeReadModels` output. */
  readonly parts: readonly string[];
}

export interface ReadModelSnapshotStore {
  load(): Promise<ReadModelSnapshot | null>;
  /** Replaces the stored snapshot (models and position in one write). */
  save(snapshot: ReadModelSnapshot): Promise<void>;
}

/**
 * The snapshot format; a snapshot of another version is ignored and the models are rebuilt from the log.
 * Version 2: parts, entries and lines as positional arrays, and the checkpoint's event id. Version 3: each
 * account's `businessWith` tag, which the income statement and the SHU base classify lines by.
 */
export const SNAPSHOT_FORMAT_VERSION = 3;

/** Posted entries per part: about 30 MB of JSON, far below the largest string V8 allows (about 512 MB). */
export const SNAPSHOT_ENTRIES_PER_PART = 100_000;

/** Members' totals per part; a member with a year of daily postings on a few accounts is a few kB. */
export const SNAPSHOT_MEMBERS_PER_PART = 5_000;

/** The checkpoint a snapshot records: the position and event id of the last event the models include. */
export interface SnapshotCheckpoint {
  readonly position: bigint;
  /** The id of the event at `position`, to recognise a log that is no longer the one the models saw. */
  readonly eventId: string | null;
}

/** What `restoreReadModels` gives back. */
export interface RestoredReadModels {
  readonly models: Map<string, LedgerReadModel>;
  readonly checkpoint: SnapshotCheckpoint;
}

type Totals = Array<[number, string, string]>;

/** A line as [account, side, amount, memberId, unit, counterparty, memo]. */
type PackedLine = [string, Side, string, string | null, Unit | null, Counterparty | null, string | null];

/** An entry as [entryId, kind, date, memo, lines, reverses, revision, recordedAt, postedBy]. */
type PackedEntry = [string, EntryKind, string, string, PackedLine[], string | null, number, string, string];

interface SerializedModel {
  readonly coopId: string;
  readonly name: string | null;
  readonly regionCode: string | null;
  /** Absent in snapshots written before the AD/ART rules were settings (none could be set then). */
  readonly shuRules?: ShuRules | null;
  readonly revision: number;
  readonly accounts: ReadonlyArray<{
    readonly code: string;
    readonly name: string;
    readonly type: AccountType;
    readonly normalBalance: NormalBalance;
    readonly parent: string | null;
    readonly postable: boolean;
    readonly open: boolean;
    readonly declared: boolean;
    readonly businessWith: BusinessWith | null;
    readonly totals: Totals;
  }>;
  readonly members: ReadonlyArray<{
    memberId: string;
    name: string;
    joinedOn: string;
    role: MemberRole;
    exitedOn?: string;
  }>;
  readonly resultDimensions: ReadonlyArray<{
    account: string;
    unit: Unit | null;
    counterparty: Counterparty | null;
    totals: Totals;
  }>;
  readonly fiscalYearsClosed: ReadonlyArray<readonly [number, string | null, string]>;
  readonly ratDecisions: ReadonlyArray<{
    year: number;
    decidedOn: string;
    allocation: Record<string, string>;
    entryId: string | null;
    lossCoverage?: { readonly fromReserve: string; readonly carriedForward: string } | null;
    priorLossCovered?: string;
    entryIds?: readonly string[];
  }>;
  readonly reversedBy: ReadonlyArray<readonly [string, string]>;
  readonly reversalReasons: ReadonlyArray<readonly [string, string]>;
}

type MemberTotalsPart = ReadonlyArray<
  readonly [string, ReadonlyArray<{ account: string; unit: Unit | null; totals: Totals }>]
>;

/** The first part: the format, the checkpoint and each model without its entries and member totals. */
interface HeaderPart {
  readonly version: number;
  readonly position: string;
  readonly eventId: string | null;
  readonly models: readonly SerializedModel[];
}

/** Every later part: a slice of one model's entries or of its member totals. */
type BodyPart =
  | { readonly coopId: string; readonly entries: readonly PackedEntry[] }
  | { readonly coopId: string; readonly memberTotals: MemberTotalsPart };

/** Every model with its checkpoint as JSON texts (the header first, then entries and member totals). */
export const serializeReadModels = (
  models: Iterable<LedgerReadModel>,
  checkpoint: SnapshotCheckpoint,
  partSizes: { readonly entries: number; readonly members: number } = {
    entries: SNAPSHOT_ENTRIES_PER_PART,
    members: SNAPSHOT_MEMBERS_PER_PART,
  },
): string[] => {
  const list = [...models];
  const header: HeaderPart = {
    version: SNAPSHOT_FORMAT_VERSION,
    position: String(checkpoint.position),
    eventId: checkpoint.eventId,
    models: list.map(serializeModel),
  };
  const parts = [JSON.stringify(header)];
  for (const model of list) {
    for (let start = 0; start < model.entries.length; start += partSizes.entries) {
      const entries = model.entries.slice(start, start + partSizes.entries).map(packEntry);
      parts.push(JSON.stringify({ coopId: model.coopId, entries }));
    }
    const members = [...model.memberTotals.entries()];
    for (let start = 0; start < members.length; start += partSizes.members) {
      const memberTotals: MemberTotalsPart = members
        .slice(start, start + partSizes.members)
        .map(([memberId, totals]) => [
          memberId,
          totals.list.map((item) => ({
            account: item.account,
            unit: item.unit,
            totals: item.totals.toJSON(),
          })),
        ]);
      parts.push(JSON.stringify({ coopId: model.coopId, memberTotals }));
    }
  }
  return parts;
};

/**
 * The models and checkpoint of a `serializeReadModels` result, or null when it has another format version.
 * Throws on a damaged snapshot (not JSON, missing parts, a part of an unknown model).
 */
export const restoreReadModels = (parts: readonly string[]): RestoredReadModels | null => {
  const [headerText, ...bodyTexts] = parts;
  if (headerText === undefined) throw new Error("snapshot without a header part");
  const header = JSON.parse(headerText) as HeaderPart;
  if (header.version !== SNAPSHOT_FORMAT_VERSION) return null;
  const models = new Map(header.models.map((serialized) => [serialized.coopId, restoreModel(serialized)]));
  for (const text of bodyTexts) {
    const part = JSON.parse(text) as BodyPart;
    const model = models.get(part.coopId);
    if (model === undefined) throw new Error(`snapshot part of an unknown model: ${part.coopId}`);
    if ("entries" in part) {
      for (const packed of part.entries) model.entries.push(unpackEntry(packed));
    } else {
      for (const [memberId, list] of part.memberTotals)
        model.memberTotals.set(memberId, restoreMemberTotals(list));
    }
  }
  return { models, checkpoint: { position: BigInt(header.position), eventId: header.eventId } };
};

const packEntry = (entry: PostedEntry): PackedEntry => [
  entry.entryId,
  entry.kind,
  entry.date,
  entry.memo,
  entry.lines.map((line) => [
    line.account,
    line.side,
    line.amount,
    line.memberId,
    line.unit,
    line.counterparty,
    line.memo,
  ]),
  entry.reverses,
  entry.revision,
  entry.recordedAt,
  entry.postedBy,
];

const unpackEntry = ([
  entryId,
  kind,
  date,
  memo,
  lines,
  reverses,
  revision,
  recordedAt,
  postedBy,
]: PackedEntry): PostedEntry => ({
  entryId,
  kind,
  date,
  day: dayNumber(date),
  memo,
  lines: lines.map(([account, side, amount, memberId, unit, counterparty, lineMemo]) => ({
    account,
    side,
    amount,
    memberId,
    unit,
    counterparty,
    memo: lineMemo,
  })),
  reverses,
  revision,
  recordedAt,
  postedBy,
});

const restoreMemberTotals = (
  list: ReadonlyArray<{ account: string; unit: Unit | null; totals: Totals }>,
): MemberTotals => {
  const totals: MemberTotals = { list: [], byAccount: new Map() };
  for (const item of list) {
    const restored: MemberAccountTotals = {
      account: item.account,
      unit: item.unit,
      totals: DailyTotals.fromJSON(item.totals),
    };
    totals.list.push(restored);
    let perAccount = totals.byAccount.get(item.account);
    if (perAccount === undefined) {
      perAccount = new Map();
      totals.byAccount.set(item.account, perAccount);
    }
    perAccount.set(item.unit, restored);
  }
  return totals;
};

const serializeModel = (model: LedgerReadModel): SerializedModel => ({
  coopId: model.coopId,
  name: model.name,
  regionCode: model.regionCode,
  shuRules: model.shuRules,
  revision: model.revision,
  accounts: [...model.accounts.values()].map((account) => ({
    code: account.code,
    name: account.name,
    type: account.type,
    normalBalance: account.normalBalance,
    parent: account.parent,
    postable: account.postable,
    open: account.open,
    declared: account.declared,
    businessWith: account.businessWith,
    totals: account.totals.toJSON(),
  })),
  members: [...model.members.values()].map((member) => ({ ...member })),
  resultDimensions: model.resultDimensions.map((item) => ({
    account: item.account,
    unit: item.unit,
    counterparty: item.counterparty,
    totals: item.totals.toJSON(),
  })),
  fiscalYearsClosed: [...model.fiscalYearsClosed.entries()].map(([year, closed]) => [
    year,
    closed.entryId,
    String(closed.shuSen),
  ]),
  ratDecisions: [...model.ratDecisions.values()].map((decision) => ({
    ...decision,
    allocation: { ...decision.allocation },
  })),
  reversedBy: [...model.reversedBy.entries()],
  reversalReasons: [...model.reversalReasons.entries()],
});

const restoreModel = (serialized: SerializedModel): LedgerReadModel => {
  const model = emptyReadModel(serialized.coopId);
  model.name = serialized.name;
  model.regionCode = serialized.regionCode;
  model.shuRules = serialized.shuRules ?? null;
  model.revision = serialized.revision;
  for (const account of serialized.accounts) {
    model.accounts.set(account.code, { ...account, totals: DailyTotals.fromJSON(account.totals) });
  }
  for (const member of serialized.members) model.members.set(member.memberId, member);
  for (const item of serialized.resultDimensions) {
    const restored: ResultDimensionTotals = { ...item, totals: DailyTotals.fromJSON(item.totals) };
    model.resultDimensions.push(restored);
    let perAccount = model.resultDimensionIndex.get(item.account);
    if (perAccount === undefined) {
      perAccount = new Map();
      model.resultDimensionIndex.set(item.account, perAccount);
    }
    let perUnit = perAccount.get(item.unit);
    if (perUnit === undefined) {
      perUnit = new Map();
      perAccount.set(item.unit, perUnit);
    }
    perUnit.set(item.counterparty, restored);
  }
  for (const [year, entryId, shu] of serialized.fiscalYearsClosed) {
    model.fiscalYearsClosed.set(year, { entryId, shuSen: BigInt(shu) });
  }
  for (const decision of serialized.ratDecisions) model.ratDecisions.set(decision.year, decision);
  for (const [original, reversal] of serialized.reversedBy) model.reversedBy.set(original, reversal);
  for (const [original, reason] of serialized.reversalReasons) model.reversalReasons.set(original, reason);
  return model;
};

/** A snapshot store in this process's memory, for tests and for a runner that only wants fast restarts. */
export class MemoryReadModelSnapshotStore implements ReadModelSnapshotStore {
  private snapshot: ReadModelSnapshot | null = null;
  saves = 0;

  async load(): Promise<ReadModelSnapshot | null> {
    return this.snapshot;
  }

  async save(snapshot: ReadModelSnapshot): Promise<void> {
    this.snapshot = snapshot;
    this.saves++;
  }
}
