import { shuRulesDefault } from "@bukubesar/ledger-core";
import { describe, expect, it } from "vitest";
import {
  balanceSheet,
  buildReadModel,
  cashFlow,
  equityChanges,
  generalLedger,
  incomeStatement,
  journal,
  memberStatement,
  shuReport,
  trialBalance,
  unitSummary,
} from "../src/index.js";
import { kkmpYear } from "./kkmpYear.js";
import { credit, debit } from "./ledgerBuilder.js";

const { builder, wrongEntry, reversal } = kkmpYear();
const model = buildReadModel(builder.coopId, builder.events);

const balances = (asOf: string) =>
  Object.fromEntries(trialBalance(model, asOf).accounts.map((row) => [row.code, row.balance]));

describe("a KKMP year", () => {
  it("trial balance at year end after the close", () => {
    const tb = trialBalance(model, "2026-12-31");
    expect(tb.totals.debit).toBe(tb.totals.credit);
    expect(balances("2026-12-31")).toMatchObject({
      "1101": "675000.00",
      "1103": "8500000.00",
      "1111": "49192345.67",
      "1201": "2000000.00",
      "1301": "2000000.00",
      "2101": "500000.00",
      "2601": "50000000.00",
      "3100": "300000.00",
      "3200": "175000.00",
      "3400": "10000000.00",
      "3600": "1392345.67",
      "3700": "0.00",
      "4101": "0.00",
      "6104": "0.00",
    });
  });

  it("sees the back-dated bank interest from its own date on", () => {
    expect(balances("2026-03-30")["4301"]).toBeUndefined();
    expect(balances("2026-03-31")["4301"]).toBe("12345.67");
  });

  it("balance sheet balances, with the unclosed result before the close and 3600 after it", () => {
    const june = balanceSheet(model, "2026-06-30");
    expect(june.balanced).toBe(true);
    const unclosed = june.equity.sections.find((section) => section.key === "shuBelumDitutup");
    // Jan–Jun: sales margin 2,500,000 + loan interest 30,000 + bank interest 12,345.67 − salary 500,000 − electricity 250,000.
    expect(unclosed?.total).toBe("1792345.67");
    const yearEnd = balanceSheet(model, "2026-12-31");
    expect(yearEnd).toMatchObject({
      balanced: true,
      liabilitiesAndEquity: "62367345.67",
      assets: { total: "62367345.67" },
      liabilities: { total: "50500000.00" },
      equity: { total: "11867345.67" },
    });
    expect(yearEnd.assets.sections.map((section) => [section.key, section.total])).toEqual([
      ["kasDanSetaraKas", "58367345.67"],
      ["pinjamanDiberikan", "2000000.00"],
      ["persediaan", "2000000.00"],
    ]);
    const equityOf = (asOf: string) =>
      Object.fromEntries(
        balanceSheet(model, asOf).equity.sections.map((section) => [section.key, section.total]),
      );
    // After the close last year's SHU is "SHU belum dibagi", never "SHU tahun berjalan" of the new year.
    expect(equityOf("2027-01-31")).toMatchObject({ shuBelumDibagi: "1392345.67" });
    expect(equityOf("2027-01-31").shuTahunBerjalan ?? "0.00").toBe("0.00");
    expect(balanceSheet(model, "2027-12-31").balanced).toBe(true);
  });

  it("income statement of the closed year keeps member and non-member business apart", () => {
    const statement = incomeStatement(model, "2026-01-01", "2026-12-31");
    expect(statement).toMatchObject({
      memberBusiness: {
        revenue: { total: "4530000.00" },
        costOfRevenue: { total: "3000000.00" },
        net: "1530000.00",
      },
      nonMemberBusiness: {
        revenue: { total: "4000000.00" },
        costOfRevenue: { total: "3000000.00" },
        net: "1000000.00",
      },
      grossShu: "2530000.00",
      operatingExpenses: { total: "750000.00" },
      cooperativeExpenses: { total: "300000.00" },
      shuFromOperations: "1480000.00",
      otherIncomeAndExpenses: { total: "12345.67" },
      shuBeforeTax: "1492345.67",
      incomeTax: { total: "100000.00" },
      shuAfterTax: "1392345.67",
      totalComprehensiveShu: "1392345.67",
    });
    const sembako = incomeStatement(model, "2026-01-01", "2026-12-31", "sembako");
    expect(sembako.shuAfterTax).toBe("2500000.00");
    expect(sembako.operatingExpenses.total).toBe("0.00");
  });

  it("unit summary splits the year by unit", () => {
    const summary = unitSummary(model, "2026-01-01", "2026-12-31");
    expect(summary.totals.result).toBe("1392345.67");
    expect(summary.units.find((row) => row.unit === "sembako")).toEqual({
      unit: "sembako",
      memberIncome: "4500000.00",
      nonMemberIncome: "4000000.00",
      income: "8500000.00",
      expense: "6000000.00",
      result: "2500000.00",
    });
    expect(summary.units.find((row) => row.unit === "gudang")?.expense).toBe("250000.00");
  });

  it("cash flow by the direct method reconciles to the cash accounts", () => {
    const flow = cashFlow(model, "2026-01-01", "2026-12-31");
    expect(flow).toMatchObject({
      openingCash: "0.00",
      closingCash: "58367345.67",
      netChange: "58367345.67",
      reconciles: true,
      operating: { total: "-2107654.33" },
      investing: { total: "0.00" },
      financing: { total: "60475000.00" },
    });
    expect(Object.fromEntries(flow.operating.lines.map((line) => [line.key, line.amount]))).toEqual({
      penerimaanDariAnggota: "4500000.00",
      penerimaanDariNonAnggota: "4000000.00",
      pencairanPinjamanAnggota: "-3000000.00",
      angsuranPinjamanAnggota: "1000000.00",
      penerimaanJasaPinjaman: "30000.00",
      penerimaanBungaBank: "12345.67",
      penerimaanTabungan: "500000.00",
      pembayaranKepadaPemasok: "-8000000.00",
      pembayaranBebanUsaha: "-1050000.00",
      pembayaranPajak: "-100000.00",
    });
    expect(Object.fromEntries(flow.financing.lines.map((line) => [line.key, line.amount]))).toEqual({
      simpananPokokWajib: "475000.00",
      penerimaanPinjaman: "50000000.00",
      penerimaanHibah: "10000000.00",
    });
  });

  it("equity changes tie the opening to the balance sheet's equity", () => {
    const changes = equityChanges(model, "2026-01-01", "2026-12-31");
    const row = (key: string) => changes.rows.find((candidate) => candidate.key === key);
    expect(row("setoranSimpanan")?.total).toBe("475000.00");
    expect(row("hibah")?.total).toBe("10000000.00");
    expect(row("shuTahunBerjalan")?.total).toBe("1392345.67");
    expect(row("saldoAkhir")?.total).toBe("11867345.67");
    const next = equityChanges(model, "2027-01-01", "2027-12-31");
    const nextRow = (key: string) => next.rows.find((candidate) => candidate.key === key);
    expect(nextRow("saldoAwal")?.total).toBe("11867345.67");
    expect(nextRow("pembagianShu")?.amounts).toMatchObject({ "3500": "417703.70", "3600": "-1392345.67" });
    expect(nextRow("saldoAkhir")?.total).toBe(balanceSheet(model, "2027-12-31").equity.total);
  });

  it("member statements show simpanan and loans with running balances", () => {
    const budi = memberStatement(model, "A-0002", "2026-12-31");
    expect(budi).toMatchObject({
      simpananPokok: "100000.00",
      simpananWajib: "50000.00",
      simpananSukarela: "0.00",
      pinjaman: "2000000.00",
    });
    expect(
      budi?.accounts.find((account) => account.code === "1201")?.lines.map((line) => line.balance),
    ).toEqual(["3000000.00", "2000000.00"]);
    expect(memberStatement(model, "A-0003", "2026-12-31")?.simpananSukarela).toBe("500000.00");
    expect(memberStatement(model, "A-0001", "2026-06-30")?.simpananWajib).toBe("50000.00");
    expect(memberStatement(model, "nobody", "2026-12-31")).toBeNull();
  });

  it("general ledger and journal show the reversal linked both ways", () => {
    const kas = generalLedger(model, "1101", "2026-05-01", "2026-05-31");
    expect(kas?.openingBalance).toBe("925000.00");
    expect(kas?.lines.map((line) => [line.entryId, line.debit ?? `-${line.credit}`, line.balance])).toEqual([
      [wrongEntry, "-250000.00", "675000.00"],
      [reversal, "250000.00", "925000.00"],
    ]);
    expect(kas?.closingBalance).toBe("925000.00");
    const may = journal(model, "2026-05-01", "2026-05-31");
    expect(may.entries.map((entry) => [entry.entryId, entry.reverses, entry.reversedBy])).toEqual([
      [wrongEntry, null, reversal],
      [reversal, wrongEntry, null],
      [expect.any(String), null, null],
    ]);
    expect(may.totals).toEqual({ debit: "750000.00", credit: "750000.00" });
  });

  it("SHU: the RAT allocation and every member's jasa modal and jasa usaha, summing exactly", () => {
    const shu = shuReport(model, 2026);
    expect(shu).toMatchObject({
      shu: "1392345.67",
      shuSource: "fiscalYearClosed",
      status: "allocated",
      allocationSource: "appropriationEntry",
    });
    expect(Object.fromEntries(shu.allocation.map((item) => [item.key, item.amount]))).toEqual({
      cadangan: "417703.70",
      jasaUsaha: "417703.70",
      jasaModal: "278469.14",
      pengurusPengawas: "69617.29",
      karyawan: "69617.28",
      pendidikan: "69617.28",
      sosial: "34808.64",
      pembangunanDaerahKerja: "34808.64",
    });
    expect(
      shu.members.map((row) => [
        row.memberId,
        row.capitalBase,
        row.usageBase,
        row.jasaModal,
        row.jasaUsaha,
        row.total,
      ]),
    ).toEqual([
      ["A-0001", "200000.00", "3000000.00", "117250.00", "276625.00", "393875.00"],
      ["A-0002", "150000.00", "1530000.00", "87938.00", "141078.00", "229016.00"],
      ["A-0003", "125000.00", "0.00", "73281.00", "0.00", "73281.00"],
    ]);
    expect(shu.totals).toEqual({ jasaModal: "278469.00", jasaUsaha: "417703.00", total: "696172.00" });
    // The sen of the pools that whole-rupiah shares cannot carry go to the reserve (docs/domain.md section 5.3).
    expect(shu.undistributed).toEqual({ jasaModal: "0.14", jasaUsaha: "0.70" });
  });

  it("SHU allocation computed as the ledger splits it when the appropriation entry names no keys", () => {
    const withoutKeys = builder.events.map((event) =>
      event.type === "JournalEntryPosted" && event.data.kind === "appropriation"
        ? {
            ...event,
            data: { ...event.data, lines: event.data.lines.map((line) => ({ ...line, memo: null })) },
          }
        : event,
    );
    const shu = shuReport(buildReadModel(builder.coopId, withoutKeys), 2026);
    expect(shu.allocationSource).toBe("computed");
    // ledger-core's shuAllocationSen: exactly the keys the appropriation would post.
    expect(shu.allocation).toEqual(shuReport(model, 2026).allocation);
    expect(
      shu.members.map((row) => [
        row.memberId,
        row.capitalBase,
        row.usageBase,
        row.jasaModal,
        row.jasaUsaha,
        row.total,
      ]),
    ).toEqual([
      ["A-0001", "200000.00", "3000000.00", "117250.00", "276625.00", "393875.00"],
      ["A-0002", "150000.00", "1530000.00", "87938.00", "141078.00", "229016.00"],
      ["A-0003", "125000.00", "0.00", "73281.00", "0.00", "73281.00"],
    ]);
    expect(shu.totals).toEqual({ jasaModal: "278469.00", jasaUsaha: "417703.00", total: "696172.00" });
    expect(shu.undistributed).toEqual({ jasaModal: "0.14", jasaUsaha: "0.70" });
  });

  it("SHU of a closed year before the RAT decision: the default allocation's division, as a proposal", () => {
    const undecidedEvents = builder.events.filter(
      (event) =>
        event.type !== "RatDecisionRecorded" &&
        !(event.type === "JournalEntryPosted" && event.data.kind === "appropriation"),
    );
    const proposed = shuReport(buildReadModel(builder.coopId, undecidedEvents), 2026);
    const decided = shuReport(model, 2026);
    expect(proposed).toMatchObject({
      shu: "1392345.67",
      shuSource: "fiscalYearClosed",
      status: "awaitingRatDecision",
      division: "proposed",
      decision: null,
      priorLossCovered: "0.00",
    });
    expect(decided.division).toBe("decided");
    // The fixture's RAT adopted the default percentages, so the proposal is exactly what it then posted:
    // the same keys split to the sen, summing to the SHU, and the same members' parts.
    expect(proposed.allocation).toEqual(decided.allocation);
    const sum = proposed.allocation.reduce((total, part) => total + BigInt(part.amount.replace(".", "")), 0n);
    expect(sum).toBe(139234567n);
    expect(proposed.members).toEqual(decided.members);
    expect(proposed.totals).toEqual({ jasaModal: "278469.00", jasaUsaha: "417703.00", total: "696172.00" });
    expect(proposed.undistributed).toEqual(decided.undistributed);
  });

  it("SHU proposal follows the allocation settings and covers earlier years' loss first", () => {
    const { builder: withLoss } = kkmpYear();
    withLoss.post(
      "2025-12-31",
      "Rugi 2025 belum tertutup",
      [debit("3610", "92345.67"), credit("3500", "92345.67")],
      "closing",
    );
    const undecidedEvents = withLoss.events.filter(
      (event) =>
        event.type !== "RatDecisionRecorded" &&
        !(event.type === "JournalEntryPosted" && event.data.kind === "appropriation"),
    );
    const undecided = buildReadModel(withLoss.coopId, undecidedEvents);
    undecided.shuRules = {
      ...shuRulesDefault,
      allocation: { cadangan: "50", jasaModal: "25", jasaUsaha: "25" },
    };
    const proposal = shuReport(undecided, 2026);
    expect(proposal.priorLossCovered).toBe("92345.67");
    expect(Object.fromEntries(proposal.allocation.map((part) => [part.key, part.amount]))).toEqual({
      cadangan: "650000.00",
      jasaUsaha: "325000.00",
      jasaModal: "325000.00",
    });
  });

  it("SHU of a closed loss year before the decision shows the loss and divides nothing", () => {
    const { builder: lossYear } = kkmpYear();
    const events = lossYear.events
      .filter(
        (event) =>
          event.type !== "RatDecisionRecorded" &&
          !(event.type === "JournalEntryPosted" && event.data.kind === "appropriation"),
      )
      .map((event) =>
        event.type === "FiscalYearClosed"
          ? { ...event, data: { ...event.data, shu: "-1000.00", resultAccount: "3610" } }
          : event,
      );
    const shu = shuReport(buildReadModel(lossYear.coopId, events), 2026);
    expect(shu).toMatchObject({ shu: "-1000.00", division: "proposed", allocation: [], lossCoverage: null });
    expect(shu.totals.total).toBe("0.00");
  });

  it("SHU before the RAT decision is computed and awaits the decision", () => {
    const early = buildReadModel(
      builder.coopId,
      builder.events.filter(
        (event) => event.type !== "RatDecisionRecorded" && event.type !== "FiscalYearClosed",
      ),
    );
    const shu = shuReport(early, 2026);
    expect(shu).toMatchObject({
      shu: "1392345.67",
      shuSource: "computed",
      status: "awaitingRatDecision",
      allocation: [],
    });
    expect(shu.totals.total).toBe("0.00");
    const averaged = buildReadModel(builder.coopId, builder.events);
    averaged.shuRules = { ...shuRulesDefault, jasaModalBasis: "averageDaily" };
    const average = shuReport(averaged, 2026);
    const modal = average.members.map((row) => BigInt(row.jasaModal.replace(".", "")));
    expect(modal.reduce((sum, part) => sum + part, 0n)).toBe(27846900n);
    // Siti's July top-up counts for only part of the year, so her average is below her year-end balance.
    expect(average.members[0]?.capitalBase).not.toBe("200000.00");
  });
});
