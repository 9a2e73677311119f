import { BUSINESS_HOURS_DEFAULT } from "@bukubesar/ledger-core";
import { describe, expect, it } from "vitest";
import {
  APPROVAL_THRESHOLD_AVOIDANCE_RULE,
  BACKDATED_ENTRY_RULE,
  BENFORD_DEVIATION_RULE,
  CASH_BELOW_FLOOR_RULE,
  CLOSED_PERIOD_ATTEMPT_RULE,
  createSupervisionState,
  DEFAULT_SETTINGS,
  DORMANT_COOPERATIVE_RULE,
  DUPLICATE_ENTRY_RULE,
  FISCAL_YEAR_REOPENED_RULE,
  FUTURE_DATED_ENTRY_RULE,
  LARGE_CASH_RULE,
  LIQUIDITY_LOW_RULE,
  LOAN_CONCENTRATION_RULE,
  OUT_OF_HOURS_RULE,
  PPATK_CASH_DAILY_RULE,
  RELATED_PARTY_LOAN_RULE,
  REOPENED_PERIOD_POSTING_RULE,
  REVERSAL_SPIKE_RULE,
  ROUND_NUMBERS_RULE,
  runClockTick,
  runRules,
  SELF_APPROVAL_RULE,
  STRUCTURING_RULE,
} from "../src/index.js";
import { alertsOf, History, replay } from "./history.js";

/** A CommandRefused audit event's data, as the API records it. */
const refused = (code: string, commandType: string, entryId: string | null, principalId: string) => ({
  code,
  commandType,
  entryId,
  date: null,
  principalId,
  role: principalId.replace(/-\d+$/, ""),
  at: "2026-01-14T03:00:00.000Z",
});

describe("large cash movement", () => {
  it("fires on a cash line at the threshold, with the alert shape of api.md", () => {
    const history = new History().standard().member("A-1").deposit("100000000", "A-1");
    const [alert, ...rest] = alertsOf(replay(history.events), LARGE_CASH_RULE);
    expect(rest).toHaveLength(0);
    expect(alert).toMatchObject({
      rule: "large-cash",
      severity: "warning",
      coopId: "kkmp-mangunharjo",
      regionCode: "35.74.03.1002",
      entryIds: [history.lastEntryId],
      raisedAt: history.events.at(-1)?.metadata.recordedAt,
    });
    expect(alert?.summary).toContain("Rp100.000.000");
    expect(alert?.alertId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it("does not fire below the threshold, nor for a large non-cash entry", () => {
    const history = new History()
      .standard()
      .member("A-1")
      .deposit("99999999.99", "A-1")
      .post([
        ["1111", "debit", "500000000"],
        ["2101", "credit", "500000000", "A-1"],
      ]);
    expect(alertsOf(replay(history.events), LARGE_CASH_RULE)).toHaveLength(0);
  });

  it("follows the cooperative's own threshold after SettingsChanged", () => {
    const history = new History().standard().member("A-1");
    history.event("SettingsChanged", { settings: { ...SETTINGS_BASE, largeCashThreshold: "10000000.00" } });
    history.deposit("10000000", "A-1");
    expect(alertsOf(replay(history.events), LARGE_CASH_RULE)).toHaveLength(1);
  });
});

const SETTINGS_BASE = {
  approvalThreshold: "25000000.00",
  largeCashThreshold: "100000000.00",
  businessHours: { start: "07:00", end: "18:00" },
  timeZone: "Asia/Jakarta",
};

describe("PPATK Rp500 million cash per member per day", () => {
  it("fires once when a member's cash on one day reaches Rp500 million", () => {
    const history = new History().standard().member("A-1");
    for (let index = 0; index < 6; index += 1) history.deposit("100000000", "A-1", { date: "2026-01-14" });
    const alerts = alertsOf(replay(history.events), PPATK_CASH_DAILY_RULE);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.severity).toBe("high");
    expect(alerts[0]?.entryIds).toHaveLength(5);
    expect(alerts[0]?.details).toMatchObject({ memberId: "A-1", total: "500000000.00" });
  });

  it("does not fire for the same total spread over two days or two members", () => {
    const history = new History().standard().member("A-1").member("A-2");
    for (let index = 0; index < 3; index += 1) history.deposit("100000000", "A-1", { date: "2026-01-14" });
    for (let index = 0; index < 3; index += 1) history.deposit("100000000", "A-1", { date: "2026-01-15" });
    for (let index = 0; index < 3; index += 1) history.deposit("100000000", "A-2", { date: "2026-01-15" });
    expect(alertsOf(replay(history.events), PPATK_CASH_DAILY_RULE)).toHaveLength(0);
  });
});

describe("structuring", () => {
  it("fires on three cash deposits just under the large-cash threshold by one member within the window", () => {
    const history = new History().standard().member("A-1");
    history.deposit("95000000", "A-1", { date: "2026-01-12" });
    history.deposit("98000000", "A-1", { date: "2026-01-13" });
    history.deposit("99000000", "A-1", { date: "2026-01-14" });
    const alerts = alertsOf(replay(history.events), STRUCTURING_RULE);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.severity).toBe("high");
    expect(alerts[0]?.entryIds).toEqual(["entry-1", "entry-2", "entry-3"]);
    expect(alerts[0]?.details).toMatchObject({ key: "member:A-1" });
  });

  it("fires on one cash account when different members deposit just under the threshold", () => {
    const history = new History().standard().member("A-1").member("A-2").member("A-3");
    history.deposit("450000000", "A-1").deposit("460000000", "A-2").deposit("470000000", "A-3");
    const alerts = alertsOf(replay(history.events), STRUCTURING_RULE);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.details).toMatchObject({ key: "account:1101", threshold: "500000000.00" });
  });

  it("does not fire for small amounts, for amounts at the threshold, or outside the window", () => {
    const history = new History().standard().member("A-1");
    history.deposit("50000000", "A-1").deposit("50000000", "A-1").deposit("50000000", "A-1");
    history.deposit("95000000", "A-1", { date: "2026-01-01" });
    history.deposit("95000000", "A-1", { date: "2026-01-05" });
    history.deposit("95000000", "A-1", { date: "2026-01-09" });
    expect(alertsOf(replay(history.events), STRUCTURING_RULE)).toHaveLength(0);
  });
});

