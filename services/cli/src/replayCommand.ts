import { createProjectionRunner, snapshotStoreFor } from "@bukubesar/projections";
import { type CommandContext, storeUrlOf, writeLine } from "./commandContext.js";
import { EXIT_OK, type ExitCode } from "./exitCode.js";
import { createProgress } from "./progress.js";
import { withStore } from "./storeAccess.js";

/**
 * `bukubesar replay`: drops every read model and rebuilds it from the log with the projections' own
 * runner (the code the service runs at start), showing progress by global position, then prints the
 * rate. The read models live in memory, so this also proves the log replays without an error. At the
 * end it saves them as a fresh snapshot in the store (the one `serve` loads at start), timed apart so the
 * rate printed is the replay's own.
 */
export const runReplay = async (context: CommandContext): Promise<ExitCode> =>
  withStore(storeUrlOf(context), { mustExist: true }, async (store): Promise<ExitCode> => {
    const head = await store.headPosition();
    const total = Number(head + 1n);
    const snapshots = snapshotStoreFor(store);
    const runner = createProjectionRunner(store, snapshots === undefined ? {} : { snapshots });
    const progress = createProgress(context.stderr, "replay", total);
    let applied = 0;
    // Progress follows the global position (other streams' events count too), so it ends at 100%. It is
    // told per page, not per event, so the replay reads the log as a fold does (no ids or hashes decoded).
    const removeListener = runner.onProgress((position, events) => {
      applied += events;
      progress.update(Number(position) + 1);
    });
    const started = performance.now();
    await runner.rebuild({ saveSnapshot: false });
    const seconds = Math.max((performance.now() - started) / 1000, 1e-3);
    removeListener();
    progress.finish(total);
    writeLine(
      context.stdout,
      `Replayed ${applied} ledger events into ${runner.coopIds().length} read models in ${seconds.toFixed(2)}s: ${Math.round(applied / seconds)} events/s.`,
    );
    if (snapshots !== undefined) {
      const savingStarted = performance.now();
      await runner.snapshot();
      writeLine(
        context.stdout,
        `Saved the read models' snapshot at position ${runner.position()} in ${((performance.now() - savingStarted) / 1000).toFixed(2)}s.`,
      );
    }
    await runner.stop();
    return EXIT_OK;
  });
