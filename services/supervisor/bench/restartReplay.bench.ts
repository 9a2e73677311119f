/**
 * What a supervisor restart costs (docs/reliability.md section 2.1): the rule state is rebuilt by replaying every ledger
 * event up to the checkpoint. Fills an in-memory store with [events] ledger events of 100 cooperatives
 * (cash deposits, a large one now and then), records a progress marker at the end of the log as a running
 * supervisor would have, then times startSupervisor. Run from the repository root:
 *
 *     pnpm exec tsx --conditions=source services/supervisor/bench/restartReplay.bench.ts [events]
 *
 * The in-memory store leaves out SQLite/PostgreSQL read and decode cost, which their own benchmarks measure.
 */
import { createInProcessAlertBus } from "@bukubesar/bus";
import type { NewEvent } from "@bukubesar/event-store";
import { MemoryEventStore } from "@bukubesar/event-store";
import { SUPERVISOR_PROGRESS, SUPERVISOR_PROGRESS_STREAM, startSupervisor } from "../src/index.js";

const EVENT_COUNT = Number(process.argv[2] ?? 1_000_000);
const COOPERATIVES = 100;
const BATCH = 500;

const store = new MemoryEventStore();
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
const filled = performance.now();
for (let cooperative = 0; cooperative < COOPERATIVES; cooperative += 1) {
  const coopId = `kkmp-${cooperative}`;
  let clock = Date.parse("2026-01-14T01:00:00.000Z");
  const events: NewEvent[] = [];
  const push = (type: string, data: unknown) => {
    clock += 20_000;
    events.push({
      eventId: `${coopId}-${events.length}`,
      type,
      data,
      metadata: { principalId: "treasurer-1", role: "treasurer", recordedAt: new Date(clock).toISOString() },
    });
  };
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
  while (events.length < perCooperative) {
    const amount = events.length % 997 === 0 ? "150000000.00" : `${100_000 + (events.length % 89_000)}.00`;
    push("JournalEntryPosted", {
      entryId: `${coopId}-entry-${events.length}`,
      kind: "regular",
      date: new Date(clock + 7 * 3_600_000).toISOString().slice(0, 10),
      memo: "setoran",
      lines: [line("1101", "debit", amount, null), line("2101", "credit", amount, "A-1")],
      postedBy: "treasurer-1",
      proposedBy: null,
      reverses: null,
    });
  }
  for (let start = 0; start < events.length; start += BATCH)
    await store.append(`ledger-${coopId}`, "any", events.slice(start, start + BATCH));
}
// The last cooperative was appended last, so its last event holds the highest position.
const [last] = await store.readStream(`ledger-kkmp-${COOPERATIVES - 1}`, {
  direction: "backwards",
  limit: 1,
});
await store.append(SUPERVISOR_PROGRESS_STREAM, "any", [
  {
    eventId: "bench-progress",
    type: SUPERVISOR_PROGRESS,
    data: { processedThrough: String(last?.position ?? -1n), publishedThrough: "-1" },
    metadata: { principalId: "supervisor", role: "system", recordedAt: new Date().toISOString() },
  },
]);
console.log(
  `store filled with ${EVENT_COUNT} ledger events in ${((performance.now() - filled) / 1000).toFixed(1)} s`,
);

const bus = createInProcessAlertBus();
const started = performance.now();
const cpu = process.cpuUsage();
const supervisor = await startSupervisor({ store, bus, tickIntervalMilliseconds: 0 });
const seconds = (performance.now() - started) / 1000;
const used = process.cpuUsage(cpu);
console.log(
  `restart (replay of ${EVENT_COUNT} events to rebuild rule state): ${seconds.toFixed(1)} s elapsed, ${((used.user + used.system) / 1e6).toFixed(1)} s CPU, ${Math.round(EVENT_COUNT / seconds)} events/s; RSS ${(process.memoryUsage().rss / 1_048_576).toFixed(0)} MB`,
);
await supervisor.abort();
await bus.close();
