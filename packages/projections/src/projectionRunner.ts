import type { EventStore, StoredEvent, Subscription } from "@bukubesar/event-store";
import {
  LEDGER_STREAM_PREFIX,
  type RecordedLedgerEvent,
  recordedLedgerEventOf,
} from "@bukubesar/ledger-core";
import { applyLedgerEvent, emptyReadModel, type LedgerReadModel } from "./readModel.js";
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
}

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

interface Waiter {
  readonly position: bigint;
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
  readonly timer: ReturnType<typeof setTimeout>;
}

export const createProjectionRunner = (
  store: EventStore,
  options: ProjectionRunnerOptions = {},
): ProjectionRunner => {
  let models = new Map<string, LedgerReadModel>();
  let checkpoint = -1n;
  /** The id of the event at `checkpoint`, saved with snapshots to recognise the log they were built from. */
  let checkpointEventId: string | null = null;
  let subscription: Subscription | null = null;
  let generation = 0;
  let failure: Error | null = null;
  const waiters = new Set<Waiter>();
  const listeners = new Set<ProjectionListener>();
  const snapshotEveryEvents = options.snapshotEveryEvents ?? SNAPSHOT_EVERY_EVENTS;
  let appliedSinceSnapshot = 0;
  /** The start in progress, so that concurrent calls share it instead of catching up twice. */
  let starting: Promise<void> | null = null;
  let snapshotLoaded = false;
  let restoredFrom: bigint | null = null;
  const saveWhileFollowing = options.saveWhileFollowing ?? true;

  const saveSnapshot = async (): Promise<void> => {
    // After a failed apply the models may hold part of an event their checkpoint does not count.
    if (options.snapshots === undefined || failure !== null) return;
    const unsaved = appliedSinceSnapshot;
    try {
      // Serialized before the first await, so the parts hold exactly the events up to this checkpoint.
      const parts = serializeReadModels(models.values(), {
        position: checkpoint,
        eventId: checkpointEventId,
      });
      appliedSinceSnapshot = 0;
      await options.snapshots.save({ position: checkpoint, parts });
    } catch (error) {
      appliedSinceSnapshot += unsaved;
      options.onSnapshotError?.(error);
    }
  };

  /** Why `restored` cannot be used with this store's log, or null when it can. */
  const mismatch = async (storedPosition: bigint, restored: RestoredReadModels): Promise<string | null> => {
    const { position, eventId } = restored.checkpoint;
    if (position !== storedPosition)
      return `the snapshot's parts say position ${position}, its row ${storedPosition}`;
    if (position < 0n) return null;
    const [event] = await store.readAll({ after: position - 1n, limit: 1 });
    if (event === undefined || event.position !== position) {
      return `the log has no event at the snapshot's position ${position} (a store restored from an older backup?)`;
    }
    if (event.eventId !== eventId) {
      return `the event at position ${position} is ${event.eventId}, the snapshot was built on ${String(eventId)}`;
    }
    return null;
  };

  /** Loads the last snapshot once, before the first subscription, when nothing is applied yet. */
  const loadSnapshot = async (): Promise<void> => {
    if (snapshotLoaded || options.snapshots === undefined || checkpoint >= 0n) return;
    snapshotLoaded = true;
    const discard = (reason: string): void => options.onSnapshotDiscarded?.(reason);
    let restored: RestoredReadModels | null;
    let storedPosition: bigint;
    try {
      const snapshot = await options.snapshots.load();
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
    const reason = await mismatch(storedPosition, restored);
    if (reason !== null) {
      discard(reason);
      return;
    }
    models = restored.models;
    checkpoint = restored.checkpoint.position;
    checkpointEventId = restored.checkpoint.eventId;
    restoredFrom = checkpoint;
  };

  const settleWaiters = (): void => {
    for (const waiter of waiters) {
      if (checkpoint >= waiter.position) {
        clearTimeout(waiter.timer);
        waiters.delete(waiter);
        waiter.resolve();
      } else if (failure !== null) {
        clearTimeout(waiter.timer);
        waiters.delete(waiter);
        waiter.reject(failure);
      }
    }
  };

  /** Cooperatives being replayed by rebuildCooperative, with their events that arrived meanwhile. */
  const replaying = new Map<string, StoredEvent[]>();

  const apply = (stored: StoredEvent): void => {
    const coopId = stored.streamId.slice(LEDGER_STREAM_PREFIX.length);
    const held = replaying.get(coopId);
    if (held !== undefined) {
      held.push(stored);
      checkpoint = stored.position;
      checkpointEventId = stored.eventId;
      return;
    }
    let model = models.get(coopId);
    if (model === undefined) {
      model = emptyReadModel(coopId);
      models.set(coopId, model);
    }
    const event = recordedLedgerEventOf(stored);
    applyLedgerEvent(model, event);
    checkpoint = stored.position;
    checkpointEventId = stored.eventId;
    for (const listener of listeners) listener(coopId, event, stored.position);
  };

  const subscribe = (): void => {
    const myGeneration = ++generation;
    const after = checkpoint;
    subscription = store.subscribeToAll(
      after < 0n ? { streamPrefix: LEDGER_STREAM_PREFIX } : { after, streamPrefix: LEDGER_STREAM_PREFIX },
      async (stored) => {
        // A subscription closed by stop() or rebuild() may still deliver; its events belong to no model.
        if (myGeneration !== generation || failure !== null) return;
        if (stored.position <= checkpoint) return;
        try {
          apply(stored);
        } catch (error) {
          failure = error instanceof Error ? error : new Error(String(error));
          options.onError?.(error, stored);
        }
        settleWaiters();
        appliedSinceSnapshot++;
        // The handler is awaited before the next event, so the snapshot holds exactly the events up to
        // the checkpoint it records.
        if (saveWhileFollowing && failure === null && appliedSinceSnapshot >= snapshotEveryEvents)
          await saveSnapshot();
      },
    );
  };

  /**
   * Applies the log after the checkpoint page by page, straight from `readAll` (no per-event await as in
   * a subscription); the subscription then takes over from where this stops.
   */
  const catchUp = async (saveAtEnd = true): Promise<void> => {
    for (;;) {
      const page = await store.readAll(
        checkpoint < 0n
          ? { streamPrefix: LEDGER_STREAM_PREFIX, limit: REBUILD_PAGE_SIZE }
          : { after: checkpoint, streamPrefix: LEDGER_STREAM_PREFIX, limit: REBUILD_PAGE_SIZE },
      );
      for (const stored of page) {
        if (stored.position <= checkpoint) continue;
        try {
          apply(stored);
        } catch (error) {
          // As in the subscription: the runner stops at the event it cannot apply.
          failure = error instanceof Error ? error : new Error(String(error));
          options.onError?.(error, stored);
          settleWaiters();
          return;
        }
        appliedSinceSnapshot++;
      }
      settleWaiters();
      if (page.length < REBUILD_PAGE_SIZE) break;
    }
    // One snapshot at the end of a long catch-up rather than every `snapshotEveryEvents` events inside it:
    // each snapshot writes all models, so saving inside a replay of a million events would cost more than
    // the replay it protects.
    if (saveAtEnd && appliedSinceSnapshot >= snapshotEveryEvents) await saveSnapshot();
  };

  const runner: ProjectionRunner = {
    start() {
      if (subscription !== null) return Promise.resolve();
      if (starting === null) {
        starting = (async () => {
          failure = null;
          await loadSnapshot();
          settleWaiters();
          await catchUp();
          // The subscription follows from the checkpoint even after a failure, which it then ignores.
          subscribe();
        })().finally(() => {
          starting = null;
        });
      }
      return starting;
    },
    async stop() {
      generation++;
      const current = subscription;
      subscription = null;
      if (current !== null) await current.close();
      if (appliedSinceSnapshot > 0) await saveSnapshot();
    },
    position: () => checkpoint,
    waitForPosition(position, timeoutMs) {
      if (checkpoint >= position) return Promise.resolve();
      if (failure !== null) return Promise.reject(failure);
      return new Promise<void>((resolve, reject) => {
        const waiter: Waiter = {
          position,
          resolve,
          reject,
          timer: setTimeout(() => {
            waiters.delete(waiter);
            reject(
              new Error(
                `projection did not reach position ${position} within ${timeoutMs} ms (at ${checkpoint})`,
              ),
            );
          }, timeoutMs),
        };
        waiters.add(waiter);
      });
    },
    async rebuildCooperative(coopId) {
      if (replaying.has(coopId)) return;
      const arrived: StoredEvent[] = [];
      replaying.set(coopId, arrived);
      try {
        const model = emptyReadModel(coopId);
        for (;;) {
          const page = await store.readStream(`${LEDGER_STREAM_PREFIX}${coopId}`, {
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
        if (model.revision < 0) models.delete(coopId);
        else models.set(coopId, model);
      } finally {
        replaying.delete(coopId);
      }
      for (const stored of arrived)
        for (const listener of listeners) listener(coopId, recordedLedgerEventOf(stored), stored.position);
    },
    model: (coopId) => models.get(coopId),
    coopIds: () => [...models.keys()],
    async rebuild(rebuildOptions = {}) {
      const save = rebuildOptions.saveSnapshot ?? true;
      const wasRunning = subscription !== null;
      await runner.stop();
      models = new Map();
      checkpoint = -1n;
      checkpointEventId = null;
      appliedSinceSnapshot = 0;
      failure = null;
      snapshotLoaded = true;
      restoredFrom = null;
      await catchUp(save);
      if (save && appliedSinceSnapshot > 0) await saveSnapshot();
      if (wasRunning) subscribe();
    },
    snapshot: saveSnapshot,
    restoredFrom: () => restoredFrom,
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };

  return runner;
};
