import { fc, test } from "@fast-check/vitest";
import { isLeft } from "fp-ts/lib/Either.js";
import { describe, expect, it } from "vitest";
import type { LedgerEvent, LedgerState } from "../src/index.js";
import { decide, evolve, foldLedger } from "../src/index.js";
import { approver, command, credit, debit, kkmpLedger, postJournalEntry } from "../src/testing/index.js";

/** The largest line amount: fifteen nines and 99 sen. */
const LINE_AT_LIMIT = "999999999999999.99";
const LINE_LIMIT_SEN = 99_999_999_999_999_999n;
const RUNS = 25;

const decided = (state: LedgerState, events: LedgerEvent[], next: Parameters<typeof decide>[0]) => {
  const decision = decide(next, state);
  if (isLeft(decision)) throw new Error(`refused: ${decision.left.message}`);
  for (const event of decision.right) {
    events.push(event);
    state = evolve(state, event);
  }
  return state;
};

const balanceOf = (state: LedgerState, code: string): bigint => state.accounts.get(code)?.balance ?? 0n;

describe("totals beyond fifteen digits in the core", () => {
  it("still refuses a line above the limit", () => {
    const decision = decide(
      postJournalEntry([debit("1101", "1000000000000000.00"), credit("4101", "1000000000000000.00")]),
      foldLedger(kkmpLedger()),
    );
    expect(isLeft(decision)).toBe(true);
  });

  test.prop([fc.integer({ min: 2, max: 12 }), fc.bigInt({ min: 1n, max: 10_000n })], { numRuns: RUNS })(
    "sales at the line limit, closed at year end: balances, the closing entry and a fresh fold are exact",
    (sales, cost) => {
      const events: LedgerEvent[] = kkmpLedger();
      let state = foldLedger(events);
      for (let index = 0; index < sales; index += 1) {
        state = decided(
          state,
          events,
          postJournalEntry([debit("1101", LINE_AT_LIMIT), credit("4101", LINE_AT_LIMIT)], {
            entryId: `sale-${index}`,
            date: "2025-06-01",
          }),
        );
      }
      const costAmount = `${cost}.00`;
      state = decided(
        state,
        events,
        postJournalEntry([debit("6101", costAmount), credit("1101", costAmount)], {
          entryId: "cost",
          date: "2025-07-01",
        }),
      );
      const income = BigInt(sales) * LINE_LIMIT_SEN;
      expect(balanceOf(state, "4101")).toBe(income);
      expect(balanceOf(state, "1101")).toBe(income - cost * 100n);

      state = decided(
        state,
        events,
        command("CloseFiscalYear", { year: 2025, entryId: "closing-2025", today: "2026-01-05" }),
      );
      state = decided(state, events, command("ApproveYearEndStep", { year: 2025, step: "close" }, approver));
      expect(balanceOf(state, "4101")).toBe(0n);
      expect(balanceOf(state, "3600")).toBe(income - cost * 100n);
      // An auditor folding the recorded events from scratch reaches the same balances.
      const refolded = foldLedger(events);
      for (const code of ["1101", "4101", "6101", "3600", "3700"])
        expect(balanceOf(refolded, code), code).toBe(balanceOf(state, code));
    },
  );
});
