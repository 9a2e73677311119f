/**
 * A bounded LRU of ledger snapshots, kept current by revision: a load reads only the events after the
 * cached revision, so writes from another process (the CLI's import) are always seen. The snapshots are
 * owned here and advanced in place (see ledgerSnapshot.ts).
 */
import type { EventStore, StoredEvent } from "@bukubesar/event-store";
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

/** The chain hash of a stored ledger event (every ledger event carries one). */
const hashOf = (event: StoredEvent): unknown => (event.metadata as { hash?: unknown } | null)?.hash;

/**
 * Called when a cached snapshot held an event the store does not have (after a database failover, the
 * new leader may lack a commit the old one showed, docs/scaling.md): the snapshot was dropped and the
 * cooperative replayed from the store; other per-cooperative state (read models) must follow.
 */
export type DivergenceListener = (coopId: string, cachedRevision: number) => void;

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
    private readonly onDiverged: DivergenceListener = () => undefined,
  ) {}

  /**
   * The cooperative's snapshot, caught up with the store in place. Each read starts at the snapshot's own
   * revision, whose event must still be the one folded in (same chain hash): if the store lacks it or has
   * another there, the snapshot is ahead of the store and is replaced by a replay from the store.
   */
  async load(coopId: string): Promise<LedgerSnapshot> {
    let snapshot = this.snapshots.get(coopId) ?? emptySnapshot(coopId);
    this.touch(snapshot);
    for (;;) {
      // Taken before the read: a command of this process may advance the snapshot while it runs.
      const held = snapshot.revision;
      const heldHash = snapshot.headHash;
      const read = await this.store.readStream(ledgerStreamId(coopId), {
        direction: "forwards",
        fromRevision: Math.max(held, 0),
        limit: CATCH_UP_PAGE_SIZE + 1,
      });
      if (held >= 0 && (read[0]?.revision !== held || hashOf(read[0] as StoredEvent) !== heldHash)) {
        this.snapshots.delete(coopId);
        this.onDiverged(coopId, held);
        snapshot = emptySnapshot(coopId);
        this.touch(snapshot);
        continue;
      }
      const page = held >= 0 ? read.slice(1) : read.slice(0, CATCH_UP_PAGE_SIZE);
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
