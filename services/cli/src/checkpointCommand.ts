import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import type { EventStore } from "@bukubesar/event-store";
import {
  type CheckpointHead,
  type CheckpointStreamHead,
  generateCheckpointKeyPair,
  signCheckpoint,
} from "./checkpoint.js";
import { CliError } from "./cliError.js";
import { type CommandContext, storeUrlOf, writeLine } from "./commandContext.js";
import { EXIT_OK, EXIT_USAGE, EXIT_VERIFICATION_FAILED, type ExitCode } from "./exitCode.js";
import { withStore } from "./storeAccess.js";
import { verifyChainedStreams } from "./verifyChainedStreams.js";
import { verifyStoredLedgers } from "./verifyLedgers.js";

/** Owner read and write only: the private key signs what auditors rely on. */
const PRIVATE_KEY_FILE_MODE = 0o600;

export interface CheckpointOptions {
  readonly key?: string;
  readonly out?: string;
  readonly generateKey?: string;
}

/** `bukubesar checkpoint --generate-key FILE`: a new Ed25519 key pair, FILE (private) and FILE.pub. */
const generateKey = (context: CommandContext, file: string): ExitCode => {
  const privatePath = resolve(context.workingDirectory, file);
  const publicPath = `${privatePath}.pub`;
  if (existsSync(privatePath)) {
    throw new CliError(`${file} already exists; refusing to overwrite a key`, EXIT_USAGE);
  }
  const pair = generateCheckpointKeyPair();
  writeFileSync(privatePath, pair.privateKeyPem, { mode: PRIVATE_KEY_FILE_MODE, flag: "wx" });
  writeFileSync(publicPath, pair.publicKeyPem);
  writeLine(context.stdout, `Private key written to ${file} (keep it away from the ledger's server).`);
  writeLine(context.stdout, `Public key written to ${file}.pub (give it to the auditors).`);
  return EXIT_OK;
};

/** The heads of the alerts, audit and principals streams, verified first: none is signed over a broken chain. */
const chainedStreamHeads = async (store: EventStore): Promise<CheckpointStreamHead[]> => {
  const reports = await verifyChainedStreams(store, null, await store.headPosition());
  return reports.map((report) => {
    if (!report.ok) {
      throw new CliError(
        `refusing to sign: stream ${report.streamId}, revision ${report.revision}: ${report.reason}`,
        EXIT_VERIFICATION_FAILED,
      );
    }
    return { streamId: report.streamId, revision: report.events - 1, headHash: report.headHash };
  });
};

/**
 * `bukubesar checkpoint --key KEY [--out FILE]`: verifies every ledger first (a checkpoint vouches for
 * history, so it is never signed over a broken chain), then signs each ledger's head revision and hash.
 */
export const runCheckpoint = async (
  context: CommandContext,
  options: CheckpointOptions,
): Promise<ExitCode> => {
  if (options.generateKey !== undefined) return generateKey(context, options.generateKey);
  if (options.key === undefined) {
    throw new CliError("checkpoint needs --key KEY (or --generate-key FILE to make one)", EXIT_USAGE);
  }
  let privateKeyPem: string;
  try {
    privateKeyPem = readFileSync(resolve(context.workingDirectory, options.key), "utf8");
  } catch (error) {
    throw new CliError(`cannot read the key ${options.key}: ${(error as Error).message}`, EXIT_USAGE);
  }
  const storeUrl = storeUrlOf(context);
  const { heads, streams } = await withStore(storeUrl, { mustExist: true }, async (store) => {
    const ledgers = await verifyStoredLedgers(store, null, null, null);
    const collected: CheckpointHead[] = [];
    for (const [streamId, report] of ledgers) {
      if (!report.ok) {
        throw new CliError(
          `refusing to sign: cooperative ${report.coopId}, revision ${report.firstBadRevision}: ${report.reason}`,
          EXIT_VERIFICATION_FAILED,
        );
      }
      collected.push({
        coopId: report.coopId,
        streamId,
        revision: report.headRevision,
        headHash: report.headHash,
      });
    }
    return { heads: collected, streams: await chainedStreamHeads(store) };
  });
  let signed: ReturnType<typeof signCheckpoint>;
  try {
    signed = signCheckpoint({ createdAt: new Date().toISOString(), heads, streams }, privateKeyPem);
  } catch (error) {
    throw new CliError(`cannot sign with ${options.key}: ${(error as Error).message}`, EXIT_USAGE);
  }
  const text = `${JSON.stringify(signed, null, 2)}\n`;
  if (options.out === undefined) {
    context.stdout.write(text);
  } else {
    writeFileSync(resolve(context.workingDirectory, options.out), text);
    writeLine(
      context.stderr,
      `Checkpoint of ${heads.length} ledger${heads.length === 1 ? "" : "s"} written to ${options.out}; keep a copy outside the system.`,
    );
  }
  return EXIT_OK;
};
