/**
 * The cooperatives held in memory (docs/operations.md, Memory budget): each one's ledger snapshot with its
 * read model, kept current by revision, so a load reads only the events after the held revision and
 * writes from another process (the CLI's import, another replica) are always seen.
 *
 * A cooperative not held is loaded on demand from its stored snapshot plus the events after it (or from
 * its whole stream when it has none, or when its snapshot fails its integrity check); the least recently
 * used are let go while the estimated size of those held exceeds the budget. A snapshot's entries are
 * built on first use (lazyEntries.ts); when they cannot be (packed text edited with the hash recomputed),
 * the cooperative is forgotten, that stored snapshot is not used again, and the integrity failure is
 * reported as for a snapshot that fails its hash, so the next load rebuilds it from the log. Snapshots
 * are written in the background, one cooperative at a time, for those held whose log has grown well past
 * their snapshot (snapshotWriter.ts); nothing here waits for one.
 */
import {
  type EventStore,
  type ForeignCommitWatch,
  type ReadModelSnapshotTable,
  type StoredEvent,
  storedChainHash,
} from "@bukubesar/event-store";
import {
  ledgerStreamId,
  MalformedStoredEvent,
  type RecordedLedgerEvent,
  recordedLedgerEventOf,
} from "@bukubesar/ledger-core";
import {
  advanceSnapshot,
  emptySnapshot,
  type LedgerSnapshot,
  noteRecordedAt,
  readStoredSnapshot,
} from "@bukubesar/snapshots";
import { HELD_COOPERATIVE_BASE_BYTES, HELD_EVENT_BYTES } from "./limits.js";

/**
 * Folds events read from the store into a snapshot in place; false when it stopped before the end (the
 * chain check of ledgerIntegrity.ts stops at a bad event, and the load then reads no further).
 * `malformed` is the stored event that followed `events` and is no ledger event at all (ledger-core's
 * checked decoder refused it), or null: it is never folded.
 */
export type SnapshotAdvance = (
  snapshot: LedgerSnapshot,
  events: readonly RecordedLedgerEvent[],
  malformed: MalformedStoredEvent | null,
) => Promise<boolean>;

const advanceUnchecked: SnapshotAdvance = async (snapshot, events, malformed) => {
  advanceSnapshot(snapshot, events);
  if (malformed !== null) throw malformed;
  return true;
};

/**
 * A page of stored events as ledger events, through ledger-core's checked decoder, up to the first one
 * that is not a ledger event, which is handed back apart so the chain check can report it as a break.
 */
const checkedPage = (
  page: readonly StoredEvent[],
): { readonly events: RecordedLedgerEvent[]; readonly malformed: MalformedStoredEvent | null } => {
  const events: RecordedLedgerEvent[] = [];
  for (const stored of page) {
    try {
      events.push(recordedLedgerEventOf(stored));
    } catch (error) {
      if (error instanceof MalformedStoredEvent) return { events, malformed: error };
      throw error;
    }
  }
  return { events, malformed: null };
};

/** Events read per round trip while catching a snapshot up. */
const CATCH_UP_PAGE_SIZE = 2_000;

/** A load that finds the held copy ahead of the store this often in a row gives up (the store keeps moving back). */
const DIVERGED_RELOADS_MAX = 3;

/**
 * Called when a held cooperative had an event the store does not have (after a database failover, the
 * new leader may lack a commit the old one showed, docs/scaling.md): its copy (ledger and read model) was
 * dropped and the cooperative loaded again from the store.
 */
export type DivergenceListener = (coopId: string, cachedRevision: number) => void;

export interface LedgerCacheOptions {
  /** The estimated bytes the held cooperatives may take together; the least recently used go beyond it. */
  readonly budgetBytes: number;
  /** Where per-cooperative snapshots are kept; without it every cold load replays the whole stream. */
  readonly snapshots?: ReadModelSnapshotTable | null;
  /**
   * How the events read from the store are folded in (default: unchecked). A stored snapshot that passed
   * its checks vouches for the events up to its revision (it records their chain head); the events after
   * it go through here.
   */
  readonly advance?: SnapshotAdvance;
  /**
   * A stored snapshot failed its integrity check, or its entries could not be built when first used; the
   * cooperative is rebuilt from the log instead.
   */
  readonly onIntegrityFailure?: (coopId: string, reason: string) => void;
  readonly onDiverged?: DivergenceListener;
  /**
   * Tells whether another connection committed to the store since an earlier look (event-store's
   * sqliteForeignCommitWatch.ts); while none did and this process wrote nothing to the cooperative
   * (`writing`), a held cooperative the store last confirmed is not asked about again. Without it, every
   * load asks the store for the stream's head.
   */
  readonly foreignCommits?: ForeignCommitWatch | null;
}

