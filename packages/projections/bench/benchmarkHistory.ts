/**
 * The synthetic cooperative histories the benchmarks replay: several cooperatives, each with its chart,
 * 500 members, then entries of 2 or 4 lines (60% with a member, 5% back-dated). Deterministic, so runs
 * are comparable.
 */
import type { EntryLine, EventMetadata, RecordedLedgerEvent } from "@bukubesar/ledger-core";

export const BACK_DATED_SHARE = 0.05;
export const MEMBER_COUNT = 500;

export const ACCOUNTS: ReadonlyArray<
  readonly [string, "asset" | "liability" | "equity" | "income" | "expense"]
> = [
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
export const random = (() => {
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
export const DATES = Array.from({ length: 365 }, (_unused, index) => dateOf(index));

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

/** The entry's day of the year: in order through the year, or now and then back-dated to an earlier day. */
const entryDay = (entry: number, entryCount: number): number => {
  const inOrderDay = Math.min(364, Math.floor((entry / entryCount) * 365));
  return random() < BACK_DATED_SHARE ? Math.floor(random() * (inOrderDay + 1)) : inOrderDay;
};

/** A sale to a member or not, in cash: half of them with its cost of goods (four lines instead of two). */
const saleLines = (memberId: string | null, price: string) => {
  const sale = [
    line("1103", "debit", price, null),
    line(memberId === null ? "4201" : "4101", "credit", price, memberId),
  ];
  if (random() < 0.5) return sale;
  return [
    ...sale,
    line(memberId === null ? "5201" : "5101", "debit", price, memberId),
    line("1301", "credit", price, null),
  ];
};

/** One cooperative's events: accounts, members, then `entryCount` entries of 2–4 lines. */
export const cooperativeEvents = (coopId: string, entryCount: number): RecordedLedgerEvent[] => {
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
    // The random draws keep their order (day, member, price, shape), so a seed gives the same history.
    const day = entryDay(entry, entryCount);
    const memberId = random() < 0.6 ? `A-${Math.floor(random() * MEMBER_COUNT)}` : null;
    const lines = saleLines(memberId, amount());
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
