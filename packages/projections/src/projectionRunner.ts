import {
  type EventStore,
  type LogEventData,
  type ReadAllOptions,
  readAllData,
  type StoredEvent,
  type Subscription,
} from "@bukubesar/event-store";
import {
  LEDGER_STREAM_PREFIX,
  type LedgerEvent,
  ledgerEventBodyProblem,
  MalformedStoredEvent,
  type RecordedLedgerEvent,
  recordedLedgerEventOf,
} from "@bukubesar/ledger-core";
import { applyLedgerEvent, applyLedgerEventAt, emptyReadModel, type LedgerReadModel } from "./readModel.js";
import {
  type ReadModelSnapshotStore,
  type RestoredReadModels,
  restoreReadModels,
  serializeReadModels,
} from "./snapshot.js";

/**
 * Follows the store's global log from a checkpoint and keeps one `LedgerReadModel` per cooperative.
 *
 * The checkpoint (the global position of the last applied event) lives in memory together with the
 * models and moves in the same step as the model it describes, so the two cannot disagree: at start the
 * models are rebuilt from the log, which means a crash can neither count an event twice nor skip one.
 * With a snapshot store (`options.snapshots`, e.g. `snapshotStoreFor(store)`: a table in the same
 * database as the events) the models and their checkpoint are saved together in one write: after a
 * catch-up at start of at least `snapshotEveryEvents` events, every `snapshotEveryEvents` events while
 * following (unless `saveWhileFollowing` is false), and on `stop`; `start` then loads the last snapshot and replays only the log after
 * its position. A snapshot that does not fit the log (another format version, damaged, or a checkpoint
 * the log does not hold: a store restored from an older backup) is discarded and the models are rebuilt.
 */
export interface ProjectionRunner {
  /** Subscribes to the log from the current checkpoint (the beginning at first); idempotent. */
  start(): Promise<void>;
  /** Closes the subscription and saves a snapshot if events were applied since the last; the models stay readable. */
  stop(): Promise<void>;
  /** The global position of the last event applied, -1n before any. */
  position(): bigint;
  /** Resolves once the event at `position` (or later) has been applied; rejects after `timeoutMs`. */
  waitForPosition(position: bigint, timeoutMs: number): Promise<void>;
  /** The model of one cooperative, or undefined when its ledger has no events yet. */
  model(coopId: string): LedgerReadModel | undefined;
  /** The cooperative ids with a model. */
  coopIds(): readonly string[];
  /**
   * Drops every model and replays the whole log page by page; resumes following if it was started. With
   * a snapshot store it saves a snapshot at the end unless `saveSnapshot` is false (the caller then saves
   * with `snapshot()` when it wants, e.g. to time the replay and the save apart).
   */
  rebuild(options?: { readonly saveSnapshot?: boolean }): Promise<void>;
  /** Saves a snapshot of the models with the current checkpoint now (no-op without a snapshot store). */
  snapshot(): Promise<void>;
  /**
   * The position of the snapshot the models were restored from at start (only the log after it was
   * replayed), or null when no snapshot was used (none, discarded, or no snapshot store).
   */
  restoredFrom(): bigint | null;
  /**
   * Replaces one cooperative's model by a replay of its stream as the store has it now. For a model that
   * holds an event the store lacks (after a database failover, docs/scaling.md); the other models and the
   * checkpoint stay. Events of that cooperative that arrive meanwhile are applied after the replay.
   */
  rebuildCooperative(coopId: string): Promise<void>;
  /** Called after each event is applied (for live views); returns a function that removes the listener. */
  onEvent(listener: ProjectionListener): () => void;
  /**
   * Called after each page a catch-up applied, with the checkpoint and how many ledger events the page
   * held (for progress). Unlike `onEvent` it leaves the catch-up reading the log as a fold does.
   */
  onProgress(listener: ProgressListener): () => void;
}

export type ProgressListener = (position: bigint, events: number) => void;

export type ProjectionListener = (coopId: string, event: RecordedLedgerEvent, position: bigint) => void;