describe("out of business hours, Sundays and national holidays", () => {
  it("fires at 19:30 WIB, on a Sunday and on Idul Fitri, using the cooperative's time zone", () => {
    const history = new History().standard().member("A-1");
    history.deposit("50000", "A-1", { at: "2026-01-14T12:30:00.000Z" }); // 19:30 WIB Wednesday
    history.deposit("50000", "A-1", { at: "2026-01-18T03:00:00.000Z" }); // 10:00 WIB Sunday
    history.deposit("50000", "A-1", { at: "2026-03-21T03:00:00.000Z" }); // 10:00 WIB Idul Fitri (Saturday)
    const alerts = alertsOf(replay(history.events), OUT_OF_HOURS_RULE);
    expect(alerts.map((alert) => alert.entryIds[0])).toEqual(["entry-1", "entry-2", "entry-3"]);
    expect(alerts[0]?.details).toMatchObject({ localTime: "19:30", timeZone: "Asia/Jakarta" });
    expect(alerts[2]?.details).toMatchObject({ holiday: "Idul Fitri" });
  });

  it("does not fire inside business hours on a working day, even when UTC says another day", () => {
    const history = new History().standard().member("A-1");
    history.deposit("50000", "A-1", { at: "2026-01-14T00:30:00.000Z" }); // 07:30 WIB
    history.deposit("50000", "A-1", { at: "2026-01-14T10:59:00.000Z" }); // 17:59 WIB
    expect(alertsOf(replay(history.events), OUT_OF_HOURS_RULE)).toHaveLength(0);
  });

  it("judges a cooperative whose opening it did not see on the ledger's default hours, 07:00-17:00", () => {
    // Before: the rules assumed 18:00 while the ledger's default (and the guides) say 17:00.
    const history = new History().account("1101", "asset", true).account("2101", "liability").member("A-1");
    history.deposit("50000", "A-1", { at: "2026-01-14T09:59:00.000Z" }); // 16:59 WIB
    history.deposit("50000", "A-1", { at: "2026-01-14T10:30:00.000Z" }); // 17:30 WIB
    const alerts = alertsOf(replay(history.events), OUT_OF_HOURS_RULE);
    expect(alerts.map((alert) => alert.entryIds[0])).toEqual(["entry-2"]);
    expect(DEFAULT_SETTINGS.businessHours).toEqual(BUSINESS_HOURS_DEFAULT);
  });

  it("judges a WIT cooperative on Jayapura time", () => {
    const history = new History("kkmp-papua", "91.71.01.1001")
      .standard({ timeZone: "Asia/Jayapura" })
      .member("A-1");
    history.deposit("50000", "A-1", { at: "2026-01-14T09:30:00.000Z" }); // 16:30 WIB but 18:30 WIT
    expect(alertsOf(replay(history.events), OUT_OF_HOURS_RULE)).toHaveLength(1);
  });
});

