/**
 * Benchmark of the projections over a REAL SQLite event store (targets and results in docs/benchmarks.md,
 * "Projections and reports"). Run from the repository root:
 *
 *     node --import tsx --conditions=source --expose-gc packages/projections/bench/sqliteStore.bench.ts [events] [file]
 *
 * 1. Fills a fresh SQLite file with EVENT_COUNT events (10 cooperatives, as projections.bench.ts), or
 *    reuses `file` when it already holds them (the fill takes a while and is not what is measured).
 * 2. Read only: `readAll` page by page (SQLite read + JSON decode of data and metadata), no models; then
 *    the same with `readAllData` (what the rebuild reads: no ids, hashes or store times).
 * 3. Rebuild from the store: `runner.rebuild()` without snapshots (read + decode + apply).
 * 4. Start without a snapshot: a new runner's `start()` until it has caught up with the head.
 * 5. Snapshot: `runner.snapshot()` into the same file (serialize + one transaction), its size.
 * 6. Start with that snapshot: load + restore, nothing left to replay.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { SqliteEventStore } from "@bukubesar/event-store";
import { LEDGER_STREAM_PREFIX } from "@bukubesar/ledger-core";
import {
  createProjectionRunner,
  REBUILD_PAGE_SIZE,
  snapshotStoreFor,
  trialBalance,
} from "@bukubesar/projections";
import { ACCOUNTS, cooperativeEvents, MEMBER_COUNT } from "./benchmarkHistory.js";

const EVENT_COUNT = Number(process.argv[2] ?? 1_000_000);
const COOPERATIVE_COUNT = 10;
/** Events per append while filling: large appends keep the fill short (one transaction each). */
const FILL_APPEND_SIZE = 5_000;

const gc = (): void => (globalThis as { gc?: () => void }).gc?.();
const megabytes = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const seconds = (started: bigint): number => Number(process.hrtime.bigint() - started) / 1e9;
const rate = (events: number, elapsed: number): string =>
  `${(elapsed * 1000).toFixed(0)} ms = ${Math.round(events / elapsed).toLocaleString("en")} events/s`;
/**
 * The CPU time (user and system) since `from` and the events per CPU-second: on a machine shared with
 * other work the wall time says more about the load than about the code.
 */
const cpuRate = (events: number, from: NodeJS.CpuUsage): string => {
  const used = process.cpuUsage(from);
  const cpuSeconds = (used.user + used.system) / 1e6;
  return `, CPU ${cpuSeconds.toFixed(2)} s = ${Math.round(events / cpuSeconds).toLocaleString("en")} events per CPU-second`;
};

const fill = async (store: SqliteEventStore): Promise<void> => {
  const perCooperative = Math.floor(EVENT_COUNT / COOPERATIVE_COUNT);
  const started = process.hrtime.bigint();
  for (let index = 0; index < COOPERATIVE_COUNT; index++) {
    const coopId = `kkmp-${index}`;
    const events = cooperativeEvents(coopId, perCooperative - 1 - ACCOUNTS.length - MEMBER_COUNT);
    for (let start = 0; start < events.length; start += FILL_APPEND_SIZE) {
      const slice = events.slice(start, start + FILL_APPEND_SIZE);
      await store.append(
        `ledger-${coopId}`,
        start === 0 ? "no_stream" : start - 1,
        slice.map((event) => ({
          eventId: `${coopId}-${event.revision}`,
          type: event.type,
          data: event.data,
          metadata: { ...event.metadata, eventId: `${coopId}-${event.revision}` },
        })),
      );
    }
  }
  console.log(`fill: ${EVENT_COUNT} events in ${seconds(started).toFixed(1)} s (not part of any figure)`);
};

/** Runs `start()` in a new process on `path` (with or without the snapshot) and returns its report. */
const startInChild = (path: string, mode: "cold" | "warm"): string => {
  const result = spawnSync(
    process.execPath,
    [...process.execArgv, fileURLToPath(import.meta.url), "--start", mode, path],
    { encoding: "utf8" },
  );
  if (result.status !== 0) throw new Error(`start (${mode}) failed: ${result.stderr}`);
  return result.stdout.trim();
};

