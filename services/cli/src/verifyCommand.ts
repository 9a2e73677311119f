import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { COOPERATIVE_SNAPSHOT_PREFIX } from "@bukubesar/snapshots";
import { type CheckpointHead, type CheckpointStreamHead, readCheckpoint } from "./checkpoint.js";
import { CliError } from "./cliError.js";
import { type CommandContext, storeUrlOf, writeLine } from "./commandContext.js";
import { EXIT_OK, EXIT_USAGE, EXIT_VERIFICATION_FAILED, type ExitCode } from "./exitCode.js";
import { ledgerStreamOf, withStore } from "./storeAccess.js";
import { redactStoreUrl } from "./storeLocation.js";
import { type ChainedStreamReport, verifyChainedStreams } from "./verifyChainedStreams.js";
import { type LedgerReport, verifyStoredLedgers } from "./verifyLedgers.js";
import { RULE_STATE_DIFFERS, verifyRuleSnapshot } from "./verifyRuleSnapshot.js";
import { SNAPSHOT_DIFFERS } from "./verifySnapshotContent.js";
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
  const checkpoint =
    options.checkpoint === undefined
      ? NO_CHECKPOINT
      : readCheckpointHeads(context, options.checkpoint, options.publicKey);
  if ("failure" in checkpoint) return failVerification(context, options, checkpoint.failure);
  const results = await verifyStore(storeUrl, options, checkpoint);
  if (options.coop !== undefined && results.reports.length === 0) {
    return failVerification(context, options, `there is no ledger for cooperative ${options.coop}`);
  }
  if (options.json === true) {
    const ok = isSound(results);
    writeLine(
      context.stdout,
      JSON.stringify({
        ok,
        checkpoint: checkpoint.keyNote === null ? null : "signature valid",
        ledgers: results.reports,
        streams: results.chained,
        snapshots: results.snapshots,
      }),
    );
    return ok ? EXIT_OK : EXIT_VERIFICATION_FAILED;
  }
  writeLine(context.stdout, `Store: ${redactStoreUrl(storeUrl)}`);
  if (checkpoint.keyNote !== null) writeLine(context.stdout, checkpoint.keyNote);
  printReportLines(context, results);
  const failure = firstFailureMessage(results);
  if (failure !== null) {
    writeLine(context.stdout, `Verification failed: ${failure}`);
    return EXIT_VERIFICATION_FAILED;
  }
  writeLine(context.stdout, soundSummary(results));
  return EXIT_OK;
};

/** The signed heads a checkpoint records, and what its signature was checked against. */
interface CheckpointHeads {
  readonly heads: Map<string, CheckpointHead> | null;
  readonly streamHeads: Map<string, CheckpointStreamHead>;
  readonly checkpointTime: string | null;
  readonly keyNote: string | null;
}

const NO_CHECKPOINT: CheckpointHeads = {
  heads: null,
  streamHeads: new Map(),
  checkpointTime: null,
  keyNote: null,
};

interface VerifyResults {
  readonly reports: LedgerReport[];
  readonly chained: ChainedStreamReport[];
  readonly snapshots: SnapshotReport[];
}

const failVerification = (context: CommandContext, options: VerifyOptions, reason: string): ExitCode => {
  const message = `Verification failed: ${reason}`;
  if (options.json === true) writeLine(context.stdout, JSON.stringify({ ok: false, reason: message }));
  else writeLine(context.stdout, message);
  return EXIT_VERIFICATION_FAILED;
};

const readCheckpointHeads = (
  context: CommandContext,
  checkpointPath: string,
  publicKeyPath: string | undefined,
): CheckpointHeads | { readonly failure: string } => {
  const publicKey =
    publicKeyPath === undefined ? null : readTextFile(context, publicKeyPath, "public key file");
  const reading = readCheckpoint(readTextFile(context, checkpointPath, "checkpoint file"), publicKey);
  if (!reading.ok) return { failure: `checkpoint ${checkpointPath}: ${reading.reason}` };
  return {
    checkpointTime: reading.checkpoint.statement.createdAt,
    heads: new Map(reading.checkpoint.statement.heads.map((head) => [head.streamId, head])),
    streamHeads: new Map((reading.checkpoint.statement.streams ?? []).map((head) => [head.streamId, head])),
    keyNote:
      reading.keySource === "given"
        ? "checkpoint signature valid (checked against the given public key)"
        : "checkpoint signature valid (checked against the key inside the file; pass --public-key to check it against the key you kept)",
  };
};

