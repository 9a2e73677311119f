/**
 * Benchmark of the projections (issue 4, "Performance"). Run from the repository root:
 *
 *     node --import tsx --conditions=source --expose-gc packages/projections/bench/projectionsBenchmark.ts [events]
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
import type { EntryLine, EventMetadata, RecordedLedgerEvent } from "@bukubesar/ledger-core";
import {
  buildReadModel,
  exportLedgerJournal,
  type LedgerReadModel,
  trialBalance,
} from "@bukubesar/projections";

const EVENT_COUNT = Number(process.argv[2] ?? 1_000_000);
const COOPERATIVE_COUNT = 10;
const TRIAL_BALANCE_ENTRIES = 100_000;
const TRIAL_BALANCE_QUERIES = 2_000;
const BACK_DATED_SHARE = 0.05;
const MEMBER_COUNT = 500;

const ACCOUNTS: ReadonlyArray<readonly [string, "asset" | "liability" | "equity" | "income" | "expense"]> = [
  ["1101", "asset"],
  ["1103", "asset"],
  ["1111", "asset"],
  ["1201", "asset"],
  ["1301", "asset"],
  ["2101", "liability"],
  ["2201", "liability"],
  ["3100", "equity"],
  ["3200", "equity"],
  ["4101", "income"],
  ["4106", "income"],
  ["4201", "income"],
  ["5101", "expense"],
  ["5201", "expense"],
  ["6101", "expense"],
];

/** A deterministic pseudo-random generator (mulberry32), so runs are comparable. */
const random = (() => {
  let state = 0x2f6b_1a3d;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let value = Math.imul(state ^ (state >>> 15), 1 | state);
    value = (value + Math.imul(value ^ (value >>> 7), 61 | value)) ^ value;
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
})();

const METADATA: EventMetadata = {
  eventId: "bench",
  principalId: "treasurer-1",
  role: "treasurer",
  recordedAt: "2026-01-01T00:00:00.000Z",
  idempotencyKey: null,
  requestHash: null,
  correlationId: null,
  prevHash: "0".repeat(64),
  hash: "0".repeat(64),
};

const dateOf = (dayIndex: number): string =>
  new Date(Date.UTC(2026, 0, 1 + dayIndex)).toISOString().slice(0, 10);
const DATES = Array.from({ length: 365 }, (_unused, index) => dateOf(index));

const amount = (): string =>
  `${Math.floor(random() * 5_000_000) + 1}.${String(Math.floor(random() * 100)).padStart(2, "0")}`;

const line = (
  account: string,
  side: "debit" | "credit",
  value: string,
  memberId: string | null,
): EntryLine => ({
  account,
  side,
  amount: value,
  memberId,
  unit: "sembako",
  counterparty: memberId === null ? "non_member" : "member",
  memo: null,
});

/** One cooperative's events: accounts, members, then `entryCount` entries of 2–4 lines. */
const cooperativeEvents = (coopId: string, entryCount: number): RecordedLedgerEvent[] => {
  const events: RecordedLedgerEvent[] = [];
  const push = (event: Record<string, unknown>) =>
    events.push({ ...event, revision: events.length, metadata: METADATA } as unknown as RecordedLedgerEvent);
  push({ type: "LedgerOpened", data: { coopId, name: coopId, regionCode: "35.74.03.1002", settings: {} } });
  for (const [code, accountType] of ACCOUNTS) {
    const normalBalance = accountType === "asset" || accountType === "expense" ? "debit" : "credit";
    push({
      type: "AccountOpened",
      data: {
        code,
        name: `Akun ${code}`,
        accountType,
        normalBalance,
        parent: null,
        postable: true,
        noOverdraft: false,
      },
    });
  }
  for (let member = 0; member < MEMBER_COUNT; member++) {
    push({
      type: "MemberRegistered",
      data: { memberId: `A-${member}`, name: `Anggota ${member}`, joinedOn: "2026-01-01", role: "member" },
    });
  }
  for (let entry = 0; entry < entryCount; entry++) {
    const inOrderDay = Math.min(364, Math.floor((entry / entryCount) * 365));
    const day = random() < BACK_DATED_SHARE ? Math.floor(random() * (inOrderDay + 1)) : inOrderDay;
    const memberId = random() < 0.6 ? `A-${Math.floor(random() * MEMBER_COUNT)}` : null;
    const price = amount();
    const lines =
      random() < 0.5
        ? [
            line("1103", "debit", price, null),
            line(memberId === null ? "4201" : "4101", "credit", price, memberId),
          ]
        : [
            line("1103", "debit", price, null),
            line(memberId === null ? "4201" : "4101", "credit", price, memberId),
            line(memberId === null ? "5201" : "5101", "debit", price, memberId),
            line("1301", "credit", price, null),
          ];
    push({
      type: "JournalEntryPosted",
      data: {
        entryId: `${coopId}-${entry}`,
        kind: "regular",
        date: DATES[day],
        memo: "Penjualan",
        lines,
        postedBy: "treasurer-1",
        proposedBy: null,
        reverses: null,
      },
    });
  }
  return events;
};

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
