/**
 * What the API knows of one cooperative's ledger at a revision: the decider's state plus the few facts
 * responses need that the decider does not keep (each entry's revision, chain hash and recording time).
 */

import type { StoredEvent } from "@bukubesar/event-store";
import {
  foldLedger,
  GENESIS_PREV_HASH,
  initialLedgerState,
  type LedgerState,
  type RecordedLedgerEvent,
} from "@bukubesar/ledger-core";

/** Where an entry's events sit in the stream. */
export interface EntryRecord {
  readonly proposed: { readonly revision: number; readonly recordedAt: string } | null;
  readonly posted: { readonly revision: number; readonly recordedAt: string; readonly hash: string } | null;
}

export interface LedgerSnapshot {
  readonly coopId: string;
  readonly state: LedgerState;
  /** The last revision folded in, -1 when the stream does not exist. */
  readonly revision: number;
  readonly headHash: string;
  readonly entryRecords: ReadonlyMap<string, EntryRecord>;
  /** Entry ids in the order they were first recorded (proposed or posted). */
  readonly entryOrder: readonly string[];
}

export const emptySnapshot = (coopId: string): LedgerSnapshot => ({
  coopId,
  state: initialLedgerState,
  revision: -1,
  headHash: GENESIS_PREV_HASH,
  entryRecords: new Map(),
  entryOrder: [],
});

/** A stored event as the ledger event it is (the store keeps events as opaque JSON). */
export const toRecorded = (stored: StoredEvent): RecordedLedgerEvent =>
  ({
    type: stored.type,
    data: stored.data,
    revision: stored.revision,
    metadata: stored.metadata,
  }) as RecordedLedgerEvent;

/** Folds events that follow the snapshot's revision into a new snapshot; the old one is not changed. */
export const advanceSnapshot = (
  snapshot: LedgerSnapshot,
  events: readonly RecordedLedgerEvent[],
): LedgerSnapshot => {
  if (events.length === 0) return snapshot;
  const entryRecords = new Map(snapshot.entryRecords);
  const entryOrder = [...snapshot.entryOrder];
  for (const event of events) {
    const recordedAt = event.metadata.recordedAt;
    if (event.type === "JournalEntryProposed") {
      entryRecords.set(event.data.entryId, {
        proposed: { revision: event.revision, recordedAt },
        posted: null,
      });
      entryOrder.push(event.data.entryId);
    } else if (event.type === "JournalEntryPosted") {
      const before = entryRecords.get(event.data.entryId);
      if (before === undefined) entryOrder.push(event.data.entryId);
      entryRecords.set(event.data.entryId, {
        proposed: before?.proposed ?? null,
        posted: { revision: event.revision, recordedAt, hash: event.metadata.hash },
      });
    }
  }
  const last = events[events.length - 1] as RecordedLedgerEvent;
  return {
    coopId: snapshot.coopId,
    state: foldLedger(events, snapshot.state),
    revision: last.revision,
    headHash: last.metadata.hash,
    entryRecords,
    entryOrder,
  };
};
