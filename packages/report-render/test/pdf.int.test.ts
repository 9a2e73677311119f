import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseRupiah, toSen } from "@bukubesar/money";
import {
  balanceSheet,
  buildReadModel,
  cashFlow,
  equityChanges,
  incomeStatement,
  memberStatement,
  shuReport,
  trialBalance,
} from "@bukubesar/projections";
import { describe, expect, it } from "vitest";
import { kkmpYear } from "../../projections/test/kkmpYear.js";
import {
  cooperativeFigures,
  type DocumentKind,
  type DocumentQuery,
  type ReportDocument,
  ratPackDocuments,
  renderDocumentPdf,
  renderDocumentsPdf,
  reportDocumentFor,
  shuDocument,
  shuSlip,
  shuSlipDocument,
} from "../src/index.js";
import { HEAD_HASH, kkmpModel, settingFor } from "./fixtures.js";

/**
 * The printed statements read back with `pdftotext -layout`: what a treasurer hands out must carry the
 * numbers of the JSON reports, whole (no amount or date broken over two lines), under SAK EP titles, with
 * the comparative column, the signature block and the footer that ties the copy to the chain.
 */
const model = kkmpModel();
const setting = settingFor(model);
const directory = mkdtempSync(join(tmpdir(), "bukubesar-pdf-"));

/** A whole PUEBI amount as the statements print it: Rp, dot-grouped thousands, optional sen, parentheses. */
const PUEBI_AMOUNT = /^\(?Rp(0|[1-9]\d{0,2}(\.\d{3})*)(,\d{2})?\)?$/;

const pdfText = async (name: string, documents: readonly ReportDocument[]): Promise<string> => {
  const file = join(directory, `${name}.pdf`);
  writeFileSync(file, await renderDocumentsPdf(documents, setting));
  return execFileSync("pdftotext", ["-layout", file, "-"], { encoding: "utf8" });
};

/** Every token of the text that looks like an amount (holds "Rp"), each as its absolute value in sen. */
const amountTokens = (text: string): string[] => text.split(/\s+/).filter((token) => token.includes("Rp"));

const absoluteSen = (token: string): bigint => {
  const sen = toSen(parseRupiah(token));
  return sen < 0n ? -sen : sen;
};

/** Every wire amount anywhere in a JSON report, as absolute sen. */
const jsonAmounts = (report: unknown): Set<bigint> => {
  const found = new Set<bigint>();
  const visit = (value: unknown): void => {
    if (typeof value === "string" && /^-?\d+\.\d{2}$/.test(value)) {
      const sen = BigInt(value.replace(".", ""));
      found.add(sen < 0n ? -sen : sen);
    } else if (typeof value === "object" && value !== null)
      for (const child of Object.values(value)) visit(child);
  };
  visit(report);
  return found;
};

const amountCellCount = (document: ReportDocument): number =>
  document.rows.reduce(
    (count, row) =>
      count +
      document.columns.filter(
        (column) => column.kind === "amount" && /^-?\d+\.\d{2}$/.test(row.cells[column.key] ?? ""),
      ).length,
    0,
  );

const documentOf = (kind: DocumentKind, query: DocumentQuery): ReportDocument => {
  const document = reportDocumentFor(kind, model, query);
  if (document === null) throw new Error(`no ${kind}`);
  return document;
};

const YEAR_2027 = { asOf: "2027-12-31", from: "2027-01-01", to: "2027-12-31" };
const YEAR_2026 = { asOf: "2026-12-31", from: "2026-01-01", to: "2026-12-31" };

const STATEMENTS = [
  [
    "balance-sheet",
    "Laporan Posisi Keuangan",
    () => [balanceSheet(model, "2027-12-31"), balanceSheet(model, "2026-12-31")],
  ],
  [
    "income-statement",
    "Laporan Perhitungan Hasil Usaha",
    () => [
      incomeStatement(model, "2027-01-01", "2027-12-31"),
      incomeStatement(model, "2026-01-01", "2026-12-31"),
    ],
  ],
  [
    "equity-changes",
    "Laporan Perubahan Ekuitas",
    () => [
      equityChanges(model, "2027-01-01", "2027-12-31"),
      equityChanges(model, "2026-01-01", "2026-12-31"),
    ],
  ],
  [
    "cash-flow",
    "Laporan Arus Kas",
    () => [cashFlow(model, "2027-01-01", "2027-12-31"), cashFlow(model, "2026-01-01", "2026-12-31")],
  ],
] as const;