export interface ProjectionRunnerOptions {
  /**
   * Where to keep snapshots of the models with their checkpoint (both in one write). Without it the
   * models live in memory only and `start` rebuilds them from the log.
   */
  readonly snapshots?: ReadModelSnapshotStore;
  /**
   * Save a snapshot after this many applied events (default SNAPSHOT_EVERY_EVENTS): at the end of a
   * catch-up at start that applied at least this many, and, unless `saveWhileFollowing` is false, each
   * time this many more were applied while following the live log.
   */
  readonly snapshotEveryEvents?: number;
  /**
   * Whether to save snapshots periodically while following the live log (default true). A service that
   * answers requests sets it false: a snapshot writes ALL models (seconds on a large store), which must
   * never stall the events its requests wait for; it then saves only after a long catch-up at start and
   * on `stop`.
   */
  readonly saveWhileFollowing?: boolean;
  /** Called when saving a snapshot fails; the runner goes on and tries again later. */
  readonly onSnapshotError?: (error: unknown) => void;
  /** Called when the stored snapshot is not used at start, with the reason; the models are rebuilt. */
  readonly onSnapshotDiscarded?: (reason: string) => void;
  /** Called when applying an event throws (a bug or an unknown event type); the runner then stops. */
  readonly onError?: (error: unknown, event: StoredEvent) => void;
}

/** The prefix of ledger streams, ledger-core's (re-exported here for the projections' readers). */
export { LEDGER_STREAM_PREFIX };

/** Default number of applied events between two snapshots. */
export const SNAPSHOT_EVERY_EVENTS = 50_000;

/** Events read per page while rebuilding; bounds the memory a page holds. */
export const REBUILD_PAGE_SIZE = 10_000;

/**
 * Why an event of a fold read is not a recorded ledger event, or null when it is one: the checks
 * `recordedLedgerEventOf` makes of a stored event, on the fields a fold read has (the store gives every
 * event its id, so only the metadata's chain hashes and recording time are asked for).
 */
const logEventProblem = (event: LogEventData): string | null => {
  const bodyProblem = ledgerEventBodyProblem(event);
  if (bodyProblem !== null) return bodyProblem;
  if (!event.chained) return "no chain hashes";
  if (event.metadataRecordedAt === null) return "no recording time";
  return null;
};

interface Waiter {
  readonly position: bigint;
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
  readonly timer: ReturnType<typeof setTimeout>;
}

export const createProjectionRunner = (
  store: EventStore,
  options: ProjectionRunnerOptions = {},
): ProjectionRunner => new FollowingProjectionRunner(store, options);

/**
 * The runner: its models, the checkpoint they hold, the subscription that follows the log and the
 * waiters for a position. Its methods are arrow functions bound to it, so a caller may pass one on alone
 * (`runner.model`) as callers of the earlier closure-based runner did.
 */
class FollowingProjectionRunner implements ProjectionRunner {
  private models = new Map<string, LedgerReadModel>();
  private checkpoint = -1n;
  /**
   * The id of the event at `eventIdPosition`, saved with snapshots to recognise the log they were built
   * from. A fold read (readAllData) has no ids, so after one the position lags the checkpoint and the
   * snapshot looks the id up (one event) before it saves.
   */
  private checkpointEventId: string | null = null;
  private eventIdPosition = -1n;
  private subscription: Subscription | null = null;
  private generation = 0;
  private failure: Error | null = null;
  private readonly waiters = new Set<Waiter>();
  private readonly listeners = new Set<ProjectionListener>();
  private readonly progressListeners = new Set<ProgressListener>();
  private readonly snapshotEveryEvents: number;
  private appliedSinceSnapshot = 0;
  /** The start in progress, so that concurrent calls share it instead of catching up twice. */
  private starting: Promise<void> | null = null;
  private snapshotLoaded = false;
  private restoredFromPosition: bigint | null = null;
  private readonly saveWhileFollowing: boolean;
  /** Cooperatives being replayed by rebuildCooperative, with their events that arrived meanwhile. */
  private readonly replaying = new Map<string, StoredEvent[]>();

  constructor(
    private readonly store: EventStore,
    private readonly options: ProjectionRunnerOptions,
  ) {
    this.snapshotEveryEvents = options.snapshotEveryEvents ?? SNAPSHOT_EVERY_EVENTS;
    this.saveWhileFollowing = options.saveWhileFollowing ?? true;
  }

