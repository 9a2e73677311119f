/**
 * `bukubesar verify` side by side with ledger-cli's `balance` on the same history (docs/benchmarks.md,
 * "Command line"), in one run: exports the cooperative with the real command (`export --format ledger`) to a
 * file under the temporary directory, then times `ledger -f FILE balance` and `bukubesar verify --coop ID`
 * alternately, ROUNDS times each, under GNU time (wall seconds, CPU seconds, peak RSS), and prints every run,
 * the best wall time of each and the least CPU time of each (on a shared machine the CPU seconds compare more
 * steadily; verify uses two threads, so its CPU seconds can exceed its wall time).
 *
 *   node --import tsx --conditions=source services/cli/bench/verifyVsLedger.bench.ts sqlite:PATH COOP [ROUNDS]
 *
 * A store of a million entries is what import.bench.ts leaves behind with KEEP=1.
 *
 * The target is verify ≤ 0.5 × ledger's time with at most a third of its peak RSS. To compare
 * with another build of bukubesar in the same run (before and after a change), set BASELINE_LAUNCHER to
 * that build's scripts/bukubesar.mjs and BASELINE_STORE_URL to a copy of the store it can read: each
 * round then also times `verify` of the baseline, alternating with the others (BASELINE_NODE: the
 * Node to run it with, when it is not this one). VERIFY_LAUNCHER times another launcher of this build
 * instead of scripts/bukubesar.mjs (which runs the TypeScript sources through tsx): the installed
 * command, services/cli/bin/bukubesar.mjs, runs the build (`pnpm build` first), as a user runs it.
 */
import { spawnSync } from "node:child_process";
import { closeSync, mkdtempSync, openSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const DEFAULT_ROUNDS = 3;
const repositoryRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const launcher = resolve(process.env.VERIFY_LAUNCHER ?? join(repositoryRoot, "scripts/bukubesar.mjs"));

const [storeUrl, coop, roundsText] = process.argv.slice(2);
if (storeUrl === undefined || coop === undefined) {
  console.error("usage: verifyVsLedger.bench.ts sqlite:PATH COOP [ROUNDS]");
  process.exit(2);
}
const rounds = roundsText === undefined ? DEFAULT_ROUNDS : Number(roundsText);
const environment = { ...process.env, STORE_URL: storeUrl, INIT_CWD: undefined };
const baselineLauncher = process.env.BASELINE_LAUNCHER;
/** The Node that runs the baseline build (BASELINE_NODE), when it needs another than this one. */
const baselineNode = process.env.BASELINE_NODE ?? process.execPath;
const baselineEnvironment = { ...environment, STORE_URL: process.env.BASELINE_STORE_URL ?? storeUrl };

interface Timed {
  readonly seconds: number;
  /** User and system CPU seconds: steadier than the wall time when other work shares the CPUs. */
  readonly cpuSeconds: number;
  readonly peakMegabytes: number;
}

const timed = (
  command: string,
  args: readonly string[],
  stdoutFile: string | null = null,
  env: NodeJS.ProcessEnv = environment,
): Timed => {
  const output = stdoutFile === null ? "ignore" : openSync(stdoutFile, "w");
  try {
    const result = spawnSync("/usr/bin/time", ["-f", "TIME %e %M %U %S", command, ...args], {
      env,
      encoding: "utf8",
      stdio: ["ignore", output, "pipe"],
      maxBuffer: 64 * 1024 * 1024,
    });
    const match = /TIME ([\d.]+) (\d+) ([\d.]+) ([\d.]+)/.exec(result.stderr);
    if (result.status !== 0 || match === null)
      throw new Error(
        `${command} ${args.join(" ")} failed (${result.status}): ${result.stderr.slice(-2000)}`,
      );
    return {
      seconds: Number(match[1]),
      cpuSeconds: Number(match[3]) + Number(match[4]),
      peakMegabytes: Math.round(Number(match[2]) / 1024),
    };
  } finally {
    if (typeof output === "number") closeSync(output);
  }
};

const directory = mkdtempSync(join(tmpdir(), "bukubesar-verify-vs-ledger-"));
try {
  const journal = join(directory, "journal.ledger");
  const exported = timed(
    process.execPath,
    [launcher, "export", "--coop", coop, "--format", "ledger"],
    journal,
  );
  console.log(`export: ${exported.seconds.toFixed(1)}s, peak RSS ${exported.peakMegabytes} MB`);
  const none: Timed = {
    seconds: Number.POSITIVE_INFINITY,
    cpuSeconds: Number.POSITIVE_INFINITY,
    peakMegabytes: 0,
  };
  const best = { ledger: none, verify: none, baseline: none };
  const leastCpu = { ledger: none, verify: none, baseline: none };
  const keepBest = (which: keyof typeof best, run: Timed): void => {
    if (run.seconds < best[which].seconds) best[which] = run;
    if (run.cpuSeconds < leastCpu[which].cpuSeconds) leastCpu[which] = run;
  };
  const shown = (run: Timed): string =>
    `${run.seconds.toFixed(1)}s (CPU ${run.cpuSeconds.toFixed(1)}s) ${run.peakMegabytes} MB`;
  for (let round = 1; round <= rounds; round++) {
    const load = loadavg()[0]?.toFixed(2);
    const ledger = timed("ledger", ["-f", journal, "balance"]);
    const verify = timed(process.execPath, [launcher, "verify", "--coop", coop]);
    const baseline =
      baselineLauncher === undefined
        ? null
        : timed(baselineNode, [baselineLauncher, "verify", "--coop", coop], null, baselineEnvironment);
    keepBest("ledger", ledger);
    keepBest("verify", verify);
    if (baseline !== null) keepBest("baseline", baseline);
    console.log(
      `round ${round} (load ${load}): ledger balance ${shown(ledger)}; bukubesar verify ${shown(verify)}` +
        (baseline === null ? "" : `; baseline verify ${shown(baseline)}`),
    );
  }
  console.log(
    `best: ledger balance ${best.ledger.seconds.toFixed(1)}s, bukubesar verify ${best.verify.seconds.toFixed(1)}s` +
      ` (ratio ${(best.verify.seconds / best.ledger.seconds).toFixed(2)}; peak RSS ${best.verify.peakMegabytes} MB vs ledger's ${best.ledger.peakMegabytes} MB)` +
      (baselineLauncher === undefined
        ? ""
        : `; baseline verify ${best.baseline.seconds.toFixed(1)}s ${best.baseline.peakMegabytes} MB`),
  );
  console.log(
    `least CPU: ledger balance ${leastCpu.ledger.cpuSeconds.toFixed(1)}s, bukubesar verify ${leastCpu.verify.cpuSeconds.toFixed(1)}s` +
      ` (ratio ${(leastCpu.verify.cpuSeconds / leastCpu.ledger.cpuSeconds).toFixed(2)})` +
      (baselineLauncher === undefined ? "" : `; baseline verify ${leastCpu.baseline.cpuSeconds.toFixed(1)}s`),
  );
} finally {
  rmSync(directory, { recursive: true, force: true });
}