describe("back-dated entries and postings into reopened periods", () => {
  it("fires when the accounting date is more than seven days before the local recording date", () => {
    const history = new History().standard().member("A-1");
    history.deposit("50000", "A-1", { at: "2026-01-14T03:00:00.000Z", date: "2026-01-06" });
    history.deposit("50000", "A-1", { at: "2026-01-14T03:00:00.000Z", date: "2026-01-07" });
    const alerts = alertsOf(replay(history.events), BACKDATED_ENTRY_RULE);
    expect(alerts.map((alert) => alert.entryIds[0])).toEqual(["entry-1"]);
  });

  it("fires for entries posted into a reopened period, and stops once it is closed again", () => {
    const history = new History().standard().member("A-1");
    history.event("PeriodClosed", { period: "2026-01" });
    history.event("PeriodReopened", { period: "2026-01", reason: "koreksi" }, undefined, "admin-1");
    history.deposit("50000", "A-1", { date: "2026-01-14" });
    history.deposit("50000", "A-1", { date: "2026-02-01", at: "2026-02-01T03:00:00.000Z" });
    history.event("PeriodClosed", { period: "2026-01" });
    history.deposit("50000", "A-1", { date: "2026-01-14" });
    const alerts = alertsOf(replay(history.events), REOPENED_PERIOD_POSTING_RULE);
    expect(alerts.map((alert) => alert.entryIds[0])).toEqual(["entry-1"]);
  });
});

describe("a reopened fiscal year", () => {
  it("raises a high alert naming the year, the reason and the admin", () => {
    const history = new History().standard();
    history.event(
      "FiscalYearReopened",
      { year: 2025, reason: "koreksi auditor", entryId: "reopen-2025" },
      undefined,
      "admin-1",
    );
    const alerts = alertsOf(replay(history.events), FISCAL_YEAR_REOPENED_RULE);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({
      severity: "high",
      entryIds: ["reopen-2025"],
      details: { year: 2025, reason: "koreksi auditor", reopenedBy: "admin-1" },
    });
  });
});

describe("attempts to post into a closed period", () => {
  it("fires on each refusal with period_closed, naming the month, and on no other refusal", () => {
    const history = new History().standard();
    history.event("CommandRefused", {
      ...refused("period_closed", "PostJournalEntry", null, "treasurer-1"),
      date: "2025-12-20",
    });
    history.event("CommandRefused", refused("self_approval", "ApproveJournalEntry", "entry-3", "admin-1"));
    history.event("CommandRefused", refused("forbidden", "ClosePeriod", null, "approver-1"));
    const alerts = alertsOf(replay(history.events), CLOSED_PERIOD_ATTEMPT_RULE);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ severity: "warning", entryIds: [], details: { period: "2025-12" } });
    expect(alerts[0]?.summary).toContain("2025-12");
  });

  it("raises the same alert ids on a replay", () => {
    const history = new History().standard();
    history.event("CommandRefused", {
      ...refused("period_closed", "PostJournalEntry", null, "t-1"),
      date: "2025-12-20",
    });
    const first = alertsOf(replay(history.events), CLOSED_PERIOD_ATTEMPT_RULE).map((alert) => alert.alertId);
    const second = alertsOf(replay(history.events), CLOSED_PERIOD_ATTEMPT_RULE).map((alert) => alert.alertId);
    expect(first).toHaveLength(1);
    expect(second).toEqual(first);
  });
});