/** Verifies the ledgers, the other chained streams and the stored snapshots in one pass of the store. */
const verifyStore = async (
  storeUrl: string,
  options: VerifyOptions,
  { heads, streamHeads, checkpointTime }: CheckpointHeads,
): Promise<VerifyResults> => {
  let chained: ChainedStreamReport[] = [];
  let snapshots: SnapshotReport[] = [];
  const reports = await withStore(storeUrl, { mustExist: true }, async (store) => {
    const upToPosition = await store.headPosition();
    const ledgers = await verifyStoredLedgers(store, options.coop ?? null, heads, checkpointTime);
    chained = await verifyChainedStreams(store, options.coop ?? null, upToPosition, streamHeads);
    const coopIds = [...ledgers.values()].map((ledger) => ledger.coopId);
    snapshots = await verifyStoredSnapshots(store, coopIds);
    const rules = await verifyRuleSnapshot(store, coopIds, options.coop !== undefined);
    if (rules !== null) snapshots.push(rules);
    return [...ledgers.values(), ...missingLedgers(heads, ledgers, options.coop, checkpointTime)];
  });
  return { reports, chained, snapshots };
};

/** A failure for each ledger the checkpoint records that the store no longer has. */
const missingLedgers = (
  heads: Map<string, CheckpointHead> | null,
  ledgers: ReadonlyMap<string, LedgerReport>,
  coop: string | undefined,
  checkpointTime: string | null,
): LedgerReport[] =>
  [...(heads?.values() ?? [])]
    .filter((head) => coop === undefined || head.streamId === ledgerStreamOf(coop))
    .filter((head) => !ledgers.has(head.streamId))
    .map((head) => ({
      ok: false,
      coopId: head.coopId,
      streamId: head.streamId,
      firstBadRevision: 0,
      reason: `the ledger is missing but the checkpoint of ${checkpointTime} records it up to revision ${head.revision}`,
    }));

const isSound = ({ reports, chained, snapshots }: VerifyResults): boolean =>
  [...reports, ...chained, ...snapshots].every((report) => report.ok);

const printReportLines = (context: CommandContext, { reports, chained, snapshots }: VerifyResults): void => {
  for (const report of reports) {
    writeLine(
      context.stdout,
      report.ok
        ? `ok    ${report.coopId}: revisions 0..${report.headRevision}, ${report.postedEntries} posted entries, head ${report.headHash}`
        : `FAIL  ${report.coopId}: revision ${report.firstBadRevision}: ${report.reason}`,
    );
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
  for (const report of snapshots) writeLine(context.stdout, snapshotLine(report));
};

const snapshotLine = (report: SnapshotReport): string => {
  const named = `snapshot ${report.name}${report.code === undefined ? "" : ` (${report.code})`}`;
  if (!report.ok) return `FAIL  ${named}: ${report.reason}`;
  if (report.revision !== null)
    return `ok    ${named}: revision ${report.revision}, equals the log's (balances, entries, state and read model)`;
  return `ok    ${named}${report.note === undefined ? "" : `: ${report.note}`}`;
};

/** What failed first, ledgers before other streams before snapshots; null when everything is sound. */
const firstFailureMessage = ({ reports, chained, snapshots }: VerifyResults): string | null => {
  const failures = reports.filter((report) => !report.ok);
  const first = failures[0];
  if (first !== undefined && !first.ok) {
    return (
      `cooperative ${first.coopId}, revision ${first.firstBadRevision}: ${first.reason}` +
      (failures.length > 1 ? ` (${failures.length} ledgers fail)` : "")
    );
  }
  const firstChainFailure = chained.find((report) => !report.ok);
  if (firstChainFailure !== undefined && !firstChainFailure.ok) {
    return `stream ${firstChainFailure.streamId}, revision ${firstChainFailure.revision}: ${firstChainFailure.reason}`;
  }
  const firstSnapshotFailure = snapshots.find((report) => !report.ok);
  if (firstSnapshotFailure !== undefined && !firstSnapshotFailure.ok) {
    return `snapshot ${firstSnapshotFailure.name}: ${firstSnapshotFailure.reason} (${
      firstSnapshotFailure.code === RULE_STATE_DIFFERS
        ? "the supervisor would use it: stop supervise, run `bukubesar drop-snapshot --rules` and start it again to judge the whole log"
        : firstSnapshotFailure.code === SNAPSHOT_DIFFERS
          ? `the service would serve it: stop serve, run \`bukubesar drop-snapshot --coop ${firstSnapshotFailure.name.slice(COOPERATIVE_SNAPSHOT_PREFIX.length)}\` and start it again to rebuild the cooperative from the log`
          : "the service rebuilds it from the log"
    })`;
  }
  return null;
};

const soundSummary = ({ reports, chained, snapshots }: VerifyResults): string => {
  let events = 0;
  let entries = 0;
  for (const report of reports) {
    if (!report.ok) continue;
    events += report.events;
    entries += report.postedEntries;
  }
  return (
    `Sound: ${reports.length} ledger${reports.length === 1 ? "" : "s"}, ${events} events, ${entries} posted entries; ` +
    `hash chains, contiguous revisions, balanced entries and references all check, and every balance recomputed from the log equals the projections' trial balance; ${chained.length} alerts, audit and principals stream${chained.length === 1 ? "" : "s"} chain soundly; ${snapshots.length} stored snapshot${snapshots.length === 1 ? "" : "s"} check.`
  );
};