export interface CacheUsage {
  readonly bytes: number;
  readonly cooperatives: number;
  readonly fromSnapshot: number;
  readonly fromLog: number;
}

/**
 * The store's stream head as a probe last confirmed it for a held cooperative: its revision and chain
 * hash, and the count of other connections' commits looked up before that probe.
 */
interface Confirmed {
  readonly foreignCommits: number;
  readonly revision: number;
  readonly headHash: string;
}

/**
 * One held cooperative: its snapshot, the revision of its stored snapshot (-1 when none) and the last
 * head the store confirmed (null: none since it was loaded).
 */
interface Held {
  readonly snapshot: LedgerSnapshot;
  storedRevision: number;
  bytes: number;
  confirmed: Confirmed | null;
}

/**
 * The count of other connections' commits, looked up once for all the requests that ask for it in one
 * turn of the event loop: the look runs after every one of them asked (setImmediate, after the sockets'
 * input of the turn), so it sees every commit made before any of those requests arrived.
 */
const sharedLooks = (watch: ForeignCommitWatch): (() => Promise<number | null>) => {
  let pending: Promise<number | null> | null = null;
  return () => {
    pending ??= new Promise((resolve) => {
      setImmediate(() => {
        // Cleared before the look: a request that asks after it runs waits for a look of its own.
        pending = null;
        resolve(watch.count());
      });
    });
    return pending;
  };
};

/** The estimated memory a held cooperative takes (measured per event: docs/benchmarks.md, Memory). */
export const heldBytesOf = (snapshot: LedgerSnapshot): number =>
  HELD_COOPERATIVE_BASE_BYTES + Math.max(0, snapshot.revision + 1) * HELD_EVENT_BYTES;

export class LedgerCache {
  private readonly held = new Map<string, Held>();
  private heldBytes = 0;
  /** Cold loads so far: from a stored snapshot, and from the whole stream. */
  private readonly coldLoadCounts = { fromSnapshot: 0, fromLog: 0 };
  /** Cold loads in progress, shared by concurrent requests for the same cooperative. */
  private readonly coldLoads = new Map<string, Promise<Held>>();
  /**
   * The global position of the last event a load read from each cooperative's stream. Another replica's
   * writes are seen here first (a stream read), so a read model can be made to wait for them.
   */
  private readonly storedPositions = new Map<string, bigint>();
  /**
   * Per cooperative, the content hash of its stored snapshot whose entries could not be built: a load
   * passes over that snapshot (its hash and chain head still check) until a new one is written.
   */
  private readonly unreadableSnapshots = new Map<string, string>();
  /** Other connections' commits, one look per turn of the event loop; null without a watch. */
  private readonly foreignCommits: (() => Promise<number | null>) | null;
  /** Loads that found their cooperative confirmed and unwritten since, and asked the store nothing. */
  private unchangedLoads = 0;
  /** Appends of this process in flight, per cooperative (`writing`). */
  private readonly writesInFlight = new Map<string, number>();

  constructor(
    private readonly store: EventStore,
    private readonly options: LedgerCacheOptions,
  ) {
    const watch = options.foreignCommits;
    this.foreignCommits = watch === undefined || watch === null ? null : sharedLooks(watch);
  }

  /**
   * Runs `append`, an append of this process to the cooperative's stream: while it is in flight every
   * load asks the store, and afterwards the held copy's confirmation is dropped, whatever the outcome.
   * Every append of this process to a ledger stream must go through here: other connections' commits are
   * seen by the watch, but this process's own are not. The service's command handlers (the API's and the
   * demo seed's) share the one cache that has the watch; a handler built without a cache gets a cache of
   * its own without a watch, which asks the store at every load.
   */
  async writing<T>(coopId: string, append: () => Promise<T>): Promise<T> {
    this.writesInFlight.set(coopId, (this.writesInFlight.get(coopId) ?? 0) + 1);
    try {
      return await append();
    } finally {
      const left = (this.writesInFlight.get(coopId) ?? 1) - 1;
      if (left <= 0) this.writesInFlight.delete(coopId);
      else this.writesInFlight.set(coopId, left);
      const held = this.held.get(coopId);
      if (held !== undefined) held.confirmed = null;
    }
  }