  private readonly saveSnapshot = async (): Promise<void> => {
    // After a failed apply the models may hold part of an event their checkpoint does not count.
    if (this.options.snapshots === undefined || this.failure !== null) return;
    if (this.eventIdPosition !== this.checkpoint) {
      try {
        await this.lookUpCheckpointEventId();
      } catch (error) {
        this.options.onSnapshotError?.(error);
        return;
      }
      if (this.failure !== null) return;
    }
    const unsaved = this.appliedSinceSnapshot;
    try {
      // Serialized before the first await, so the parts hold exactly the events up to this checkpoint.
      const parts = serializeReadModels(this.models.values(), {
        position: this.checkpoint,
        eventId: this.checkpointEventId,
      });
      this.appliedSinceSnapshot = 0;
      await this.options.snapshots.save({ position: this.checkpoint, parts });
    } catch (error) {
      this.appliedSinceSnapshot += unsaved;
      this.options.onSnapshotError?.(error);
    }
  };

  /**
   * Sets `checkpointEventId` to the id of the event at the checkpoint, reading until the two agree (a
   * catch-up may move the checkpoint while the read waits).
   */
  private readonly lookUpCheckpointEventId = async (): Promise<void> => {
    while (this.eventIdPosition !== this.checkpoint) {
      const position = this.checkpoint;
      const [event] = await this.store.readAll({ after: position - 1n, limit: 1 });
      if (event === undefined || event.position !== position)
        throw new Error(`the log has no event at the checkpoint ${position}`);
      this.checkpointEventId = event.eventId;
      this.eventIdPosition = position;
    }
  };

  /** Why `restored` cannot be used with this store's log, or null when it can. */
  private readonly mismatch = async (
    storedPosition: bigint,
    restored: RestoredReadModels,
  ): Promise<string | null> => {
    const { position, eventId } = restored.checkpoint;
    if (position !== storedPosition)
      return `the snapshot's parts say position ${position}, its row ${storedPosition}`;
    if (position < 0n) return null;
    const [event] = await this.store.readAll({ after: position - 1n, limit: 1 });
    if (event === undefined || event.position !== position) {
      return `the log has no event at the snapshot's position ${position} (a store restored from an older backup?)`;
    }
    if (event.eventId !== eventId) {
      return `the event at position ${position} is ${event.eventId}, the snapshot was built on ${String(eventId)}`;
    }
    return null;
  };

