import { foldLedger } from "@bukubesar/ledger-core";
import {
  approver,
  command,
  credit,
  debit,
  kkmpLedger,
  postJournalEntry,
  runCommands,
} from "@bukubesar/ledger-core/testing";
import { describe, expect, it } from "vitest";
import {
  balanceSheet,
  buildReadModel,
  equityChanges,
  type LedgerReadModel,
  trialBalance,
} from "../src/index.js";
import { LedgerBuilder, withKkmpAccounts } from "./ledgerBuilder.js";

/** Events from the real decider: a kkmp ledger, one year's postings, then the close of that year. */
const closedYear = (lines: Parameters<typeof postJournalEntry>[0]): LedgerReadModel => {
  const chart = kkmpLedger();
  const run = runCommands(
    [
      postJournalEntry(lines, { entryId: "e1", date: "2025-06-01" }),
      command("CloseFiscalYear", { year: 2025, entryId: "closing-2025", today: "2026-01-05" }),
      command("ApproveYearEndStep", { year: 2025, step: "close" }, approver),
    ],
    foldLedger(chart),
  );
  expect(run.rejections).toEqual([]);
  const builder = new LedgerBuilder();
  for (const event of [...chart.slice(1), ...run.events]) builder.push(event);
  return buildReadModel(builder.coopId, builder.events);
};

const sectionsOf = (model: LedgerReadModel, asOf: string) => {
  return Object.fromEntries(
    balanceSheet(model, asOf).equity.sections.map((section) => [section.key, section.total]),
  );
};

describe("the balance sheet after a close", () => {
  it("shows a closed loss year as Rugi belum tertutup, apart from this year's result", () => {
    const model = closedYear([debit("6101", "400000.00"), credit("3300", "400000.00")]);
    const equity = sectionsOf(model, "2026-01-31");
    expect(equity.rugiBelumTertutup).toBe("-400000.00");
    expect(equity.shuTahunBerjalan ?? "0.00").toBe("0.00");
    expect(balanceSheet(model, "2026-01-31").balanced).toBe(true);
    const balances = Object.fromEntries(
      trialBalance(model, "2025-12-31").accounts.map((row) => [row.code, row.balance]),
    );
    expect(balances["3610"]).toBe("400000.00");
    expect(balances["3700"]).toBe("0.00");
  });

  it("shows a closed profit year as SHU belum dibagi, in the equity changes too", () => {
    const model = closedYear([debit("1101", "250000.00"), credit("4101", "250000.00")]);
    expect(sectionsOf(model, "2026-01-31")).toMatchObject({ shuBelumDibagi: "250000.00" });
    const changes = equityChanges(model, "2025-01-01", "2025-12-31");
    const closingRow = changes.rows.find((row) => row.key === "shuTahunBerjalan");
    expect(closingRow?.amounts["3600"]).toBe("250000.00");
    expect(closingRow?.total).toBe("250000.00");
  });
});

describe("the trial balance of a closed year", () => {
  it("shows the year before its closing entries on request (neraca saldo sebelum penutupan)", () => {
    const model = closedYear([debit("6101", "400000.00"), credit("3300", "400000.00")]);
    const rowsOf = (beforeClosing: boolean) =>
      Object.fromEntries(
        trialBalance(model, "2025-12-31", { beforeClosing }).accounts.map((row) => [row.code, row]),
      );
    const after = rowsOf(false);
    expect(after["6101"]).toMatchObject({ debit: "400000.00", credit: "400000.00", balance: "0.00" });
    expect(after["3610"]?.balance).toBe("400000.00");
    const before = rowsOf(true);
    expect(before["6101"]).toMatchObject({ debit: "400000.00", credit: "0.00", debitBalance: "400000.00" });
    expect(before["3610"]).toBeUndefined();
    expect(before["3700"]).toBeUndefined();
    const report = trialBalance(model, "2025-12-31", { beforeClosing: true });
    expect(report.beforeClosing).toBe(true);
    expect(report.totals).toEqual({
      debit: "400000.00",
      credit: "400000.00",
      debitBalance: "400000.00",
      creditBalance: "400000.00",
    });
  });

  it("puts every balance in its debit or credit column, contra accounts on their own side", () => {
    const model = closedYear([debit("6101", "400000.00"), credit("3300", "400000.00")]);
    const report = trialBalance(model, "2026-01-31");
    const row = (code: string) => report.accounts.find((candidate) => candidate.code === code);
    // 3610 is debit-normal equity: its loss shows in the debit column, 3300 in the credit column.
    expect(row("3610")).toMatchObject({ debitBalance: "400000.00", creditBalance: "0.00" });
    expect(row("3300")).toMatchObject({ debitBalance: "0.00", creditBalance: "400000.00" });
    expect(report.totals.debitBalance).toBe(report.totals.creditBalance);
  });
});

describe("equity changes classify by what happened", () => {
  const model = () => {
    const builder = withKkmpAccounts(new LedgerBuilder());
    const deposit = builder.post("2026-02-01", "Simpanan wajib", [
      debit("1101", "25000.00"),
      credit("3200", "25000.00", { memberId: "A-1" }),
    ]);
    builder.reverse(deposit, "2026-02-02", "salah anggota");
    builder.post("2026-03-20", "SHU Siti ke simpanan wajib", [
      debit("2401", "40000.00", { memberId: "A-1" }),
      credit("3200", "40000.00", { memberId: "A-1" }),
    ]);
    builder.post("2026-04-01", "Pengembalian simpanan anggota keluar", [
      debit("3200", "10000.00", { memberId: "A-2" }),
      credit("1101", "10000.00"),
    ]);
    return buildReadModel(builder.coopId, builder.events);
  };

  it("puts a reversed deposit back in the deposits row and capitalised SHU in its own row", () => {
    const changes = equityChanges(model(), "2026-01-01", "2026-12-31");
    const row = (key: string) => changes.rows.find((candidate) => candidate.key === key)?.amounts["3200"];
    expect(row("setoranSimpanan")).toBe("0.00");
    expect(row("kapitalisasiShu")).toBe("40000.00");
    expect(row("pengembalianSimpanan")).toBe("-10000.00");
    expect(row("saldoAkhir")).toBe("30000.00");
  });
});
