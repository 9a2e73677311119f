/**
 * Journal entries as the API shows them (api.md, Journal entries). Built from the recorded events for
 * a write's response, or from the ledger snapshot for reads.
 */
import type { EntryLine, RecordedLedgerEvent } from "@bukubesar/ledger-core";
import type { LedgerSnapshot } from "@bukubesar/snapshots";

export interface LineView {
  readonly account: string;
  readonly debit?: string;
  readonly credit?: string;
  readonly memberId: string | null;
  readonly unit: string | null;
  readonly counterparty: string | null;
  readonly memo: string | null;
}

export const lineView = (line: EntryLine): LineView => ({
  account: line.account,
  ...(line.side === "debit" ? { debit: line.amount } : { credit: line.amount }),
  memberId: line.memberId,
  unit: line.unit,
  counterparty: line.counterparty,
  memo: line.memo,
});

export type EntryView = Record<string, unknown> & { readonly entryId: string; readonly status: string };

/** The response for a write that posted or proposed an entry, from its events; null when there is none. */
export const entryFromEvents = (
  coopId: string,
  events: readonly RecordedLedgerEvent[],
  entryId?: string,
): EntryView | null => {
  for (const event of events) {
    if (event.type === "JournalEntryPosted" && (entryId === undefined || event.data.entryId === entryId)) {
      return {
        entryId: event.data.entryId,
        coopId,
        status: "posted",
        kind: event.data.kind,
        sequence: event.revision,
        date: event.data.date,
        memo: event.data.memo,
        lines: event.data.lines.map(lineView),
        postedBy: event.data.postedBy,
        recordedAt: event.metadata.recordedAt,
        hash: event.metadata.hash,
      };
    }
  }
  for (const event of events) {
    if (event.type === "JournalEntryProposed" && (entryId === undefined || event.data.entryId === entryId)) {
      return {
        entryId: event.data.entryId,
        coopId,
        status: "pending_approval",
        kind: event.data.kind ?? "regular",
        date: event.data.date,
        memo: event.data.memo,
        lines: event.data.lines.map(lineView),
        proposedBy: event.data.proposedBy,
        recordedAt: event.metadata.recordedAt,
      };
    }
  }
  return null;
};

/** An entry's status as the API names it (docs/api.md, Journal entries), by the ledger's own name for it. */
export const ENTRY_STATUS_NAMES = {
  posted: "posted",
  pending: "pending_approval",
  rejected: "rejected",
} as const;
export type EntryStatusName = (typeof ENTRY_STATUS_NAMES)[keyof typeof ENTRY_STATUS_NAMES];
const statusNames = ENTRY_STATUS_NAMES;

/** An entry as it stands now, with its links; null when the cooperative has no such entry. */
export const entryFromSnapshot = (snapshot: LedgerSnapshot, entryId: string): EntryView | null => {
  const entry = snapshot.state.entries.get(entryId);
  if (entry === undefined) return null;
  const record = snapshot.entryRecords.get(entryId);
  const posted = record?.posted ?? null;
  return {
    entryId,
    coopId: snapshot.coopId,
    status: statusNames[entry.status],
    kind: entry.kind,
    ...(posted !== null ? { sequence: posted.revision } : {}),
    date: entry.date,
    memo: entry.memo,
    lines: entry.lines.map(lineView),
    ...(entry.postedBy !== null ? { postedBy: entry.postedBy } : {}),
    ...(entry.proposedBy !== null ? { proposedBy: entry.proposedBy } : {}),
    recordedAt: posted?.recordedAt ?? record?.proposed?.recordedAt ?? null,
    ...(posted !== null ? { hash: posted.hash } : {}),
    ...(entry.reversedBy !== null ? { reversedBy: entry.reversedBy } : {}),
    ...(entry.reverses !== null ? { reverses: entry.reverses } : {}),
    ...(record?.rejected !== undefined
      ? { reason: record.rejected.reason, rejectedBy: record.rejected.rejectedBy }
      : {}),
  };
};