  /** Loads the last snapshot once, before the first subscription, when nothing is applied yet. */
  private readonly loadSnapshot = async (): Promise<void> => {
    if (this.snapshotLoaded || this.options.snapshots === undefined || this.checkpoint >= 0n) return;
    this.snapshotLoaded = true;
    const discard = (reason: string): void => this.options.onSnapshotDiscarded?.(reason);
    let restored: RestoredReadModels | null;
    let storedPosition: bigint;
    try {
      const snapshot = await this.options.snapshots.load();
      if (snapshot === null) return;
      storedPosition = snapshot.position;
      restored = restoreReadModels(snapshot.parts);
    } catch (error) {
      discard(`the snapshot cannot be read: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    if (restored === null) {
      discard("the snapshot has another format version");
      return;
    }
    const reason = await this.mismatch(storedPosition, restored);
    if (reason !== null) {
      discard(reason);
      return;
    }
    this.models = restored.models;
    this.checkpoint = restored.checkpoint.position;
    this.checkpointEventId = restored.checkpoint.eventId;
    this.eventIdPosition = this.checkpoint;
    this.restoredFromPosition = this.checkpoint;
  };

  private readonly settleWaiters = (): void => {
    for (const waiter of this.waiters) {
      if (this.checkpoint >= waiter.position) {
        clearTimeout(waiter.timer);
        this.waiters.delete(waiter);
        waiter.resolve();
      } else if (this.failure !== null) {
        clearTimeout(waiter.timer);
        this.waiters.delete(waiter);
        waiter.reject(this.failure);
      }
    }
  };

  /** The cooperative's read model, made empty the first time one of its events arrives. */
  private readonly modelFor = (coopId: string): LedgerReadModel => {
    let model = this.models.get(coopId);
    if (model === undefined) {
      model = emptyReadModel(coopId);
      this.models.set(coopId, model);
    }
    return model;
  };

  private readonly apply = (stored: StoredEvent): void => {
    const coopId = stored.streamId.slice(LEDGER_STREAM_PREFIX.length);
    const held = this.replaying.get(coopId);
    if (held !== undefined) {
      held.push(stored);
      this.checkpoint = stored.position;
      this.checkpointEventId = stored.eventId;
      this.eventIdPosition = stored.position;
      return;
    }
    const model = this.modelFor(coopId);
    const event = recordedLedgerEventOf(stored);
    applyLedgerEvent(model, event);
    this.checkpoint = stored.position;
    this.checkpointEventId = stored.eventId;
    this.eventIdPosition = stored.position;
    for (const listener of this.listeners) listener(coopId, event, stored.position);
  };

  private readonly subscribe = (): void => {
    const myGeneration = ++this.generation;
    const after = this.checkpoint;
    this.subscription = this.store.subscribeToAll(
      after < 0n ? { streamPrefix: LEDGER_STREAM_PREFIX } : { after, streamPrefix: LEDGER_STREAM_PREFIX },
      async (stored) => {
        // A subscription closed by stop() or rebuild() may still deliver; its events belong to no model.
        if (myGeneration !== this.generation || this.failure !== null) return;
        if (stored.position <= this.checkpoint) return;
        try {
          this.apply(stored);
        } catch (error) {
          this.failure = error instanceof Error ? error : new Error(String(error));
          this.options.onError?.(error, stored);
        }
        this.settleWaiters();
        this.appliedSinceSnapshot++;
        // The handler is awaited before the next event, so the snapshot holds exactly the events up to
        // the checkpoint it records.
        if (
          this.saveWhileFollowing &&
          this.failure === null &&
          this.appliedSinceSnapshot >= this.snapshotEveryEvents
        )
          await this.saveSnapshot();
      },
    );
  };

  /** Applies a page of the log; false when an event could not be applied (the runner then stops there). */
  private readonly applyPage = (page: readonly StoredEvent[]): boolean => {
    for (const stored of page) {
      if (stored.position <= this.checkpoint) continue;
      try {
        this.apply(stored);
      } catch (error) {
        // As in the subscription: the runner stops at the event it cannot apply.
        this.failure = error instanceof Error ? error : new Error(String(error));
        this.options.onError?.(error, stored);
        this.settleWaiters();
        return false;
      }
      this.appliedSinceSnapshot++;
    }
    return true;
  };

  /** Applies one event of a fold read, as `apply` a stored one (without listeners or replays to serve). */
  private readonly applyLogEvent = (event: LogEventData): void => {
    const problem = logEventProblem(event);
    if (problem !== null) throw new MalformedStoredEvent(event.revision, problem);
    const model = this.modelFor(event.streamId.slice(LEDGER_STREAM_PREFIX.length));
    // Checked above: a ledger event's type with an object of data, and a recording time.
    applyLedgerEventAt(
      model,
      event as unknown as LedgerEvent,
      event.revision,
      event.metadataRecordedAt as string,
    );
    this.checkpoint = event.position;
  };

  /** As applyPage, a page of a fold read; onError is given the stored event that could not be applied. */
  private readonly applyLogPage = async (page: readonly LogEventData[]): Promise<boolean> => {
    for (const event of page) {
      if (event.position <= this.checkpoint) continue;
      try {
        this.applyLogEvent(event);
      } catch (error) {
        this.failure = error instanceof Error ? error : new Error(String(error));
        this.settleWaiters();
        const [stored] = await this.store.readAll({ after: event.position - 1n, limit: 1 });
        if (stored !== undefined) this.options.onError?.(error, stored);
        return false;
      }
      this.appliedSinceSnapshot++;
    }
    return true;
  };

  /**
   * Reads and applies the page of the log after the checkpoint: its length, or null when an event could
   * not be applied. Without listeners or cooperative replays (which take the stored events) it reads the
   * log as a fold does (`readAllData`: no ids, hashes or times to decode).
   */
  private readonly nextPage = async (): Promise<number | null> => {
    const options: ReadAllOptions =
      this.checkpoint < 0n
        ? { streamPrefix: LEDGER_STREAM_PREFIX, limit: REBUILD_PAGE_SIZE }
        : { after: this.checkpoint, streamPrefix: LEDGER_STREAM_PREFIX, limit: REBUILD_PAGE_SIZE };
    const foldable = (): boolean => this.listeners.size === 0 && this.replaying.size === 0;
    if (foldable()) {
      const page = await readAllData(this.store, options);
      // A listener or a replay that began while the page was read is served by reading the page again.
      if (foldable()) return (await this.applyLogPage(page)) ? page.length : null;
    }
    const page = await this.store.readAll(options);
    return this.applyPage(page) ? page.length : null;
  };

  /**
   * Applies the log after the checkpoint page by page, straight from the store (no per-event await as in
   * a subscription); the subscription then takes over from where this stops.
   */
  private readonly catchUp = async (saveAtEnd = true): Promise<void> => {
    for (;;) {
      const length = await this.nextPage();
      if (length === null) return;
      for (const listener of this.progressListeners) listener(this.checkpoint, length);
      this.settleWaiters();
      if (length < REBUILD_PAGE_SIZE) break;
    }
    // One snapshot at the end of a long catch-up rather than every `snapshotEveryEvents` events inside it:
    // each snapshot writes all models, so saving inside a replay of a million events would cost more than
    // the replay it protects.
    if (saveAtEnd && this.appliedSinceSnapshot >= this.snapshotEveryEvents) await this.saveSnapshot();
  };

  readonly start: ProjectionRunner["start"] = () => {
    if (this.subscription !== null) return Promise.resolve();
    if (this.starting === null) {
      this.starting = (async () => {
        this.failure = null;
        await this.loadSnapshot();
        this.settleWaiters();
        await this.catchUp();
        // The subscription follows from the checkpoint even after a failure, which it then ignores.
        this.subscribe();
      })().finally(() => {
        this.starting = null;
      });
    }
    return this.starting;
  };

  readonly stop: ProjectionRunner["stop"] = async () => {
    this.generation++;
    const current = this.subscription;
    this.subscription = null;
    if (current !== null) await current.close();
    if (this.appliedSinceSnapshot > 0) await this.saveSnapshot();
  };

  readonly position: ProjectionRunner["position"] = () => this.checkpoint;
  readonly waitForPosition: ProjectionRunner["waitForPosition"] = (position, timeoutMs) => {
    if (this.checkpoint >= position) return Promise.resolve();
    if (this.failure !== null) return Promise.reject(this.failure);
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        position,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.waiters.delete(waiter);
          reject(
            new Error(
              `projection did not reach position ${position} within ${timeoutMs} ms (at ${this.checkpoint})`,
            ),
          );
        }, timeoutMs),
      };
      this.waiters.add(waiter);
    });
  };

  readonly rebuildCooperative: ProjectionRunner["rebuildCooperative"] = async (coopId) => {
    if (this.replaying.has(coopId)) return;
    const arrived: StoredEvent[] = [];
    this.replaying.set(coopId, arrived);
    try {
      const model = emptyReadModel(coopId);
      for (;;) {
        const page = await this.store.readStream(`${LEDGER_STREAM_PREFIX}${coopId}`, {
          direction: "forwards",
          fromRevision: model.revision + 1,
          limit: REBUILD_PAGE_SIZE,
        });
        for (const stored of page) applyLedgerEvent(model, recordedLedgerEventOf(stored));
        if (page.length < REBUILD_PAGE_SIZE) break;
      }
      // What the subscription delivered during the replay: the part the replay did not already hold.
      for (const stored of arrived)
        if (stored.revision > model.revision) applyLedgerEvent(model, recordedLedgerEventOf(stored));
      if (model.revision < 0) this.models.delete(coopId);
      else this.models.set(coopId, model);
    } finally {
      this.replaying.delete(coopId);
    }
    for (const stored of arrived)
      for (const listener of this.listeners) listener(coopId, recordedLedgerEventOf(stored), stored.position);
  };

  readonly model: ProjectionRunner["model"] = (coopId) => this.models.get(coopId);
  readonly coopIds: ProjectionRunner["coopIds"] = () => [...this.models.keys()];
  readonly rebuild: ProjectionRunner["rebuild"] = async (rebuildOptions = {}) => {
    const save = rebuildOptions.saveSnapshot ?? true;
    const wasRunning = this.subscription !== null;
    await this.stop();
    this.models = new Map();
    this.checkpoint = -1n;
    this.checkpointEventId = null;
    this.eventIdPosition = -1n;
    this.appliedSinceSnapshot = 0;
    this.failure = null;
    this.snapshotLoaded = true;
    this.restoredFromPosition = null;
    await this.catchUp(save);
    if (save && this.appliedSinceSnapshot > 0) await this.saveSnapshot();
    if (wasRunning) this.subscribe();
  };

  readonly snapshot = (): Promise<void> => this.saveSnapshot();
  readonly restoredFrom: ProjectionRunner["restoredFrom"] = () => this.restoredFromPosition;
  readonly onEvent: ProjectionRunner["onEvent"] = (listener) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly onProgress: ProjectionRunner["onProgress"] = (listener) => {
    this.progressListeners.add(listener);
    return () => this.progressListeners.delete(listener);
  };
}
