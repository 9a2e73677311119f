/**
 * Memory budget benchmarks (docs/operations.md, Memory budget and snapshots), not a test. Each builds a
 * fresh SQLite store under the operating system's temporary directory (entries of two lines, recorded
 * through the decider and the hash chain as the service records them) and measures:
 *
 *   memory <cooperatives> <entries each> <MEMORY_BUDGET_MB>   `bukubesar serve` with that budget: time to
 *       /health, RSS after start, then every cooperative's trial balance read once (checked), RSS and
 *       peak RSS after
 *   cold <entries> <requests>   two cooperatives of that size and a 1 MB budget, so that every request
 *       finds its cooperative let go and loads it from its snapshot: latency of those first requests
 *   start <events>   one cooperative of that many events: time to /health and /ready, first start (no
 *       directory snapshot yet) and second
 *   held <entries>   in this process: heap of one held cooperative (ledger state, entry records and read
 *       model) per entry, folded from its log and loaded from its snapshot (before and after its entries
 *       are first read: they are built then), the CPU of that load and of that first read, and its
 *       snapshot's bytes per entry
 *
 *   node --import tsx --conditions=source --expose-gc services/ledger-api/bench/memoryBudget.bench.ts MODE …
 */
import { randomUUID } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { deserialize } from "node:v8";
import {
  type EventStore,
  openEventStore,
  type ReadModelSnapshotTable,
  readModelSnapshotTableFor,
} from "@bukubesar/event-store";
import {
  chartTemplates,
  decide,
  eventIdFor,
  type LedgerCommand,
  ledgerStreamId,
  recordEvents,
} from "@bukubesar/ledger-core";
import {
  advanceSnapshot,
  cooperativeSnapshotName,
  decodeCooperativeSnapshot,
  emptySnapshot,
  encodeCooperativeSnapshot,
  type LedgerSnapshot,
} from "@bukubesar/snapshots";
import { LedgerCache } from "../src/ledgerCache.js";
import {
  type BenchServer,
  mainSource,
  repositoryRoot,
  startBenchServer,
  stopBenchServer,
} from "./benchServer.js";

/** The installed command (the build, `pnpm build`) when it exists: it starts the way it is deployed. */
const builtCommand = join(repositoryRoot, "services/cli/bin/bukubesar.mjs");
/** SERVE_FLAGS (e.g. `--no-supervisor`) are passed on to `serve`, to see what each part of it takes. */
const serveFlags = (process.env.SERVE_FLAGS ?? "").split(" ").filter((flag) => flag !== "");
const serveArguments = existsSync(join(repositoryRoot, "services/cli/dist/main.js"))
  ? [builtCommand, "serve", ...serveFlags]
  : ["--import", "tsx", "--conditions=source", mainSource, "serve", ...serveFlags];
const adminToken = `bench-admin-${randomUUID()}`;
/** Entries recorded per append while building a store. */
const APPEND_BATCH = 500;
const SERVER_START_TIMEOUT_MS = 120_000;
/** The background writer saves a held cooperative within about a second; the bench waits a bit longer. */
const SNAPSHOT_SETTLE_MS = 2_500;
const ADMIN = { principalId: "bench-admin", role: "admin" as const };

const coopIdOf = (index: number) => `kkmp-mem-${index}`;
const amountOf = (index: number) => `${1_000 + (index % 97)}.00`;

/** Decides `commands` on the snapshot one after another and applies their events to it; the events. */
const decideAndAdvance = (snapshot: LedgerSnapshot, commands: readonly LedgerCommand[]) => {
  const events = [];
  let headHash = snapshot.headHash;
  for (const command of commands) {
    const decision = decide(command, snapshot.state);
    if (decision._tag === "Left") throw new Error(JSON.stringify(decision.left));
    const recorded = recordEvents(
      decision.right,
      { nextRevision: snapshot.revision + 1, headHash },
      (_event, index) => ({
        eventId: eventIdFor(randomUUID(), index),
        principalId: ADMIN.principalId,
        role: ADMIN.role,
        recordedAt: "2026-06-15T02:00:00.000Z",
        idempotencyKey: null,
        requestHash: null,
        correlationId: null,
      }),
    );
    advanceSnapshot(snapshot, recorded);
    headHash = snapshot.headHash;
    events.push(...recorded);
  }
  return events;
};

