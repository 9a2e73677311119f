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
const randomSource = (seed: number): (() => number) => {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4_294_967_296;
  };
};

interface Cooperative {
  readonly coopId: string;
  readonly regionCode: string;
  revision: number;
  entries: number;
  members: number;
  lastEntryId: string | null;
}

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

/** A posting's lines, its kind and what it reverses; `approved` when it goes through an approver. */
interface Posting {
  readonly lines: EntryLine[];
  readonly kind: "regular" | "reversal";
  readonly reverses: string | null;
  readonly approved: boolean;
}

/**
 * The generated history: cooperatives opened with a chart and capital, then members joining and entries of
 * the usual kinds, in the order one random source draws them (SEED), so every run replays the same events.
 */
class HistoryGenerator {
  readonly events: SupervisedEvent[] = [];
  private readonly cooperatives: Cooperative[] = [];
  private readonly random = randomSource(SEED);
  private clock = Date.parse("2025-01-06T01:00:00.000Z");

  push(cooperative: Cooperative, type: string, data: unknown, principalId = "treasurer-1"): void {
    this.clock += Math.floor(this.random() * 2 * BETWEEN_EVENTS_MS);
    let at = this.clock;
    const hourInJakarta = new Date(at + 7 * 3_600_000).getUTCHours();
    // Most work happens in business hours; move night-time events to the next morning (a few stay late).
    if ((hourInJakarta < 7 || hourInJakarta >= 18) && this.random() > 0.01) {
      at += ((24 + 8 - hourInJakarta) % 24) * 3_600_000;
      this.clock = at;
    }
    // Cooperatives rest on Sunday: move Sunday's events to Monday (a few stay).
    if (new Date(at + 7 * 3_600_000).getUTCDay() === 0 && this.random() > 0.01) {
      at += 86_400_000;
      this.clock = at;
    }
    const revision = cooperative.revision + 1;
    cooperative.revision = revision;
    this.events.push({
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
  }

  // Log-uniform amounts, so first digits follow Benford's law as real trade roughly does.
  private rupiah(minimum: number, maximum: number, round = 1_000): string {
    return `${Math.max(round, Math.floor((minimum * (maximum / minimum) ** this.random()) / round) * round)}.00`;
  }

  private memberOf(cooperative: Cooperative): string {
    return `M-${Math.floor(this.random() * Math.max(1, cooperative.members)) + 1}`;
  }

  openCooperative(index: number): void {
    const cooperative: Cooperative = {
      coopId: `kkmp-${index}`,
      regionCode: `35.${String(10 + (index % 60)).padStart(2, "0")}.0${index % 9}.${1000 + index}`,
      revision: -1,
      entries: 0,
      members: 0,
      lastEntryId: null,
    };
    this.cooperatives.push(cooperative);
    this.push(
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
      this.push(cooperative, "AccountOpened", {
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
    this.push(cooperative, "JournalEntryPosted", {
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

  /** One more event or three: a member joining, an entry, or an entry proposed, approved and posted. */
  next(): void {
    const cooperative = this.cooperatives[
      Math.floor(this.random() * this.cooperatives.length)
    ] as Cooperative;
    if (cooperative.members < MEMBERS_PER_COOPERATIVE && this.random() < 0.08) {
      cooperative.members += 1;
      this.push(cooperative, "MemberRegistered", {
        memberId: `M-${cooperative.members}`,
        name: `Anggota ${cooperative.members}`,
        joinedOn: "2025-01-06",
        role: cooperative.members <= PENGURUS_PER_COOPERATIVE ? "pengurus" : "member",
      });
      return;
    }
    cooperative.entries += 1;
    const entryId = `${cooperative.coopId}-entry-${cooperative.entries}`;
    const date = new Date(this.clock + 7 * 3_600_000).toISOString().slice(0, 10);
    const member = this.memberOf(cooperative);
    const { lines, kind, reverses, approved } = this.posting(this.random(), cooperative, member);
    if (approved) {
      this.postApproved(cooperative, { entryId, kind, date, lines, reverses });
      return;
    }
    this.push(cooperative, "JournalEntryPosted", {
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

  /** The entry a draw `pick` makes: deposits, withdrawals, sales, purchases, loans, repayments, reversals. */
  private posting(pick: number, cooperative: Cooperative, member: string): Posting {
    const plain = (lines: EntryLine[]): Posting => ({
      lines,
      kind: "regular",
      reverses: null,
      approved: false,
    });
    if (pick < 0.3) {
      const amount =
        this.random() < 0.002 ? this.rupiah(100_000_000, 150_000_000) : this.rupiah(50_000, 5_000_000);
      return plain([line("1101", "debit", amount), line("2101", "credit", amount, member)]);
    }
    if (pick < 0.45) {
      const amount = this.rupiah(50_000, 2_000_000);
      return plain([line("2101", "debit", amount, member), line("1101", "credit", amount)]);
    }
    if (pick < 0.7) {
      const amount = this.rupiah(5_000, 500_000, 500);
      return plain([line("1102", "debit", amount), line("4101", "credit", amount)]);
    }
    if (pick < 0.8) {
      const amount = this.rupiah(10_000, 3_000_000, 100);
      return plain([line("5101", "debit", amount), line("1101", "credit", amount)]);
    }
    if (pick < 0.88) {
      const amount = this.rupiah(1_000_000, 10_000_000, 100_000);
      return plain([line("1201", "debit", amount, member), line("1101", "credit", amount)]);
    }
    if (pick < 0.96) return plain(this.repaymentLines(member));
    if (pick < 0.98 && cooperative.lastEntryId !== null) {
      const amount = this.rupiah(5_000, 500_000, 500);
      const lines = [line("4101", "debit", amount), line("1102", "credit", amount)];
      return { lines, kind: "reversal", reverses: cooperative.lastEntryId, approved: false };
    }
    // Above the approval threshold: proposed, approved by another principal, posted.
    const amount = this.rupiah(26_000_000, 60_000_000, 1_000_000);
    return { ...plain([line("1111", "debit", amount), line("3200", "credit", amount)]), approved: true };
  }

  private repaymentLines(member: string): EntryLine[] {
    const principal = this.rupiah(100_000, 1_000_000);
    const interest = this.rupiah(1_000, 50_000, 100);
    const total = `${Number(principal.slice(0, -3)) + Number(interest.slice(0, -3))}.00`;
    return [
      line("1101", "debit", total),
      line("1201", "credit", principal, member),
      line("4201", "credit", interest),
    ];
  }

  private postApproved(
    cooperative: Cooperative,
    entry: Pick<Posting, "lines" | "kind" | "reverses"> & { readonly entryId: string; readonly date: string },
  ): void {
    const { entryId, date, lines, kind, reverses } = entry;
    this.push(cooperative, "JournalEntryProposed", {
      entryId,
      date,
      memo: "usulan",
      lines,
      proposedBy: "staff-1",
    });
    this.push(cooperative, "JournalEntryApproved", { entryId, approvedBy: "manager-1" }, "manager-1");
    this.push(
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
  }
}

const generateHistory = function* (pageSize: number): Generator<SupervisedEvent[]> {
  const history = new HistoryGenerator();
  for (let index = 0; index < COOPERATIVE_COUNT; index += 1) history.openCooperative(index);
  let generated = 0;
  while (generated < EVENT_COUNT) {
    if (history.events.length >= pageSize) {
      const page = history.events.splice(0, EVENT_COUNT - generated);
      generated += page.length;
      yield page;
      continue;
    }
    history.next();
  }
  if (history.events.length > 0) yield history.events.splice(0, EVENT_COUNT - generated);
};

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
let replayMs = 0;
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
  replayMs += performance.now() - started;
  const cpu = process.cpuUsage(cpuStarted);
  replayCpuMicroseconds += cpu.user + cpu.system;
  eventCount += page.length;
  if (eventCount % 65_000 < PAGE_SIZE) peakRss = Math.max(peakRss, process.memoryUsage().rss);
}
peakRss = Math.max(peakRss, process.memoryUsage().rss);
const seconds = replayMs / 1000;
const cpuSeconds = replayCpuMicroseconds / 1_000_000;

console.log(
  `replayed ${eventCount} events of ${COOPERATIVE_COUNT} cooperatives: rules ${seconds.toFixed(2)} s elapsed, ${Math.round(eventCount / seconds)} events/s; ${cpuSeconds.toFixed(2)} s CPU, ${Math.round(eventCount / cpuSeconds)} events/s of CPU (wall time with generation ${((performance.now() - wallStarted) / 1000).toFixed(1)} s)`,
);
console.log(
  `peak RSS ${megabytes(peakRss)} (maxRSS ${megabytes(process.resourceUsage().maxRSS * 1024)}); rule state for ${state.cooperatives.size} cooperatives`,
);
console.log(`alerts by rule: ${JSON.stringify(Object.fromEntries([...alertsByRule].sort()))}`);
if (alertsFile !== undefined) writeFileSync(alertsFile, `${raised.join("\n")}\n`);