  /** The cooperative's snapshot, caught up with the store in place. */
  async load(coopId: string): Promise<LedgerSnapshot> {
    for (let reloads = 0; ; reloads++) {
      const held = this.held.get(coopId) ?? (await this.loadShared(coopId));
      this.touch(coopId, held);
      const heldRevision = held.snapshot.revision;
      let outcome: "caught_up" | "diverged";
      try {
        outcome = await this.catchUp(held);
      } catch (error) {
        // An event that cannot be applied may leave the snapshot half changed (a posting's first lines
        // applied, its revision not), and the next load would apply those lines again on top. Only a
        // full replay can be trusted after that, so the snapshot is dropped.
        this.forget(coopId);
        throw error;
      }
      if (outcome === "diverged") {
        this.forget(coopId);
        this.options.onDiverged?.(coopId, heldRevision);
        if (reloads + 1 >= DIVERGED_RELOADS_MAX)
          throw new Error(`the store keeps moving back under cooperative ${coopId}`);
        continue;
      }
      this.touch(coopId, held);
      if (held.snapshot.revision < 0) this.forget(coopId);
      return held.snapshot;
    }
  }

  /**
   * The cooperative's snapshot as this process last saw it, without asking the store; undefined when it
   * is not held. A command may be decided on it optimistically: the expected revision of the append
   * then tells whether another process wrote in between.
   */
  cached(coopId: string): LedgerSnapshot | undefined {
    const held = this.held.get(coopId);
    if (held !== undefined) this.touch(coopId, held);
    return held?.snapshot;
  }

  /** The position of the last event of the cooperative's stream that a load has read, or -1n. */
  storedPosition(coopId: string): bigint {
    return this.storedPositions.get(coopId) ?? -1n;
  }

  /** The cooperatives held in memory, least recently used first. */
  cachedCooperatives(): readonly string[] {
    return [...this.held.keys()];
  }

  /** Forgets a cooperative's snapshot (after a failure left it in doubt); the next load replays it. */
  forget(coopId: string): void {
    const held = this.held.get(coopId);
    if (held === undefined) return;
    this.held.delete(coopId);
    this.heldBytes -= held.bytes;
  }

  /** The estimated bytes of the cooperatives held, how many they are, and how the cold loads went. */
  usage(): CacheUsage {
    return { bytes: this.heldBytes, cooperatives: this.held.size, ...this.coldLoadCounts };
  }

  /** How many loads asked the store nothing: their cooperative was confirmed and nothing was committed since. */
  loadsWithoutStoreRead(): number {
    return this.unchangedLoads;
  }

  /** Held cooperatives whose log is at least `events` past their stored snapshot, least recently used first. */
  behindSnapshot(events: number): LedgerSnapshot[] {
    return [...this.held.values()]
      .filter((held) => held.snapshot.revision - held.storedRevision >= events)
      .map((held) => held.snapshot);
  }

  /** Records that the snapshot of `coopId` at `revision` is stored. */
  snapshotStored(coopId: string, revision: number): void {
    const held = this.held.get(coopId);
    if (held !== undefined && revision > held.storedRevision) held.storedRevision = revision;
  }

  private loadShared(coopId: string): Promise<Held> {
    let loading = this.coldLoads.get(coopId);
    if (loading === undefined) {
      loading = this.loadCold(coopId).finally(() => this.coldLoads.delete(coopId));
      this.coldLoads.set(coopId, loading);
    }
    return loading;
  }

  /** A cooperative not held: from its stored snapshot when that passes its checks, else from nothing. */
  private async loadCold(coopId: string): Promise<Held> {
    const stored = await this.storedSnapshot(coopId);
    const held = this.held.get(coopId);
    // A concurrent load of the same cooperative may have finished first (after a forget); keep its copy.
    if (held !== undefined) return held;
    const snapshot = stored ?? emptySnapshot(coopId);
    if (stored === null) this.coldLoadCounts.fromLog++;
    else this.coldLoadCounts.fromSnapshot++;
    return { snapshot, storedRevision: stored?.revision ?? -1, bytes: 0, confirmed: null };
  }

  /**
   * The stored snapshot of `coopId` when it is of this format, unedited, built on this log's chain and not
   * one whose entries were found unreadable.
   */
  private async storedSnapshot(coopId: string): Promise<LedgerSnapshot | null> {
    if (this.options.snapshots === undefined || this.options.snapshots === null) return null;
    let contentSha256 = "";
    const stored = await readStoredSnapshot(this.store, this.options.snapshots, coopId, (snapshot, reason) =>
      this.entriesUnreadable(coopId, contentSha256, snapshot, reason),
    );
    if (stored.kind === "damaged")
      this.options.onIntegrityFailure?.(coopId, `the stored snapshot ${stored.reason}`);
    if (stored.kind !== "usable") return null;
    contentSha256 = stored.header.contentSha256;
    return this.unreadableSnapshots.get(coopId) === contentSha256 ? null : stored.snapshot;
  }