describe("future-dated entries", () => {
  it("fires when the accounting date is more than one day after the local recording date", () => {
    const history = new History().standard().member("A-1");
    // Recorded 2026-01-14 at 10:00 WIB.
    history.deposit("50000", "A-1", { at: "2026-01-14T03:00:00.000Z", date: "2026-01-16" });
    history.deposit("50000", "A-1", { at: "2026-01-14T03:00:00.000Z", date: "2026-02-20" });
    const alerts = alertsOf(replay(history.events), FUTURE_DATED_ENTRY_RULE);
    expect(alerts.map((alert) => alert.entryIds[0])).toEqual(["entry-1", "entry-2"]);
    expect(alerts[0]).toMatchObject({ severity: "warning", details: { days: 2, limitDays: 1 } });
  });

  it("does not fire for today, tomorrow or the past, and judges the day on the cooperative's calendar", () => {
    const history = new History().standard().member("A-1");
    history.deposit("50000", "A-1", { at: "2026-01-14T03:00:00.000Z", date: "2026-01-14" });
    history.deposit("50000", "A-1", { at: "2026-01-14T03:00:00.000Z", date: "2026-01-15" });
    history.deposit("50000", "A-1", { at: "2026-01-14T03:00:00.000Z", date: "2025-12-01" });
    // 2026-01-14T18:00Z is already 2026-01-15 01:00 in Jakarta: two days ahead in UTC, one in WIB.
    history.deposit("50000", "A-1", { at: "2026-01-14T18:00:00.000Z", date: "2026-01-16" });
    expect(alertsOf(replay(history.events), FUTURE_DATED_ENTRY_RULE)).toEqual([]);
  });

  it("takes another number of days from the thresholds", () => {
    const history = new History().standard().member("A-1");
    history.deposit("50000", "A-1", { at: "2026-01-14T03:00:00.000Z", date: "2026-01-15" });
    const alerts = alertsOf(
      replay(history.events, { thresholds: { futureDatedDays: 0 } }),
      FUTURE_DATED_ENTRY_RULE,
    );
    expect(alerts).toHaveLength(1);
  });
});

describe("duplicate entries", () => {
  it("fires when the same lines are posted again within ten minutes", () => {
    const history = new History().standard().member("A-1");
    history.deposit("75000", "A-1", { at: "2026-01-14T03:00:00.000Z" });
    history.deposit("75000", "A-1", { at: "2026-01-14T03:05:00.000Z" });
    const alerts = alertsOf(replay(history.events), DUPLICATE_ENTRY_RULE);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.entryIds).toEqual(["entry-1", "entry-2"]);
  });

  it("does not fire after the window, or when an amount or member differs", () => {
    const history = new History().standard().member("A-1").member("A-2");
    history.deposit("75000", "A-1", { at: "2026-01-14T03:00:00.000Z" });
    history.deposit("75000", "A-1", { at: "2026-01-14T03:11:00.000Z" });
    history.deposit("75000", "A-2", { at: "2026-01-14T03:12:00.000Z" });
    history.deposit("75001", "A-1", { at: "2026-01-14T03:13:00.000Z" });
    expect(alertsOf(replay(history.events), DUPLICATE_ENTRY_RULE)).toHaveLength(0);
  });
});

describe("reversal spike", () => {
  const reversal = (history: History, by: string) =>
    history.post(
      [
        ["2101", "debit", "1000", "A-1"],
        ["1101", "credit", "1000"],
      ],
      { kind: "reversal", by, reverses: "x" },
    );

  it("fires at the fifth reversal by one principal within 24 hours", () => {
    const history = new History().standard().member("A-1").deposit("100000", "A-1");
    for (let index = 0; index < 5; index += 1) reversal(history, "treasurer-1");
    const alerts = alertsOf(replay(history.events), REVERSAL_SPIKE_RULE);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.entryIds).toHaveLength(5);
  });

  it("does not fire for four, nor for five spread over two principals", () => {
    const history = new History().standard().member("A-1").deposit("100000", "A-1");
    for (let index = 0; index < 4; index += 1) reversal(history, "treasurer-1");
    reversal(history, "treasurer-2");
    expect(alertsOf(replay(history.events), REVERSAL_SPIKE_RULE)).toHaveLength(0);
  });
});