/** The child of `startInChild`: times one start, checks the models against a trial balance, prints. */
const startOnly = async (mode: "cold" | "warm", path: string): Promise<void> => {
  const store = new SqliteEventStore(path);
  const head = await store.headPosition();
  const snapshots = mode === "warm" ? snapshotStoreFor(store) : undefined;
  const discarded: string[] = [];
  const runner = createProjectionRunner(store, {
    ...(snapshots === undefined ? {} : { snapshots }),
    snapshotEveryEvents: Number.MAX_SAFE_INTEGER,
    onSnapshotDiscarded: (reason) => discarded.push(reason),
  });
  const started = process.hrtime.bigint();
  await runner.start();
  await runner.waitForPosition(head, 600_000);
  const elapsed = seconds(started);
  const balance = trialBalance(runner.model("kkmp-3") as never, "2026-12-31").totals.debit;
  await runner.stop();
  await store.close();
  const memory = process.memoryUsage();
  console.log(
    `${(elapsed * 1000).toFixed(0)} ms (rss ${megabytes(memory.rss)}; kkmp-3 debit total ${balance}${discarded.length > 0 ? `; snapshot discarded: ${discarded.join(", ")}` : ""})`,
  );
};

/** Reads the ledger streams page by page with `read`, from the beginning, and prints the rate. */
const timeRead = async (
  label: string,
  read: (after: bigint) => Promise<readonly { readonly position: bigint }[]>,
): Promise<void> => {
  gc();
  const started = process.hrtime.bigint();
  const cpuAtStart = process.cpuUsage();
  let count = 0;
  for (let after = -1n; ; ) {
    const page = await read(after);
    count += page.length;
    if (page.length < REBUILD_PAGE_SIZE) break;
    after = (page[page.length - 1] as { position: bigint }).position;
  }
  console.log(`${label}: ${rate(count, seconds(started))}${cpuRate(count, cpuAtStart)}`);
};

const main = async (): Promise<void> => {
  const directory = process.argv[3] === undefined ? mkdtempSync(join(tmpdir(), "bukubesar-bench-")) : null;
  const path = process.argv[3] ?? join(directory as string, "bench.db");
  try {
    const store = new SqliteEventStore(path);
    if ((await store.headPosition()) < 0n) await fill(store);
    const head = await store.headPosition();
    const eventCount = Number(head);
    console.log(`store: ${eventCount} events, file ${megabytes(statSync(path).size)}`);

    const options = (after: bigint) => ({
      after,
      streamPrefix: LEDGER_STREAM_PREFIX,
      limit: REBUILD_PAGE_SIZE,
    });
    await timeRead(`read only (SQLite + JSON decode, pages of ${REBUILD_PAGE_SIZE})`, (after) =>
      store.readAll(options(after)),
    );
    await timeRead(`read only for a fold (readAllData, pages of ${REBUILD_PAGE_SIZE})`, (after) =>
      store.readAllData(options(after)),
    );

    gc();
    let started = process.hrtime.bigint();
    const cpuAtStart = process.cpuUsage();
    let rebuilt: ReturnType<typeof createProjectionRunner> | null = createProjectionRunner(store);
    await rebuilt.rebuild();
    console.log(
      `rebuild from the store (read + decode + apply): ${rate(eventCount, seconds(started))}${cpuRate(eventCount, cpuAtStart)}`,
    );
    const expected = trialBalance(rebuilt.model("kkmp-3") as never, "2026-12-31").totals.debit;
    console.log(`kkmp-3 debit total after the rebuild: ${expected} (each start below must show the same)`);
    gc();
    console.log(
      `models' heap after rebuild: heap ${megabytes(process.memoryUsage().heapUsed)}, rss ${megabytes(process.memoryUsage().rss)}`,
    );
    await rebuilt.stop();
    rebuilt = null;
    gc();

    // Startups run in fresh processes, as a service start would, so no model of this process is in the way.
    console.log(`start without a snapshot (catch up from the beginning): ${startInChild(path, "cold")}`);

    const snapshots = snapshotStoreFor(store);
    if (snapshots === undefined) throw new Error("no snapshot store");
    // The rebuild below saves a snapshot at its end already; the save is timed again on its own.
    const saving = createProjectionRunner(store, { snapshots, snapshotEveryEvents: Number.MAX_SAFE_INTEGER });
    await saving.rebuild();
    started = process.hrtime.bigint();
    await saving.snapshot();
    const saveSeconds = seconds(started);
    const saved = await snapshots.load();
    const bytes = saved?.parts.reduce((sum, part) => sum + part.length, 0) ?? 0;
    console.log(
      `snapshot save (serialize + one transaction): ${(saveSeconds * 1000).toFixed(0)} ms, ${saved?.parts.length} parts, ${megabytes(bytes)} of JSON, file now ${megabytes(statSync(path).size)}`,
    );
    await saving.stop();
    await store.close();

    console.log(
      `start with the snapshot (load + restore + check + replay after it): ${startInChild(path, "warm")}`,
    );
  } finally {
    if (directory !== null) rmSync(directory, { recursive: true, force: true });
  }
};

if (process.argv[2] === "--start")
  await startOnly(process.argv[3] as "cold" | "warm", process.argv[4] as string);
else await main();
