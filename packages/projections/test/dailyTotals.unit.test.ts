import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { DailyTotals } from "../src/index.js";

describe("DailyTotals", () => {
  it("stays exact when a day's sum passes 2^53 sen", () => {
    const totals = new DailyTotals();
    const amount = 999_999_999_999_999; // the largest amount the number path takes, in sen
    const count = 20;
    for (let index = 0; index < count; index++) totals.add(20260105, true, amount);
    totals.addBig(20260105, true, 10n ** 20n);
    totals.add(20260106, false, 1);
    expect(totals.asOf(20260105)).toEqual({
      debit: BigInt(amount) * BigInt(count) + 10n ** 20n,
      credit: 0n,
      hasPostings: true,
    });
    expect(totals.between(20260106, 20260106)).toEqual({ debit: 0n, credit: 1n });
    expect(totals.asOf(20260104).hasPostings).toBe(false);
  });

  test.prop([
    fc.array(
      fc.record({
        day: fc.integer({ min: 1, max: 28 }),
        debit: fc.boolean(),
        sen: fc.bigInt({ min: 1n, max: 10n ** 17n }),
      }),
      {
        maxLength: 60,
      },
    ),
    fc.integer({ min: 0, max: 29 }),
  ])("as of a day equals the sum of the postings up to it, with queries in between", (postings, queryDay) => {
    const totals = new DailyTotals();
    let debit = 0n;
    let credit = 0n;
    for (const posting of postings) {
      const day = 20260100 + posting.day;
      if (posting.sen < 10n ** 15n) totals.add(day, posting.debit, Number(posting.sen));
      else totals.addBig(day, posting.debit, posting.sen);
      if (posting.day <= queryDay) {
        if (posting.debit) debit += posting.sen;
        else credit += posting.sen;
      }
      // Queries between postings exercise the in-place extension and the rebuild of the index.
      totals.asOf(20260100 + posting.day);
    }
    const result = totals.asOf(20260100 + queryDay);
    expect([result.debit, result.credit]).toEqual([debit, credit]);
  });
});
