/**
 * What a supervisor restart costs (docs/reliability.md section 2.1): side by side, the rule state
 * rebuilt by replaying every ledger event up to the checkpoint, and loaded from the rule-state snapshot
 * (then only the tail after it). Fills an in-memory store with [events] ledger events of 100 cooperatives
 * (cash deposits, a large one now and then), records a progress marker at the end of the log as a running
 * supervisor would have, then times startSupervisor [rounds] times each way, alternating (best of them is
 * the figure), then a restart with a tail of [tail] events after the snapshot, and the snapshot's writes
 * (all cooperatives, then only those the tail changed). Run from the repository root:
 *
 *     node --expose-gc --import tsx --conditions=source services/supervisor/bench/restartReplay.bench.ts [events] [rounds] [tail]
 *
 * With --expose-gc the heap is collected before each timed start, so one start does not pay for the
 * garbage of the one before (a full collection of this 1.7 GB heap takes about a second).
 * The in-memory store leaves out SQLite/PostgreSQL read and decode cost, which their own benchmarks measure.
 */
import { createInProcessAlertBus } from "@bukubesar/bus";
import type { NewEvent } from "@bukubesar/event-store";
import { MemoryEventStore, openEventStore, readModelSnapshotTableFor } from "@bukubesar/event-store";
import type { Supervisor, SupervisorOptions } from "../src/index.js";
import {
  RULE_SNAPSHOT_NAME,
  SUPERVISOR_PROGRESS,
  SUPERVISOR_PROGRESS_STREAM,
  startSupervisor,
} from "../src/index.js";

const EVENT_COUNT = Number(process.argv[2] ?? 1_000_000);
const ROUNDS = Number(process.argv[3] ?? 3);
const TAIL = Number(process.argv[4] ?? 10_000);
/** BENCH_COOPERATIVES: how many cooperatives share the events (100). */
const COOPERATIVES = Number(process.env.BENCH_COOPERATIVES ?? 100);
const BATCH = 500;

const COOPERATIVES_CHANGED_BY_TAIL = 10;

const store = new MemoryEventStore();
/**
 * BENCH_SNAPSHOT_STORE=sqlite:PATH keeps the snapshot in that SQLite store's snapshot table (the events
 * stay in memory), to measure the table's write and read on a real database.
 */
const snapshotStoreUrl = process.env.BENCH_SNAPSHOT_STORE;
const snapshotStore = snapshotStoreUrl === undefined ? store : await openEventStore(snapshotStoreUrl);
const table = readModelSnapshotTableFor(snapshotStore);
if (table === null) throw new Error(`${snapshotStoreUrl ?? "the memory store"} keeps no snapshots`);
const perCooperative = Math.ceil(EVENT_COUNT / COOPERATIVES);
const line = (account: string, side: string, amount: string, memberId: string | null) => ({
  account,
  side,
  amount,
  memberId,
  unit: null,
  counterparty: memberId === null ? null : "member",
  memo: null,
});

/** Events of one cooperative: its opening (when `opening`), then deposits until there are `count`. */
const cooperativeEvents = (coopId: string, count: number, opening: boolean, startAt: string): NewEvent[] => {
  let clock = Date.parse(startAt);
  const events: NewEvent[] = [];
  const idPrefix = opening ? coopId : `${coopId}-tail`;
  const push = (type: string, data: unknown) => {
    clock += 20_000;
    events.push({
      eventId: `${idPrefix}-${events.length}`,
      type,
      data,
      metadata: { principalId: "treasurer-1", role: "treasurer", recordedAt: new Date(clock).toISOString() },
    });
  };
  if (opening) pushOpening(coopId, push);
  while (events.length < count) {
    const amount = events.length % 997 === 0 ? "150000000.00" : `${100_000 + (events.length % 89_000)}.00`;
    push("JournalEntryPosted", {
      entryId: `${idPrefix}-entry-${events.length}`,
      kind: "regular",
      date: new Date(clock + 7 * 3_600_000).toISOString().slice(0, 10),
      memo: "setoran",
      lines: [line("1101", "debit", amount, null), line("2101", "credit", amount, "A-1")],
      postedBy: "treasurer-1",
      proposedBy: null,
      reverses: null,
    });
  }
  return events;
};

const pushOpening = (coopId: string, push: (type: string, data: unknown) => void): void => {
  push("LedgerOpened", {
    coopId,
    name: coopId,
    regionCode: "35.74.03.1002",
    settings: {
      approvalThreshold: null,
      largeCashThreshold: "100000000.00",
      businessHours: { start: "07:00", end: "18:00" },
      timeZone: "Asia/Jakarta",
    },
  });
  for (const [code, accountType] of [
    ["1101", "asset"],
    ["2101", "liability"],
  ] as const)
    push("AccountOpened", {
      code,
      name: code,
      accountType,
      normalBalance: accountType === "asset" ? "debit" : "credit",
      parent: null,
      postable: true,
      noOverdraft: false,
    });
  push("MemberRegistered", { memberId: "A-1", name: "Siti", joinedOn: "2025-08-01", role: "member" });
};

