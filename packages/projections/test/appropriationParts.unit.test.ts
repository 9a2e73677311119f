/**
 * A cooperative of 5,000 members: the RAT appropriation (two 2401 lines per member) is more than one entry
 * holds, so the decider posts it in parts (ledger-core decideRatDecision.ts) and the SHU report reads them all.
 */
import type { LedgerCommand, LedgerEvent } from "@bukubesar/ledger-core";
import {
  APPROPRIATION_ENTRY_LINES_MAX,
  appropriationPartId,
  foldLedger,
  shuAllocationDefault,
} from "@bukubesar/ledger-core";
import {
  approver,
  command,
  credit,
  debit,
  journalEntryPosted,
  kkmpLedger,
  runCommands,
} from "@bukubesar/ledger-core/testing";
import { describe, expect, it } from "vitest";
import { buildReadModel, shuReport } from "../src/index.js";
import { LedgerBuilder } from "./ledgerBuilder.js";

const MEMBERS = 5_000;
const memberIds = Array.from(
  { length: MEMBERS },
  (_unused, index) => `A-${String(index + 1).padStart(5, "0")}`,
);

const posted = journalEntryPosted;

/** 5,000 members, each with simpanan pokok 100.000 and a purchase of 200.000 + index sen in 2025. */
const cooperativeOf5000 = (): LedgerEvent[] => [
  ...kkmpLedger(),
  ...memberIds.map(
    (memberId): LedgerEvent => ({
      type: "MemberRegistered",
      data: { memberId, name: `Anggota ${memberId}`, joinedOn: "2025-01-02", role: "member" },
    }),
  ),
  posted("pokok", "2025-01-02", [
    debit("1101", `${MEMBERS * 100_000}.00`),
    ...memberIds.map((memberId) => credit("3100", "100000.00", { memberId, counterparty: "member" })),
  ]),
  posted("penjualan", "2025-06-01", [
    debit("1101", (MEMBERS * 200_000 + (MEMBERS * (MEMBERS - 1)) / 2 / 100).toFixed(2)),
    ...memberIds.map((memberId, index) =>
      credit("4101", (200_000 + index / 100).toFixed(2), { memberId, counterparty: "member" }),
    ),
  ]),
];

const yearEnd: LedgerCommand[] = [
  command("CloseFiscalYear", { year: 2025, entryId: "closing-2025", today: "2026-01-05" }),
  command("ApproveYearEndStep", { year: 2025, step: "close" }, approver),
  command("RecordRatDecision", {
    year: 2025,
    decidedOn: "2026-03-15",
    allocation: shuAllocationDefault,
    entryId: "appropriation-2025",
  }),
  command("ApproveYearEndStep", { year: 2025, step: "ratDecision" }, approver),
];

describe("an appropriation with more lines than one entry holds", () => {
  it("is posted in balanced parts of at most APPROPRIATION_ENTRY_LINES_MAX lines for 5,000 members", () => {
    // Given 5,000 members with capital and member business, and their year closed
    // When the RAT decision is recorded and approved
    const { events, state, rejections } = runCommands(yearEnd, foldLedger(cooperativeOf5000()));
    expect(rejections).toEqual([]);
    // Then the 10,000 member lines (two per member) and the other keys are posted in 6 parts
    const parts = events.filter(
      (event): event is Extract<LedgerEvent, { type: "JournalEntryPosted" }> =>
        event.type === "JournalEntryPosted" && event.data.kind === "appropriation",
    );
    expect(parts.map((part) => part.data.entryId)).toEqual([
      "appropriation-2025",
      ...[2, 3, 4, 5, 6].map((part) => appropriationPartId("appropriation-2025", part)),
    ]);
    let resultDebitSen = 0n;
    for (const part of parts) {
      expect(part.data.lines.length).toBeLessThanOrEqual(APPROPRIATION_ENTRY_LINES_MAX);
      const sum = (side: string) =>
        part.data.lines
          .filter((line) => line.side === side)
          .reduce((total, line) => total + BigInt(line.amount.replace(".", "")), 0n);
      expect(sum("debit")).toBe(sum("credit"));
      resultDebitSen += sum("debit");
    }
    // Together they post the whole SHU out of 3600, every member's share on 2401 naming them
    const shuSen = state.closedFiscalYears.get(2025)?.shu ?? 0n;
    expect(resultDebitSen).toBe(shuSen);
    expect(state.accounts.get("3600")?.balance).toBe(0n);
    const memberLines = parts.flatMap((part) => part.data.lines).filter((line) => line.account === "2401");
    expect(new Set(memberLines.map((line) => line.memberId)).size).toBe(MEMBERS);
    expect(memberLines.length).toBe(2 * MEMBERS);
    let owed = 0n;
    for (const balances of state.memberBalances.values()) owed += balances.get("2401") ?? 0n;
    expect(owed).toBe(state.accounts.get("2401")?.balance);
    const recorded = events.find((event) => event.type === "RatDecisionRecorded");
    expect(recorded?.type === "RatDecisionRecorded" ? recorded.data.entryIds : []).toEqual(
      parts.map((part) => part.data.entryId),
    );
    // And the SHU report shows the decided division from all the parts: every member, the pools in full
    const builder = new LedgerBuilder();
    for (const event of [...cooperativeOf5000().slice(1), ...events]) builder.push(event);
    const report = shuReport(buildReadModel(builder.coopId, builder.events), 2025);
    expect(report.division).toBe("decided");
    expect(report.members.filter((member) => member.total !== "0.00")).toHaveLength(MEMBERS);
    const sen = (amount: string | undefined) => BigInt((amount ?? "0.00").replace(".", ""));
    for (const key of ["jasaModal", "jasaUsaha"] as const) {
      const pool = report.allocation.find((item) => item.key === key)?.amount;
      expect(sen(report.totals[key]) + sen(report.undistributed[key])).toBe(sen(pool));
    }
    expect(BigInt(report.totals.total.replace(".", ""))).toBe(owed);
  });
});
