import type { RecordedLedgerEvent } from "@bukubesar/ledger-core";
import { fc, test } from "@fast-check/vitest";
import { expect } from "vitest";
import {
  applyLedgerEvent,
  balanceSheet,
  buildReadModel,
  emptyReadModel,
  trialBalance,
} from "../src/index.js";
import { arbitraryHistory, checkDates, historyEvents } from "./arbitraries.js";

const onlyUpTo = (events: readonly RecordedLedgerEvent[], date: string): RecordedLedgerEvent[] =>
  events.filter((event) => event.type !== "JournalEntryPosted" || event.data.date <= date);

test.prop([arbitraryHistory()], { numRuns: 150 })(
  "the trial balance as of D equals a replay of only the entries dated up to D; it nets and the balance sheet balances",
  (entries) => {
    const events = historyEvents(entries);
    const model = buildReadModel("kkmp-acak", events);
    for (const date of checkDates(events)) {
      const fromModel = trialBalance(model, date);
      const replayed = trialBalance(buildReadModel("kkmp-acak", onlyUpTo(events, date)), date);
      expect(fromModel).toEqual(replayed);
      expect(fromModel.totals.debit).toBe(fromModel.totals.credit);
      const sheet = balanceSheet(model, date);
      expect(sheet.balanced).toBe(true);
      expect(sheet.assets.total).toBe(sheet.liabilitiesAndEquity);
    }
  },
);

test.prop([fc.array(fc.integer({ min: 0, max: 20 }), { minLength: 2, maxLength: 30 })])(
  "queries interleaved with back-dated entries always see every entry dated up to the query date",
  (days) => {
    const events = historyEvents(
      days.map((day) => ({
        dayOfYear: day,
        debits: [{ account: "1101", sen: 100n, memberId: null, memo: null }],
        creditAccounts: [{ account: "3200", memberId: null }],
        memo: "Setoran",
        reverseIndex: null,
      })),
    );
    const model = emptyReadModel("kkmp-acak");
    let postedUpToQueryDate = 0;
    for (const event of events) {
      applyLedgerEvent(model, event);
      if (event.type === "JournalEntryPosted" && event.data.date <= "2026-01-10") postedUpToQueryDate++;
      const row = trialBalance(model, "2026-01-10").accounts.find((account) => account.code === "1101");
      expect(row?.debit ?? "0.00").toBe(`${postedUpToQueryDate}.00`);
    }
  },
);