describe("self-approval", () => {
  const proposal = (history: History, entryId: string, proposedBy: string) =>
    history.event("JournalEntryProposed", { entryId, date: "2026-01-14", memo: "x", lines: [], proposedBy });

  it("fires once when the proposer approves and posts their own entry", () => {
    const history = new History().standard().member("A-1");
    proposal(history, "entry-9", "treasurer-1");
    history.event("JournalEntryApproved", { entryId: "entry-9", approvedBy: "treasurer-1" });
    history.post(
      [
        ["1101", "debit", "30000000"],
        ["2101", "credit", "30000000", "A-1"],
      ],
      { entryId: "entry-9", proposedBy: "treasurer-1", by: "treasurer-1" },
    );
    const alerts = alertsOf(replay(history.events), SELF_APPROVAL_RULE);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ severity: "high", entryIds: ["entry-9"] });
  });

  it("fires on a refused self-approval (CommandRefused audit event), and not on a proper maker-checker approval", () => {
    const history = new History().standard();
    proposal(history, "entry-9", "treasurer-1");
    history.event("JournalEntryApproved", { entryId: "entry-9", approvedBy: "approver-1" });
    expect(alertsOf(replay(history.events), SELF_APPROVAL_RULE)).toHaveLength(0);
    history.event("CommandRefused", refused("self_approval", "ApproveJournalEntry", "entry-10", "admin-1"));
    const alerts = alertsOf(replay(history.events), SELF_APPROVAL_RULE);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ severity: "high", entryIds: ["entry-10"], details: { refused: true } });
  });

  it("fires when a role that may not approve is refused approving its own proposal, not someone else's", () => {
    const history = new History().standard();
    proposal(history, "entry-11", "treasurer-1");
    proposal(history, "entry-12", "treasurer-2");
    history.event("CommandRefused", refused("forbidden", "ApproveJournalEntry", "entry-11", "treasurer-1"));
    history.event("CommandRefused", refused("forbidden", "ApproveJournalEntry", "entry-12", "treasurer-1"));
    history.event("CommandRefused", refused("forbidden", "PostJournalEntry", null, "auditor-1"));
    const alerts = alertsOf(replay(history.events), SELF_APPROVAL_RULE);
    expect(alerts.map((alert) => alert.entryIds)).toEqual([["entry-11"]]);
  });
});

describe("approval threshold avoidance", () => {
  const expense = (history: History, amount: string, by = "treasurer-1") =>
    history.post(
      [
        ["5101", "debit", amount],
        ["1111", "credit", amount],
      ],
      { by },
    );

  it("fires at the third entry just under the approval threshold by one principal", () => {
    const history = new History().standard();
    expense(history, "24000000");
    expense(history, "25000000");
    expense(history, "23500000");
    const alerts = alertsOf(replay(history.events), APPROVAL_THRESHOLD_AVOIDANCE_RULE);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.details).toMatchObject({ approvalThreshold: "25000000.00" });
  });

  it("does not fire without an approval threshold, below the band, or across principals", () => {
    const none = new History().standard({ approvalThreshold: null });
    for (let index = 0; index < 3; index += 1) expense(none, "24000000");
    const mixed = new History().standard();
    expense(mixed, "24000000", "treasurer-1");
    expense(mixed, "24000000", "treasurer-2");
    expense(mixed, "20000000", "treasurer-1");
    expect(alertsOf(replay(none.events), APPROVAL_THRESHOLD_AVOIDANCE_RULE)).toHaveLength(0);
    expect(alertsOf(replay(mixed.events), APPROVAL_THRESHOLD_AVOIDANCE_RULE)).toHaveLength(0);
  });
});

