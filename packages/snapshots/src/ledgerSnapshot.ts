/**
 * What the API knows of one cooperative's ledger at a revision: the decider's state, the few facts
 * responses need that the decider does not keep (each entry's revision, chain hash and recording time)
 * and the reports' read model, all folded from the same events.
 *
 * A snapshot is owned by the command handler's cache and advanced IN PLACE after each append, so a
 * write costs the same whether the cooperative has ten entries or a million (copying the state per
 * write made writes slow down as history grew). Readers get the live object: what they read between
 * two awaits is consistent, and after an await it may already include later writes.
 */

import {
  applyInPlace,
  foldLedger,
  GENESIS_PREV_HASH,
  initialLedgerState,
  type LedgerState,
  laterInstant,
  type RecordedLedgerEvent,
} from "@bukubesar/ledger-core";
import { applyLedgerEvent, emptyReadModel, type LedgerReadModel } from "@bukubesar/projections";

/** Where an entry's events sit in the stream. */
export interface EntryRecord {
  readonly proposed: { readonly revision: number; readonly recordedAt: string } | null;
  readonly posted: { readonly revision: number; readonly recordedAt: string; readonly hash: string } | null;
  /** Why and by whom a pending entry was rejected (the decider's state keeps only the status). */
  readonly rejected?: { readonly reason: string; readonly rejectedBy: string; readonly recordedAt: string };
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
  /** The reports' read model at the same revision, so a report never waits for a projection to catch up. */
  readonly model: LedgerReadModel;
  /**
   * The latest `recordedAt` of the events folded in ("" before any): the next event is never recorded
   * before it, whatever the clock says (see `recordedAtAfter`).
   */
  readonly lastRecordedAt: string;
}

/** The snapshot as its owner changes it; everyone else sees the read-only `LedgerSnapshot`. */
interface MutableSnapshot {
  readonly coopId: string;
  readonly state: LedgerState;
  revision: number;
  headHash: string;
  readonly entryRecords: Map<string, EntryRecord>;
  readonly entryOrder: string[];
  readonly model: LedgerReadModel;
  lastRecordedAt: string;
}

/** A fresh snapshot with collections of its own, ready to be advanced in place. */
export const emptySnapshot = (coopId: string): LedgerSnapshot => ({
  coopId,
  // A fold of nothing gives collections that no other state shares.
  state: foldLedger([], initialLedgerState),
  revision: -1,
  headHash: GENESIS_PREV_HASH,
  entryRecords: new Map(),
  entryOrder: [],
  model: emptyReadModel(coopId),
  lastRecordedAt: "",
});

/**
 * Notes an event's recording time already in the stream, e.g. the event at a snapshot's own revision
 * read again when it is caught up (a stored snapshot does not carry it).
 */
export const noteRecordedAt = (snapshot: LedgerSnapshot, recordedAt: string | undefined): void => {
  if (typeof recordedAt !== "string" || Number.isNaN(Date.parse(recordedAt))) return;
  const owned = snapshot as MutableSnapshot;
  owned.lastRecordedAt = laterInstant(owned.lastRecordedAt, recordedAt);
};

/**
 * The recording time of the next events of the cooperative: the clock's reading, or the latest recording
 * time already in its stream when the clock reads earlier (docs/reliability.md section 6, #27). So
 * `recordedAt` never goes backwards within a cooperative's stream when the host's clock is set back (an
 * NTP step, a wrong manual setting): events recorded until the clock catches up again carry the same
 * instant as the last one. Order comes from revisions and store positions, never from this field; the
 * clamp keeps the field from contradicting them.
 */
export const recordedAtAfter = (snapshot: LedgerSnapshot, clock: string): string =>
  laterInstant(snapshot.lastRecordedAt, clock);

/**
 * Applies events that follow the snapshot's revision to it IN PLACE. The snapshot must be owned by the
 * caller (made by `emptySnapshot` and only ever changed here): the command handler keeps one per
 * cooperative and serialises the commands of each, so nothing else writes it. Events at or below the
 * snapshot's revision were already applied (a concurrent load caught up first) and are skipped; a gap
 * is a bug and throws before anything is applied.
 */
export const advanceSnapshot = (snapshot: LedgerSnapshot, events: readonly RecordedLedgerEvent[]): void => {
  const owned = snapshot as MutableSnapshot;
  const fresh = events.filter((event) => event.revision > owned.revision);
  fresh.forEach((event, index) => {
    if (event.revision !== owned.revision + 1 + index)
      throw new Error(
        `revision ${event.revision} does not follow ${owned.revision + index} in ${owned.coopId}`,
      );
  });
  for (const event of fresh) {
    const recordedAt = event.metadata.recordedAt;
    if (event.type === "JournalEntryProposed") {
      owned.entryRecords.set(event.data.entryId, {
        proposed: { revision: event.revision, recordedAt },
        posted: null,
      });
      owned.entryOrder.push(event.data.entryId);
    } else if (event.type === "JournalEntryPosted") {
      const before = owned.entryRecords.get(event.data.entryId);
      if (before === undefined) owned.entryOrder.push(event.data.entryId);
      owned.entryRecords.set(event.data.entryId, {
        proposed: before?.proposed ?? null,
        posted: { revision: event.revision, recordedAt, hash: event.metadata.hash },
      });
    } else if (event.type === "JournalEntryRejected") {
      const before = owned.entryRecords.get(event.data.entryId);
      owned.entryRecords.set(event.data.entryId, {
        proposed: before?.proposed ?? null,
        posted: before?.posted ?? null,
        rejected: { reason: event.data.reason, rejectedBy: event.data.rejectedBy, recordedAt },
      });
    }
    applyInPlace(owned.state, event);
    applyLedgerEvent(owned.model, event);
    owned.revision = event.revision;
    owned.headHash = event.metadata.hash;
    owned.lastRecordedAt = laterInstant(owned.lastRecordedAt, recordedAt);
  }
};
