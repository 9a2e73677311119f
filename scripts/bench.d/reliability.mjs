#!/usr/bin/env node
// scripts/bench --reliability: runs the fault tests of docs/reliability.md (the ones scripts/test runs at a
// reduced count) at full count, several rounds, and writes what was run, how often and what was lost into
// docs/reliability.md between the reliability-bench markers.
//
//   node scripts/bench.d/reliability.mjs [--rounds=N] [--scale=N]
//
// --scale multiplies the keyed requests of the kill -9 runs (FAULT_SCALE; 1 in scripts/test, 150
// requests); --rounds repeats every test that many times. Each round is a separate vitest run, so a
// failure in one round is counted and the others still run.
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { stripVTControlCharacters } from "node:util";

const repositoryRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const argument = (name, fallback) =>
  Number(process.argv.find((text) => text.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback);
const rounds = argument("rounds", 5);
const scale = argument("scale", 10);
const KILL_REQUESTS_AT_SCALE_ONE = 150;
const START = "<!-- reliability-bench:start -->";
const END = "<!-- reliability-bench:end -->";
/** vitest's JSON report of the last round (the folder is ignored by git, like scripts/bench's raw outputs). */
const REPORT_FILE = join(repositoryRoot, ".bench", "reliability.json");

/** The fault tests and their numbers in docs/reliability.md section 6. */
const FAULT_TESTS = [
  {
    file: "services/cli/test/faults.int.test.ts",
    covers: "#3 hot account (2 processes), #13 kill -9 of the API on SQLite and PostgreSQL",
  },
  { file: "services/ledger-api/test/fullDisk.e2e.test.ts", covers: "#15 a real full filesystem (tmpfs)" },
  {
    file: "services/ledger-api/test/ledgerIntegrity.e2e.test.ts",
    covers: "#17 fail-stop on a tampered event",
  },
  {
    file: "packages/event-store/test/postgresOutcomeUnknown.int.test.ts",
    covers: "#9/#18 PostgreSQL connection cut around COMMIT, SQLSTATE 40001/40P01 retried within a bound",
  },
  {
    file: "services/ledger-api/test/outcomeUnknown.e2e.test.ts",
    covers: "#9/#18 the same cuts under an HTTP journal entry, retried with its key",
  },
  {
    file: "services/ledger-api/test/clockSkew.e2e.test.ts",
    covers: "#27 clock set back 1 h and forward 1 day",
  },
  {
    file: "services/cli/test/clockSkew.int.test.ts",
    covers: "#27 the same jumps with libfaketime on serve, and 500 ppm drift fast then slow",
  },
  {
    file: "services/ledger-api/test/recordedAtLead.e2e.test.ts",
    covers: "#27 the clamp's bound: a stream recorded in 2099 raises one clock alert",
  },
  {
    file: "services/cli/test/importUnderLoad.int.test.ts",
    covers: "bukubesar import competing with steady API posts on one SQLite store",
  },
  {
    file: "services/supervisor/test/supervisorNats.int.test.ts",
    covers:
      "#24 NATS down while posting, #26 every NATS node killed with its data lost, a republication interrupted",
  },
  {
    file: "services/supervisor/test/natsCoordinatedCrash.int.test.ts",
    covers: "#26 three NATS nodes killed together, unsynced writes lost: only the lost tail republished",
  },
  {
    file: "packages/bus/test/natsCluster.int.test.ts",
    covers: "#23 one of three NATS nodes killed under a subscriber (its connection, its consumer, both)",
  },
  {
    file: "services/cli/test/ioError.int.test.ts",
    covers: "#16 EIO and ENOSPC on fsync injected with fiu-run, recovered without a restart",
  },
  {
    file: "services/cli/test/superviseKill.int.test.ts",
    covers: "#22 kill -9 of supervise and of serve mid-batch of alerts",
  },
];

const log = (line) => process.stderr.write(`[reliability] ${line}\n`);

/** What the hot-account runs say of debits the two processes answered 503 and the client retried. */
const hotAccountLine = (retried, debits) =>
  retried === 0
    ? `Hot account: none of ${debits} debits was answered 503 \`store_unavailable\`; each settled at the first try.`
    : `Hot account: ${retried} of ${debits} debits were answered 503 \`store_unavailable\` at least once (the two ` +
      "processes kept taking the stream from each other past the handler's retries) and were retried by the " +
      "client with their key, as docs/api.md says; each settled once.";

const runRound = (round) => {
  const started = Date.now();
  const result = spawnSync(
    "pnpm",
    [
      "exec",
      "vitest",
      "run",
      "--reporter=default",
      "--reporter=json",
      `--outputFile.json=${REPORT_FILE}`,
      ...FAULT_TESTS.map((test) => test.file),
    ],
    {
      cwd: repositoryRoot,
      env: { ...process.env, FAULT_SCALE: String(scale) },
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  const seconds = (Date.now() - started) / 1000;
  const report = JSON.parse(readFileSync(REPORT_FILE, "utf8"));
  const retried = [...(result.stdout + result.stderr).matchAll(/hot account: (\d+) requests retried/g)].map(
    (match) => Number(match[1]),
  );
  // The figures some tests print (how far the kill -9 of the alert worker got, the bank workload's reads).
  const figures = [
    ...stripVTControlCharacters(result.stdout + result.stderr).matchAll(
      /^((?:fault #\d+ \(|bank workload: ).*)$/gm,
    ),
  ].map((match) => match[1]);
  const tests = report.testResults.flatMap((file) =>
    file.assertionResults.map((test) => ({ name: test.fullName, passed: test.status === "passed" })),
  );
  log(
    `round ${round}: ${tests.filter((test) => test.passed).length}/${tests.length} passed in ${seconds.toFixed(0)} s`,
  );
  return { seconds, tests, figures, retried: retried.reduce((sum, value) => sum + value, 0) };
};

mkdirSync(dirname(REPORT_FILE), { recursive: true });
const results = Array.from({ length: rounds }, (_, index) => runRound(index + 1));
const byTest = new Map();
for (const round of results)
  for (const test of round.tests) {
    const counts = byTest.get(test.name) ?? { runs: 0, passed: 0 };
    counts.runs += 1;
    if (test.passed) counts.passed += 1;
    byTest.set(test.name, counts);
  }
const load = loadavg()
  .map((value) => value.toFixed(2))
  .join(" ");
const lines = [
  START,
  `Last \`scripts/bench --reliability --rounds=${rounds} --scale=${scale}\`: ${new Date().toISOString().slice(0, 10)}, ` +
    `${cpus().length} CPUs (${cpus()[0]?.model ?? "unknown"}), load ${load} at the end (the machine is shared); ` +
    `kill -9 runs with ${KILL_REQUESTS_AT_SCALE_ONE * scale} keyed requests each, the hot account with 200 debits per run; ` +
    `${results.reduce((sum, round) => sum + round.seconds, 0).toFixed(0)} s in all.`,
  "",
  "| test | runs | passed | lost or duplicated |",
  "|---|---|---|---|",
  ...[...byTest].map(
    ([name, counts]) =>
      `| ${name} | ${counts.runs} | ${counts.passed} | ${counts.passed === counts.runs ? "nothing" : "see the failed run's output"} |`,
  ),
  "",
  hotAccountLine(
    results.reduce((sum, round) => sum + round.retried, 0),
    200 * rounds,
  ),
  ...(results.some((round) => round.figures.length > 0)
    ? [
        "",
        "Printed by the tests:",
        "",
        ...results.flatMap((round) => round.figures.map((line) => `- ${line}`)),
      ]
    : []),
  END,
];
const path = join(repositoryRoot, "docs/reliability.md");
const text = readFileSync(path, "utf8");
const startAt = text.indexOf(START);
const endAt = text.indexOf(END);
if (startAt < 0 || endAt < 0) throw new Error(`docs/reliability.md lacks the ${START} … ${END} markers`);
writeFileSync(path, text.slice(0, startAt) + lines.join("\n") + text.slice(endAt + END.length));
log(`figures written to docs/reliability.md`);
process.exit([...byTest.values()].every((counts) => counts.passed === counts.runs) ? 0 : 1);
