/**
 * A held cooperative's per-entry collections (the decider's entries, the entry records, the read model's
 * posted entries) as rows of plain values, for its snapshot. They are most of a snapshot, and written as
 * objects each would repeat its field names and be rebuilt field by field by the structured-clone reader
 * (about 850 bytes and several microseconds per entry); as JSON rows they are parsed natively and each
 * object is built by one literal (docs/benchmarks.md, Memory budget). Pure functions, no I/O.
 */
import type { EntryLine, EntryState } from "@bukubesar/ledger-core";
import { dayNumber, type PostedEntry } from "@bukubesar/projections";
import type { EntryRecord } from "./ledgerSnapshot.js";

type LineRow = [
  EntryLine["account"],
  EntryLine["side"],
  EntryLine["amount"],
  EntryLine["memberId"],
  EntryLine["unit"],
  EntryLine["counterparty"],
  EntryLine["memo"],
];

type StateRow = [
  string,
  EntryState["status"],
  EntryState["kind"],
  string,
  string,
  LineRow[],
  string | null,
  string | null,
  string | null,
  string | null,
];

type Rejected = NonNullable<EntryRecord["rejected"]>;

/** [entryId, proposed revision or -1, proposed at, posted revision or -1, posted at, posted hash, rejected]. */
type RecordRow = [string, number, string, number, string, string, Rejected | null];

/** [entryId, kind, date, memo, reverses, revision, recordedAt, postedBy, lines, or 0: the decider's entry's]. */
type PostedRow = [
  string,
  PostedEntry["kind"],
  string,
  string,
  string | null,
  number,
  string,
  string,
  LineRow[] | 0,
];

export interface PackedEntries {
  readonly state: StateRow[];
  readonly records: RecordRow[];
  /**
   * A posted entry whose every field is its decider's entry's or its record's (nearly all) is only its
   * id: the snapshot's JSON is about a quarter shorter and parsing it is most of a cold load's CPU.
   */
  readonly posted: (PostedRow | string)[];
}

const packLine = (line: EntryLine): LineRow => [
  line.account,
  line.side,
  line.amount,
  line.memberId,
  line.unit,
  line.counterparty,
  line.memo,
];

const unpackLine = ([account, side, amount, memberId, unit, counterparty, memo]: LineRow): EntryLine => ({
  account,
  side,
  amount,
  memberId,
  unit,
  counterparty,
  memo,
});

/** Whether `entry` can be rebuilt from the decider's entry and the entry record alone. */
const derivable = (
  entry: PostedEntry,
  state: EntryState | undefined,
  record: EntryRecord | undefined,
): boolean =>
  state !== undefined &&
  state.lines === entry.lines &&
  state.kind === entry.kind &&
  state.date === entry.date &&
  state.memo === entry.memo &&
  state.reverses === entry.reverses &&
  state.postedBy === entry.postedBy &&
  record?.posted?.revision === entry.revision &&
  record.posted.recordedAt === entry.recordedAt;

const packPosted = (
  entry: PostedEntry,
  stateEntries: ReadonlyMap<string, EntryState>,
  records: ReadonlyMap<string, EntryRecord>,
): PostedRow | string => {
  const state = stateEntries.get(entry.entryId);
  if (derivable(entry, state, records.get(entry.entryId))) return entry.entryId;
  return [
    entry.entryId,
    entry.kind,
    entry.date,
    entry.memo,
    entry.reverses,
    entry.revision,
    entry.recordedAt,
    entry.postedBy,
    state?.lines === entry.lines ? 0 : entry.lines.map(packLine),
  ];
};

export const packEntries = (
  stateEntries: ReadonlyMap<string, EntryState>,
  records: ReadonlyMap<string, EntryRecord>,
  posted: readonly PostedEntry[],
): PackedEntries => ({
  state: [...stateEntries.values()].map((entry) => [
    entry.entryId,
    entry.status,
    entry.kind,
    entry.date,
    entry.memo,
    entry.lines.map(packLine),
    entry.proposedBy,
    entry.postedBy,
    entry.reverses,
    entry.reversedBy,
  ]),
  records: [...records.entries()].map(([entryId, record]) => [
    entryId,
    record.proposed?.revision ?? -1,
    record.proposed?.recordedAt ?? "",
    record.posted?.revision ?? -1,
    record.posted?.recordedAt ?? "",
    record.posted?.hash ?? "",
    record.rejected ?? null,
  ]),
  posted: posted.map((entry) => packPosted(entry, stateEntries, records)),
});

const unpackState = (rows: readonly StateRow[]): Map<string, EntryState> =>
  new Map(
    rows.map(([entryId, status, kind, date, memo, lines, proposedBy, postedBy, reverses, reversedBy]) => [
      entryId,
      {
        entryId,
        status,
        kind,
        date,
        memo,
        lines: lines.map(unpackLine),
        proposedBy,
        postedBy,
        reverses,
        reversedBy,
      },
    ]),
  );

const unpackRecord = ([
  ,
  proposedRevision,
  proposedAt,
  postedRevision,
  postedAt,
  hash,
  rejected,
]: RecordRow) => {
  const record: EntryRecord = {
    proposed: proposedRevision < 0 ? null : { revision: proposedRevision, recordedAt: proposedAt },
    posted: postedRevision < 0 ? null : { revision: postedRevision, recordedAt: postedAt, hash },
  };
  return rejected === null ? record : { ...record, rejected };
};

const unpackPosted = (
  [entryId, kind, date, memo, reverses, revision, recordedAt, postedBy, lines]: PostedRow,
  stateEntries: ReadonlyMap<string, EntryState>,
): PostedEntry => ({
  entryId,
  kind,
  date,
  day: dayNumber(date),
  memo,
  lines: lines === 0 ? (stateEntries.get(entryId)?.lines ?? []) : lines.map(unpackLine),
  reverses,
  revision,
  recordedAt,
  postedBy,
});

/** The posted entry packed as its id alone: its fields are its decider's entry's and its record's. */
const derivedPosted = (
  entryId: string,
  state: EntryState | undefined,
  record: EntryRecord | undefined,
): PostedEntry => {
  const posted = record?.posted;
  if (state === undefined || posted === null || posted === undefined || state.postedBy === null)
    throw new Error(`the snapshot's posted entry ${entryId} has no posted entry to derive it from`);
  // The same fields in the same order as unpackPosted's literal, so both build objects of one shape.
  return {
    entryId,
    kind: state.kind,
    date: state.date,
    day: dayNumber(state.date),
    memo: state.memo,
    lines: state.lines,
    reverses: state.reverses,
    revision: posted.revision,
    recordedAt: posted.recordedAt,
    postedBy: state.postedBy,
  };
};

/** The three collections again, the read model's lines shared with the decider's where they were. */
export const unpackEntries = (packed: PackedEntries) => {
  const stateEntries = unpackState(packed.state);
  const records = new Map(packed.records.map((row) => [row[0], unpackRecord(row)]));
  const posted = packed.posted.map((row) =>
    typeof row === "string"
      ? derivedPosted(row, stateEntries.get(row), records.get(row))
      : unpackPosted(row, stateEntries),
  );
  return { stateEntries, records, posted };
};
