import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { type CheckpointHead, type CheckpointStreamHead, readCheckpoint } from "./checkpoint.js";
import { CliError } from "./cliError.js";
import { type CommandContext, storeUrlOf, writeLine } from "./commandContext.js";
import { EXIT_OK, EXIT_USAGE, EXIT_VERIFICATION_FAILED, type ExitCode } from "./exitCode.js";
import { ledgerStreamOf, withStore } from "./storeAccess.js";
import { redactStoreUrl } from "./storeLocation.js";
import { type ChainedStreamReport, verifyChainedStreams } from "./verifyChainedStreams.js";
import { type LedgerReport, verifyStoredLedgers } from "./verifyLedgers.js";
import { type SnapshotReport, verifyStoredSnapshots } from "./verifySnapshots.js";

export interface VerifyOptions {
  readonly coop?: string;
  readonly checkpoint?: string;
  readonly publicKey?: string;
  readonly json?: boolean;
}

const readTextFile = (context: CommandContext, path: string, what: string): string => {
  try {
    return readFileSync(resolve(context.workingDirectory, path), "utf8");
  } catch (error) {
    throw new CliError(`cannot read the ${what} ${path}: ${(error as Error).message}`, EXIT_USAGE);
  }
};

/**
 * `bukubesar verify`: walks every ledger stream (or one cooperative's), checks the hash chain and every
 * invariant, recomputes the balances itself and compares them with the projections, and, with a
 * checkpoint, checks that each chain still passes through the signed head. Exit 0 when sound, 1 with
 * the first bad event of each bad ledger named.
 */
