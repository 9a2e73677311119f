/**
 * Benchmark of the projections (targets and results in docs/benchmarks.md, "Projections and reports"). Run
 * from the repository root:
 *
 *     node --import tsx --conditions=source --expose-gc packages/projections/bench/projections.bench.ts [events]
 *
 * 1. Rebuild: builds read models from EVENT_COUNT events (several cooperatives, ~5% back-dated entries),
 *    reports events/s and the heap and RSS growth of the models.
 * 2. Trial balance as of random dates on one cooperative with TRIAL_BALANCE_ENTRIES entries: p50/p99.
 * 3. Side by side on that cooperative: our export through `ledger balance` and `hledger balance`, our
 *    trial balance from the read model, and a cold replay (build the model, then the trial balance).
 *
 * Generation of the events is not timed. The events are built in memory as the store would hand them
 * over after decoding; JSON parsing and store reads are the store's cost, measured by its own benchmark.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  buildReadModel,
  exportLedgerJournal,
  type LedgerReadModel,
  trialBalance,
} from "@bukubesar/projections";
import { ACCOUNTS, cooperativeEvents, DATES, MEMBER_COUNT, random } from "./benchmarkHistory.js";

const EVENT_COUNT = Number(process.argv[2] ?? 1_000_000);
const COOPERATIVE_COUNT = 10;
const TRIAL_BALANCE_ENTRIES = 100_000;
const TRIAL_BALANCE_QUERIES = 2_000;

const percentile = (sorted: readonly number[], share: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * share))] as number;

const megabytes = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

const gc = (): void => (globalThis as { gc?: () => void }).gc?.();

const rebuildBenchmark = (): void => {
  const perCooperative = Math.floor(EVENT_COUNT / COOPERATIVE_COUNT);
  const inputs = Array.from({ length: COOPERATIVE_COUNT }, (_unused, index) =>
    cooperativeEvents(`kkmp-${index}`, perCooperative - 1 - ACCOUNTS.length - MEMBER_COUNT),
  );
  const eventCount = inputs.reduce((sum, events) => sum + events.length, 0);
  gc();
  const heapBefore = process.memoryUsage().heapUsed;
  const rssBefore = process.memoryUsage().rss;
  const started = process.hrtime.bigint();
  const models: LedgerReadModel[] = inputs.map((events, index) => buildReadModel(`kkmp-${index}`, events));
  const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
  // The first trial balance after a rebuild also builds the cumulative indexes the back-dated entries dropped.
  const indexStarted = process.hrtime.bigint();
  for (const model of models) trialBalance(model, "2026-12-31");
  const indexMs = Number(process.hrtime.bigint() - indexStarted) / 1e6;
  gc();
  const memory = process.memoryUsage();
  console.log(
    `rebuild: ${eventCount} events in ${elapsedMs.toFixed(0)} ms = ${Math.round(eventCount / (elapsedMs / 1000))} events/s`,
  );
  console.log(
    `rebuild: first trial balance of all ${models.length} models (index build) ${indexMs.toFixed(1)} ms`,
  );
  console.log(
    `rebuild: models' heap ${megabytes(memory.heapUsed - heapBefore)} (heap ${megabytes(memory.heapUsed)}, rss ${megabytes(memory.rss)}, rss growth ${megabytes(memory.rss - rssBefore)}; the input events are still held)`,
  );
};

const time = (work: () => unknown): number => {
  const started = process.hrtime.bigint();
  work();
  return Number(process.hrtime.bigint() - started) / 1e6;
};

const sideBySide = (): void => {
  const events = cooperativeEvents("kkmp-tb", TRIAL_BALANCE_ENTRIES);
  const model = buildReadModel("kkmp-tb", events);
  trialBalance(model, "2026-12-31");
  const latencies: number[] = [];
  for (let query = 0; query < TRIAL_BALANCE_QUERIES; query++) {
    const date = DATES[Math.floor(random() * 365)] as string;
    latencies.push(time(() => trialBalance(model, date)));
  }
  latencies.sort((left, right) => left - right);
  console.log(
    `trial balance (${TRIAL_BALANCE_ENTRIES} entries, ${TRIAL_BALANCE_QUERIES} random dates): p50 ${percentile(latencies, 0.5).toFixed(3)} ms, p99 ${percentile(latencies, 0.99).toFixed(3)} ms, max ${latencies[latencies.length - 1]?.toFixed(3)} ms`,
  );

  const directory = mkdtempSync(join(tmpdir(), "bukubesar-bench-"));
  try {
    let journal = "";
    const exportMs = time(() => {
      journal = exportLedgerJournal(model);
    });
    const file = join(directory, "export.journal");
    writeFileSync(file, journal);
    const tool = (command: string, args: string[]): number => {
      const started = process.hrtime.bigint();
      const result = spawnSync(command, args, { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
      if (result.status !== 0) throw new Error(`${command} failed: ${result.stderr}`);
      return Number(process.hrtime.bigint() - started) / 1e6;
    };
    const ledgerMs = tool("ledger", ["-f", file, "balance", "--flat", "--no-total", "-e", "2026-07-01"]);
    const hledgerMs = tool("hledger", ["-f", file, "balance", "--flat", "--no-total", "-e", "2026-07-01"]);
    const readModelMs = time(() => trialBalance(model, "2026-06-30"));
    const coldMs = time(() => trialBalance(buildReadModel("kkmp-tb", events), "2026-06-30"));
    console.log(
      `side by side (${TRIAL_BALANCE_ENTRIES} entries, as of 2026-06-30; journal ${megabytes(journal.length)}, export ${exportMs.toFixed(0)} ms):`,
    );
    console.log(
      `  ledger balance   ${ledgerMs.toFixed(1)} ms  (${(ledgerMs / readModelMs).toFixed(0)}× the read model)`,
    );
    console.log(
      `  hledger balance  ${hledgerMs.toFixed(1)} ms  (${(hledgerMs / readModelMs).toFixed(0)}× the read model)`,
    );
    console.log(
      `  cold replay      ${coldMs.toFixed(1)} ms  (${(coldMs / readModelMs).toFixed(0)}× the read model)`,
    );
    console.log(`  read model       ${readModelMs.toFixed(3)} ms`);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
};

rebuildBenchmark();
gc();
sideBySide();
