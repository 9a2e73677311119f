import { fc, test } from "@fast-check/vitest";
import { isLeft } from "fp-ts/lib/Either.js";
import { describe, expect, it } from "vitest";
import type { LedgerCommand, LedgerEvent, LedgerState } from "../src/index.js";
import {
  decide,
  defaultSettings,
  endOfDayBalances,
  evolve,
  foldLedger,
  ledgerDecider,
} from "../src/index.js";
import {
  approver,
  command,
  credit,
  debit,
  deciderSpec,
  kkmpLedger,
  postJournalEntry,
  treasurer,
} from "../src/testing/index.js";

const given = deciderSpec(ledgerDecider);

const posted = (entryId: string, date: string, lines: ReturnType<typeof debit>[]): LedgerEvent => ({
  type: "JournalEntryPosted",
  data: {
    entryId,
    kind: "regular",
    date,
    memo: "Kas",
    lines,
    postedBy: treasurer.principalId,
    proposedBy: null,
    reverses: null,
  },
});

/** Cash in: Dr 1101 (Kas Besar, noOverdraft) / Cr 3300 (Modal Penyertaan). */
const cashIn = (entryId: string, date: string, amount: string) =>
  posted(entryId, date, [debit("1101", amount), credit("3300", amount)]);
/** Cash out: Dr 6101 / Cr 1101. */
const cashOut = (entryId: string, date: string, amount: string) =>
  posted(entryId, date, [debit("6101", amount), credit("1101", amount)]);

