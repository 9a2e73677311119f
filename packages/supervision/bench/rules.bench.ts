/**
 * Rules throughput on replay: the target is at least 200,000 events/s for all rules together
 * (docs/benchmarks.md, "Supervision").
 * Run from the repository root:
 *
 *     pnpm exec tsx --conditions=source packages/supervision/bench/rules.bench.ts [events] [cooperatives]
 *
 * Generates a realistic history in memory (not timed): many cooperatives opened with the kkmp accounts,
 * members (a few pengurus), and postings interleaved across cooperatives in recording order: cash deposits
 * and withdrawals by members, shop sales, expenses, loans and repayments, some entries through maker-checker
 * (proposed, approved by another principal, posted), some reversals, a few large cash movements, a few
 * entries recorded in the evening or on a Sunday. Then times `runRules` over every event and prints
 * events/s, the alerts raised per rule, and the peak resident set size.
 */
import { writeFileSync } from "node:fs";
import type { EntryLine } from "@bukubesar/ledger-core";
import type { SupervisedEvent } from "@bukubesar/supervision";
import { ALL_RULES, createSupervisionState, runRules } from "@bukubesar/supervision";

const EVENT_COUNT = Number(process.argv[2] ?? 1_000_000);
const COOPERATIVE_COUNT = Number(process.argv[3] ?? 500);
const MEMBERS_PER_COOPERATIVE = 150;
const PENGURUS_PER_COOPERATIVE = 3;
/** Average gap between two recorded events across all cooperatives (the history spans about a year). */
const BETWEEN_EVENTS_MS = 30_000;
const SEED = 20260114;

const ACCOUNTS: ReadonlyArray<readonly [string, "asset" | "liability" | "equity" | "income" | "expense"]> = [
  ["1101", "asset"],
  ["1102", "asset"],
  ["1111", "asset"],
  ["1201", "asset"],
  ["1301", "asset"],
  ["2101", "liability"],
  ["2201", "liability"],
  ["3100", "equity"],
  ["3200", "equity"],
  ["4101", "income"],
  ["4201", "income"],
  ["5101", "expense"],
  ["6101", "expense"],
];

/** A small deterministic generator (mulberry32), so every run replays the same history. */
function randomSource(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4_294_967_296;
  };
}

interface Cooperative {
  readonly coopId: string;
  readonly regionCode: string;
  revision: number;
  entries: number;
  members: number;
  lastEntryId: string | null;
}

