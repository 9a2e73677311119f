/**
 * HTTP benchmark of the ledger API (docs/benchmarks.md, "Ledger API over HTTP"), not a test. Starts the real
 * server (`bukubesar serve`, i.e. services/cli/src/main.ts, the program scripts/bukubesar.mjs launches) on a
 * fresh SQLite file in a temporary DATA_DIR with LOG_LEVEL=silent, creates cooperatives with a small chart
 * and one treasurer token each, then loads it with autocannon on loopback:
 *
 *   1. posts of 2-line journal entries spread over the cooperatives, every request with its own
 *      Idempotency-Key, path, token and body (autocannon's setupRequest);
 *   2. trial-balance reads (GET …/trial-balance) spread over the same cooperatives.
 *
 * Afterwards every cooperative's trial balance must show exactly the entries that were answered 201.
 * Client and server run on the same machine and share its CPUs; beside each phase's rates the server's
 * CPU seconds (from /proc) and its CPU per request are printed, which move less with the machine's load.
 *
 *   node --import tsx --conditions=source services/ledger-api/bench/http.bench.ts \
 *     [post seconds] [read seconds] [connections] [cooperatives]
 *
 * Defaults: 20 s, 10 s, 64 connections, 100 cooperatives. PROFILE_DIR=DIR runs the server under
 * `node --cpu-prof` (one .cpuprofile in DIR when it stops). The last line printed is
 * `BENCH_JSON {…}` with every figure, for scripts/bench.
 */
import { randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import autocannon from "autocannon";
import { type BenchServer, mainSource, startBenchServer, stopBenchServer } from "./benchServer.js";

const POST_SECONDS = Number(process.argv[2] ?? 20);
const READ_SECONDS = Number(process.argv[3] ?? 10);
const CONNECTIONS = Number(process.argv[4] ?? 64);
const COOPERATIVES = Number(process.argv[5] ?? 100);
/** The entries' accounting date: a past day, so no cooperative's calendar sees it as the future. */
const ENTRY_DATE = "2026-06-15";
/** The trial balance is asked as of this date, after every entry's date. */
const AS_OF = "2026-06-30";
/** Throughput is also reported per window of this many seconds, to show whether it falls as history grows. */
const WINDOW_SECONDS = 5;
/** How long the server may take to print its URL. */
const SERVER_START_TIMEOUT_MS = 60_000;

/** Linux counts a process's CPU time in /proc/PID/stat in ticks of 1/100 s (USER_HZ). */
const CLOCK_TICKS_PER_SECOND = 100;

const adminToken = `bench-admin-${randomUUID()}`;
const runId = randomUUID().slice(0, 8);

type Server = BenchServer;

const startServer = (dataDirectory: string): Promise<Server> => {
  const profileDirectory = process.env.PROFILE_DIR;
  const profileFlags =
    profileDirectory === undefined ? [] : ["--cpu-prof", `--cpu-prof-dir=${profileDirectory}`];
  return startBenchServer({
    nodeArguments: [...profileFlags, "--import", "tsx", "--conditions=source", mainSource, "serve"],
    dataDirectory,
    adminToken,
    startTimeoutMs: SERVER_START_TIMEOUT_MS,
  });
};

const stopServer = stopBenchServer;

/**
 * The CPU seconds (user + system) a process has used so far, from /proc (Linux); null elsewhere. The wall
 * rates swing with whatever else the machine runs; the server's CPU per request much less.
 */
const cpuSecondsOf = (pid: number | undefined): number | null => {
  if (pid === undefined) return null;
  try {
    // The command name (field 2) may hold spaces; the fields after its closing parenthesis do not.
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
    const ticks = Number(fields[11]) + Number(fields[12]);
    return Number.isFinite(ticks) ? ticks / CLOCK_TICKS_PER_SECOND : null;
  } catch {
    return null;
  }
};

/** The server's and this client's CPU seconds while `run` ran. */
const withCpu = async <T>(
  pid: number | undefined,
  run: () => Promise<T>,
): Promise<{ result: T; serverCpu: number | null; clientCpu: number }> => {
  const serverBefore = cpuSecondsOf(pid);
  const clientBefore = process.cpuUsage();
  const result = await run();
  const client = process.cpuUsage(clientBefore);
  const serverAfter = cpuSecondsOf(pid);
  return {
    result,
    serverCpu: serverBefore === null || serverAfter === null ? null : serverAfter - serverBefore,
    clientCpu: (client.user + client.system) / 1e6,
  };
};

/** "server 12.3 CPU s (1,234 µs a request), client 4.5 CPU s" */
const cpuLine = (cpu: { serverCpu: number | null; clientCpu: number }, requests: number): string =>
  `server ${cpu.serverCpu?.toFixed(1) ?? "?"} CPU s (${
    cpu.serverCpu === null || requests === 0 ? "?" : Math.round((cpu.serverCpu * 1e6) / requests)
  } µs a request), client ${cpu.clientCpu.toFixed(1)} CPU s`;

const call = async (
  url: string,
  method: string,
  path: string,
  token: string,
  body?: unknown,
): Promise<unknown> => {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return text === "" ? null : JSON.parse(text);
};

const SMALL_CHART = [
  { code: "1101", name: "Kas", type: "asset" },
  { code: "3101", name: "Simpanan Pokok", type: "equity" },
  { code: "4101", name: "Penjualan", type: "income" },
  { code: "5101", name: "Beban Operasional", type: "expense" },
] as const;

interface Cooperative {
  readonly id: string;
  readonly token: string;
}

const createCooperatives = async (url: string): Promise<Cooperative[]> => {
  const cooperatives: Cooperative[] = [];
  for (let index = 0; index < COOPERATIVES; index++) {
    const id = `kkmp-bench-${runId}-${index}`;
    await call(url, "POST", "/v1/cooperatives", adminToken, {
      id,
      name: `KKMP Bench ${index}`,
      regionCode: "35.74.03.1002",
    });
    for (const account of SMALL_CHART)
      await call(url, "POST", `/v1/cooperatives/${id}/accounts`, adminToken, account);
    const created = (await call(url, "POST", "/v1/tokens", adminToken, {
      role: "treasurer",
      scope: id,
      name: `bench treasurer ${index}`,
    })) as { token: string };
    cooperatives.push({ id, token: created.token });
  }
  return cooperatives;
};

interface Figures {
  readonly seconds: number;
  readonly ok: number;
  readonly other: number;
  readonly errors: number;
  readonly timeouts: number;
  readonly perSecond: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
}

const figuresOf = (result: autocannon.Result, ok: number): Figures => {
  const seconds = result.duration;
  return {
    seconds,
    ok,
    other: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    perSecond: Math.round(ok / seconds),
    p50: result.latency.p50,
    p90: result.latency.p90,
    p99: result.latency.p99,
    max: result.latency.max,
  };
};

interface PostContext {
  amount?: number;
  cooperative?: number;
}

const postEntries = async (
  url: string,
  cooperatives: readonly Cooperative[],
): Promise<{
  figures: Figures;
  debitByCooperative: number[];
  sentByCooperative: number[];
  statuses: Record<string, number>;
  perWindow: number[];
}> => {
  let next = 0;
  let created = 0;
  const perWindow: number[] = [];
  let createdAtLastWindow = 0;
  const windowTimer = setInterval(() => {
    perWindow.push(Math.round((created - createdAtLastWindow) / WINDOW_SECONDS));
    createdAtLastWindow = created;
  }, WINDOW_SECONDS * 1000);
  const debitByCooperative = cooperatives.map(() => 0);
  const sentByCooperative = cooperatives.map(() => 0);
  const statuses: Record<string, number> = {};
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: POST_SECONDS,
    requests: [
      {
        method: "POST",
        setupRequest: (request, context: PostContext) => {
          const index = next;
          next += 1;
          const cooperativeIndex = index % cooperatives.length;
          const cooperative = cooperatives[cooperativeIndex] as Cooperative;
          // Whole rupiah amounts, varied so that no two neighbouring entries look like duplicates.
          const amount = 1_000 + ((index * 7_919) % 997) * 250;
          const sale = index % 2 === 0;
          context.amount = amount;
          context.cooperative = cooperativeIndex;
          sentByCooperative[cooperativeIndex] = (sentByCooperative[cooperativeIndex] ?? 0) + amount;
          return {
            ...request,
            method: "POST",
            path: `/v1/cooperatives/${cooperative.id}/journal-entries`,
            headers: {
              authorization: `Bearer ${cooperative.token}`,
              "content-type": "application/json",
              "idempotency-key": `bench-${runId}-${index}`,
            },
            body: JSON.stringify({
              date: ENTRY_DATE,
              memo: `Bench entry ${index}`,
              lines: sale
                ? [
                    { account: "1101", debit: `${amount}` },
                    { account: "4101", credit: `${amount}` },
                  ]
                : [
                    { account: "5101", debit: `${amount}` },
                    { account: "3101", credit: `${amount}` },
                  ],
            }),
          };
        },
        onResponse: (status, _body, context: PostContext) => {
          statuses[status] = (statuses[status] ?? 0) + 1;
          if (status === 201 && context.cooperative !== undefined && context.amount !== undefined) {
            created += 1;
            debitByCooperative[context.cooperative] =
              (debitByCooperative[context.cooperative] ?? 0) + context.amount;
          }
        },
      },
    ],
  });
  clearInterval(windowTimer);
  return { figures: figuresOf(result, created), debitByCooperative, sentByCooperative, statuses, perWindow };
};

