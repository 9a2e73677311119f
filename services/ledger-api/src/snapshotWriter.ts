/**
 * Writes per-cooperative snapshots in the background (docs/operations.md, Memory budget): every interval it
 * saves, one cooperative at a time and yielding to requests between two, the held cooperatives whose log
 * has grown at least `tailEvents` past their stored snapshot. A request never waits for it; a stop waits
 * only for the one save in progress, and whatever is not saved yet is the tail the next load replays.
 */
import { setImmediate as nextTurn } from "node:timers/promises";
import type { ReadModelSnapshotTable } from "@bukubesar/event-store";
import { cooperativeSnapshotName, encodeCooperativeSnapshot } from "@bukubesar/snapshots";
import type { LedgerCache } from "./ledgerCache.js";

export interface SnapshotWriterOptions {
  readonly cache: LedgerCache;
  readonly table: ReadModelSnapshotTable;
  readonly intervalMs: number;
  /** A held cooperative is saved once its log is this many events past its stored snapshot. */
  readonly tailEvents: number;
  readonly onError: (error: unknown, coopId: string) => void;
}

export interface SnapshotWriter {
  /** Saves now every held cooperative at least `tailEvents` (default the writer's) behind its snapshot. */
  flush(tailEvents?: number): Promise<void>;
  /** Stops the timer and waits for the save in progress, if any. */
  stop(): Promise<void>;
}

export const startSnapshotWriter = (options: SnapshotWriterOptions): SnapshotWriter => {
  const { cache, table } = options;
  let stopped = false;
  let running: Promise<void> = Promise.resolve();
  let timer: ReturnType<typeof setTimeout> | null = null;

  const saveBehind = async (tailEvents: number): Promise<void> => {
    for (const snapshot of cache.behindSnapshot(tailEvents)) {
      if (stopped) return;
      const { coopId, revision } = snapshot;
      try {
        // Encoded before the first await: the parts hold exactly the events up to `revision`.
        const parts = encodeCooperativeSnapshot(snapshot);
        await table.save(cooperativeSnapshotName(coopId), BigInt(revision), parts);
        cache.snapshotStored(coopId, revision);
      } catch (error) {
        options.onError(error, coopId);
      }
      await nextTurn();
    }
  };

  const run = (tailEvents: number): Promise<void> => {
    running = running.then(() => saveBehind(tailEvents));
    return running;
  };

  const schedule = (): void => {
    if (stopped) return;
    timer = setTimeout(() => {
      void run(options.tailEvents).then(schedule);
    }, options.intervalMs);
    timer.unref();
  };
  schedule();

  return {
    flush: (tailEvents = options.tailEvents) => run(tailEvents),
    async stop() {
      stopped = true;
      if (timer !== null) clearTimeout(timer);
      await running;
    },
  };
};