function* generateHistory(pageSize: number): Generator<SupervisedEvent[]> {
  const random = randomSource(SEED);
  const events: SupervisedEvent[] = [];
  const cooperatives: Cooperative[] = [];
  let clock = Date.parse("2025-01-06T01:00:00.000Z");

  const push = (cooperative: Cooperative, type: string, data: unknown, principalId = "treasurer-1") => {
    clock += Math.floor(random() * 2 * BETWEEN_EVENTS_MS);
    let at = clock;
    const hourInJakarta = new Date(at + 7 * 3_600_000).getUTCHours();
    // Most work happens in business hours; move night-time events to the next morning (a few stay late).
    if ((hourInJakarta < 7 || hourInJakarta >= 18) && random() > 0.01) {
      at += ((24 + 8 - hourInJakarta) % 24) * 3_600_000;
      clock = at;
    }
    // Cooperatives rest on Sunday: move Sunday's events to Monday (a few stay).
    if (new Date(at + 7 * 3_600_000).getUTCDay() === 0 && random() > 0.01) {
      at += 86_400_000;
      clock = at;
    }
    const revision = cooperative.revision + 1;
    cooperative.revision = revision;
    events.push({
      type,
      data,
      coopId: cooperative.coopId,
      revision,
      metadata: {
        eventId: `${cooperative.coopId}-${revision}`,
        principalId,
        role: "treasurer",
        recordedAt: new Date(at).toISOString(),
      },
    } as SupervisedEvent);
  };

  const line = (account: string, side: "debit" | "credit", amount: string, memberId: string | null = null) =>
    ({
      account,
      side,
      amount,
      memberId,
      unit: null,
      counterparty: memberId === null ? null : "member",
      memo: null,
    }) satisfies EntryLine;

  // Log-uniform amounts, so first digits follow Benford's law as real trade roughly does.
  const rupiah = (minimum: number, maximum: number, round = 1_000) =>
    `${Math.max(round, Math.floor((minimum * (maximum / minimum) ** random()) / round) * round)}.00`;

  const memberOf = (cooperative: Cooperative) =>
    `M-${Math.floor(random() * Math.max(1, cooperative.members)) + 1}`;

  for (let index = 0; index < COOPERATIVE_COUNT; index += 1) {
    const cooperative: Cooperative = {
      coopId: `kkmp-${index}`,
      regionCode: `35.${String(10 + (index % 60)).padStart(2, "0")}.0${index % 9}.${1000 + index}`,
      revision: -1,
      entries: 0,
      members: 0,
      lastEntryId: null,
    };
    cooperatives.push(cooperative);
    push(
      cooperative,
      "LedgerOpened",
      {
        coopId: cooperative.coopId,
        name: cooperative.coopId,
        regionCode: cooperative.regionCode,
        settings: {
          approvalThreshold: "25000000.00",
          largeCashThreshold: "100000000.00",
          businessHours: { start: "07:00", end: "18:00" },
          timeZone: index % 10 === 0 ? "Asia/Makassar" : "Asia/Jakarta",
        },
      },
      "admin-1",
    );
    for (const [code, accountType] of ACCOUNTS) {
      push(cooperative, "AccountOpened", {
        code,
        name: code,
        accountType,
        normalBalance: accountType === "asset" || accountType === "expense" ? "debit" : "credit",
        parent: null,
        postable: true,
        noOverdraft: code === "1101" || code === "1102",
      });
    }
    // Opening capital, so cash and own capital are realistic from the start.
    cooperative.entries += 1;
    push(cooperative, "JournalEntryPosted", {
      entryId: `${cooperative.coopId}-entry-0`,
      kind: "regular",
      date: "2025-01-06",
      memo: "modal awal",
      lines: [line("1101", "debit", "300000000.00"), line("3100", "credit", "300000000.00")],
      postedBy: "treasurer-1",
      proposedBy: null,
      reverses: null,
    });
  }

  let generated = 0;
  while (generated < EVENT_COUNT) {
    if (events.length >= pageSize) {
      const page = events.splice(0, EVENT_COUNT - generated);
      generated += page.length;
      yield page;
      continue;
    }
    const cooperative = cooperatives[Math.floor(random() * cooperatives.length)] as Cooperative;
    if (cooperative.members < MEMBERS_PER_COOPERATIVE && random() < 0.08) {
      cooperative.members += 1;
      push(cooperative, "MemberRegistered", {
        memberId: `M-${cooperative.members}`,
        name: `Anggota ${cooperative.members}`,
        joinedOn: "2025-01-06",
        role: cooperative.members <= PENGURUS_PER_COOPERATIVE ? "pengurus" : "member",
      });
      continue;
    }
    cooperative.entries += 1;
    const entryId = `${cooperative.coopId}-entry-${cooperative.entries}`;
    const date = new Date(clock + 7 * 3_600_000).toISOString().slice(0, 10);
    const member = memberOf(cooperative);
    const pick = random();
    let lines: EntryLine[];
    let kind: "regular" | "reversal" = "regular";
    let reverses: string | null = null;
    if (pick < 0.3) {
      const amount = random() < 0.002 ? rupiah(100_000_000, 150_000_000) : rupiah(50_000, 5_000_000);
      lines = [line("1101", "debit", amount), line("2101", "credit", amount, member)];
    } else if (pick < 0.45) {
      const amount = rupiah(50_000, 2_000_000);
      lines = [line("2101", "debit", amount, member), line("1101", "credit", amount)];
    } else if (pick < 0.7) {
      const amount = rupiah(5_000, 500_000, 500);
      lines = [line("1102", "debit", amount), line("4101", "credit", amount)];
    } else if (pick < 0.8) {
      const amount = rupiah(10_000, 3_000_000, 100);
      lines = [line("5101", "debit", amount), line("1101", "credit", amount)];
    } else if (pick < 0.88) {
      const amount = rupiah(1_000_000, 10_000_000, 100_000);
      lines = [line("1201", "debit", amount, member), line("1101", "credit", amount)];
    } else if (pick < 0.96) {
      const principal = rupiah(100_000, 1_000_000);
      const interest = rupiah(1_000, 50_000, 100);
      const total = `${Number(principal.slice(0, -3)) + Number(interest.slice(0, -3))}.00`;
      lines = [
        line("1101", "debit", total),
        line("1201", "credit", principal, member),
        line("4201", "credit", interest),
      ];
    } else if (pick < 0.98 && cooperative.lastEntryId !== null) {
      kind = "reversal";
      reverses = cooperative.lastEntryId;
      const amount = rupiah(5_000, 500_000, 500);
      lines = [line("4101", "debit", amount), line("1102", "credit", amount)];
    } else {
      // Above the approval threshold: proposed, approved by another principal, posted.
      const amount = rupiah(26_000_000, 60_000_000, 1_000_000);
      lines = [line("1111", "debit", amount), line("3200", "credit", amount)];
      push(cooperative, "JournalEntryProposed", {
        entryId,
        date,
        memo: "usulan",
        lines,
        proposedBy: "staff-1",
      });
      push(cooperative, "JournalEntryApproved", { entryId, approvedBy: "manager-1" }, "manager-1");
      push(
        cooperative,
        "JournalEntryPosted",
        {
          entryId,
          kind,
          date,
          memo: "disetujui",
          lines,
          postedBy: "manager-1",
          proposedBy: "staff-1",
          reverses,
        },
        "manager-1",
      );
      continue;
    }
    push(cooperative, "JournalEntryPosted", {
      entryId,
      kind,
      date,
      memo: "transaksi",
      lines,
      postedBy: "treasurer-1",
      proposedBy: null,
      reverses,
    });
    cooperative.lastEntryId = entryId;
  }
  if (events.length > 0) yield events.splice(0, EVENT_COUNT - generated);
}