/** Appends the events and a progress marker after them, as a running supervisor would have recorded. */
const appendJudged = async (streams: readonly [string, NewEvent[]][], marker: string): Promise<void> => {
  let lastPosition = -1n;
  for (const [coopId, events] of streams)
    for (let start = 0; start < events.length; start += BATCH) {
      const appended = await store.append(`ledger-${coopId}`, "any", events.slice(start, start + BATCH));
      lastPosition = appended.position;
    }
  await store.append(SUPERVISOR_PROGRESS_STREAM, "any", [
    {
      eventId: marker,
      type: SUPERVISOR_PROGRESS,
      data: { processedThrough: String(lastPosition), publishedThrough: "-1" },
      metadata: { principalId: "supervisor", role: "system", recordedAt: new Date().toISOString() },
    },
  ]);
};

interface Timed<T> {
  readonly value: T;
  readonly seconds: number;
  readonly cpuSeconds: number;
}

const timed = async <T>(run: () => Promise<T>): Promise<Timed<T>> => {
  const started = performance.now();
  const cpu = process.cpuUsage();
  const value = await run();
  const used = process.cpuUsage(cpu);
  return {
    value,
    seconds: (performance.now() - started) / 1000,
    cpuSeconds: (used.user + used.system) / 1e6,
  };
};

const mb = (bytes: number) => `${(bytes / 1_048_576).toFixed(0)} MB`;

const restart = async (label: string, options: Partial<SupervisorOptions>): Promise<Timed<Supervisor>> => {
  const bus = createInProcessAlertBus();
  (globalThis as { gc?: () => void }).gc?.();
  const result = await timed(() =>
    startSupervisor({
      store,
      bus,
      tickIntervalMs: 0,
      snapshotIntervalMs: 0,
      ruleSnapshots: table,
      ...options,
    }),
  );
  const { snapshotPosition, replayedEvents } = result.value.start;
  console.log(
    `restart ${label}: ${result.seconds.toFixed(2)} s elapsed, ${result.cpuSeconds.toFixed(2)} s CPU; snapshot at ${snapshotPosition ?? "none"}, ${replayedEvents} events replayed; RSS ${mb(process.memoryUsage().rss)}`,
  );
  return result;
};

const filled = await timed(() =>
  appendJudged(
    Array.from({ length: COOPERATIVES }, (_, cooperative) => {
      const coopId = `kkmp-${cooperative}`;
      return [coopId, cooperativeEvents(coopId, perCooperative, true, "2026-01-14T01:00:00.000Z")] as [
        string,
        NewEvent[],
      ];
    }),
    "bench-progress",
  ),
);
console.log(`store filled with ${EVENT_COUNT} ledger events in ${filled.seconds.toFixed(1)} s`);

// The first snapshot: every cooperative encoded.
const full = await restart("(to write the first snapshot)", {});
const written = await timed(() => full.value.snapshot());
await full.value.abort();
const stored = await table.load(RULE_SNAPSHOT_NAME);
const bytes = (stored?.parts ?? []).reduce((sum, part) => sum + part.length, 0);
console.log(
  `snapshot of all ${COOPERATIVES} cooperatives written: ${written.value} in ${written.seconds.toFixed(2)} s elapsed, ${written.cpuSeconds.toFixed(2)} s CPU; ${stored?.parts.length} parts, ${mb(bytes)} of text`,
);

const best = {
  full: Number.POSITIVE_INFINITY,
  fullCpu: 0,
  snapshot: Number.POSITIVE_INFINITY,
  snapshotCpu: 0,
};
for (let round = 0; round < ROUNDS; round += 1) {
  const replayed = await restart("replaying the whole log", { ruleSnapshots: null });
  await replayed.value.abort();
  if (replayed.seconds < best.full)
    Object.assign(best, { full: replayed.seconds, fullCpu: replayed.cpuSeconds });
  const loaded = await restart("from the snapshot", {});
  await loaded.value.abort();
  if (loaded.seconds < best.snapshot)
    Object.assign(best, { snapshot: loaded.seconds, snapshotCpu: loaded.cpuSeconds });
}

// A tail after the snapshot, in a few cooperatives: the restart replays only it, and the next snapshot
// encodes only the cooperatives it changed.
await appendJudged(
  Array.from({ length: COOPERATIVES_CHANGED_BY_TAIL }, (_, cooperative) => {
    const coopId = `kkmp-${cooperative}`;
    const events = cooperativeEvents(
      coopId,
      TAIL / COOPERATIVES_CHANGED_BY_TAIL,
      false,
      "2026-06-01T01:00:00.000Z",
    );
    return [coopId, events] as [string, NewEvent[]];
  }),
  "bench-progress-tail",
);
const withTail = await restart(`from the snapshot with a tail of ${TAIL} events`, {});
const incremental = await timed(() => withTail.value.snapshot());
await withTail.value.abort();
console.log(
  `snapshot after the tail (${COOPERATIVES_CHANGED_BY_TAIL} of ${COOPERATIVES} cooperatives encoded again): ${incremental.seconds.toFixed(2)} s elapsed, ${incremental.cpuSeconds.toFixed(2)} s CPU`,
);
console.log(
  `best of ${ROUNDS}, ${EVENT_COUNT} events: full replay ${best.full.toFixed(2)} s (${best.fullCpu.toFixed(2)} s CPU, ${Math.round(EVENT_COUNT / best.full)} events/s); from the snapshot ${best.snapshot.toFixed(2)} s (${best.snapshotCpu.toFixed(2)} s CPU); with a ${TAIL}-event tail ${withTail.seconds.toFixed(2)} s (${withTail.cpuSeconds.toFixed(2)} s CPU)`,
);
if (snapshotStore !== store) await snapshotStore.close();