describe("statements printed to PDF and read back with pdftotext -layout", () => {
  for (const [kind, title, reports] of STATEMENTS) {
    it(`${title}: title, heading, every amount of the JSON reports whole, comparative, signatures, footer`, async () => {
      const document = documentOf(kind, YEAR_2027);
      const text = await pdfText(kind, [document]);
      for (const expected of [
        title,
        "KKMP Mangunharjo",
        "Badan hukum No. AHU-0001234.AH.01.29.TAHUN 2025",
        "Kode wilayah 35.74.03.1002",
        "(dalam Rupiah)",
        "Ketua",
        "Bendahara",
        "Pengawas",
        "Ahmad Ketua",
        "Rina Bendahara",
        "Lurah Mangunharjo",
        "Dicetak 1 April 2027",
        `Hash rantai terakhir: ${HEAD_HASH}`,
        "Halaman 1 dari 1",
      ])
        expect(text, expected).toContain(expected);
      // The comparative column: 2026 beside 2027 (the statement of changes in equity shows 2026's block first).
      expect(text).toMatch(
        kind === "balance-sheet"
          ? /31 Desember 2027\s+31 Desember 2026/
          : kind === "equity-changes"
            ? /Untuk tahun yang berakhir 31 Desember 2026[\s\S]*Untuk tahun yang berakhir 31 Desember 2027/
            : /Uraian\s+2027\s+2026/,
      );
      const tokens = amountTokens(text);
      for (const token of tokens) expect(token, "an amount printed whole").toMatch(PUEBI_AMOUNT);
      expect(tokens).toHaveLength(amountCellCount(document));
      const printed = new Set(tokens.map(absoluteSen));
      const [current, previous] = reports();
      const inReports = new Set([...jsonAmounts(current), ...jsonAmounts(previous)]);
      for (const sen of printed)
        expect(inReports.has(sen), `printed ${sen} sen is in the JSON reports`).toBe(true);
      for (const sen of inReports)
        if (sen !== 0n) expect(printed.has(sen), `${sen} sen of the JSON reports is printed`).toBe(true);
    });
  }

  it("Catatan atas Laporan Keuangan: the ledger's breakdowns beside the previous year-end, whole", async () => {
    const document = documentOf("notes", {
      ...YEAR_2027,
      legalEntityNumber: "AHU-0001234.AH.01.29.TAHUN 2025",
    });
    const text = await pdfText("notes", [document]);
    // Sentences wrap in the label column; read them with the line breaks as spaces.
    for (const expected of [
      "Catatan atas Laporan Keuangan",
      "1. Informasi umum",
      "badan hukum nomor AHU-0001234.AH.01.29.TAHUN 2025",
      "Pengurus: Ahmad Ketua, Rina Bendahara.",
      "Pernyataan kepatuhan dan kebijakan akuntansi",
      "SAK EP",
      "Kas dan setara kas",
      "Pinjaman yang diberikan kepada anggota",
      "Simpanan anggota per jenis",
      "Sisa hasil usaha dan pembagiannya",
      "Pihak berelasi",
      "Lurah Mangunharjo",
    ])
      expect(text.replace(/\s+/g, " "), expected).toContain(expected);
    expect(text).toMatch(/31 Desember 2027\s+31 Desember 2026/);
    const tokens = amountTokens(text);
    for (const token of tokens) expect(token, "an amount printed whole").toMatch(PUEBI_AMOUNT);
    expect(tokens).toHaveLength(amountCellCount(document));
    const printed = new Set(tokens.map(absoluteSen));
    // Cash and banks per account, and each member's loan, as the trial balance and member statements say.
    for (const date of ["2027-12-31", "2026-12-31"]) {
      for (const account of trialBalance(model, date).accounts.filter((line) => line.code.startsWith("11")))
        expect(printed.has(BigInt(account.balance.replace(".", "")))).toBe(true);
      for (const memberId of model.members.keys()) {
        const loan = memberStatement(model, memberId, date)?.pinjaman ?? "0.00";
        if (loan !== "0.00") expect(printed.has(BigInt(loan.replace(".", "")))).toBe(true);
      }
    }
    const shu = incomeStatement(model, "2026-01-01", "2026-12-31").shuAfterTax;
    expect(printed.has(BigInt(shu.replace(".", "")))).toBe(true);
    for (const part of shuReport(model, 2026).allocation)
      expect(printed.has(BigInt(part.amount.replace(".", "")))).toBe(true);
  });

  it("RAT pack: cover figures, every statement, the notes, the SHU division and every member's SHU in one PDF", async () => {
    const documents = ratPackDocuments(model, 2026, "AHU-0001234.AH.01.29.TAHUN 2025");
    const text = await pdfText("rat-pack", documents);
    const pages = text.split("\f").filter((page) => page.trim() !== "");
    expect(text).toContain(`Halaman ${pages.length} dari ${pages.length}`);
    for (const title of [
      "Bahan Rapat Anggota Tahunan",
      "Tahun Buku 2026",
      "Laporan Posisi Keuangan",
      "Laporan Perhitungan Hasil Usaha",
      "Laporan Perubahan Ekuitas",
      "Laporan Arus Kas",
      "Catatan atas Laporan Keuangan",
      "Pembagian SHU",
      "Pembagian menurut keputusan Rapat Anggota Tahunan",
    ])
      expect(text, title).toContain(title);
    // Every part carries the signature block and the chain's head.
    expect(text.match(/Ahmad Ketua/g)?.length).toBeGreaterThanOrEqual(documents.length);
    expect(text.match(new RegExp(`Hash rantai terakhir: ${HEAD_HASH}`, "g"))).toHaveLength(pages.length);
    const tokens = amountTokens(text);
    for (const token of tokens) expect(token, "an amount printed whole").toMatch(PUEBI_AMOUNT);
    expect(tokens).toHaveLength(documents.reduce((count, document) => count + amountCellCount(document), 0));
    const printed = new Set(tokens.map(absoluteSen));
    const figures = cooperativeFigures(model, "2026-12-31", 0, "Asia/Jakarta");
    for (const amount of [
      figures.totalAssets,
      figures.membersSavings,
      figures.loansOutstanding,
      figures.revenue,
      figures.shu,
    ])
      expect(printed.has(BigInt(amount.replace(".", ""))), amount).toBe(true);
    const shu = shuReport(model, 2026);
    for (const member of shu.members) {
      expect(text).toContain(member.name);
      expect(printed.has(BigInt(member.total.replace(".", "")))).toBe(true);
    }
    for (const part of shu.allocation) expect(printed.has(BigInt(part.amount.replace(".", "")))).toBe(true);
    expect(text).toMatch(/Jumlah anggota akhir tahun\s+6 orang\s+—/);
  });

  it("slip SHU: the member's shares, the total whole and in words (terbilang), and the signatures", async () => {
    const report = shuReport(model, 2026);
    const member = report.members[0];
    if (member === undefined) throw new Error("no member");
    const slip = shuSlip(report, member.memberId);
    if (slip === null) throw new Error("no slip");
    expect(slip.total).toBe(member.total);
    const text = await pdfText("slip", [shuSlipDocument(slip)]);
    const flat = text.replace(/\s+/g, " ");
    for (const expected of [
      "Slip Sisa Hasil Usaha",
      "Tahun buku 2026",
      `${member.memberId} — ${member.name}`,
      "Ketua",
      "Bendahara",
    ])
      expect(flat, expected).toContain(expected);
    expect(flat).toContain(
      `Terbilang: ${slip.totalInWords.charAt(0).toUpperCase()}${slip.totalInWords.slice(1)}.`,
    );
    const printed = new Set(amountTokens(text).map(absoluteSen));
    for (const amount of [member.jasaModal, member.jasaUsaha, member.total])
      expect(printed.has(BigInt(amount.replace(".", ""))), amount).toBe(true);
    for (const token of amountTokens(text)) expect(token).toMatch(PUEBI_AMOUNT);
    expect(flat).toContain("JUMLAH SHU DITERIMA");
    expect(flat).not.toContain("Rancangan");
    expect(shuSlip(report, "nobody")).toBeNull();
  });

  it("prints '—' in the comparative column of a first year and names it", async () => {
    const text = await pdfText("first-year", [documentOf("balance-sheet", YEAR_2026)]);
    expect(text).toMatch(/31 Desember 2026\s+31 Desember 2025/);
    expect(text).toContain("—");
    expect(text).toMatch(/JUMLAH ASET\s+Rp[\d.,]+\s+—/);
  });

  it("prints the SHU division and members, and many documents in one file with running page numbers", async () => {
    const shu = documentOf("shu", { ...YEAR_2026, year: 2026 });
    const text = await pdfText("pack", [documentOf("balance-sheet", YEAR_2027), shu]);
    expect(text).toContain("Pembagian SHU");
    expect(text).not.toContain("Rancangan Pembagian SHU");
    expect(text).toContain("Pembagian menurut keputusan Rapat Anggota Tahunan");
    expect(text).toContain("Halaman 2 dari 2");
    const report = shuReport(model, 2026);
    for (const member of report.members) expect(text).toContain(member.name);
    for (const token of amountTokens(text)) expect(token).toMatch(PUEBI_AMOUNT);
  });

  it("titles the division before the RAT decision a proposal (Rancangan Pembagian SHU)", async () => {
    const { builder } = kkmpYear();
    const undecided = buildReadModel(
      builder.coopId,
      builder.events.filter(
        (event) =>
          event.type !== "RatDecisionRecorded" &&
          !(event.type === "JournalEntryPosted" && event.data.kind === "appropriation"),
      ),
    );
    const report = shuReport(undecided, 2026);
    const text = await pdfText("proposed-shu", [shuDocument(report)]);
    expect(text).toContain("Rancangan Pembagian SHU");
    // The proposed reserve share and a member's proposed part are printed, not zeros.
    expect(text).toContain("Rp417.703,70");
    expect(text).toContain("Rp393.875");
    // A member's slip before the decision is a proposal too, never a share already received.
    const member = report.members[0];
    if (member === undefined) throw new Error("no member");
    const slip = shuSlip(report, member.memberId);
    if (slip === null) throw new Error("no slip");
    const slipText = (await pdfText("proposed-slip", [shuSlipDocument(slip)])).replace(/\s+/g, " ");
    expect(slipText).toContain("Rancangan Slip Sisa Hasil Usaha");
    expect(slipText).toContain("JUMLAH SHU MENURUT RANCANGAN");
    expect(slipText).not.toContain("DITERIMA");
  });

  it("keeps long ledgers' dates and amounts whole across pages", async () => {
    const ledger = documentOf("general-ledger", { ...YEAR_2026, account: "1111" });
    const file = join(directory, "ledger.pdf");
    writeFileSync(file, await renderDocumentPdf(ledger, setting));
    const text = execFileSync("pdftotext", ["-layout", file, "-"], { encoding: "utf8" });
    expect(text).toContain("Buku Besar");
    expect(text).toContain("Akun 1111");
    for (const token of amountTokens(text)) expect(token).toMatch(PUEBI_AMOUNT);
    expect(amountTokens(text)).toHaveLength(amountCellCount(ledger));
    expect(text).not.toMatch(/\d{2}-\d{2}-\d{4}/);
    expect(text).toMatch(/\b5 Jan 2026\b|\b\d{1,2} (Jan|Feb|Mar|Apr|Mei|Jun|Jul|Agu|Sep|Okt|Nov|Des) 2026\b/);
  });
});