describe("cash below zero or below a floor", () => {
  it("fires high when a cash account goes negative, once, and warns when it crosses the floor", () => {
    const history = new History().standard().member("A-1").deposit("3000000", "A-1");
    const withdraw = (amount: string) =>
      history.post([
        ["2101", "debit", amount, "A-1"],
        ["1101", "credit", amount],
      ]);
    withdraw("2500000"); // 500,000 left: under the floor of 1,000,000
    withdraw("1000000"); // -500,000: negative
    withdraw("100000"); // still negative: no new alert
    const alerts = alertsOf(
      replay(history.events, { thresholds: { cashFloor: "1000000" } }),
      CASH_BELOW_FLOOR_RULE,
    );
    expect(alerts.map((alert) => [alert.severity, alert.entryIds[0]])).toEqual([
      ["warning", "entry-2"],
      ["high", "entry-3"],
    ]);
  });

  it("does not fire while the balance stays at or above zero, with no floor set", () => {
    const history = new History().standard().member("A-1").deposit("1000", "A-1");
    history.post([
      ["2101", "debit", "1000", "A-1"],
      ["1101", "credit", "1000"],
    ]);
    expect(alertsOf(replay(history.events), CASH_BELOW_FLOOR_RULE)).toHaveLength(0);
  });
});

describe("liquidity (cash ratio) below the health threshold", () => {
  it("fires when cash and bank fall below 10% of current liabilities, once", () => {
    const history = new History().standard().member("A-1");
    history.deposit("100000000", "A-1"); // cash 100 m, savings 100 m
    history.post([
      ["1201", "debit", "91000000", "A-1"],
      ["1101", "credit", "91000000"],
    ]); // cash 9 m: 9%
    history.post([
      ["1201", "debit", "1000000", "A-1"],
      ["1101", "credit", "1000000"],
    ]); // still low
    const alerts = alertsOf(replay(history.events), LIQUIDITY_LOW_RULE);
    expect(alerts.map((alert) => alert.entryIds[0])).toEqual(["entry-2"]);
  });

  it("does not fire at 10% or with too few liabilities to judge", () => {
    const history = new History().standard().member("A-1");
    history.deposit("100000000", "A-1");
    history.post([
      ["1201", "debit", "90000000", "A-1"],
      ["1101", "credit", "90000000"],
    ]);
    const small = new History().standard().member("A-1").deposit("1000000", "A-1");
    small.post([
      ["5101", "debit", "1000000"],
      ["1101", "credit", "1000000"],
    ]);
    expect(alertsOf(replay(history.events), LIQUIDITY_LOW_RULE)).toHaveLength(0);
    expect(alertsOf(replay(small.events), LIQUIDITY_LOW_RULE)).toHaveLength(0);
  });
});

describe("loans to pengurus and pengawas, and loan concentration", () => {
  const capital = (history: History, amount: string) =>
    history.post([
      ["1111", "debit", amount],
      ["3101", "credit", amount],
    ]);
  const loan = (history: History, memberId: string, amount: string) =>
    history.post([
      ["1201", "debit", amount, memberId],
      ["1111", "credit", amount],
    ]);

  it("fires when a pengurus's loans exceed 10% of own capital", () => {
    const history = new History().standard().member("P-1", "pengurus");
    capital(history, "100000000");
    loan(history, "P-1", "6000000");
    loan(history, "P-1", "5000000"); // 11 m > 10 m
    loan(history, "P-1", "1000000"); // already above: no new alert
    const alerts = alertsOf(replay(history.events), RELATED_PARTY_LOAN_RULE);
    expect(alerts.map((alert) => alert.entryIds[0])).toEqual(["entry-3"]);
    expect(alerts[0]?.details).toMatchObject({
      role: "pengurus",
      outstanding: "11000000.00",
      limit: "10000000.00",
    });
  });

  it("does not fire for an ordinary member's loan or at exactly 10%", () => {
    const history = new History().standard().member("A-1").member("W-1", "pengawas");
    capital(history, "100000000");
    loan(history, "A-1", "50000000");
    loan(history, "W-1", "10000000");
    expect(alertsOf(replay(history.events), RELATED_PARTY_LOAN_RULE)).toHaveLength(0);
  });

  it("fires when one borrower holds more than 10% of a book of ten or more borrowers", () => {
    const history = new History().standard();
    capital(history, "1000000000");
    for (let index = 0; index < 10; index += 1) history.member(`A-${index}`);
    for (let index = 0; index < 10; index += 1) loan(history, `A-${index}`, "10000000");
    expect(alertsOf(replay(history.events), LOAN_CONCENTRATION_RULE)).toHaveLength(0);
    loan(history, "A-0", "5000000");
    const alerts = alertsOf(replay(history.events), LOAN_CONCENTRATION_RULE);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.details).toMatchObject({ memberId: "A-0" });
  });
});

