import { balanceSheet, cashFlow, generalLedger, incomeStatement, journal } from "@bukubesar/projections";
import { describe, expect, it } from "vitest";
import {
  dateInWords,
  documentToCsv,
  documentToText,
  generalLedgerDocument,
  NOT_AVAILABLE,
  type ReportDocument,
  rangeInWords,
  reportDocumentFor,
  signatoriesOf,
} from "../src/index.js";
import { kkmpModel, settingFor } from "./fixtures.js";

const model = kkmpModel();

const rowLabelled = (document: ReportDocument, label: string) => {
  const found = document.rows.find((row) => row.cells.label === label);
  if (found === undefined) throw new Error(`no row ${label}`);
  return found;
};

const documentOf = (
  kind: Parameters<typeof reportDocumentFor>[0],
  query: Parameters<typeof reportDocumentFor>[2],
) => {
  const document = reportDocumentFor(kind, model, query);
  if (document === null) throw new Error(`no ${kind}`);
  return document;
};

describe("dates in words", () => {
  it("writes the day, the Indonesian month and the year, and a whole year as its end", () => {
    expect(dateInWords("2026-12-31")).toBe("31 Desember 2026");
    expect(dateInWords("2026-03-05")).toBe("5 Maret 2026");
    expect(rangeInWords("2026-01-01", "2026-12-31")).toBe("untuk tahun yang berakhir 31 Desember 2026");
    expect(rangeInWords("2026-01-01", "2026-06-30")).toBe(
      "untuk periode 1 Januari 2026 sampai dengan 30 Juni 2026",
    );
  });
});

describe("statement documents", () => {
  it("lays out the balance sheet with SAK EP names, totals in place and '—' for a first year", () => {
    const document = documentOf("balance-sheet", {
      asOf: "2026-12-31",
      from: "2026-01-01",
      to: "2026-12-31",
    });
    const sheet = balanceSheet(model, "2026-12-31");
    expect(document.title).toBe("Laporan Posisi Keuangan");
    expect(document.period).toBe("31 Desember 2026");
    expect(document.columns.map((column) => column.header)).toEqual([
      "Uraian",
      "31 Desember 2026",
      "31 Desember 2025",
    ]);
    expect(document.rows.map((row) => row.cells.label)).toEqual(
      expect.arrayContaining(["ASET", "LIABILITAS", "EKUITAS", "JUMLAH LIABILITAS DAN EKUITAS"]),
    );
    expect(rowLabelled(document, "JUMLAH ASET")).toMatchObject({
      role: "total",
      cells: { amount: sheet.assets.total, previousAmount: NOT_AVAILABLE },
    });
    expect(rowLabelled(document, "JUMLAH LIABILITAS").cells.amount).toBe(sheet.liabilities.total);
    expect(rowLabelled(document, "Jumlah kas dan setara kas")).toMatchObject({
      role: "subtotal",
      cells: { amount: sheet.assets.sections.find((section) => section.key === "kasDanSetaraKas")?.total },
    });
    expect(document.signatures).toBe("pengurusDanPengawas");
  });

  it("puts the previous year beside this one once there is one", () => {
    const document = documentOf("balance-sheet", {
      asOf: "2027-03-31",
      from: "2027-01-01",
      to: "2027-03-31",
    });
    expect(rowLabelled(document, "JUMLAH ASET").cells).toEqual({
      label: "JUMLAH ASET",
      amount: balanceSheet(model, "2027-03-31").assets.total,
      previousAmount: balanceSheet(model, "2026-12-31").assets.total,
    });
    const flows = documentOf("cash-flow", { asOf: "2027-12-31", from: "2027-01-01", to: "2027-12-31" });
    expect(rowLabelled(flows, "KAS DAN SETARA KAS AKHIR PERIODE").cells.previousAmount).toBe(
      cashFlow(model, "2026-01-01", "2026-12-31").closingCash,
    );
  });

  it("shows costs in parentheses and the SHU lines of the income statement", () => {
    const document = documentOf("income-statement", {
      asOf: "2026-12-31",
      from: "2026-01-01",
      to: "2026-12-31",
    });
    const statement = incomeStatement(model, "2026-01-01", "2026-12-31");
    expect(rowLabelled(document, "J. SHU SETELAH PAJAK").cells.amount).toBe(statement.shuAfterTax);
    expect(rowLabelled(document, "Partisipasi neto").cells.amount).toBe(statement.memberBusiness.net);
    expect(rowLabelled(document, "I. Beban pajak penghasilan").cells.amount).toBe(
      `-${statement.incomeTax.total}`,
    );
    expect(document.columns.map((column) => column.header)).toEqual(["Uraian", "2026", "2025"]);
  });
});

