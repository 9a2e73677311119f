import type { EntryLine, RecordedLedgerEvent } from "@bukubesar/ledger-core";
import { fc } from "@fast-check/vitest";
import { credit, debit, LedgerBuilder, withKkmpAccounts } from "./ledgerBuilder.js";

/** Accounts the random histories post to (a fixed subset of the test chart, every type represented). */
export const RANDOM_ACCOUNTS = [
  "1101",
  "1111",
  "1201",
  "1209",
  "1301",
  "2101",
  "2201",
  "3100",
  "3200",
  "4101",
  "4201",
  "5101",
  "6101",
];
export const RANDOM_MEMBERS = ["A-0001", "A-0002", "A-0003"];

const HOSTILE_TEXTS = [
  "line one\nline two",
  "semi;colon ; comment",
  "two  spaces  here",
  "tab\there",
  "IDR 500.00  IDR -5",
  "\u202Eevil\u202C bidi \u2066isolate\u2069",
  "zero\u200Bwidth\uFEFF",
  "date:2020-01-01 [2020-01-01] :tag:",
  "  leading and trailing  ",
  "Aset:1101 Kas",
  "(virtual) [brackets]",
  "back\\slash \r\n crlf",
  "",
];

export interface RandomLine {
  readonly account: string;
  readonly sen: bigint;
  readonly memberId: string | null;
  readonly memo: string | null;
}

export interface RandomEntry {
  readonly dayOfYear: number;
  readonly debits: readonly RandomLine[];
  readonly creditAccounts: readonly { account: string; memberId: string | null }[];
  readonly memo: string;
  /** When set, the entry reverses the entry at this index (modulo the entries before it), on its own date. */
  readonly reverseIndex: number | null;
}

const arbitraryLine = (hostile: boolean): fc.Arbitrary<RandomLine> =>
  fc.record({
    account: fc.constantFrom(...RANDOM_ACCOUNTS),
    sen: fc.bigInt({ min: 1n, max: 50_000_000_000n }),
    memberId: fc.option(fc.constantFrom(...RANDOM_MEMBERS), { nil: null }),
    memo: hostile ? fc.option(fc.constantFrom(...HOSTILE_TEXTS), { nil: null }) : fc.constant(null),
  });

const arbitraryEntry = (hostile: boolean): fc.Arbitrary<RandomEntry> =>
  fc.record({
    dayOfYear: fc.integer({ min: 0, max: 729 }),
    debits: fc.array(arbitraryLine(hostile), { minLength: 1, maxLength: 3 }),
    creditAccounts: fc.array(
      fc.record({
        account: fc.constantFrom(...RANDOM_ACCOUNTS),
        memberId: fc.option(fc.constantFrom(...RANDOM_MEMBERS), { nil: null }),
      }),
      { minLength: 1, maxLength: 2 },
    ),
    memo: hostile
      ? fc.oneof(fc.constantFrom(...HOSTILE_TEXTS), fc.string({ maxLength: 20 }))
      : fc.constant("Transaksi"),
    reverseIndex: fc.option(fc.nat({ max: 1000 }), { nil: null, freq: 6 }),
  });

/** A random history: entries in recording order whose dates are out of order, with reversals. */
export const arbitraryHistory = (options: { hostile?: boolean; maxEntries?: number } = {}) =>
  fc.array(arbitraryEntry(options.hostile ?? false), { minLength: 1, maxLength: options.maxEntries ?? 40 });

export const dateOfDay = (dayOfYear: number): string => {
  const instant = new Date(Date.UTC(2026, 0, 1 + dayOfYear));
  return instant.toISOString().slice(0, 10);
};

/** Records the random history as ledger events (accounts and members first), credits split evenly. */
export const historyEvents = (
  entries: readonly RandomEntry[],
  hostileNames = false,
): RecordedLedgerEvent[] => {
  const builder = withKkmpAccounts(new LedgerBuilder("kkmp-acak"));
  if (hostileNames) {
    builder.account("1102", "Kas  Kecil;\tdua\nbaris \u202Ekanan", "asset");
    builder.account("6112", "Beban:Adm  IDR 5 [x] (y) @ = * !", "expense");
  }
  for (const member of RANDOM_MEMBERS) builder.member(member, `Anggota ${member}`);
  const posted: string[] = [];
  const reversed = new Set<string>();
  for (const entry of entries) {
    const date = dateOfDay(entry.dayOfYear);
    if (entry.reverseIndex !== null && posted.length > 0) {
      const target = posted[entry.reverseIndex % posted.length] as string;
      if (!reversed.has(target)) {
        reversed.add(target);
        builder.reverse(target, date, "salah akun");
        continue;
      }
    }
    const lines: EntryLine[] = entry.debits.map((line) =>
      debit(hostileNames && line.account === "1101" ? "1102" : line.account, senWire(line.sen), {
        ...(line.memberId === null ? {} : { memberId: line.memberId }),
        ...(line.memo === null ? {} : { memo: line.memo }),
      }),
    );
    const total = entry.debits.reduce((sum, line) => sum + line.sen, 0n);
    const parts = BigInt(entry.creditAccounts.length);
    entry.creditAccounts.forEach((creditLine, index) => {
      const share = total / parts + (index === 0 ? total % parts : 0n);
      if (share === 0n) return;
      const account = hostileNames && creditLine.account === "6101" ? "6112" : creditLine.account;
      lines.push(
        credit(
          account,
          senWire(share),
          creditLine.memberId === null ? {} : { memberId: creditLine.memberId },
        ),
      );
    });
    posted.push(builder.post(date, entry.memo, lines));
  }
  return builder.events;
};

const senWire = (sen: bigint): string => `${sen / 100n}.${String(sen % 100n).padStart(2, "0")}`;

/** The dates a property checks: every entry date, the day before each, and fixed points. */
export const checkDates = (events: readonly RecordedLedgerEvent[]): string[] => {
  const dates = new Set<string>(["2025-12-31", "2026-06-30", "2026-12-31", "2027-12-31"]);
  for (const event of events) if (event.type === "JournalEntryPosted") dates.add(event.data.date);
  return [...dates].sort();
};
