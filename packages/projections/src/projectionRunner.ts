import type { EventStore, StoredEvent, Subscription } from "@bukubesar/event-store";
import type { EventMetadata, LedgerEvent, RecordedLedgerEvent } from "@bukubesar/ledger-core";
import { applyLedgerEvent, emptyReadModel, type LedgerReadModel } from "./readModel.js";

/**
 * Follows the store's global log from a checkpoint and keeps one `LedgerReadModel` per cooperative.
 *
 * The checkpoint (the global position of the last applied event) lives in memory together with the
 * models and moves in the same step as the model it describes, so the two cannot disagree: at start the
 * models are rebuilt from the log, which means a crash can neither count an event twice nor skip one.
 * (Persisting snapshots with their checkpoint in the store's database is not done yet.)
 */
export interface ProjectionRunner {
  /** Subscribes to the log from the current checkpoint (the beginning at first); idempotent. */
  start(): Promise<void>;
  /** Closes the subscription; the models stay readable. */
  stop(): Promise<void>;
  /** The global position of the last event applied, -1n before any. */
  position(): bigint;
  /** Resolves once the event at `position` (or later) has been applied; rejects after `timeoutMs`. */
  waitForPosition(position: bigint, timeoutMs: number): Promise<void>;
  /** The model of one cooperative, or undefined when its ledger has no events yet. */
  model(coopId: string): LedgerReadModel | undefined;
  /** The cooperative ids with a model. */
  coopIds(): readonly string[];
  /** Drops every model and replays the whole log page by page; resumes following if it was started. */
  rebuild(): Promise<void>;
  /** Called after each event is applied (for live views); returns a function that removes the listener. */
  onEvent(listener: ProjectionListener): () => void;
}

export type ProjectionListener = (coopId: string, event: RecordedLedgerEvent, position: bigint) => void;

export interface ProjectionRunnerOptions {
  /** Called when applying an event throws (a bug or an unknown event type); the runner then stops. */
  readonly onError?: (error: unknown, event: StoredEvent) => void;
}

/** The prefix of ledger streams: `ledger-<coopId>`. */
export const LEDGER_STREAM_PREFIX = "ledger-";

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
  let subscription: Subscription | null = null;
  let generation = 0;
  let failure: Error | null = null;
  const waiters = new Set<Waiter>();
  const listeners = new Set<ProjectionListener>();

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

  const apply = (stored: StoredEvent): void => {
    const coopId = stored.streamId.slice(LEDGER_STREAM_PREFIX.length);
    let model = models.get(coopId);
    if (model === undefined) {
      model = emptyReadModel(coopId);
      models.set(coopId, model);
    }
    const event = toRecordedLedgerEvent(stored);
    applyLedgerEvent(model, event);
    checkpoint = stored.position;
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
      },
    );
  };

  const runner: ProjectionRunner = {
    async start() {
      if (subscription !== null) return;
      failure = null;
      subscribe();
    },
    async stop() {
      generation++;
      const current = subscription;
      subscription = null;
      if (current !== null) await current.close();
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
    model: (coopId) => models.get(coopId),
    coopIds: () => [...models.keys()],
    async rebuild() {
      const wasRunning = subscription !== null;
      await runner.stop();
      models = new Map();
      checkpoint = -1n;
      failure = null;
      // Replays page by page straight from the log, then (if it was running) follows live events again.
      for (;;) {
        const page = await store.readAll(
          checkpoint < 0n
            ? { streamPrefix: LEDGER_STREAM_PREFIX, limit: REBUILD_PAGE_SIZE }
            : { after: checkpoint, streamPrefix: LEDGER_STREAM_PREFIX, limit: REBUILD_PAGE_SIZE },
        );
        for (const stored of page) apply(stored);
        settleWaiters();
        if (page.length < REBUILD_PAGE_SIZE) break;
      }
      if (wasRunning) subscribe();
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };

  return runner;
};

/** The stored event as the ledger event it carries; the store is trusted to hold decoded ledger events. */
export const toRecordedLedgerEvent = (stored: StoredEvent): RecordedLedgerEvent =>
  ({
    type: stored.type,
    data: stored.data,
    revision: stored.revision,
    metadata: stored.metadata as EventMetadata,
  }) as unknown as LedgerEvent & { revision: number; metadata: EventMetadata };
