import { formatRupiah, fromSen, wireToSen } from "@bukubesar/money";
import { type ReportKind, type ReportsByKind, reportToCsv } from "@bukubesar/projections";
import PDFDocument from "pdfkit";
import { parseCsvRows } from "./csv-rows.js";
import { periodOfReport, translateReportRows } from "./report-labels.js";

/** The cooperative a report belongs to, for the page header. */
export interface ReportCooperative {
  readonly id: string;
  readonly name: string | null;
  readonly regionCode: string | null;
  /**
   * The period the report covers, as the header shows it (e.g. "per 31-12-2025"); when left out it is
   * taken from the report's own fields (asOf, from/to, year, account, member).
   */
  readonly period?: string;
}

/** Indonesian report titles. */
export const REPORT_TITLES: Readonly<Record<string, string>> = {
  "trial-balance": "Neraca Saldo",
  "balance-sheet": "Neraca",
  "income-statement": "Laporan Perhitungan Hasil Usaha",
  "equity-changes": "Laporan Perubahan Ekuitas",
  "cash-flow": "Laporan Arus Kas",
  "general-ledger": "Buku Besar",
  "member-statement": "Laporan Simpanan dan Pinjaman Anggota",
  shu: "Laporan Pembagian SHU",
  journal: "Jurnal Umum",
};

/** A4 in points with 2 cm margins: the paper Indonesian cooperatives print RAT documents on. */
const PAGE_MARGIN_POINTS = 56;
const BODY_FONT_SIZE = 8;
const HEADER_FONT_SIZE = 14;
const ROW_GAP_POINTS = 3;
/** Extra width per column, in characters, over its longest cell. */
const COLUMN_MARGIN_CHARACTERS = 3;
const WIRE_AMOUNT_PATTERN = /^-?\d+\.\d{2}$/;

/**
 * The built-in PDF fonts only cover Windows-1252; characters outside it are replaced by readable ASCII
 * rather than printed as garbage.
 */
const printable = (text: string): string =>
  text
    .replaceAll("≤", "<=")
    .replaceAll("≥", ">=")
    .replace(/[^\x20-\x7e\u00a0-\u00ff\u2013\u2014\u2018\u2019\u201c\u201d\u2022\u2026]/g, "?");

/** Amount cells in PUEBI style (Rp1.234.567,89; negatives in parentheses); other cells as they are. */
const formatCell = (cell: string): string =>
  WIRE_AMOUNT_PATTERN.test(cell) ? formatRupiah(fromSen(wireToSen(cell))) : printable(cell);

/** Column weights: text columns (names, memos) get more room than codes and amounts. */
const columnWeights = (rows: readonly (readonly string[])[]): number[] => {
  const count = Math.max(...rows.map((row) => row.length), 1);
  return Array.from({ length: count }, (_unused, column) => {
    const longest = Math.max(...rows.map((row) => formatCell(row[column] ?? "").length), 4);
    // Bold headings and proportional glyphs run wider than the character count; the margin keeps a short
    // heading such as "Kode" on one line.
    return Math.min(longest + COLUMN_MARGIN_CHARACTERS, 40);
  });
};

/**
 * Renders any report as an A4 PDF in Indonesian: the cooperative's name, region code and the period in
 * the header of every page (the API's seam passes no cooperative: its PDF then names the report and the
 * period from the report's own fields), the report's rows (the same rows as its CSV) as a table with
 * Indonesian headings and labels (report-labels.ts) and amounts in PUEBI style, and "Halaman n dari m" at the foot of every page.
 */