export const runVerify = async (context: CommandContext, options: VerifyOptions): Promise<ExitCode> => {
  const storeUrl = storeUrlOf(context);
  let heads: Map<string, CheckpointHead> | null = null;
  let streamHeads: Map<string, CheckpointStreamHead> = new Map();
  let checkpointTime: string | null = null;
  let keyNote: string | null = null;
  if (options.checkpoint !== undefined) {
    const publicKey =
      options.publicKey === undefined ? null : readTextFile(context, options.publicKey, "public key file");
    const reading = readCheckpoint(readTextFile(context, options.checkpoint, "checkpoint file"), publicKey);
    if (!reading.ok) {
      const message = `Verification failed: checkpoint ${options.checkpoint}: ${reading.reason}`;
      if (options.json === true) writeLine(context.stdout, JSON.stringify({ ok: false, reason: message }));
      else writeLine(context.stdout, message);
      return EXIT_VERIFICATION_FAILED;
    }
    checkpointTime = reading.checkpoint.statement.createdAt;
    heads = new Map(reading.checkpoint.statement.heads.map((head) => [head.streamId, head]));
    streamHeads = new Map((reading.checkpoint.statement.streams ?? []).map((head) => [head.streamId, head]));
    keyNote =
      reading.keySource === "given"
        ? "checkpoint signature valid (checked against the given public key)"
        : "checkpoint signature valid (checked against the key inside the file; pass --public-key to check it against the key you kept)";
  }

  let chained: ChainedStreamReport[] = [];
  let snapshots: SnapshotReport[] = [];
  const reports = await withStore(storeUrl, { mustExist: true }, async (store) => {
    const upToPosition = await store.headPosition();
    const ledgers = await verifyStoredLedgers(store, options.coop ?? null, heads, checkpointTime);
    chained = await verifyChainedStreams(store, options.coop ?? null, upToPosition, streamHeads);
    snapshots = await verifyStoredSnapshots(
      store,
      [...ledgers.values()].map((ledger) => ledger.coopId),
    );
    const results: LedgerReport[] = [...ledgers.values()];
    if (heads !== null) {
      for (const head of heads.values()) {
        if (options.coop !== undefined && head.streamId !== ledgerStreamOf(options.coop)) continue;
        if (!ledgers.has(head.streamId)) {
          results.push({
            ok: false,
            coopId: head.coopId,
            streamId: head.streamId,
            firstBadRevision: 0,
            reason: `the ledger is missing but the checkpoint of ${checkpointTime} records it up to revision ${head.revision}`,
          });
        }
      }
    }
    return results;
  });

  if (options.coop !== undefined && reports.length === 0) {
    const message = `Verification failed: there is no ledger for cooperative ${options.coop}`;
    if (options.json === true) writeLine(context.stdout, JSON.stringify({ ok: false, reason: message }));
    else writeLine(context.stdout, message);
    return EXIT_VERIFICATION_FAILED;
  }

  const failures = reports.filter((report) => !report.ok);
  const chainFailures = chained.filter((report) => !report.ok);
  const snapshotFailures = snapshots.filter((report) => !report.ok);
  if (options.json === true) {
    writeLine(
      context.stdout,
      JSON.stringify({
        ok: failures.length === 0 && chainFailures.length === 0 && snapshotFailures.length === 0,
        checkpoint: keyNote === null ? null : "signature valid",
        ledgers: reports,
        streams: chained,
        snapshots,
      }),
    );
    return failures.length === 0 && chainFailures.length === 0 && snapshotFailures.length === 0
      ? EXIT_OK
      : EXIT_VERIFICATION_FAILED;
  }

  writeLine(context.stdout, `Store: ${redactStoreUrl(storeUrl)}`);
  if (keyNote !== null) writeLine(context.stdout, keyNote);
  let events = 0;
  let entries = 0;
  for (const report of reports) {
    if (report.ok) {
      events += report.events;
      entries += report.postedEntries;
      writeLine(
        context.stdout,
        `ok    ${report.coopId}: revisions 0..${report.headRevision}, ${report.postedEntries} posted entries, head ${report.headHash}`,
      );
    } else {
      writeLine(
        context.stdout,
        `FAIL  ${report.coopId}: revision ${report.firstBadRevision}: ${report.reason}`,
      );
    }
  }
  for (const report of chained) {
    writeLine(
      context.stdout,
      report.ok
        ? `ok    ${report.streamId}: revisions 0..${report.events - 1}, head ${report.headHash}` +
            (report.unchainedEvents > 0
              ? ` (${report.unchainedEvents} events recorded before it was chained)`
              : "")
        : `FAIL  ${report.streamId}: revision ${report.revision}: ${report.reason}`,
    );
  }
  for (const report of snapshots) {
    writeLine(
      context.stdout,
      report.ok
        ? `ok    snapshot ${report.name}${report.revision === null ? "" : `: revision ${report.revision}, balances equal the log's`}`
        : `FAIL  snapshot ${report.name}: ${report.reason}`,
    );
  }
  const firstChainFailure = chainFailures[0];
  const first = failures[0];
  if (first !== undefined && !first.ok) {
    writeLine(
      context.stdout,
      `Verification failed: cooperative ${first.coopId}, revision ${first.firstBadRevision}: ${first.reason}` +
        (failures.length > 1 ? ` (${failures.length} ledgers fail)` : ""),
    );
    return EXIT_VERIFICATION_FAILED;
  }
  if (firstChainFailure !== undefined && !firstChainFailure.ok) {
    writeLine(
      context.stdout,
      `Verification failed: stream ${firstChainFailure.streamId}, revision ${firstChainFailure.revision}: ${firstChainFailure.reason}`,
    );
    return EXIT_VERIFICATION_FAILED;
  }
  const firstSnapshotFailure = snapshotFailures[0];
  if (firstSnapshotFailure !== undefined && !firstSnapshotFailure.ok) {
    writeLine(
      context.stdout,
      `Verification failed: snapshot ${firstSnapshotFailure.name}: ${firstSnapshotFailure.reason} (the service rebuilds it from the log)`,
    );
    return EXIT_VERIFICATION_FAILED;
  }
  writeLine(
    context.stdout,
    `Sound: ${reports.length} ledger${reports.length === 1 ? "" : "s"}, ${events} events, ${entries} posted entries; ` +
      `hash chains, contiguous revisions, balanced entries and references all check, and every balance recomputed from the log equals the projections' trial balance; ${chained.length} alerts, audit and principals stream${chained.length === 1 ? "" : "s"} chain soundly; ${snapshots.length} stored snapshot${snapshots.length === 1 ? "" : "s"} check.`,
  );
  return EXIT_OK;
};
