/**
 * Import and verify benchmark on SQLite: generates a JSON Lines file of N balanced entries under the
 * operating system's temporary directory (never in the repository), opens a cooperative in a fresh
 * SQLite file, then runs the real command (`node scripts/bukubesar.mjs import …`, then `verify`) under
 * GNU time and prints entries/s and the peak resident memory of each.
 *
 *   node --import tsx --conditions=source services/cli/bench/import.bench.ts [N …]
 *
 * N defaults to 100000 and 1000000. The temporary directory is removed afterwards unless KEEP=1.
 * With PROFILE_DIR=DIR each command runs its sources directly (not through the launcher) under
 * `node --cpu-prof`, leaving one .cpuprofile per command in DIR.
 *
 * Side by side: BASELINE_LAUNCHER=<other worktree>/scripts/bukubesar.mjs ROUNDS=3 imports the same file
 * into a fresh copy of the same opened store with this worktree's command and the baseline's, alternating
 * which goes first, and prints each run's wall and CPU seconds and peak RSS, then the best of each.
 * SKIP_VERIFY=1 leaves out the verify run.
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, createWriteStream, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { openEventStore } from "@bukubesar/event-store";
import {
  chartTemplates,
  decide,
  eventIdFor,
  GENESIS_PREV_HASH,
  initialLedgerState,
  recordEvents,
} from "@bukubesar/ledger-core";

const COOP = "kkmp-bench";
const DEFAULT_COUNTS = [100_000, 1_000_000];
const repositoryRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const launcher = join(repositoryRoot, "scripts/bukubesar.mjs");
const mainSource = join(repositoryRoot, "services/cli/src/main.ts");
const profileDirectory = process.env.PROFILE_DIR;
const UNITS = ["sembako", "simpan_pinjam", "klinik", "apotek"] as const;

/** Writes `count` entries: two- and three-line sales into cash or bank, spread over one year. */
const generate = async (file: string, count: number): Promise<void> => {
  const out = createWriteStream(file);
  for (let index = 0; index < count; index++) {
    const day = 1 + (index % 28);
    const month = 1 + (Math.floor(index / 28) % 12);
    const amount = 1000 + (index % 997) * 50;
    const date = `2025-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
    const lines =
      index % 3 === 2
        ? [
            { account: "1101", debit: `${amount}` },
            { account: "1111", debit: "500.50" },
            { account: "4101", credit: `${amount + 500}.50`, unit: UNITS[index % UNITS.length] },
          ]
        : [
            { account: index % 2 === 0 ? "1101" : "1111", debit: `${amount}` },
            { account: "4101", credit: `${amount}`, unit: UNITS[index % UNITS.length] },
          ];
    const line = `${JSON.stringify({ idempotencyKey: `bench-${index + 1}`, date, memo: `Penjualan ${index + 1}`, lines })}\n`;
    if (!out.write(line)) await new Promise<void>((resolveDrain) => out.once("drain", () => resolveDrain()));
  }
  await new Promise<void>((resolveEnd, reject) =>
    out.end((error?: Error | null) => (error ? reject(error) : resolveEnd())),
  );
};

const openCooperative = async (storeUrl: string): Promise<void> => {
  const store = await openEventStore(storeUrl);
  try {
    const decision = decide(
      {
        type: "OpenLedger",
        actor: { principalId: "bench-admin", role: "admin" },
        data: {
          coopId: COOP,
          name: "KKMP Bench",
          regionCode: "35.74.03.1002",
          accounts: chartTemplates.kkmp,
        },
      },
      initialLedgerState,
    );
    if (decision._tag === "Left") throw new Error(decision.left.message);
    const recorded = recordEvents(
      decision.right,
      { nextRevision: 0, headHash: GENESIS_PREV_HASH },
      (_event, index) => ({
        eventId: eventIdFor("bench-open", index),
        principalId: "bench-admin",
        role: "admin",
        recordedAt: "2025-01-01T00:00:00.000Z",
        idempotencyKey: null,
        requestHash: null,
        correlationId: null,
      }),
    );
    await store.append(
      `ledger-${COOP}`,
      "no_stream",
      recorded.map((event) => ({
        eventId: event.metadata.eventId,
        type: event.type,
        data: event.data,
        metadata: event.metadata,
      })),
    );
  } finally {
    await store.close();
  }
};

interface Timed {
  readonly seconds: number;
  /** User plus system CPU seconds of the command (the machine is shared: wall time swings with its load). */
  readonly cpuSeconds: number;
  readonly peakMegabytes: number;
  readonly stdout: string;
}

/** Runs the real command under GNU time (%e wall seconds, %M peak resident kilobytes of the process tree). */
const timed = (args: readonly string[], storeUrl: string, launcherPath = launcher): Timed => {
  const command =
    profileDirectory === undefined
      ? [launcherPath]
      : [
          `--cpu-prof`,
          `--cpu-prof-dir=${profileDirectory}`,
          "--import",
          "tsx",
          "--conditions=source",
          mainSource,
        ];
  const result = spawnSync(
    "/usr/bin/time",
    ["-f", "TIME %e %M %U %S", process.execPath, ...command, ...args],
    {
      env: { ...process.env, STORE_URL: storeUrl, INIT_CWD: undefined },
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  const match = /TIME ([\d.]+) (\d+) ([\d.]+) ([\d.]+)/.exec(result.stderr);
  if (result.status !== 0 || match === null) {
    throw new Error(
      `bukubesar ${args.join(" ")} failed (${result.status}):\n${result.stdout}\n${result.stderr.slice(-2000)}`,
    );
  }
  return {
    seconds: Number(match[1]),
    cpuSeconds: Number(match[3]) + Number(match[4]),
    peakMegabytes: Math.round(Number(match[2]) / 1024),
    stdout: result.stdout.trim(),
  };
};

/** A copy of the opened store (and its WAL files) for one run, so every run starts from the same file. */
const freshCopy = (template: string, name: string): string => {
  const copy = join(dirname(template), `${name}.db`);
  for (const suffix of ["", "-wal", "-shm"]) {
    rmSync(copy + suffix, { force: true });
    if (existsSync(template + suffix)) copyFileSync(template + suffix, copy + suffix);
  }
  return `sqlite:${copy}`;
};

const describe = (who: string, count: number, run: Timed): string => {
  const reported = /(\d+) entries\/s/.exec(run.stdout)?.[1] ?? "?";
  return `${who} import ${count} entries: ${run.seconds.toFixed(1)}s wall, ${run.cpuSeconds.toFixed(1)}s CPU (${Math.round(count / run.seconds)} entries/s including start-up, ${Math.round(count / run.cpuSeconds)} per CPU-second; ${reported} entries/s as the command reports), peak RSS ${run.peakMegabytes} MB`;
};

/** Rounds of this worktree's import and the baseline's on copies of one opened store, alternating. */
const sideBySide = (count: number, file: string, template: string, baseline: string): void => {
  const rounds = Number(process.env.ROUNDS ?? 3);
  const runs: Record<string, Timed[]> = { after: [], before: [] };
  for (let round = 1; round <= rounds; round++) {
    const order = round % 2 === 1 ? ["after", "before"] : ["before", "after"];
    for (const who of order) {
      const storeUrl = freshCopy(template, who);
      const run = timed(
        ["import", "--coop", COOP, "--file", file],
        storeUrl,
        who === "after" ? launcher : baseline,
      );
      runs[who]?.push(run);
      console.log(`round ${round}: ${describe(who, count, run)}`);
    }
  }
  for (const who of ["after", "before"]) {
    const list = runs[who] ?? [];
    const best = (pick: (run: Timed) => number) => Math.min(...list.map(pick));
    console.log(
      `best ${who}: ${best((run) => run.seconds).toFixed(1)}s wall, ${best((run) => run.cpuSeconds).toFixed(1)}s CPU, peak RSS ${best((run) => run.peakMegabytes)}-${Math.max(...list.map((run) => run.peakMegabytes))} MB`,
    );
  }
};

const counts = process.argv
  .slice(2)
  .map(Number)
  .filter((count) => count > 0);
for (const count of counts.length > 0 ? counts : DEFAULT_COUNTS) {
  const directory = mkdtempSync(join(tmpdir(), "bukubesar-import-bench-"));
  const file = join(directory, "entries.jsonl");
  const storeUrl = `sqlite:${join(directory, "bukubesar.db")}`;
  try {
    await generate(file, count);
    await openCooperative(storeUrl);
    const baseline = process.env.BASELINE_LAUNCHER;
    if (baseline !== undefined) {
      sideBySide(count, file, storeUrl.slice("sqlite:".length), baseline);
      continue;
    }
    const imported = timed(["import", "--coop", COOP, "--file", file], storeUrl);
    console.log(describe("this", count, imported));
    if (process.env.SKIP_VERIFY === "1") continue;
    const verified = timed(["verify", "--coop", COOP], storeUrl);
    console.log(
      `verify ${count} entries: ${verified.seconds.toFixed(1)}s wall (${Math.round(count / verified.seconds)} entries/s), peak RSS ${verified.peakMegabytes} MB`,
    );
  } finally {
    if (process.env.KEEP !== "1") rmSync(directory, { recursive: true, force: true });
    else console.log(`kept ${directory}`);
  }
}
