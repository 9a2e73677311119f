import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { openEventStore } from "@bukubesar/event-store";
import {
  chartTemplates,
  decide,
  eventIdFor,
  foldLedger,
  GENESIS_PREV_HASH,
  type LedgerCommand,
  type LedgerEvent,
  type LedgerState,
  ledgerStreamId,
  recordEvents,
} from "@bukubesar/ledger-core";

export const repositoryRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
export const launcher = join(repositoryRoot, "scripts/bukubesar.mjs");

/**
 * The command's sources run with the tsx loader in this very Node, without the launcher in between: a
 * SIGKILL then reaches the command itself (the launcher forwards other signals, but SIGKILL cannot be).
 */
const directCommand = (): string[] => [
  "--import",
  pathToFileURL(createRequire(join(repositoryRoot, "package.json")).resolve("tsx")).href,
  "--conditions=source",
  join(repositoryRoot, "services/cli/src/main.ts"),
];

export const temporaryDirectory = (): string => mkdtempSync(join(tmpdir(), "bukubesar-cli-"));

export interface CommandOutcome {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the real `bukubesar` command (the launcher, hence tsx and the sources) in `cwd`. */
export const runBukubesar = (
  args: readonly string[],
  options: { readonly cwd: string; readonly env?: NodeJS.ProcessEnv },
): Promise<CommandOutcome> =>
  new Promise((resolvePromise, reject) => {
    const environment: NodeJS.ProcessEnv = { ...process.env, ...options.env };
    delete environment.INIT_CWD;
    const child = spawn(process.execPath, [launcher, ...args], { cwd: options.cwd, env: environment });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString("utf8");
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString("utf8");
    });
    child.on("error", reject);
    child.on("close", (code) => resolvePromise({ code, stdout, stderr }));
  });

const SYSTEM_ACTOR = { principalId: "test-admin", role: "admin" as const };

/**
 * Records commands on a cooperative's ledger straight through the core (decide, chain, append), the way
 * the service does, so the CLI can be tested on a real store without the HTTP layer.
 */
export const recordCommands = (
  storeUrl: string,
  coopId: string,
  commands: readonly LedgerCommand[],
  recordedAt = FIXTURE_RECORDED_AT,
) => recordSteps(storeUrl, coopId, commands.map(decidedOrThrow), recordedAt);

/** When the fixtures' events say they were recorded, unless a test gives another time. */
const FIXTURE_RECORDED_AT = "2026-01-02T01:00:00.000Z";

/**
 * Records events as they are, with no decider in between, chained and appended like any others: a ledger
 * written around the rules (by an older version, or by hand in the database with a correct chain).
 */
export const recordEventsAsIs = (storeUrl: string, coopId: string, events: readonly LedgerEvent[]) =>
  recordSteps(storeUrl, coopId, [() => events]);

type Step = (state: LedgerState) => readonly LedgerEvent[];

const decidedOrThrow =
  (command: LedgerCommand): Step =>
  (state) => {
    const decision = decide(command, state);
    if (decision._tag === "Left") throw new Error(`fixture command refused: ${decision.left.message}`);
    return decision.right;
  };

/** Appends, one step at a time, the events each step gives on the ledger as it stands after the steps before. */
const recordSteps = async (
  storeUrl: string,
  coopId: string,
  steps: readonly Step[],
  recordedAt = FIXTURE_RECORDED_AT,
) => {
  const store = await openEventStore(storeUrl);
  try {
    const existing = await store.readStream(ledgerStreamId(coopId));
    const recordedSoFar = existing.map((event) => ({ type: event.type, data: event.data }) as LedgerEvent);
    let state = foldLedger(recordedSoFar);
    let revision = existing.length - 1;
    let headHash =
      (existing[existing.length - 1]?.metadata as { hash?: string } | undefined)?.hash ?? GENESIS_PREV_HASH;
    for (const [commandIndex, step] of steps.entries()) {
      const events = step(state);
      const baseId = `fixture-${coopId}-${revision + 1}-${commandIndex}`;
      const recorded = recordEvents(events, { nextRevision: revision + 1, headHash }, (_event, index) => ({
        eventId: eventIdFor(baseId, index),
        principalId: SYSTEM_ACTOR.principalId,
        role: SYSTEM_ACTOR.role,
        recordedAt,
        idempotencyKey: null,
        requestHash: null,
        correlationId: null,
      }));
      await store.append(
        ledgerStreamId(coopId),
        revision < 0 ? "no_stream" : revision,
        recorded.map((event) => ({
          eventId: event.metadata.eventId,
          type: event.type,
          data: event.data,
          metadata: event.metadata,
        })),
      );
      state = foldLedger(events, state);
      const last = recorded[recorded.length - 1];
      if (last !== undefined) {
        revision = last.revision;
        headHash = last.metadata.hash;
      }
    }
  } finally {
    await store.close();
  }
};

export const openCooperative = (storeUrl: string, coopId: string, recordedAt = FIXTURE_RECORDED_AT) =>
  recordCommands(
    storeUrl,
    coopId,
    [
      {
        type: "OpenLedger",
        actor: SYSTEM_ACTOR,
        data: {
          coopId,
          name: "KKMP Mangunharjo",
          regionCode: "35.74.03.1002",
          accounts: chartTemplates.kkmp,
        },
      },
    ],
    recordedAt,
  );

/** A JSONL import file of `count` balanced deposits (debit cash, credit savings). */
export const depositLines = (count: number, keyPrefix = "dep"): string[] =>
  Array.from({ length: count }, (_unused, index) =>
    JSON.stringify({
      idempotencyKey: `${keyPrefix}-${index + 1}`,
      date: `2025-0${1 + (index % 9)}-1${index % 10}`,
      memo: `Setoran ${index + 1}`,
      lines: [
        { account: "1101", debit: `${1000 * (index + 1)}` },
        { account: "4101", credit: `${1000 * (index + 1)}` },
      ],
    }),
  );

