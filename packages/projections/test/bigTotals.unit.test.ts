import { fc, test } from "@fast-check/vitest";
import { describe, expect } from "vitest";
import { buildReadModel, trialBalance } from "../src/index.js";
import { credit, debit, LedgerBuilder, withKkmpAccounts } from "./ledgerBuilder.js";

/** The largest line amount, in sen (fifteen nines and 99 sen). */
const LINE_LIMIT_SEN = 99_999_999_999_999_999n;
const ACCOUNTS = ["1101", "1103", "3100", "4101", "6101"] as const;
const RUNS = 40;

const wire = (sen: bigint): string => {
  const digits = sen.toString().padStart(3, "0");
  return `${digits.slice(0, -2)}.${digits.slice(-2)}`;
};
const toSen = (amount: string): bigint => {
  const negative = amount.startsWith("-");
  const magnitude = BigInt(amount.replace("-", "").replace(".", ""));
  return negative ? -magnitude : magnitude;
};

/** Amounts at or just under the line limit, plus small ones, so totals quickly pass fifteen digits. */
const arbAmount = fc.oneof(
  fc.constant(LINE_LIMIT_SEN),
  fc.bigInt({ min: LINE_LIMIT_SEN - 1_000n, max: LINE_LIMIT_SEN }),
  fc.bigInt({ min: 1n, max: 10_000_000n }),
);
const arbEntry = fc.record({
  day: fc.integer({ min: 1, max: 28 }),
  amount: arbAmount,
  from: fc.constantFrom(...ACCOUNTS),
  to: fc.constantFrom(...ACCOUNTS),
});

describe("totals of lines at the amount limit", () => {
  test.prop([fc.array(arbEntry, { minLength: 1, maxLength: 40 })], { numRuns: RUNS })(
    "the trial balance is exact at any size: every account's debit and credit and the totals are the sums of the lines",
    (entries) => {
      const builder = withKkmpAccounts(new LedgerBuilder());
      const debits = new Map<string, bigint>();
      const credits = new Map<string, bigint>();
      for (const entry of entries) {
        const date = `2026-03-${String(entry.day).padStart(2, "0")}`;
        builder.post(date, "Setoran besar", [
          debit(entry.from, wire(entry.amount)),
          credit(entry.to, wire(entry.amount)),
        ]);
        debits.set(entry.from, (debits.get(entry.from) ?? 0n) + entry.amount);
        credits.set(entry.to, (credits.get(entry.to) ?? 0n) + entry.amount);
      }
      const report = trialBalance(buildReadModel(builder.coopId, builder.events), "2026-12-31");
      let totalDebit = 0n;
      for (const row of report.accounts) {
        expect(toSen(row.debit), row.code).toBe(debits.get(row.code) ?? 0n);
        expect(toSen(row.credit), row.code).toBe(credits.get(row.code) ?? 0n);
        totalDebit += toSen(row.debit);
      }
      expect(toSen(report.totals.debit)).toBe(totalDebit);
      expect(report.totals.credit).toBe(report.totals.debit);
    },
  );
});
