import { setImmediate as nextTurn } from "node:timers/promises";
import type { EventStore, StoredEvent, SubscribeOptions, Subscription } from "./port.js";
import { isStoreFailureOf } from "./storeFailure.js";

/**
 * How often a subscription looks for events committed by other processes (a CLI import into the same
 * SQLite file, another API replica on the same PostgreSQL). Commits in this process wake it at once; this
 * bounds the delay for everything else.
 */
export const SUBSCRIPTION_POLL_INTERVAL_MS = 200;

/** How many events a subscription reads per query while catching up. */
export const SUBSCRIPTION_READ_BATCH_SIZE = 500;

/** Wakes waiting subscriptions when this process commits; counts commits so no wake-up is ever missed. */
export class CommitNotifier {
  private generation = 0;
  private readonly waiters = new Set<() => void>();

  get current(): number {
    return this.generation;
  }

  notify(): void {
    this.generation += 1;
    const waiters = [...this.waiters];
    this.waiters.clear();
    for (const wake of waiters) wake();
  }

  /** Resolves when a commit happens after `seenGeneration`, or after `timeoutMs`, whichever comes first. */
  wait(seenGeneration: number, timeoutMs: number, signal: { readonly closed: boolean }): Promise<void> {
    if (this.generation !== seenGeneration || signal.closed) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        this.waiters.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, timeoutMs);
      this.waiters.add(wake);
    });
  }

  /** Wakes every waiter now (used on close). */
  wakeAll(): void {
    const waiters = [...this.waiters];
    this.waiters.clear();
    for (const wake of waiters) wake();
  }
}

/**
 * A catch-up subscription over any store whose `readAll` never shows position N+1 before N: it reads
 * history in batches from the checkpoint, then waits for a commit (or the poll interval) and reads again.
 * Because live delivery is the same query as catch-up, from the position of the last delivered event, the
 * switch from history to live can neither skip nor repeat an event.
 *
 * A subscription filtered by stream prefix also moves its position past events it does not want: before
 * each read it notes the store's head, and once a read comes back short (everything wanted up to then has
 * been delivered) its position jumps to that head. Otherwise every wake-up would rescan all the unwanted
 * events since the last wanted one, and a rarely written prefix (principals, alerts) would cost a scan of
 * the whole recent history on every commit. Events at or below a head noted before the read are all
 * visible to that read, so the jump cannot skip one.
 *
 * A handler that throws stops the subscription and is reported to `options.onError` (console.error when
 * absent). A StoreUnavailable read is retried after the poll interval, so a store outage only pauses it.
 */
export const catchUpSubscription = (
  store: Pick<EventStore, "readAll" | "headPosition">,
  notifier: CommitNotifier,
  options: SubscribeOptions,
  handler: (event: StoredEvent) => Promise<void>,
): Subscription => {
  const state = { closed: false };
  let cursor = options.after ?? -1n;
  let inHandler = false;
  /**
   * The next batch after the cursor, with the head position read before it (a filtered read may return
   * less than the log holds); "retry" after waiting out an unavailable store, "closed" once closed.
   */
  const readBatch = async (): Promise<
    { readonly batch: readonly StoredEvent[]; readonly headBeforeRead: bigint } | "retry" | "closed"
  > => {
    try {
      const headBeforeRead = options.streamPrefix === undefined ? cursor : await store.headPosition();
      const batch = await store.readAll({
        after: cursor,
        limit: SUBSCRIPTION_READ_BATCH_SIZE,
        ...(options.streamPrefix === undefined ? {} : { streamPrefix: options.streamPrefix }),
      });
      return { batch, headBeforeRead };
    } catch (error) {
      if (state.closed) return "closed";
      if (!isStoreFailureOf(error, "StoreUnavailable")) throw error;
      await notifier.wait(notifier.current, SUBSCRIPTION_POLL_INTERVAL_MS, state);
      return "retry";
    }
  };
  /** Hands each event to the handler in order, moving the cursor; false once the subscription is closed. */
  const deliver = async (batch: readonly StoredEvent[]): Promise<boolean> => {
    for (const event of batch) {
      if (state.closed) return false;
      inHandler = true;
      try {
        await handler(event);
      } finally {
        inHandler = false;
      }
      cursor = event.position;
    }
    return true;
  };
  const run = async (): Promise<void> => {
    while (!state.closed) {
      const generation = notifier.current;
      const read = await readBatch();
      if (read === "closed") return;
      if (read === "retry") continue;
      const { batch, headBeforeRead } = read;
      if (!(await deliver(batch))) return;
      await waitAfter(batch.length, headBeforeRead, generation);
    }
  };
  /** After a short batch, waits for the next commit; after a full one, only for a turn of the event loop. */
  const waitAfter = async (
    batchLength: number,
    headBeforeRead: bigint,
    generation: number,
  ): Promise<void> => {
    if (batchLength < SUBSCRIPTION_READ_BATCH_SIZE) {
      if (headBeforeRead > cursor) cursor = headBeforeRead;
      await notifier.wait(generation, SUBSCRIPTION_POLL_INTERVAL_MS, state);
    } else {
      // Catching up on a synchronous store (SQLite) never waits on I/O: a turn of the event loop between
      // full batches lets the process answer requests while a subscription reads a long log.
      await nextTurn();
    }
  };
  const running = run().catch((error: unknown) => {
    state.closed = true;
    if (options.onError) options.onError(error);
    else console.error("event store subscription stopped:", error);
  });
  return {
    async close(): Promise<void> {
      state.closed = true;
      notifier.wakeAll();
      // A handler may close its own subscription; waiting for the loop there would wait for itself.
      if (!inHandler) await running;
    },
  };
};