/** Posting commands for the fixture: `count` balanced entries straight through the core. */
export const postingCommands = (count: number): LedgerCommand[] =>
  Array.from({ length: count }, (_unused, index) => ({
    type: "PostJournalEntry" as const,
    actor: { principalId: "test-treasurer", role: "treasurer" as const },
    data: {
      entryId: `entry-${index + 1}`,
      date: `2025-0${1 + (index % 9)}-15`,
      memo: `Penjualan ${index + 1}`,
      lines: [
        {
          account: "1101",
          side: "debit" as const,
          amount: `${1000 * (index + 1)}.00`,
          memberId: null,
          unit: null,
          counterparty: null,
          memo: null,
        },
        {
          account: "4101",
          side: "credit" as const,
          amount: `${1000 * (index + 1)}.00`,
          memberId: null,
          unit: null,
          counterparty: null,
          memo: null,
        },
      ],
    },
  }));

/** A long-running `bukubesar` command (serve, supervise) started by a test. */
export interface RunningCommand {
  /** The process id (of Node itself, also under a wrapper that execs it). */
  readonly pid: number;
  /** Everything the command printed so far on stdout. */
  stdout(): string;
  stderr(): string;
  /** Resolves with the first stdout match of `pattern` (rejects when the process ends or time runs out). */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
  /** Sends the signal and resolves with the exit code (null when killed by a signal). */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** How long a spawned command may take to print what a test waits for (tsx compiles the sources first). */
const SPAWNED_OUTPUT_WAIT_MS = 30_000;

/** Starts the real `bukubesar` command (the launcher) and keeps it running until `stop`. */
export const startBukubesar = (
  args: readonly string[],
  options: {
    readonly cwd: string;
    readonly env?: NodeJS.ProcessEnv;
    readonly direct?: boolean;
    /** A program that runs Node in turn (e.g. `fiu-run -x`): it must exec Node, so the pid stays Node's. */
    readonly wrapper?: readonly string[];
  },
): RunningCommand => {
  const environment: NodeJS.ProcessEnv = { ...process.env, ...options.env };
  delete environment.INIT_CWD;
  const command = options.direct === true ? [...directCommand(), ...args] : [launcher, ...args];
  const [program, ...programArgs] = [...(options.wrapper ?? []), process.execPath, ...command];
  const child = spawn(program as string, programArgs, { cwd: options.cwd, env: environment });
  let stdout = "";
  let stderr = "";
  const waiters = new Set<() => void>();
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString("utf8");
    for (const wake of waiters) wake();
  });
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString("utf8");
  });
  const exited = new Promise<number | null>((resolvePromise) => {
    child.on("close", (code) => {
      resolvePromise(code);
      for (const wake of waiters) wake();
    });
  });
  return {
    pid: child.pid ?? -1,
    stdout: () => stdout,
    stderr: () => stderr,
    waitFor: (pattern, timeoutMs = SPAWNED_OUTPUT_WAIT_MS) =>
      new Promise((resolvePromise, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no ${pattern} in time; stdout: ${stdout}\nstderr: ${stderr}`));
        }, timeoutMs);
        const check = () => {
          const match = pattern.exec(stdout);
          if (match !== null) {
            clearTimeout(timer);
            waiters.delete(check);
            resolvePromise(match);
          } else if (child.exitCode !== null || child.signalCode !== null) {
            clearTimeout(timer);
            waiters.delete(check);
            reject(new Error(`the command ended before ${pattern}; stdout: ${stdout}\nstderr: ${stderr}`));
          }
        };
        waiters.add(check);
        check();
      }),
    stop: async (signal = "SIGTERM") => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
};

/** How long a spawned `serve` may take to listen: tsx compiles the sources first, slowly on a loaded machine. */
const SERVE_LISTEN_WAIT_MS = 60_000;

/**
 * `bukubesar serve` on a free port with the admin token given, silent logs and no NATS, started directly
 * (so kill -9 reaches Node itself); `env` adds to or overrides that. Resolves once it listens.
 */
export const startServe = async (options: {
  readonly cwd: string;
  readonly storeUrl: string;
  readonly adminToken: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly wrapper?: readonly string[];
}): Promise<{ url: string; command: RunningCommand }> => {
  const command = startBukubesar(["serve"], {
    cwd: options.cwd,
    env: {
      PORT: "0",
      STORE_URL: options.storeUrl,
      BUKUBESAR_ADMIN_TOKEN: options.adminToken,
      LOG_LEVEL: "silent",
      NATS_URL: "",
      ...options.env,
    },
    direct: true,
    ...(options.wrapper === undefined ? {} : { wrapper: options.wrapper }),
  });
  const [, url] = await command.waitFor(/listening on (http:\/\/\S+)/, SERVE_LISTEN_WAIT_MS);
  return { url: url as string, command };
};

/** An API call with a bearer token; `key` is the Idempotency-Key of a write. The body is parsed JSON. */
export const apiCaller =
  (token: string) => async (base: string, method: string, path: string, body?: unknown, key?: string) => {
    const response = await fetch(base + path, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
        ...(key === undefined ? {} : { "idempotency-key": key }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    // biome-ignore lint/suspicious/noExplicitAny: test answers are inspected field by field
    return { status: response.status, body: (text === "" ? null : JSON.parse(text)) as any };
  };

/** A two-line cash deposit into simpanan sukarela: the smallest valid entry. */
export const depositEntry = (memo: string, date = "2026-02-02") => ({
  date,
  memo,
  lines: [
    { account: "1101", debit: "1000" },
    { account: "3300", credit: "1000" },
  ],
});
