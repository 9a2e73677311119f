/**
 * A bounded LRU of ledger snapshots, kept current by revision: a load reads only the events after the
 * cached revision, so writes from another process (the CLI's import) are always seen. The snapshots are
 * owned here and advanced in place (see ledgerSnapshot.ts).
 */
import type { EventStore } from "@bukubesar/event-store";
import type { RecordedLedgerEvent } from "@bukubesar/ledger-core";
import { ledgerStreamId } from "@bukubesar/ledger-core";
import { advanceSnapshot, emptySnapshot, type LedgerSnapshot, toRecorded } from "./ledgerSnapshot.js";

/**
 * Folds events read from the store into a snapshot in place; false when it stopped before the end (the
 * chain check of ledgerIntegrity.ts stops at a bad event, and the load then reads no further).
 */
export type SnapshotAdvance = (
  snapshot: LedgerSnapshot,
  events: readonly RecordedLedgerEvent[],
) => Promise<boolean>;

const advanceUnchecked: SnapshotAdvance = async (snapshot, events) => {
  advanceSnapshot(snapshot, events);
  return true;
};

/** Events read per round trip while catching a snapshot up. */
const CATCH_UP_PAGE_SIZE = 2_000;

export class LedgerCache {
  private readonly snapshots = new Map<string, LedgerSnapshot>();
  /**
   * The global position of the last event a load read from each cooperative's stream. Another replica's
   * writes are seen here first (a stream read), so a read model can be made to wait for them.
   */
  private readonly storedPositions = new Map<string, bigint>();

  constructor(
    private readonly store: EventStore,
    private readonly entriesMax: number,
    private readonly advance: SnapshotAdvance = advanceUnchecked,
  ) {}

  /** The cooperative's snapshot, caught up with the store in place. */
  async load(coopId: string): Promise<LedgerSnapshot> {
    const snapshot = this.snapshots.get(coopId) ?? emptySnapshot(coopId);
    this.touch(snapshot);
    for (;;) {
      const page = await this.store.readStream(ledgerStreamId(coopId), {
        direction: "forwards",
        fromRevision: snapshot.revision + 1,
        limit: CATCH_UP_PAGE_SIZE,
      });
      const last = page.at(-1);
      if (last !== undefined) this.storedPositions.set(coopId, last.position);
      let complete: boolean;
      try {
        complete = await this.advance(snapshot, page.map(toRecorded));
      } catch (error) {
        // An event that cannot be applied may leave the snapshot half changed (a posting's first lines
        // applied, its revision not), and the next load would apply those lines again on top. Only a
        // full replay can be trusted after that, so the snapshot is dropped.
        this.snapshots.delete(coopId);
        throw error;
      }
      if (!complete || page.length < CATCH_UP_PAGE_SIZE) break;
    }
    if (snapshot.revision < 0) this.snapshots.delete(coopId);
    return snapshot;
  }

  /**
   * The cooperative's snapshot as this process last saw it, without asking the store; undefined when it
   * is not cached. A command may be decided on it optimistically: the expected revision of the append
   * then tells whether another process wrote in between.
   */
  cached(coopId: string): LedgerSnapshot | undefined {
    const snapshot = this.snapshots.get(coopId);
    if (snapshot !== undefined) this.touch(snapshot);
    return snapshot;
  }

  /** The position of the last event of the cooperative's stream that a load has read, or -1n. */
  storedPosition(coopId: string): bigint {
    return this.storedPositions.get(coopId) ?? -1n;
  }

  /** The cooperatives held in memory, least recently used first. */
  cachedCooperatives(): readonly string[] {
    return [...this.snapshots.keys()];
  }

  /** Forgets a cooperative's snapshot (after a failure left it in doubt); the next load replays it. */
  forget(coopId: string): void {
    this.snapshots.delete(coopId);
  }

  /** Marks the snapshot as most recently used, evicting the least recently used beyond the bound. */
  private touch(snapshot: LedgerSnapshot): void {
    this.snapshots.delete(snapshot.coopId);
    this.snapshots.set(snapshot.coopId, snapshot);
    while (this.snapshots.size > this.entriesMax) {
      const oldest = this.snapshots.keys().next().value;
      if (oldest === undefined) break;
      this.snapshots.delete(oldest);
    }
  }
}