  /**
   * A snapshot loaded from the store could not build its entries on first use: the request that needed
   * them is answered 503 to retry (buildServer.ts), the cooperative is let go (unless a newer copy is already held) and the next load rebuilds
   * it from the log, passing over that stored snapshot.
   */
  private entriesUnreadable(
    coopId: string,
    contentSha256: string,
    snapshot: LedgerSnapshot,
    reason: string,
  ): void {
    this.unreadableSnapshots.set(coopId, contentSha256);
    if (this.held.get(coopId)?.snapshot === snapshot) this.forget(coopId);
    this.options.onIntegrityFailure?.(
      coopId,
      `the stored snapshot's packed entries cannot be read: ${reason}`,
    );
  }

  /**
   * Applies the stream's events after the snapshot's revision, page by page. Each read starts AT the held
   * revision: when the store no longer has that event with the same hash, the held copy is ahead of the
   * store (a failover) and is "diverged".
   */
  private async catchUp(held: Held): Promise<"caught_up" | "diverged"> {
    const snapshot = held.snapshot;
    const foreignCommits = this.foreignCommits === null ? null : await this.foreignCommits();
    const writing = this.writesInFlight.has(snapshot.coopId);
    const confirmed = held.confirmed;
    if (
      foreignCommits !== null &&
      !writing &&
      confirmed?.foreignCommits === foreignCommits &&
      confirmed.revision === snapshot.revision &&
      confirmed.headHash === snapshot.headHash
    ) {
      // Nobody wrote to the stream since the store confirmed this head, and the snapshot is still at it.
      this.unchangedLoads += 1;
      return "caught_up";
    }
    // Taken before asking: a command of this process may advance the snapshot meanwhile, and the head
    // then names a later revision, so the tail is read; and they are what the store's answer confirms.
    const revision = snapshot.revision;
    const headHash = snapshot.headHash;
    if (!(await this.unchangedInStore(snapshot, revision, headHash))) return this.readTail(snapshot);
    held.confirmed = foreignCommits === null || writing ? null : { foreignCommits, revision, headHash };
    return "caught_up";
  }

  /** The events after the held revision, read from it (see catchUp). */
  private async readTail(snapshot: LedgerSnapshot): Promise<"caught_up" | "diverged"> {
    for (;;) {
      // Taken before the read: a command of this process may advance the snapshot while it runs.
      const held = snapshot.revision;
      const heldHash = snapshot.headHash;
      const read = await this.store.readStream(ledgerStreamId(snapshot.coopId), {
        direction: "forwards",
        fromRevision: Math.max(held, 0),
        limit: CATCH_UP_PAGE_SIZE + 1,
      });
      if (held >= 0 && (read[0]?.revision !== held || storedChainHash(read[0]?.metadata) !== heldHash))
        return "diverged";
      // A snapshot restored from storage does not know when its last event was recorded; this is it.
      if (held >= 0)
        noteRecordedAt(snapshot, (read[0]?.metadata as { recordedAt?: string } | undefined)?.recordedAt);
      const page = held >= 0 ? read.slice(1) : read.slice(0, CATCH_UP_PAGE_SIZE);
      const last = page.at(-1);
      if (last !== undefined) this.storedPositions.set(snapshot.coopId, last.position);
      const { events, malformed } = checkedPage(page);
      const complete = await (this.options.advance ?? advanceUnchecked)(snapshot, events, malformed);
      if (!complete || malformed !== null || page.length < CATCH_UP_PAGE_SIZE) return "caught_up";
    }
  }

  /**
   * Whether the stream still ends at the held event with the held hash, asked without reading the event:
   * the common case of a request to a cooperative nobody else wrote to, one indexed probe instead of a
   * decoded event (a fifth of the service's CPU under trial-balance reads, docs/benchmarks.md). Only
   * stores with their own lean `streamHead` are asked; for the others the read costs the same. `held` and
   * `heldHash` are the snapshot's revision and head hash taken by the caller before asking.
   */
  private async unchangedInStore(snapshot: LedgerSnapshot, held: number, heldHash: string): Promise<boolean> {
    // A snapshot restored from storage learns its last recording time from that read, so it reads.
    if (this.store.streamHead === undefined || held < 0 || snapshot.lastRecordedAt === "") return false;
    const head = await this.store.streamHead(ledgerStreamId(snapshot.coopId));
    return head !== "no_stream" && head.revision === held && head.hash !== null && head.hash === heldHash;
  }

  /** Marks the cooperative as most recently used, letting the least recently used go beyond the budget. */
  private touch(coopId: string, held: Held): void {
    if (this.held.get(coopId) === held) this.held.delete(coopId);
    else {
      // Not counted yet: new, or let go while a request still used it.
      this.forget(coopId);
      held.bytes = 0;
    }
    this.held.set(coopId, held);
    const bytes = heldBytesOf(held.snapshot);
    this.heldBytes += bytes - held.bytes;
    held.bytes = bytes;
    for (const [oldest] of this.held) {
      if (this.heldBytes <= this.options.budgetBytes || oldest === coopId) break;
      this.forget(oldest);
    }
  }
}
