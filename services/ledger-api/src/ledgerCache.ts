/**
 * A bounded LRU of ledger snapshots, kept current by revision: a load reads only the events after the
 * cached revision, so writes from another process (the CLI's import) are always seen.
 */
import type { EventStore } from "@bukubesar/event-store";
import { ledgerStreamId } from "@bukubesar/ledger-core";
import { advanceSnapshot, emptySnapshot, type LedgerSnapshot, toRecorded } from "./ledgerSnapshot.js";

/** Events read per round trip while catching a snapshot up. */
const CATCH_UP_PAGE_SIZE = 2_000;

export class LedgerCache {
  private readonly snapshots = new Map<string, LedgerSnapshot>();

  constructor(
    private readonly store: EventStore,
    private readonly entriesMax: number,
  ) {}

  /** The snapshot of the cooperative, caught up with the store. */
  async load(coopId: string): Promise<LedgerSnapshot> {
    let snapshot = this.snapshots.get(coopId) ?? emptySnapshot(coopId);
    for (;;) {
      const page = await this.store.readStream(ledgerStreamId(coopId), {
        direction: "forwards",
        fromRevision: snapshot.revision + 1,
        limit: CATCH_UP_PAGE_SIZE,
      });
      snapshot = advanceSnapshot(snapshot, page.map(toRecorded));
      if (page.length < CATCH_UP_PAGE_SIZE) break;
    }
    this.remember(snapshot);
    return snapshot;
  }

  /** Keeps a snapshot the handler just advanced itself, unless a newer one is already cached. */
  remember(snapshot: LedgerSnapshot): void {
    const cached = this.snapshots.get(snapshot.coopId);
    if (cached !== undefined && cached.revision > snapshot.revision) return;
    this.snapshots.delete(snapshot.coopId);
    if (snapshot.revision < 0) return;
    this.snapshots.set(snapshot.coopId, snapshot);
    while (this.snapshots.size > this.entriesMax) {
      const oldest = this.snapshots.keys().next().value;
      if (oldest === undefined) break;
      this.snapshots.delete(oldest);
    }
  }
}