describe("noOverdraft holds as of every date", () => {
  it("refuses a back-dated outflow that would leave the account below zero on an earlier day", () => {
    const history = [...kkmpLedger(), cashIn("entry-in", "2026-02-10", "100.00")];
    const refusal = given(history)
      .when(
        postJournalEntry([debit("6101", "100.00"), credit("1101", "100.00")], {
          entryId: "entry-out",
          date: "2026-01-05",
        }),
      )
      .thenRejects("BalanceMustNotGoBelowZero", "insufficient_funds");
    expect(refusal.path).toBe("lines[1].amount");
    expect(refusal.message).toContain("2026-01-05");
    // The same outflow on or after the inflow's day is covered.
    given(history)
      .when(
        postJournalEntry([debit("6101", "100.00"), credit("1101", "100.00")], {
          entryId: "entry-out",
          date: "2026-02-10",
        }),
      )
      .thenAccepts();
  });

  it("refuses a back-dated outflow that is covered on its own day but not on a later one", () => {
    // 100 in on 01-05, 100 out on 01-20, 100 in on 02-10: today's balance 100, but 01-20 ends at 0.
    const history = [
      ...kkmpLedger(),
      cashIn("entry-1", "2026-01-05", "100.00"),
      cashOut("entry-2", "2026-01-20", "100.00"),
      cashIn("entry-3", "2026-02-10", "100.00"),
    ];
    const refusal = given(history)
      .when(
        postJournalEntry([debit("6101", "50.00"), credit("1101", "50.00")], {
          entryId: "entry-4",
          date: "2026-01-10",
        }),
      )
      .thenRejects("BalanceMustNotGoBelowZero", "insufficient_funds");
    expect(refusal.message).toContain("2026-01-20");
  });

  it("accepts a back-dated outflow that is covered at every date", () => {
    const history = [
      ...kkmpLedger(),
      cashIn("entry-1", "2026-01-05", "300.00"),
      cashOut("entry-2", "2026-01-20", "100.00"),
      cashIn("entry-3", "2026-02-10", "100.00"),
    ];
    // After it: 01-05 300, 01-10 100, 01-20 0, 02-10 100. Never below zero.
    const events = given(history)
      .when(
        postJournalEntry([debit("6101", "200.00"), credit("1101", "200.00")], {
          entryId: "entry-4",
          date: "2026-01-10",
        }),
      )
      .thenAccepts();
    const state = foldLedger([...history, ...events]);
    const cash = state.dailyBalances.get("1101");
    expect(cash?.dates).toEqual(["2026-01-05", "2026-01-10", "2026-01-20", "2026-02-10"]);
    expect(endOfDayBalances(cash)).toEqual([30000n, 10000n, 0n, 10000n]);
    expect(cash?.total).toBe(10000n);
    expect(state.accounts.get("1101")?.balance).toBe(10000n);
    // One sen more and 2026-01-20 would end below zero.
    given(history)
      .when(
        postJournalEntry([debit("6101", "200.01"), credit("1101", "200.01")], {
          entryId: "entry-4",
          date: "2026-01-10",
        }),
      )
      .thenRejects("BalanceMustNotGoBelowZero", "insufficient_funds");
  });

  it("sums two lines on the same account in one entry before checking", () => {
    const history = [...kkmpLedger(), cashIn("entry-in", "2026-02-10", "100.00")];
    given(history)
      .when(
        postJournalEntry(
          [
            debit("6101", "100.00"),
            credit("1101", "100.00"),
            debit("1101", "100.00"),
            credit("3300", "100.00"),
          ],
          { entryId: "entry-both", date: "2026-01-05" },
        ),
      )
      .thenAccepts();
    given(history)
      .when(
        postJournalEntry(
          [
            debit("6101", "100.00"),
            credit("1101", "100.00"),
            debit("1101", "99.99"),
            credit("3300", "99.99"),
          ],
          { entryId: "entry-both", date: "2026-01-05" },
        ),
      )
      .thenRejects("BalanceMustNotGoBelowZero", "insufficient_funds");
  });

  it("refuses a back-dated reversal that would leave the account below zero on a later day", () => {
    // The inflow of 01-10 is reversed on 01-15; the outflow of 01-20 would then have nothing to spend,
    // although the inflow of 02-01 makes today's balance zero, not negative.
    const history = [
      ...kkmpLedger(),
      cashIn("entry-1", "2026-01-10", "100.00"),
      cashOut("entry-2", "2026-01-20", "100.00"),
      cashIn("entry-3", "2026-02-01", "100.00"),
    ];
    const reverse = (date: string) =>
      command("ReverseJournalEntry", {
        entryId: "entry-1",
        reversalEntryId: "reversal-1",
        date,
        reason: "salah catat",
      });
    given(history).when(reverse("2026-01-15")).thenRejects("BalanceMustNotGoBelowZero", "insufficient_funds");
    given(history).when(reverse("2026-02-01")).thenAccepts();
  });

  it("refuses a reversal dated before the entry it reverses", () => {
    const history = [...kkmpLedger(), cashIn("entry-1", "2026-02-10", "100.00")];
    const reverse = (date: string) =>
      command("ReverseJournalEntry", {
        entryId: "entry-1",
        reversalEntryId: "reversal-1",
        date,
        reason: "salah catat",
      });
    const refusal = given(history)
      .when(reverse("2026-02-09"))
      .thenRejects("ReversalMustNotPrecedeOriginal", "invalid_date");
    expect(refusal.path).toBe("date");
    expect(refusal.message).toContain("2026-02-10");
    given(history).when(reverse("2026-02-10")).thenAccepts();
  });

  it("refuses approving a back-dated proposal that the account could not cover on its date", () => {
    const history: LedgerEvent[] = [
      ...kkmpLedger(),
      {
        type: "SettingsChanged",
        data: { settings: { ...defaultSettings("35.74.03.1002"), approvalThreshold: "500000.00" } },
      },
      {
        type: "JournalEntryProposed",
        data: {
          entryId: "entry-big",
          date: "2026-01-05",
          memo: "Pembelian sembako",
          lines: [debit("1301", "600000.00"), credit("1101", "600000.00")],
          proposedBy: treasurer.principalId,
        },
      },
      cashIn("entry-in", "2026-01-15", "1000000.00"),
    ];
    given(history)
      .when(command("ApproveJournalEntry", { entryId: "entry-big" }, approver))
      .thenRejects("BalanceMustNotGoBelowZero", "insufficient_funds");
    // Funded on the proposal's own day, the same approval goes through.
    given([...history.slice(0, -1), cashIn("entry-in", "2026-01-05", "1000000.00")])
      .when(command("ApproveJournalEntry", { entryId: "entry-big" }, approver))
      .thenAccepts();
  });

  it("leaves the given state untouched when evolving (copy on write of the daily balances)", () => {
    const before = foldLedger([...kkmpLedger(), cashIn("entry-1", "2026-01-10", "100.00")]);
    const snapshot = structuredClone(before.dailyBalances.get("1101"));
    const after = evolve(before, cashOut("entry-2", "2026-01-05", "0.01"));
    expect(before.dailyBalances.get("1101")).toEqual(snapshot);
    expect(after.dailyBalances.get("1101")).toEqual({
      dates: ["2026-01-05", "2026-01-10"],
      dayChange: [-1n, 10000n],
      total: 9999n,
    });
    expect(endOfDayBalances(after.dailyBalances.get("1101"))).toEqual([-1n, 9999n]);
  });
});

