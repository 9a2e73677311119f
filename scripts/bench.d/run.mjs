#!/usr/bin/env node
// Runs every benchmark of scripts/bench.d/benchmarks.mjs in sequence, captures each one's output, and
// writes the results page (docs/benchmarks.md for a full run; a quick run prints it instead).
//
//   node scripts/bench.d/run.mjs [--quick] [--only=id,id] [--output=FILE]
//
// Each benchmark runs in its own process group with its own temporary directory (TMPDIR), which is removed
// afterwards; a benchmark that overruns its time is killed with its children, and one that would overrun
// the whole run's budget is skipped. PostgreSQL databases a benchmark left behind (bb_bench_*) are dropped.
import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { cpus, loadavg, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { BENCHMARKS } from "./benchmarks.mjs";

const repositoryRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const quick = process.argv.includes("--quick");
const only = process.argv
  .find((argument) => argument.startsWith("--only="))
  ?.slice("--only=".length)
  .split(",");
const outputArgument = process.argv
  .find((argument) => argument.startsWith("--output="))
  ?.slice("--output=".length);
const output = outputArgument ?? (quick ? null : join(repositoryRoot, "docs/benchmarks.md"));

/** The whole run's budget: a full run must end within about 40 minutes on the 2-CPU development machine. */
const RUN_BUDGET_SECONDS = quick ? 15 * 60 : 40 * 60;
/** A benchmark is not started when less than this is left of the budget. */
const MINIMUM_START_SECONDS = 60;
/** After SIGTERM to a benchmark's process group, this long before SIGKILL. */
const KILL_GRACE_MS = 5_000;
/** Raw outputs of the last run, for reading in full (the folder is ignored by git). */
const LOG_DIRECTORY = join(repositoryRoot, ".bench");

const log = (line) => process.stderr.write(`[bench] ${line}\n`);

const tryCommand = (file, args) => {
  try {
    return execFileSync(file, args, {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
      timeout: 10_000,
    }).trim();
  } catch {
    return null;
  }
};

const requireFromEventStore = createRequire(join(repositoryRoot, "packages/event-store/package.json"));
const databaseUrl = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

const withPostgres = async (work) => {
  const { Client } = requireFromEventStore("pg");
  const client = new Client({ connectionString: databaseUrl, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
};

const postgresVersion = async () => {
  try {
    return await withPostgres(
      async (client) => (await client.query("SHOW server_version")).rows[0].server_version,
    );
  } catch (error) {
    return `unreachable (${error.message})`;
  }
};

const benchDatabases = async () => {
  try {
    return await withPostgres(async (client) =>
      (await client.query("SELECT datname FROM pg_database WHERE datname LIKE 'bb\\_bench\\_%'")).rows.map(
        (row) => row.datname,
      ),
    );
  } catch {
    return [];
  }
};

/** Drops the bench databases that appeared while a benchmark ran (it normally drops its own). */
const dropLeftDatabases = async (before) => {
  const left = (await benchDatabases()).filter((name) => !before.includes(name));
  if (left.length === 0) return;
  await withPostgres(async (client) => {
    for (const name of left) {
      if (!/^bb_bench_[a-z0-9_]+$/.test(name)) continue;
      log(`dropping database ${name} left by the benchmark`);
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    }
  });
};

const machine = async () => {
  const sqlite = (() => {
    try {
      const Database = requireFromEventStore("better-sqlite3");
      const database = new Database(":memory:");
      const version = database.prepare("SELECT sqlite_version() AS version").get().version;
      database.close();
      return version;
    } catch (error) {
      return `unavailable (${error.message})`;
    }
  })();
  const cpuModel =
    /model name\s*:\s*(.*)/.exec(readFileSync("/proc/cpuinfo", "utf8"))?.[1] ?? cpus()[0]?.model;
  return {
    nproc: tryCommand("nproc", []) ?? String(cpus().length),
    cpuModel,
    memory: tryCommand("free", ["-h"]) ?? "unknown",
    kernel: tryCommand("uname", ["-sr"]) ?? "unknown",
    node: process.version,
    sqlite,
    postgres: await postgresVersion(),
    nats: tryCommand("nats-server", ["--version"]) ?? "not installed",
    ledger: tryCommand("ledger", ["--version"])?.split("\n")[0] ?? "not installed",
    hledger: tryCommand("hledger", ["--version"])?.split("\n")[0] ?? "not installed",
    uptime: tryCommand("uptime", []) ?? "unknown",
  };
};

/** Runs one command in its own process group; resolves with its output, exit status and whether it was killed. */
const runCommand = (command, timeoutSeconds, environment) =>
  new Promise((resolveRun) => {
    const child = spawn(command[0], command.slice(1), {
      cwd: repositoryRoot,
      env: environment,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
      process.stderr.write(chunk);
    });
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    let timedOut = false;
    const killGroup = (signal) => {
      try {
        process.kill(-child.pid, signal);
      } catch {
        // The group is already gone.
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      log(`timeout after ${timeoutSeconds} s: stopping the benchmark`);
      killGroup("SIGTERM");
      setTimeout(() => killGroup("SIGKILL"), KILL_GRACE_MS).unref();
    }, timeoutSeconds * 1000);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      // Children the benchmark started and left behind share its group.
      killGroup("SIGKILL");
      resolveRun({ stdout, stderr, code, signal, timedOut });
    });
  });

const escapeCell = (text) => String(text).replaceAll("|", "\\|").replaceAll("\n", " ");

const shellQuote = (argument) =>
  /^[\w@%+=:,./-]+$/.test(argument) ? argument : `'${argument.replaceAll("'", "'\\''")}'`;

/** Runs one benchmark under its time limit in its own TMPDIR, keeps its log, and reads its figures. */
const runBenchmark = async (benchmark, command, base, timeoutSeconds) => {
  const load = loadavg().map((value) => value.toFixed(2));
  log(`${benchmark.id}: ${base.command} (load average ${load.join(" ")}, at most ${timeoutSeconds} s)`);
  const temporary = mkdtempSync(join(tmpdir(), `bukubesar-bench-${benchmark.id}-`));
  const databasesBefore = await benchDatabases();
  const started = performance.now();
  const run = await runCommand(command, timeoutSeconds, {
    ...process.env,
    TMPDIR: temporary,
    LOG_LEVEL: "silent",
  });
  const seconds = (performance.now() - started) / 1000;
  rmSync(temporary, { recursive: true, force: true });
  await dropLeftDatabases(databasesBefore);
  writeFileSync(
    join(LOG_DIRECTORY, `${benchmark.id}.log`),
    `$ ${base.command}\n${run.stdout}\n--- stderr ---\n${run.stderr}`,
  );
  const rows = figuresOf(benchmark, run.stdout);
  const status = statusOf(run, timeoutSeconds);
  return { ...base, load, seconds, status, rows, stdout: run.stdout };
};

const figuresOf = (benchmark, stdout) => {
  try {
    return benchmark.parse(stdout);
  } catch (error) {
    return [{ measure: "figures", target: "—", measured: `could not be read: ${error.message}`, met: "—" }];
  }
};

const statusOf = (run, timeoutSeconds) => {
  if (run.timedOut)
    return `**stopped after ${timeoutSeconds} s** (time limit); figures printed before that are shown`;
  if (run.code === 0) return "completed";
  return `**failed** (exit ${run.code ?? run.signal}); last lines of its error output: ${escapeCell(run.stderr.trim().split("\n").slice(-3).join(" / ")).slice(0, 600)}`;
};

const main = async () => {
  const runStarted = Date.now();
  const facts = await machine();
  const selected = BENCHMARKS.filter((benchmark) => only === undefined || only.includes(benchmark.id));
  mkdirSync(LOG_DIRECTORY, { recursive: true });
  const results = [];
  for (const benchmark of selected) {
    const command = benchmark.command(quick);
    const elapsed = (Date.now() - runStarted) / 1000;
    const left = RUN_BUDGET_SECONDS - elapsed;
    const timeoutSeconds = Math.min(benchmark.timeoutSeconds[quick ? "quick" : "full"], Math.floor(left));
    const base = {
      benchmark,
      command: command.map(shellQuote).join(" "),
      startedAt: new Date().toISOString(),
    };
    if (left < MINIMUM_START_SECONDS) {
      log(`skipping ${benchmark.id}: the run's budget is spent`);
      results.push({
        ...base,
        status: `skipped: less than ${MINIMUM_START_SECONDS} s of the run's budget left`,
        rows: [],
      });
      continue;
    }
    results.push(await runBenchmark(benchmark, command, base, timeoutSeconds));
  }
  const page = render(facts, results, (Date.now() - runStarted) / 1000);
  if (output === null) process.stdout.write(page);
  else {
    writeFileSync(output, page);
    log(`wrote ${output}`);
  }
  const failed = results.filter((result) => result.status !== "completed");
  if (failed.length > 0) {
    log(`not completed: ${failed.map((result) => result.benchmark.id).join(", ")}`);
    process.exitCode = 1;
  }
};

/** One benchmark's part of the page: its title, command, status, figures and (folded) output. */
const resultLines = (result) => {
  const lines = [];
  const push = (...text) => lines.push(...text);
  push(`### ${result.benchmark.title}`, "");
  push(`Command (from the repository root): \`${result.command}\``, "");
  push(
    result.load === undefined
      ? `Status: ${result.status}.`
      : `Status: ${result.status}; ${result.seconds.toFixed(0)} s; load average at its start ${result.load.join(", ")}; started ${result.startedAt}.`,
    "",
  );
  if (result.rows.length > 0) {
    push("| measure | target | measured | met? |", "|---|---|---|---|");
    for (const row of result.rows)
      push(
        `| ${escapeCell(row.measure)} | ${escapeCell(row.target)} | ${escapeCell(row.measured)} | ${escapeCell(row.met)} |`,
      );
    push("");
  }
  if (result.stdout !== undefined && result.stdout.trim() !== "") {
    push("<details><summary>output</summary>", "", "```", result.stdout.trim(), "```", "", "</details>", "");
  }
  return lines;
};

/** The heading from which docs/benchmarks.md is written by hand; the run rewrites only what is above it. */
const ANALYSIS_HEADING = "## Analysis (written by hand";

/**
 * The hand-written analysis at the end of docs/benchmarks.md, kept as it is: the page itself is its only
 * copy, so a run never drops a section written since the last one. Null when there is no page yet.
 */
const handWrittenAnalysis = () => {
  let page;
  try {
    page = readFileSync(join(repositoryRoot, "docs/benchmarks.md"), "utf8");
  } catch {
    return null;
  }
  const start = page.indexOf(`\n${ANALYSIS_HEADING}`);
  // A page without the heading (renamed by hand, say) would lose its analysis to this run: stop instead.
  if (start < 0) throw new Error(`docs/benchmarks.md has no "${ANALYSIS_HEADING}" heading; restore it first`);
  return page.slice(start + 1).trim();
};

const render = (facts, results, totalSeconds) => {
  const lines = [];
  const push = (...text) => lines.push(...text);
  push(
    "# Benchmarks",
    "",
    `Written by \`scripts/bench${quick ? " --quick" : ""}\` on ${new Date().toISOString().slice(0, 10)} ` +
      `(${quick ? "quick sizes: a smoke check, not the issues' sizes" : "the issues' sizes"}); the whole run took ` +
      `${(totalSeconds / 60).toFixed(1)} min. Every figure below was printed by the benchmark named with it; ` +
      "nothing is edited by hand except the analysis at the end. Benchmarks are not timed tests: the targets are " +
      "checked here, never in `./scripts/test`.",
    "",
    "**The machine is shared**: other engineers' builds and tests ran on the same two CPUs during the run, so " +
      "each benchmark records the load average when it started (1, 5 and 15 minutes; more than 2 means " +
      "processes were waiting for a CPU). Figures taken under load are pessimistic and vary between runs.",
    "",
    "## Machine",
    "",
    "| | |",
    "|---|---|",
    `| CPUs (\`nproc\`) | ${facts.nproc} |`,
    `| CPU model | ${escapeCell(facts.cpuModel)} |`,
    `| Kernel | ${escapeCell(facts.kernel)} |`,
    `| Node | ${facts.node} |`,
    `| SQLite (better-sqlite3) | ${escapeCell(facts.sqlite)} |`,
    `| PostgreSQL | ${escapeCell(facts.postgres)} |`,
    `| nats-server | ${escapeCell(facts.nats)} |`,
    `| ledger-cli / hledger | ${escapeCell(facts.ledger)} / ${escapeCell(facts.hledger)} |`,
    `| \`uptime\` at the start | ${escapeCell(facts.uptime)} |`,
    "",
    "`free -h` at the start:",
    "",
    "```",
    facts.memory,
    "```",
    "",
  );
  const areas = [...new Set(results.map((result) => result.benchmark.area))];
  for (const area of areas) {
    push(`## ${area}`, "");
    for (const result of results.filter((candidate) => candidate.benchmark.area === area))
      push(...resultLines(result));
  }
  const analysis = handWrittenAnalysis();
  if (analysis !== null) push(analysis, "");
  return `${lines.join("\n")}\n`;
};

await main();
