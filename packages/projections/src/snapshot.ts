import type {
  AccountType,
  Counterparty,
  EntryKind,
  EntryLine,
  MemberRole,
  NormalBalance,
  Unit,
} from "@bukubesar/ledger-core";
import { DailyTotals } from "./dailyTotals.js";
import {
  emptyReadModel,
  type LedgerReadModel,
  type MemberAccountTotals,
  type ResultDimensionTotals,
} from "./readModel.js";
import { dayNumber } from "./sen.js";

/**
 * Snapshots of the read models with the checkpoint they belong to. A snapshot store keeps ONE snapshot
 * and replaces it atomically, so the models and the position they were built up to are always committed
 * together: after a crash the runner loads the last snapshot and replays the log after its position,
 * which can neither count an event twice nor skip one.
 */
export interface ReadModelSnapshot {
  /** The global position of the last event the models include. */
  readonly position: bigint;
  /** `serializeReadModels` output (JSON text). */
  readonly models: string;
}

export interface ReadModelSnapshotStore {
  load(): Promise<ReadModelSnapshot | null>;
  /** Replaces the stored snapshot (models and position in one write). */
  save(snapshot: ReadModelSnapshot): Promise<void>;
}

/** The snapshot format; a snapshot of another version is ignored and the models are rebuilt from the log. */
export const SNAPSHOT_FORMAT_VERSION = 1;

interface SerializedModel {
  readonly coopId: string;
  readonly name: string | null;
  readonly regionCode: string | null;
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
    readonly totals: Array<[number, string, string]>;
  }>;
  readonly members: ReadonlyArray<{ memberId: string; name: string; joinedOn: string; role: MemberRole }>;
  readonly entries: ReadonlyArray<{
    readonly entryId: string;
    readonly kind: EntryKind;
    readonly date: string;
    readonly memo: string;
    readonly lines: readonly EntryLine[];
    readonly reverses: string | null;
    readonly revision: number;
    readonly recordedAt: string;
    readonly postedBy: string;
  }>;
  readonly memberTotals: ReadonlyArray<
    readonly [
      string,
      ReadonlyArray<{ account: string; unit: Unit | null; totals: Array<[number, string, string]> }>,
    ]
  >;
  readonly resultDimensions: ReadonlyArray<{
    account: string;
    unit: Unit | null;
    counterparty: Counterparty | null;
    totals: Array<[number, string, string]>;
  }>;
  readonly fiscalYearsClosed: ReadonlyArray<readonly [number, string | null, string]>;
  readonly ratDecisions: ReadonlyArray<{
    year: number;
    decidedOn: string;
    allocation: Record<string, string>;
    entryId: string;
  }>;
  readonly reversedBy: ReadonlyArray<readonly [string, string]>;
  readonly reversalReasons: ReadonlyArray<readonly [string, string]>;
}

/** Every model as one JSON text. */
export const serializeReadModels = (models: Iterable<LedgerReadModel>): string =>
  JSON.stringify({ version: SNAPSHOT_FORMAT_VERSION, models: [...models].map(serializeModel) });

/** The models of a `serializeReadModels` text, or null when the text has another format version. */
export const restoreReadModels = (text: string): Map<string, LedgerReadModel> | null => {
  const parsed = JSON.parse(text) as { version: number; models: SerializedModel[] };
  if (parsed.version !== SNAPSHOT_FORMAT_VERSION) return null;
  return new Map(parsed.models.map((serialized) => [serialized.coopId, restoreModel(serialized)]));
};

const serializeModel = (model: LedgerReadModel): SerializedModel => ({
  coopId: model.coopId,
  name: model.name,
  regionCode: model.regionCode,
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
    totals: account.totals.toJSON(),
  })),
  members: [...model.members.values()].map((member) => ({ ...member })),
  entries: model.entries.map((entry) => ({
    entryId: entry.entryId,
    kind: entry.kind,
    date: entry.date,
    memo: entry.memo,
    lines: entry.lines,
    reverses: entry.reverses,
    revision: entry.revision,
    recordedAt: entry.recordedAt,
    postedBy: entry.postedBy,
  })),
  memberTotals: [...model.memberTotals.entries()].map(([memberId, totals]) => [
    memberId,
    totals.list.map((item) => ({ account: item.account, unit: item.unit, totals: item.totals.toJSON() })),
  ]),
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
  model.revision = serialized.revision;
  for (const account of serialized.accounts) {
    model.accounts.set(account.code, { ...account, totals: DailyTotals.fromJSON(account.totals) });
  }
  for (const member of serialized.members) model.members.set(member.memberId, member);
  for (const entry of serialized.entries) model.entries.push({ ...entry, day: dayNumber(entry.date) });
  for (const [memberId, list] of serialized.memberTotals) {
    const totals = {
      list: [] as MemberAccountTotals[],
      byAccount: new Map<string, Map<Unit | null, MemberAccountTotals>>(),
    };
    for (const item of list) {
      const restored = { account: item.account, unit: item.unit, totals: DailyTotals.fromJSON(item.totals) };
      totals.list.push(restored);
      let perAccount = totals.byAccount.get(item.account);
      if (perAccount === undefined) {
        perAccount = new Map();
        totals.byAccount.set(item.account, perAccount);
      }
      perAccount.set(item.unit, restored);
    }
    model.memberTotals.set(memberId, totals);
  }
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