export const renderReportPdf = async (
  kind: string,
  report: unknown,
  cooperative?: ReportCooperative,
): Promise<Buffer> => {
  const rows = translateReportRows(
    kind,
    report,
    parseCsvRows(reportToCsv(kind as ReportKind, report as ReportsByKind[ReportKind])).filter((row) =>
      row.some((cell) => cell !== ""),
    ),
  );
  const period = cooperative?.period ?? periodOfReport(report);
  const document = new PDFDocument({ size: "A4", margin: PAGE_MARGIN_POINTS, bufferPages: true });
  const chunks: Buffer[] = [];
  document.on("data", (chunk: Buffer) => chunks.push(chunk));
  const finished = new Promise<Buffer>((resolve, reject) => {
    document.on("end", () => resolve(Buffer.concat(chunks)));
    document.on("error", reject);
  });

  const title = REPORT_TITLES[kind] ?? kind;
  const left = PAGE_MARGIN_POINTS;
  const width = document.page.width - 2 * PAGE_MARGIN_POINTS;
  const bottom = document.page.height - PAGE_MARGIN_POINTS - 20;
  const header = rows[0] ?? [];
  const body = rows.slice(1);
  const weights = columnWeights(rows);
  const weightTotal = weights.reduce((sum, weight) => sum + weight, 0);
  const widths = weights.map((weight) => (weight / weightTotal) * width);
  const amountColumns = new Set(
    widths
      .map((_width, column) => column)
      .filter((column) => body.some((row) => WIRE_AMOUNT_PATTERN.test(row[column] ?? ""))),
  );

  const drawPageHeader = (): void => {
    document
      .font("Helvetica-Bold")
      .fontSize(HEADER_FONT_SIZE)
      .text(printable(cooperative?.name ?? cooperative?.id ?? ""), left, PAGE_MARGIN_POINTS, { width });
    document.font("Helvetica").fontSize(BODY_FONT_SIZE + 1);
    if (cooperative?.regionCode) document.text(`Kode wilayah: ${cooperative.regionCode}`, { width });
    document
      .font("Helvetica-Bold")
      .fontSize(BODY_FONT_SIZE + 3)
      .text(title, { width });
    if (period !== "")
      document
        .font("Helvetica")
        .fontSize(BODY_FONT_SIZE + 1)
        .text(printable(period), { width });
    document.moveDown(0.8);
  };
  const drawRow = (cells: readonly string[], bold: boolean): void => {
    document.font(bold ? "Helvetica-Bold" : "Helvetica").fontSize(BODY_FONT_SIZE);
    const texts = widths.map((_width, column) => formatCell(cells[column] ?? ""));
    const height = Math.max(
      ...texts.map((text, column) => document.heightOfString(text, { width: (widths[column] ?? 0) - 4 })),
      BODY_FONT_SIZE,
    );
    if (document.y + height > bottom) {
      document.addPage();
      drawPageHeader();
    }
    const top = document.y;
    let x = left;
    texts.forEach((text, column) => {
      const columnWidth = widths[column] ?? 0;
      document.text(text, x, top, {
        width: columnWidth - 4,
        align: amountColumns.has(column) && !bold ? "right" : "left",
        lineBreak: true,
      });
      x += columnWidth;
    });
    document.x = left;
    document.y = top + height + ROW_GAP_POINTS;
  };

  drawPageHeader();
  drawRow(header, true);
  document
    .moveTo(left, document.y)
    .lineTo(left + width, document.y)
    .lineWidth(0.5)
    .stroke();
  document.y += ROW_GAP_POINTS;
  for (const row of body) drawRow(row, false);

  const range = document.bufferedPageRange();
  for (let page = range.start; page < range.start + range.count; page++) {
    document.switchToPage(page);
    // Writing below the bottom margin would make pdfkit open a new page; the footer lives in the margin.
    const bottomMargin = document.page.margins.bottom;
    document.page.margins.bottom = 0;
    document
      .font("Helvetica")
      .fontSize(BODY_FONT_SIZE)
      .text(
        `Halaman ${page - range.start + 1} dari ${range.count}`,
        left,
        document.page.height - PAGE_MARGIN_POINTS,
        {
          width,
          align: "center",
          lineBreak: false,
        },
      );
    document.page.margins.bottom = bottomMargin;
  }
  document.end();
  return finished;
};