describe("round numbers and Benford's law", () => {
  it("flags a window where most entries are round millions, and not a window of ordinary amounts", () => {
    const round = new History().standard().member("A-1");
    for (let index = 0; index < 50; index += 1) round.deposit(index % 3 === 0 ? "1234567" : "5000000", "A-1");
    const ordinary = new History().standard().member("A-1");
    for (let index = 0; index < 50; index += 1) ordinary.deposit(String(1234567 + index * 7919), "A-1");
    expect(alertsOf(replay(round.events), ROUND_NUMBERS_RULE)).toHaveLength(1);
    expect(alertsOf(replay(ordinary.events), ROUND_NUMBERS_RULE)).toHaveLength(0);
  });

  it("flags amounts all starting with 9, and not amounts drawn from Benford's distribution", () => {
    const invented = new History().standard().member("A-1");
    for (let index = 0; index < 150; index += 1) invented.deposit(String(900000 + index * 13), "A-1");
    const natural = new History().standard().member("A-1");
    // A geometric sequence spread over many orders of magnitude follows Benford's law closely.
    for (let index = 0; index < 150; index += 1) natural.deposit((1000 * 1.05 ** index).toFixed(0), "A-1");
    expect(alertsOf(replay(invented.events), BENFORD_DEVIATION_RULE)).toHaveLength(1);
    expect(alertsOf(replay(natural.events), BENFORD_DEVIATION_RULE)).toHaveLength(0);
  });
});

describe("dormant cooperative", () => {
  it("fires once on clock ticks after 30 quiet days, and again only after new activity and another quiet spell", () => {
    const history = new History()
      .standard()
      .member("A-1")
      .deposit("50000", "A-1", { at: "2026-01-14T03:00:00.000Z" });
    let state = createSupervisionState();
    for (const event of history.events) state = runRules(state, event).state;
    const early = runClockTick(state, { now: "2026-02-12T03:00:00.000Z" });
    expect(early.alerts).toHaveLength(0);
    const late = runClockTick(early.state, { now: "2026-02-13T03:00:00.000Z" });
    expect(alertsOf(late.alerts, DORMANT_COOPERATIVE_RULE)).toHaveLength(1);
    expect(late.alerts[0]?.raisedAt).toBe("2026-02-13T03:00:00.000Z");
    const again = runClockTick(late.state, { now: "2026-02-20T03:00:00.000Z" });
    expect(again.alerts).toHaveLength(0);
  });
});

describe("determinism", () => {
  it("a replay of the same history raises exactly the same alerts, ids included", () => {
    const history = new History().standard().member("A-1").member("P-1", "pengurus");
    history.deposit("150000000", "A-1", { at: "2026-01-14T12:30:00.000Z" });
    history.deposit("95000000", "A-1").deposit("96000000", "A-1").deposit("97000000", "A-1");
    history.deposit("97000000", "A-1");
    const first = replay(history.events);
    const second = replay(history.events);
    expect(first.length).toBeGreaterThan(3);
    expect(second).toEqual(first);
    expect(new Set(first.map((alert) => alert.alertId)).size).toBe(first.length);
  });

  it("the same rule and triggers in two cooperatives raise different ids", () => {
    const one = new History("kkmp-satu").standard().member("A-1").deposit("150000000", "A-1");
    const two = new History("kkmp-dua").standard().member("A-1").deposit("150000000", "A-1");
    const [a] = alertsOf(replay(one.events), LARGE_CASH_RULE);
    const [b] = alertsOf(replay(two.events), LARGE_CASH_RULE);
    expect(a?.alertId).not.toBe(b?.alertId);
  });
});
