/**
 * The RAT pack: one document to print for the members' annual meeting (Rapat Anggota Tahunan) — a
 * cover with the pengurus' accountability summary figures beside the previous year, the SAK EP
 * statements with their notes, the SHU and its division, and the member list with each member's SHU.
 */
import { timeZoneForRegion } from "@bukubesar/ledger-core";
import { type LedgerReadModel, shuReport } from "@bukubesar/projections";
import { amountRow, headingRow, statementColumns } from "./comparative.js";
import { hasHistoryUpTo } from "./indonesianDate.js";
import { cooperativeFigures, type RegionCooperativeFigures } from "./regionSummary.js";
import { NOT_AVAILABLE, type ReportDocument, type ReportRow, reportDocument, row } from "./reportDocument.js";
import { reportDocumentFor } from "./reportDocumentFor.js";
import { shuDocument } from "./tableDocuments.js";

export const RAT_PACK_TITLE = "Bahan Rapat Anggota Tahunan";

const yearEnd = (year: number): string => `${year}-12-31`;

const membersAt = (model: LedgerReadModel, date: string): number =>
  [...model.members.values()].filter((member) => member.joinedOn <= date).length;

/** The summary figures of the pengurus' accountability report, this year beside the previous one. */
const summaryRows = (model: LedgerReadModel, year: number): ReportRow[] => {
  // The pack prints no "days since the last posting", the one figure the zone changes: the region's will do.
  const timeZone = timeZoneForRegion(model.regionCode ?? "");
  const current = cooperativeFigures(model, yearEnd(year), 0, timeZone);
  const hasPrevious = hasHistoryUpTo(model, yearEnd(year - 1));
  const previous = hasPrevious ? cooperativeFigures(model, yearEnd(year - 1), 0, timeZone) : null;
  const figure = (label: string, pick: (figures: RegionCooperativeFigures) => string) =>
    amountRow("line", 1, label, pick(current), previous === null ? NOT_AVAILABLE : pick(previous));
  const count = (label: string, current: number, previous: number | null) =>
    row("line", 1, {
      label,
      amount: `${current} orang`,
      previousAmount: previous === null ? NOT_AVAILABLE : `${previous} orang`,
    });
  const joined = (from: number) =>
    [...model.members.values()].filter((member) => member.joinedOn.startsWith(`${from}-`)).length;
  return [
    headingRow(0, "KEANGGOTAAN"),
    count(
      "Jumlah anggota akhir tahun",
      membersAt(model, yearEnd(year)),
      hasPrevious ? membersAt(model, yearEnd(year - 1)) : null,
    ),
    count("Anggota baru dalam tahun", joined(year), hasPrevious ? joined(year - 1) : null),
    headingRow(0, "KEUANGAN"),
    figure("Total aset", (figures) => figures.totalAssets),
    figure("Simpanan anggota (pokok, wajib, sukarela, berjangka)", (figures) => figures.membersSavings),
    figure("Pinjaman yang diberikan", (figures) => figures.loansOutstanding),
    figure("Pendapatan (anggota dan non-anggota)", (figures) => figures.revenue),
    amountRow(
      "total",
      0,
      "SISA HASIL USAHA SETELAH PAJAK",
      current.shu,
      previous === null ? NOT_AVAILABLE : previous.shu,
    ),
  ];
};

/** The cover: what the pack is, for which year, and the summary figures. */
export const ratCoverDocument = (model: LedgerReadModel, year: number): ReportDocument =>
  reportDocument({
    kind: "rat-pack",
    title: RAT_PACK_TITLE,
    period: `Tahun Buku ${year}`,
    subtitles: ["Laporan pertanggungjawaban pengurus: ringkasan"],
    inRupiah: true,
    signatures: "pengurusDanPengawas",
    columns: statementColumns(String(year), String(year - 1)),
    rows: summaryRows(model, year),
    paragraphs: [
      "Isi: 1. Ringkasan pertanggungjawaban pengurus; 2. Laporan Posisi Keuangan; 3. Laporan Perhitungan Hasil Usaha; 4. Laporan Perubahan Ekuitas; 5. Laporan Arus Kas; 6. Catatan atas Laporan Keuangan; 7. Pembagian Sisa Hasil Usaha dan daftar anggota dengan bagian SHU-nya.",
    ],
  });

/** Every document of the pack for fiscal year `year`, in reading order. */
export const ratPackDocuments = (
  model: LedgerReadModel,
  year: number,
  legalEntityNumber: string | null = null,
): ReportDocument[] => {
  const query = { asOf: yearEnd(year), from: `${year}-01-01`, to: yearEnd(year), year, legalEntityNumber };
  const statements = (["balance-sheet", "income-statement", "equity-changes", "cash-flow", "notes"] as const)
    .map((kind) => reportDocumentFor(kind, model, query))
    .filter((document): document is ReportDocument => document !== null);
  return [ratCoverDocument(model, year), ...statements, shuDocument(shuReport(model, year))];
};