const megabytes = (bytes: number) => `${(bytes / 1_048_576).toFixed(0)} MB`;

/**
 * Events are generated page by page, as a replay reads them from the store, and only the rules are timed:
 * holding a million decoded events at once would measure the garbage collector walking them instead.
 */
const PAGE_SIZE = 1_000;

/** BENCH_RULES=large-cash,out-of-hours runs only those rules ("none": the facts fold alone), to cost each. */
const onlyRules = process.env.BENCH_RULES?.split(",");
let state = createSupervisionState(
  onlyRules === undefined ? {} : { rules: ALL_RULES.filter((rule) => onlyRules.includes(rule.name)) },
);
const alertsByRule = new Map<string, number>();
/** BENCH_ALERTS_FILE=path writes every alert raised (JSON Lines), to compare two implementations. */
const alertsFile = process.env.BENCH_ALERTS_FILE;
const raised: string[] = [];
let peakRss = process.memoryUsage().rss;
let replayMilliseconds = 0;
let replayCpuMicroseconds = 0;
let eventCount = 0;
const wallStarted = performance.now();
for (const page of generateHistory(PAGE_SIZE)) {
  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  for (const event of page) {
    const result = runRules(state, event);
    state = result.state;
    if (result.alerts.length === 0) continue;
    for (const alert of result.alerts) {
      alertsByRule.set(alert.rule, (alertsByRule.get(alert.rule) ?? 0) + 1);
      if (alertsFile !== undefined) raised.push(JSON.stringify(alert));
    }
  }
  replayMilliseconds += performance.now() - started;
  const cpu = process.cpuUsage(cpuStarted);
  replayCpuMicroseconds += cpu.user + cpu.system;
  eventCount += page.length;
  if (eventCount % 65_000 < PAGE_SIZE) peakRss = Math.max(peakRss, process.memoryUsage().rss);
}
peakRss = Math.max(peakRss, process.memoryUsage().rss);
const seconds = replayMilliseconds / 1000;
const cpuSeconds = replayCpuMicroseconds / 1_000_000;

console.log(
  `replayed ${eventCount} events of ${COOPERATIVE_COUNT} cooperatives: rules ${seconds.toFixed(2)} s elapsed, ${Math.round(eventCount / seconds)} events/s; ${cpuSeconds.toFixed(2)} s CPU, ${Math.round(eventCount / cpuSeconds)} events/s of CPU (wall time with generation ${((performance.now() - wallStarted) / 1000).toFixed(1)} s)`,
);
console.log(
  `peak RSS ${megabytes(peakRss)} (maxRSS ${megabytes(process.resourceUsage().maxRSS * 1024)}); rule state for ${state.cooperatives.size} cooperatives`,
);
console.log(`alerts by rule: ${JSON.stringify(Object.fromEntries([...alertsByRule].sort()))}`);
if (alertsFile !== undefined) writeFileSync(alertsFile, `${raised.join("\n")}\n`);