/** Records the decided events of `commands` on the snapshot and appends them in one go. */
const record = async (store: EventStore, snapshot: LedgerSnapshot, commands: readonly LedgerCommand[]) => {
  const startRevision = snapshot.revision;
  const events = decideAndAdvance(snapshot, commands);
  await store.append(
    ledgerStreamId(snapshot.coopId),
    startRevision < 0 ? "no_stream" : startRevision,
    events.map((event) => ({
      eventId: event.metadata.eventId,
      type: event.type,
      data: event.data,
      metadata: event.metadata,
    })),
  );
};

const posting = (index: number): LedgerCommand => ({
  type: "PostJournalEntry",
  actor: { principalId: "bench-treasurer", role: "treasurer" },
  data: {
    entryId: randomUUID(),
    date: `2026-${String(1 + (index % 12)).padStart(2, "0")}-${String(1 + (index % 28)).padStart(2, "0")}`,
    memo: `Penjualan ${index}`,
    lines: [
      {
        account: "1101",
        side: "debit",
        amount: amountOf(index),
        memberId: null,
        unit: null,
        counterparty: null,
        memo: null,
      },
      {
        account: "4101",
        side: "credit",
        amount: amountOf(index),
        memberId: null,
        unit: null,
        counterparty: null,
        memo: null,
      },
    ],
  },
});

/** Opens a cooperative with the kkmp chart and records `entries` postings; the sum of cash debits. */
const buildCooperative = async (store: EventStore, coopId: string, entries: number): Promise<bigint> => {
  const snapshot = emptySnapshot(coopId);
  await record(store, snapshot, [
    {
      type: "OpenLedger",
      actor: ADMIN,
      data: { coopId, name: `KKMP ${coopId}`, regionCode: "35.74.03.1002", accounts: chartTemplates.kkmp },
    },
  ]);
  let cash = 0n;
  for (let start = 0; start < entries; start += APPEND_BATCH) {
    const commands = [];
    for (let index = start; index < Math.min(entries, start + APPEND_BATCH); index++) {
      commands.push(posting(index));
      cash += BigInt(amountOf(index).replace(".", ""));
    }
    await record(store, snapshot, commands);
  }
  return cash;
};

const freshStore = async (): Promise<{ directory: string; store: EventStore }> => {
  const directory = mkdtempSync(join(tmpdir(), "bukubesar-membench-"));
  return { directory, store: await openEventStore(`sqlite:${join(directory, "bukubesar.db")}`) };
};

type Server = BenchServer;

const startServer = (dataDirectory: string, budgetMb: number): Promise<Server> =>
  startBenchServer({
    nodeArguments: serveArguments,
    dataDirectory,
    adminToken,
    startTimeoutMs: SERVER_START_TIMEOUT_MS,
    environment: { MEMORY_BUDGET_MB: String(budgetMb) },
  });

const stopServer = stopBenchServer;

