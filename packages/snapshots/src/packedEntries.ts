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
  readonly posted: PostedRow[];
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
  posted: posted.map((entry) => [
    entry.entryId,
    entry.kind,
    entry.date,
    entry.memo,
    entry.reverses,
    entry.revision,
    entry.recordedAt,
    entry.postedBy,
    stateEntries.get(entry.entryId)?.lines === entry.lines ? 0 : entry.lines.map(packLine),
  ]),
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

/** The three collections again, the read model's lines shared with the decider's where they were. */
export const unpackEntries = (packed: PackedEntries) => {
  const stateEntries = unpackState(packed.state);
  const records = new Map(packed.records.map((row) => [row[0], unpackRecord(row)]));
  const posted = packed.posted.map(
    ([entryId, kind, date, memo, reverses, revision, recordedAt, postedBy, lines]): PostedEntry => ({
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
    }),
  );
  return { stateEntries, records, posted };
};
