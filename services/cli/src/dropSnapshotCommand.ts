import { readModelSnapshotTableFor } from "@bukubesar/event-store";
import { cooperativeSnapshotName } from "@bukubesar/snapshots";
import { RULE_SNAPSHOT_NAME } from "@bukubesar/supervisor";
import { CliError } from "./cliError.js";
import { type CommandContext, storeUrlOf, writeLine } from "./commandContext.js";
import { EXIT_OK, EXIT_USAGE, type ExitCode } from "./exitCode.js";
import { withStore } from "./storeAccess.js";

export interface DropSnapshotOptions {
  /** The cooperative whose stored snapshot goes. */
  readonly coop?: string;
  /** The supervisor's rule-state snapshot goes. */
  readonly rules?: boolean;
}

/** The names of the stored snapshots the options name, in the snapshot table. */
const snapshotNamesOf = (options: DropSnapshotOptions): string[] => [
  ...(options.coop === undefined ? [] : [cooperativeSnapshotName(options.coop)]),
  ...(options.rules === true ? [RULE_SNAPSHOT_NAME] : []),
];

/**
 * `bukubesar drop-snapshot --coop ID | --rules`: removes a stored snapshot, the remedy `verify` names for
 * one that differs from the log; the service (a cooperative's snapshot) or the supervisor (the rule state)
 * then rebuilds it from the log. A snapshot is a cache, so nothing of the books is lost. A running
 * `serve` or `supervise` keeps the copy it loaded and would write it back, so it is stopped first and
 * started again after.
 */
export const runDropSnapshot = async (
  context: CommandContext,
  options: DropSnapshotOptions,
): Promise<ExitCode> => {
  const names = snapshotNamesOf(options);
  if (names.length === 0) throw new CliError("drop-snapshot needs --coop <id> or --rules", EXIT_USAGE);
  await withStore(storeUrlOf(context), { mustExist: true }, async (store) => {
    const table = readModelSnapshotTableFor(store);
    if (table === null) {
      writeLine(context.stdout, "This store keeps no snapshots: nothing to drop.");
      return;
    }
    for (const name of names) {
      const stored = await table.loadParts(name);
      await table.remove(name);
      writeLine(context.stdout, stored === null ? `No stored snapshot ${name}.` : `Dropped ${name}.`);
    }
  });
  writeLine(
    context.stdout,
    "Start `serve` (and `supervise`) again: each rebuilds what it needs from the log and writes a new snapshot.",
  );
  return EXIT_OK;
};