/** Balance of 1101 in sen as of the end of every day with postings, rebuilt from the events alone. */
const cashAsOfEveryDay = (events: readonly LedgerEvent[]): bigint[] => {
  const byDate = new Map<string, bigint>();
  for (const event of events) {
    if (event.type !== "JournalEntryPosted") continue;
    for (const line of event.data.lines) {
      if (line.account !== "1101") continue;
      const sen = BigInt(line.amount.replace(".", ""));
      byDate.set(event.data.date, (byDate.get(event.data.date) ?? 0n) + (line.side === "debit" ? sen : -sen));
    }
  }
  let running = 0n;
  return [...byDate.keys()].sort().map((date) => {
    running += byDate.get(date) ?? 0n;
    return running;
  });
};

type Step =
  | { kind: "in" | "out"; amount: number; day: number }
  | { kind: "reverse"; pick: number; day: number }
  | { kind: "approve"; pick: number };

const dayToDate = (day: number): string => {
  const month = Math.floor(day / 28) + 1;
  return `2026-${String(month).padStart(2, "0")}-${String((day % 28) + 1).padStart(2, "0")}`;
};

const arbStep: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    kind: fc.constantFrom("in" as const, "out" as const),
    amount: fc.integer({ min: 1, max: 1_000 }),
    day: fc.integer({ min: 0, max: 83 }),
  }),
  fc.record({
    kind: fc.constant("reverse" as const),
    pick: fc.nat(),
    day: fc.integer({ min: 0, max: 83 }),
  }),
  fc.record({ kind: fc.constant("approve" as const), pick: fc.nat() }),
);

describe("noOverdraft property", () => {
  test.prop([fc.array(arbStep, { maxLength: 60 })], { numRuns: 100 })(
    "after every accepted post, reversal or approval, 1101 is at or above zero as of every day",
    (steps) => {
      const history: LedgerEvent[] = [
        ...kkmpLedger(),
        {
          type: "SettingsChanged",
          // Entries above Rp 700 wait for approval, so approvals are exercised too.
          data: { settings: { ...defaultSettings("35.74.03.1002"), approvalThreshold: "700.00" } },
        },
      ];
      let state: LedgerState = foldLedger(history);
      const entryIds: string[] = [];
      steps.forEach((step, index) => {
        let next: LedgerCommand | undefined;
        if (step.kind === "in" || step.kind === "out") {
          const amount = `${step.amount}.00`;
          const lines =
            step.kind === "in"
              ? [debit("1101", amount), credit("3300", amount)]
              : [debit("6101", amount), credit("1101", amount)];
          next = postJournalEntry(lines, { entryId: `entry-${index}`, date: dayToDate(step.day) });
        } else if (step.kind === "reverse") {
          const entryId = entryIds[step.pick % Math.max(entryIds.length, 1)] ?? "none";
          next = command("ReverseJournalEntry", {
            entryId,
            reversalEntryId: `reversal-${index}`,
            date: dayToDate(step.day),
            reason: "koreksi",
          });
        } else if (step.kind === "approve") {
          const entryId = entryIds[step.pick % Math.max(entryIds.length, 1)] ?? "none";
          next = command("ApproveJournalEntry", { entryId }, approver);
        }
        if (next === undefined) return;
        const decision = decide(next, state);
        if (isLeft(decision)) return;
        history.push(...decision.right);
        state = decision.right.reduce(evolve, state);
        for (const event of decision.right) {
          if (event.type === "JournalEntryPosted" || event.type === "JournalEntryProposed")
            entryIds.push(event.data.entryId);
        }
        for (const balance of cashAsOfEveryDay(history)) expect(balance >= 0n).toBe(true);
      });
      // Pure evolve and the in-place fold agree on the daily balances.
      expect(foldLedger(history).dailyBalances).toEqual(state.dailyBalances);
      expect(endOfDayBalances(state.dailyBalances.get("1101"))).toEqual(cashAsOfEveryDay(history));
    },
  );
});