/** The server's resident memory now and at its peak, in MB (Linux /proc). */
const memoryOf = (server: Server): { rss: number; peak: number } => {
  const status = readFileSync(`/proc/${server.process.pid}/status`, "utf8");
  const field = (name: string) =>
    Number(new RegExp(`^${name}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? 0) / 1024;
  return { rss: Math.round(field("VmRSS")), peak: Math.round(field("VmHWM")) };
};

/** CPU seconds the server has used so far (user + system; Linux /proc, 100 ticks a second). */
const cpuSecondsOf = (server: Server): number => {
  const fields = readFileSync(`/proc/${server.process.pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
  return (Number(fields[11]) + Number(fields[12])) / 100;
};

const get = async (url: string, path: string): Promise<{ status: number; body: unknown }> => {
  const response = await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${adminToken}` } });
  const text = await response.text();
  return { status: response.status, body: text === "" ? null : JSON.parse(text) };
};

/** Milliseconds until `path` answers 200, asked every 5 ms. */
const untilOk = async (url: string, path: string, since: number): Promise<number> => {
  for (;;) {
    if ((await get(url, path).catch(() => ({ status: 0 }))).status === 200) return performance.now() - since;
    await new Promise((resolveWait) => setTimeout(resolveWait, 5));
  }
};

const cashDebitOf = async (url: string, coopId: string): Promise<bigint> => {
  const answer = await get(url, `/v1/cooperatives/${coopId}/trial-balance?asOf=2026-12-31`);
  if (answer.status !== 200) throw new Error(`${coopId}: ${answer.status} ${JSON.stringify(answer.body)}`);
  const row = (answer.body as { accounts: { code: string; debit: string }[] }).accounts.find(
    (account) => account.code === "1101",
  );
  return BigInt((row?.debit ?? "0").replace(".", ""));
};

const load = () =>
  loadavg()
    .map((value) => value.toFixed(1))
    .join(" ");

const percentile = (sorted: readonly number[], fraction: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))] ?? Number.NaN;

const memoryBench = async (cooperatives: number, entries: number, budgetMb: number) => {
  const { directory, store } = await freshStore();
  const expected: bigint[] = [];
  for (let index = 0; index < cooperatives; index++)
    expected.push(await buildCooperative(store, coopIdOf(index), entries));
  await store.close();
  const server = await startServer(directory, budgetMb);
  try {
    const healthMs = await untilOk(server.url, "/health", performance.now() - server.listenMs);
    const cpuToHealth = cpuSecondsOf(server);
    const afterStart = memoryOf(server);
    const started = performance.now();
    for (let index = 0; index < cooperatives; index++) {
      const cash = await cashDebitOf(server.url, coopIdOf(index));
      if (cash !== expected[index])
        throw new Error(`${coopIdOf(index)}: cash ${cash}, expected ${expected[index]}`);
    }
    const readMs = performance.now() - started;
    const afterReads = memoryOf(server);
    console.log(
      `memory ${cooperatives} cooperatives x ${entries} entries, MEMORY_BUDGET_MB=${budgetMb}: start to /health ${Math.round(healthMs)} ms (server CPU ${cpuToHealth.toFixed(2)} s); ` +
        `RSS after start ${afterStart.rss} MB; every trial balance read once and right in ${Math.round(readMs)} ms; ` +
        `RSS after ${afterReads.rss} MB, peak RSS ${afterReads.peak} MB (load ${load()})`,
    );
  } finally {
    await stopServer(server);
    rmSync(directory, { recursive: true, force: true });
  }
};

const coldBench = async (entries: number, requests: number) => {
  const { directory, store } = await freshStore();
  const cash = [
    await buildCooperative(store, coopIdOf(0), entries),
    await buildCooperative(store, coopIdOf(1), entries),
  ];
  await store.close();
  const server = await startServer(directory, 1);
  try {
    // The first loads read the whole streams; the writer then saves each while it is held.
    const fromLog: number[] = [];
    for (const index of [0, 1]) {
      const started = performance.now();
      await cashDebitOf(server.url, coopIdOf(index));
      fromLog.push(performance.now() - started);
      await new Promise((resolveWait) => setTimeout(resolveWait, SNAPSHOT_SETTLE_MS));
    }
    const latencies: number[] = [];
    const cpuBefore = cpuSecondsOf(server);
    for (let request = 0; request < requests; request++) {
      const index = request % 2;
      const started = performance.now();
      const found = await cashDebitOf(server.url, coopIdOf(index));
      latencies.push(performance.now() - started);
      if (found !== cash[index])
        throw new Error(`${coopIdOf(index)}: cash ${found}, expected ${cash[index]}`);
    }
    const cpuPerRequestMs = ((cpuSecondsOf(server) - cpuBefore) * 1000) / requests;
    latencies.sort((left, right) => left - right);
    console.log(
      `cold ${entries} entries, ${requests} first requests of a cooperative let go (MEMORY_BUDGET_MB=1): ` +
        `p50 ${percentile(latencies, 0.5).toFixed(1)} ms, p99 ${percentile(latencies, 0.99).toFixed(1)} ms, ` +
        `max ${(latencies.at(-1) ?? 0).toFixed(1)} ms, server CPU ${cpuPerRequestMs.toFixed(1)} ms per request; from the whole log (no snapshot) ${fromLog.map((ms) => ms.toFixed(0)).join(", ")} ms (load ${load()})`,
    );
  } finally {
    await stopServer(server);
    rmSync(directory, { recursive: true, force: true });
  }
};

const startBench = async (events: number) => {
  console.log(
    `serving with ${serveArguments[0] === builtCommand ? "the build (dist)" : "tsx and the sources"}`,
  );
  for (const size of [0, events]) await startOn(size);
};

const startOn = async (events: number) => {
  const { directory, store } = await freshStore();
  await buildCooperative(store, coopIdOf(0), events);
  const head = await store.headPosition();
  await store.close();
  try {
    for (const label of ["first start (no directory snapshot)", "second start"]) {
      const spawned = performance.now();
      const server = await startServer(directory, 512);
      const healthMs = await untilOk(server.url, "/health", spawned);
      const cpuToHealth = cpuSecondsOf(server);
      const readyMs = await untilOk(server.url, "/ready", spawned);
      const { rss } = memoryOf(server);
      // Long enough for the directory's snapshot to be written before the stop.
      await new Promise((resolveWait) => setTimeout(resolveWait, SNAPSHOT_SETTLE_MS));
      await stopServer(server);
      console.log(
        `start ${events} events (head position ${head}), ${label}: /health ${Math.round(healthMs)} ms, /ready ${Math.round(readyMs)} ms, ` +
          `server CPU to /health ${cpuToHealth.toFixed(2)} s, RSS ${rss} MB (load ${load()})`,
      );
    }
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
};

/** CPU milliseconds (user + system) of running `run` once. */
const cpuMs = (run: () => unknown) => {
  const before = process.cpuUsage();
  run();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000;
};

const gcOrThrow = (): (() => void) => {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error("run with --expose-gc");
  return gc;
};

/** The heap in use after two collections: some garbage (buffers with native memory) needs a second. */
const settledHeap = (): number => {
  const gc = gcOrThrow();
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};

/** Postings decided and applied in memory only, to time a held cooperative's commands. */
const HELD_COMMANDS = 5_000;
const HELD_COMMAND_ROUNDS = 6;

const postInMemory = (snapshot: LedgerSnapshot, from: number) => {
  for (let index = from; index < from + HELD_COMMANDS; index++) decideAndAdvance(snapshot, [posting(index)]);
};

/**
 * A cooperative loaded from its snapshot through the cache, as a cold request loads it: the CPU of the
 * load and of the first read of its entries (built then), its heap after each, and then the CPU of
 * commands on it against the same commands on one folded from its log (`folded`), alternating.
 */
const loadedFromSnapshotBench = async (
  store: EventStore,
  table: ReadModelSnapshotTable,
  entries: number,
  emptyBytes: number,
  folded: LedgerSnapshot,
) => {
  const heapBeforeLoad = settledHeap();
  const cold = new LedgerCache(store, { budgetBytes: Number.MAX_SAFE_INTEGER, snapshots: table });
  const loadStarted = process.cpuUsage();
  const loaded = await cold.load(coopIdOf(0));
  const loadUsed = process.cpuUsage(loadStarted);
  const heapLoaded = settledHeap() - heapBeforeLoad;
  const buildMs = cpuMs(() => loaded.state.entries.size);
  const heapBuilt = settledHeap() - heapBeforeLoad;
  const perEntryOf = (bytes: number) => Math.round((bytes - emptyBytes) / entries);
  console.log(
    `held ${entries} entries, loaded from the snapshot: CPU of the load ${((loadUsed.user + loadUsed.system) / 1000).toFixed(1)} ms, ` +
      `then of the first read of its entries ${buildMs.toFixed(1)} ms; heap per entry ${perEntryOf(heapLoaded)} bytes after the load, ` +
      `${perEntryOf(heapBuilt)} after the first read`,
  );
  const rounds: string[] = [];
  for (let round = 0; round < HELD_COMMAND_ROUNDS; round++) {
    const from = entries + 2 * round * HELD_COMMANDS;
    // Which goes first alternates: the first of a pair pays more of the collector's work.
    const [first, second] = round % 2 === 0 ? [loaded, folded] : [folded, loaded];
    const firstMs = cpuMs(() => postInMemory(first, from));
    const secondMs = cpuMs(() => postInMemory(second, from + HELD_COMMANDS));
    const [onLoaded, onFolded] = round % 2 === 0 ? [firstMs, secondMs] : [secondMs, firstMs];
    rounds.push(`${onLoaded.toFixed(0)} / ${onFolded.toFixed(0)}`);
  }
  console.log(
    `held ${entries} entries, CPU of ${HELD_COMMANDS} postings decided and applied in memory, loaded from the snapshot / folded from the log: ` +
      `${rounds.join(", ")} ms`,
  );
};

const heldBench = async (entries: number) => {
  const gc = gcOrThrow();
  const { directory, store } = await freshStore();
  await buildCooperative(store, coopIdOf(0), entries);
  await buildCooperative(store, coopIdOf(1), 0);
  const heapAfter = async (coopId: string) => {
    gc();
    const before = process.memoryUsage().heapUsed;
    const cache = new LedgerCache(store, { budgetBytes: Number.MAX_SAFE_INTEGER });
    const snapshot = await cache.load(coopId);
    gc();
    return { bytes: process.memoryUsage().heapUsed - before, snapshot, cache };
  };
  const empty = await heapAfter(coopIdOf(1));
  const full = await heapAfter(coopIdOf(0));
  const perEntry = (full.bytes - empty.bytes) / entries;
  const snapshotBytes = encodeCooperativeSnapshot(full.snapshot).reduce(
    (sum, part) => sum + (typeof part === "string" ? Buffer.byteLength(part) : part.byteLength),
    0,
  );
  const table = readModelSnapshotTableFor(store);
  if (table === null) throw new Error("no snapshot table");
  const parts = encodeCooperativeSnapshot(full.snapshot);
  await table.save(cooperativeSnapshotName(coopIdOf(0)), BigInt(full.snapshot.revision), parts);
  const decodeMs = cpuMs(() => decodeCooperativeSnapshot(coopIdOf(0), parts));
  // A decode whose entries are then read: it runs the code that builds them once before it is timed below.
  const decodeAndBuildMs = cpuMs(() => {
    const decoded = decodeCooperativeSnapshot(coopIdOf(0), parts);
    return decoded.kind === "usable" ? decoded.snapshot.state.entries.size : 0;
  });
  const deserializeMs = cpuMs(() => deserialize(Buffer.concat(parts.slice(1) as Uint8Array[])));
  const encodeMs = cpuMs(() => encodeCooperativeSnapshot(full.snapshot));
  const cold = new LedgerCache(store, { budgetBytes: Number.MAX_SAFE_INTEGER, snapshots: table });
  const loadStarted = process.cpuUsage();
  await cold.load(coopIdOf(0));
  const loadUsed = process.cpuUsage(loadStarted);
  console.log(
    `held ${entries} entries, CPU: load from the snapshot ${((loadUsed.user + loadUsed.system) / 1000).toFixed(1)} ms ` +
      `(decode with its hash check ${decodeMs.toFixed(1)} ms, of which v8 deserialize ${deserializeMs.toFixed(1)} ms; ` +
      `a decode and a read of its entries ${decodeAndBuildMs.toFixed(1)} ms); encode ${encodeMs.toFixed(1)} ms`,
  );
  console.log(
    `held ${entries} entries: ${Math.round(perEntry)} bytes of heap per entry (a cooperative with its chart and no entries: ${Math.round(empty.bytes / 1024)} KB); ` +
      `snapshot ${Math.round(snapshotBytes / entries)} bytes per entry (load ${load()})`,
  );
  await loadedFromSnapshotBench(store, table, entries, empty.bytes, full.snapshot);
  await store.close();
  rmSync(directory, { recursive: true, force: true });
};

const [mode, ...args] = process.argv.slice(2);
const numbers = args.map(Number);
if (mode === "memory") await memoryBench(numbers[0] ?? 200, numbers[1] ?? 500, numbers[2] ?? 128);
else if (mode === "cold") await coldBench(numbers[0] ?? 12_000, numbers[1] ?? 200);
else if (mode === "start") await startBench(numbers[0] ?? 1_000_000);
else if (mode === "held") await heldBench(numbers[0] ?? 12_000);
else throw new Error("mode: memory | cold | start | held");