const readTrialBalances = async (
  url: string,
  cooperatives: readonly Cooperative[],
): Promise<{ figures: Figures; statuses: Record<string, number> }> => {
  let next = 0;
  let ok = 0;
  const statuses: Record<string, number> = {};
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: READ_SECONDS,
    requests: [
      {
        method: "GET",
        setupRequest: (request) => {
          const cooperative = cooperatives[next % cooperatives.length] as Cooperative;
          next += 1;
          return {
            ...request,
            method: "GET",
            path: `/v1/cooperatives/${cooperative.id}/trial-balance?asOf=${AS_OF}`,
            headers: { authorization: `Bearer ${cooperative.token}` },
          };
        },
        onResponse: (status) => {
          statuses[status] = (statuses[status] ?? 0) + 1;
          if (status === 200) ok += 1;
        },
      },
    ],
  });
  return { figures: figuresOf(result, ok), statuses };
};

/**
 * Every cooperative's trial balance must hold every entry answered 201, and nothing that was not sent: its
 * debit total lies between the amounts answered 201 and the amounts sent (requests still in flight when
 * the load stopped may have been recorded without their answer being counted).
 */
const checkTotals = async (
  url: string,
  cooperatives: readonly Cooperative[],
  debitByCooperative: readonly number[],
  sentByCooperative: readonly number[],
): Promise<number> => {
  let mismatches = 0;
  for (const [index, cooperative] of cooperatives.entries()) {
    const balance = (await call(
      url,
      "GET",
      `/v1/cooperatives/${cooperative.id}/trial-balance?asOf=${AS_OF}`,
      cooperative.token,
    )) as { totals: { debit: string } };
    const answered = debitByCooperative[index] ?? 0;
    const sent = sentByCooperative[index] ?? 0;
    const recorded = Number(balance.totals.debit);
    if (!(recorded >= answered && recorded <= sent)) {
      mismatches += 1;
      console.log(
        `MISMATCH ${cooperative.id}: trial balance ${balance.totals.debit}, answered 201 ${answered}, sent ${sent}`,
      );
    }
  }
  return mismatches;
};

const line = (label: string, figures: Figures, unit: string): string =>
  `${label}: ${figures.perSecond} ${unit}/s over ${figures.seconds.toFixed(1)} s (${figures.ok} ok, ` +
  `${figures.other} other status, ${figures.errors} errors, ${figures.timeouts} timeouts), ` +
  `latency p50 ${figures.p50} ms, p90 ${figures.p90} ms, p99 ${figures.p99} ms, max ${figures.max} ms`;

const dataDirectory = mkdtempSync(join(tmpdir(), "bukubesar-http-bench-"));
let server: Server | null = null;
try {
  server = await startServer(dataDirectory);
  const setupStarted = performance.now();
  const cooperatives = await createCooperatives(server.url);
  console.log(
    `setup: ${cooperatives.length} cooperatives (4 accounts, 1 treasurer token each) in ` +
      `${((performance.now() - setupStarted) / 1000).toFixed(1)} s; ${CONNECTIONS} connections, ` +
      `client and server on the same machine`,
  );
  const serverPid = server.process.pid;
  const postsCpu = await withCpu(serverPid, () => postEntries(server?.url ?? "", cooperatives));
  const posts = postsCpu.result;
  const postRequests = Object.values(posts.statuses).reduce((sum, count) => sum + count, 0);
  console.log(line("posts (2-line entries, distinct keys)", posts.figures, "entries"));
  console.log(`posts CPU: ${cpuLine(postsCpu, postRequests)}`);
  console.log(`post statuses: ${JSON.stringify(posts.statuses)}`);
  console.log(`posts per ${WINDOW_SECONDS}-second window (entries/s): ${posts.perWindow.join(", ")}`);
  const mismatches = await checkTotals(
    server.url,
    cooperatives,
    posts.debitByCooperative,
    posts.sentByCooperative,
  );
  console.log(
    `check: ${cooperatives.length - mismatches} of ${cooperatives.length} trial balances hold every entry answered 201 and nothing unsent`,
  );
  const readsCpu = await withCpu(serverPid, () => readTrialBalances(server?.url ?? "", cooperatives));
  const reads = readsCpu.result;
  const readRequests = Object.values(reads.statuses).reduce((sum, count) => sum + count, 0);
  console.log(line("trial-balance reads", reads.figures, "reads"));
  console.log(`reads CPU: ${cpuLine(readsCpu, readRequests)}`);
  console.log(`read statuses: ${JSON.stringify(reads.statuses)}`);
  console.log(
    `BENCH_JSON ${JSON.stringify({
      cooperatives: cooperatives.length,
      connections: CONNECTIONS,
      posts: posts.figures,
      postStatuses: posts.statuses,
      postsPerWindow: posts.perWindow,
      reads: reads.figures,
      readStatuses: reads.statuses,
      postsServerCpuSeconds: postsCpu.serverCpu,
      readsServerCpuSeconds: readsCpu.serverCpu,
      totalsMismatches: mismatches,
    })}`,
  );
  if (mismatches > 0) process.exitCode = 1;
} finally {
  if (server !== null) await stopServer(server);
  rmSync(dataDirectory, { recursive: true, force: true });
}