describe("renderers of the rows", () => {
  const document = documentOf("balance-sheet", { asOf: "2027-03-31", from: "2027-01-01", to: "2027-03-31" });

  it("writes CSV with each row's role, plain amounts and an empty cell for a missing comparative", () => {
    const lines = documentToCsv(document).trimEnd().split("\r\n");
    expect(lines[0]).toBe("role,label,amount,previousAmount");
    expect(lines).toContain(`heading,ASET,,`);
    const sheet = balanceSheet(model, "2027-03-31");
    expect(lines).toContain(
      `total,JUMLAH ASET,${sheet.assets.total},${balanceSheet(model, "2026-12-31").assets.total}`,
    );
    const first = documentOf("balance-sheet", { asOf: "2026-12-31", from: "2026-01-01", to: "2026-12-31" });
    expect(documentToCsv(first)).toContain(
      `total,JUMLAH ASET,${balanceSheet(model, "2026-12-31").assets.total},\r\n`,
    );
  });

  it("guards CSV against spreadsheet formulas and quotes what needs quoting", () => {
    const ledger = generalLedger(model, "1101", "2026-05-01", "2026-05-31");
    if (ledger === null) throw new Error("no ledger");
    const hostile = {
      ...ledger,
      lines: [{ ...ledger.lines[0], memo: '=HYPERLINK("x"), "quoted"', lineMemo: null }],
    } as typeof ledger;
    const csv = documentToCsv(generalLedgerDocument(hostile));
    expect(csv).toContain(`"'=HYPERLINK(""x""), ""quoted"""`);
    expect(csv.split("\r\n")[1]).toBe("subtotal,2026-05-01,,Saldo awal,,,925000.00");
  });

  it("prints a terminal statement: Indonesian headers, grouped amounts, rules under totals", () => {
    const text = documentToText(document, settingFor(model));
    const lines = text.split("\n");
    expect(lines.slice(0, 5)).toEqual([
      "KKMP Mangunharjo",
      "Badan hukum No. AHU-0001234.AH.01.29.TAHUN 2025",
      "Laporan Posisi Keuangan",
      "31 Maret 2027",
      "(dalam Rupiah)",
    ]);
    expect(lines[6]).toMatch(/^Uraian\s+31 Maret 2027\s+31 Desember 2026$/);
    // No wire amount ("1000.00") in the body; the badan hukum number above has dotted digits of its own.
    expect(lines.slice(2).join("\n")).not.toMatch(/\d+\.\d{2}\b(?!\d)/);
    const total = lines.findIndex((line) => line.startsWith("JUMLAH ASET"));
    expect(lines[total + 1]).toMatch(/^\s+=+\s+=+$/);
    expect(lines[total - 1]).toMatch(/^\s+-+\s+-+$/);
  });

  it("signs with the first two pengurus as Ketua and Bendahara and the first pengawas", () => {
    expect(signatoriesOf(model)).toEqual({
      ketua: "Ahmad Ketua",
      bendahara: "Rina Bendahara",
      pengawas: "Lurah Mangunharjo",
    });
  });

  it("writes every journal line under its entry", () => {
    const entries = journal(model, "2026-05-01", "2026-05-31");
    const register = documentOf("journal", { asOf: "2026-05-31", from: "2026-05-01", to: "2026-05-31" });
    expect(register.rows.filter((row) => row.role === "line")).toHaveLength(
      entries.entries.reduce((count, entry) => count + entry.lines.length, 0),
    );
  });
});
