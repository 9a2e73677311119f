/**
 * Documents as an A4 PDF laid out as financial statements: a centred heading (cooperative, legal entity
 * number, region, title, period, "(dalam Rupiah)"), columns whose amounts, dates and codes are measured
 * and never wrapped, amounts right-aligned in columns of one width, rules above subtotals and totals and
 * a double rule under totals, a signature block kept on one page, and in every page's footer the print
 * date, the head hash of the cooperative's chain and "Halaman n dari m".
 */
import PDFDocument from "pdfkit";
import { cellText, documentHasSen, labelColumnOf } from "./amountText.js";
import { drawText, type PdfFonts, pdfFonts, printableWith, registerFonts } from "./fonts.js";
import { dateInWords } from "./indonesianDate.js";
import type { DocumentSetting, ReportColumn, ReportDocument, ReportRow } from "./reportDocument.js";

/** About 2 cm, the margin Indonesian cooperatives print RAT documents with. */
const MARGIN = 56;
const FOOTER_HEIGHT = 30;
const BODY_SIZE = 9;
/** Smaller sizes tried, in order, when the fixed columns leave too little room for the labels. */
const FALLBACK_SIZES = [8, 7, 6.5] as const;
const TITLE_SIZE = 12;
const NAME_SIZE = 13;
const FOOTER_SIZE = 7;
const CELL_PADDING = 8;
const ROW_GAP = 2.5;
const INDENT_POINTS = 10;
/** Below this the label column would wrap most names; the renderer then shrinks the type. */
const LABEL_WIDTH_MIN = 150;
const SIGNATURE_HEIGHT = 90;
/** At most this much is added to each amount column from room the labels do not need. */
const AMOUNT_EXTRA_MAX = 30;
const SIGNATURE_GAP = 44;

type Pdf = InstanceType<typeof PDFDocument>;

interface Layout {
  readonly size: number;
  readonly widths: readonly number[];
  readonly withSen: boolean;
}

/** Renders one or more documents (a RAT pack is several) into one PDF. */
export const renderDocumentsPdf = async (
  documents: readonly ReportDocument[],
  setting: DocumentSetting,
): Promise<Buffer> => {
  const fonts = pdfFonts();
  const pdf = new PDFDocument({ autoFirstPage: false, bufferPages: true, margin: MARGIN, size: "A4" });
  registerFonts(pdf, fonts);
  const chunks: Buffer[] = [];
  pdf.on("data", (chunk: Buffer) => chunks.push(chunk));
  const finished = new Promise<Buffer>((resolve, reject) => {
    pdf.on("end", () => resolve(Buffer.concat(chunks)));
    pdf.on("error", reject);
  });
  for (const document of documents) drawDocument(pdf, fonts, document, setting);
  drawFooters(pdf, fonts, setting);
  pdf.end();
  return finished;
};

export const renderDocumentPdf = (document: ReportDocument, setting: DocumentSetting): Promise<Buffer> =>
  renderDocumentsPdf([document], setting);

const addPage = (pdf: Pdf, document: ReportDocument): void => {
  pdf.addPage({ size: "A4", layout: document.landscape ? "landscape" : "portrait", margin: MARGIN });
};

const contentWidth = (pdf: Pdf): number => pdf.page.width - 2 * MARGIN;
const bottomOf = (pdf: Pdf): number => pdf.page.height - MARGIN - FOOTER_HEIGHT;

const drawDocument = (
  pdf: Pdf,
  fonts: PdfFonts,
  document: ReportDocument,
  setting: DocumentSetting,
): void => {
  addPage(pdf, document);
  const print = (text: string) => printableWith(fonts, text);
  const layout = layoutOf(pdf, document, print);
  drawHeading(pdf, fonts, document, setting);
  drawColumnHeaders(pdf, document, layout, print);
  const labelColumn = labelColumnOf(document);
  for (const row of document.rows) {
    const texts = document.columns.map((column) =>
      print(cellText(column, row.cells[column.key], layout.withSen)),
    );
    const height = rowHeight(pdf, document, layout, row, texts, labelColumn);
    if (pdf.y + height + (row.role === "total" ? 4 : 0) > bottomOf(pdf)) {
      addPage(pdf, document);
      drawContinuationHeading(pdf, fonts, document, setting);
      drawColumnHeaders(pdf, document, layout, print);
    }
    drawRow(pdf, fonts, document, layout, row, texts, labelColumn, height);
  }
  pdf.font("body").fontSize(layout.size);
  for (const paragraph of document.paragraphs) {
    pdf.moveDown(0.6);
    drawText(pdf, fonts, "body", paragraph, MARGIN, pdf.y, { width: contentWidth(pdf), align: "justify" });
  }
  if (document.signatures !== "none") drawSignatures(pdf, fonts, document, setting);
};

/** The width a fixed column needs: its widest cell, and its heading unbroken when it holds a date. */
const fixedWidthOf = (
  pdf: Pdf,
  document: ReportDocument,
  column: ReportColumn,
  withSen: boolean,
  print: (text: string) => string,
): number => {
  const cells = document.rows.map((row) => print(cellText(column, row.cells[column.key], withSen)));
  // A heading with a date or year ("31 Desember 2026") stays on one line; others may wrap by word.
  const header = print(column.header);
  const headerParts = /\d/.test(header) ? [header] : header.split(/\s+/);
  return Math.max(...[...cells, ...headerParts].map((text) => pdf.widthOfString(text))) + CELL_PADDING;
};

/** The width the labels of a text column take unwrapped, indentation included. */
const naturalTextWidthOf = (
  pdf: Pdf,
  document: ReportDocument,
  column: ReportColumn,
  print: (text: string) => string,
): number =>
  Math.max(
    pdf.widthOfString(print(column.header)),
    ...document.rows.map(
      (row) => pdf.widthOfString(print(row.cells[column.key] ?? "")) + row.indent * INDENT_POINTS,
    ),
  ) + CELL_PADDING;

/**
 * Column widths: amounts, dates and codes as wide as their widest text (amount columns all as wide as
 * the widest), labels share what is left; room the labels do not need widens the amount columns a
 * little, so neighbouring amounts stand apart.
 */
const layoutOf = (pdf: Pdf, document: ReportDocument, print: (text: string) => string): Layout => {
  const withSen = documentHasSen(document);
  const isAmount = (index: number) => document.columns[index]?.kind === "amount";
  for (const size of [BODY_SIZE, ...FALLBACK_SIZES]) {
    pdf.font("bold").fontSize(size);
    const natural = document.columns.map((column) =>
      column.kind === "text" ? 0 : fixedWidthOf(pdf, document, column, withSen, print),
    );
    const amountWidth = Math.max(0, ...natural.filter((_width, index) => isAmount(index)));
    const fixed = natural.map((width, index) => (isAmount(index) ? amountWidth : width));
    const textColumns = document.columns.filter((column) => column.kind === "text");
    const left = contentWidth(pdf) - fixed.reduce((sum, width) => sum + width, 0);
    const perText = textColumns.length === 0 ? 0 : left / textColumns.length;
    if (perText < LABEL_WIDTH_MIN && size !== FALLBACK_SIZES[FALLBACK_SIZES.length - 1]) continue;
    const textNeed = textColumns.reduce(
      (sum, column) => sum + Math.min(perText, naturalTextWidthOf(pdf, document, column, print)),
      0,
    );
    const amountCount = natural.filter((_width, index) => isAmount(index)).length;
    const extra = amountCount === 0 ? 0 : Math.min(AMOUNT_EXTRA_MAX, (left - textNeed) / amountCount);
    const perTextAfter = textColumns.length === 0 ? 0 : (left - extra * amountCount) / textColumns.length;
    const widths = document.columns.map((column, index) => {
      if (column.kind === "text") return Math.max(perTextAfter, 40);
      return (fixed[index] ?? 0) + (isAmount(index) ? extra : 0);
    });
    return { size, widths, withSen };
  }
  throw new Error("unreachable: the last size always returns a layout");
};

const drawHeading = (pdf: Pdf, fonts: PdfFonts, document: ReportDocument, setting: DocumentSetting): void => {
  const width = contentWidth(pdf);
  const centred = (font: "body" | "bold", size: number, text: string) => {
    pdf.fontSize(size);
    drawText(pdf, fonts, font, text, MARGIN, pdf.y, { width, align: "center" });
  };
  pdf.y = MARGIN;
  centred("bold", NAME_SIZE, setting.cooperativeName);
  const identity = [
    setting.legalEntityNumber === null ? null : `Badan hukum No. ${setting.legalEntityNumber}`,
    setting.regionCode === null ? null : `Kode wilayah ${setting.regionCode}`,
  ].filter((part): part is string => part !== null);
  if (identity.length > 0) centred("body", BODY_SIZE, identity.join(" · "));
  pdf.moveDown(0.4);
  centred("bold", TITLE_SIZE, document.title);
  centred("body", BODY_SIZE + 1, document.period);
  for (const subtitle of document.subtitles) centred("body", BODY_SIZE, subtitle);
  if (document.inRupiah) centred("body", BODY_SIZE, "(dalam Rupiah)");
  pdf.moveDown(0.8);
};

const drawContinuationHeading = (
  pdf: Pdf,
  fonts: PdfFonts,
  document: ReportDocument,
  setting: DocumentSetting,
): void => {
  pdf.y = MARGIN;
  pdf.fontSize(BODY_SIZE);
  drawText(pdf, fonts, "bold", `${setting.cooperativeName} — ${document.title} (lanjutan)`, MARGIN, MARGIN, {
    width: contentWidth(pdf),
  });
  drawText(pdf, fonts, "body", document.period, MARGIN, pdf.y, { width: contentWidth(pdf) });
  pdf.moveDown(0.6);
};

const drawColumnHeaders = (
  pdf: Pdf,
  document: ReportDocument,
  layout: Layout,
  print: (text: string) => string,
): void => {
  pdf.font("bold").fontSize(layout.size);
  const top = pdf.y;
  let x = MARGIN;
  let height = 0;
  document.columns.forEach((column, index) => {
    const width = layout.widths[index] ?? 0;
    const options = {
      width: width - CELL_PADDING / 2,
      align: column.kind === "amount" ? "right" : "left",
    } as const;
    height = Math.max(height, pdf.heightOfString(print(column.header), options));
    pdf.text(print(column.header), x, top, options);
    x += width;
  });
  pdf.y = top + height + ROW_GAP;
  rule(pdf, MARGIN, MARGIN + contentWidth(pdf), pdf.y, 0.8);
  pdf.y += ROW_GAP + 1;
};

const rule = (pdf: Pdf, from: number, to: number, y: number, width: number): void => {
  pdf.moveTo(from, y).lineTo(to, y).lineWidth(width).stroke();
};

const indentOf = (row: ReportRow): number => row.indent * INDENT_POINTS;

const rowHeight = (
  pdf: Pdf,
  document: ReportDocument,
  layout: Layout,
  row: ReportRow,
  texts: readonly string[],
  labelColumn: string | undefined,
): number => {
  pdf.font(row.role === "line" ? "body" : "bold").fontSize(layout.size);
  const heights = document.columns.map((column, index) => {
    if (column.kind !== "text") return pdf.currentLineHeight();
    const indent = column.key === labelColumn ? indentOf(row) : 0;
    const text = texts[index] ?? "";
    return text === ""
      ? 0
      : pdf.heightOfString(text, { width: (layout.widths[index] ?? 0) - indent - CELL_PADDING });
  });
  return Math.max(pdf.currentLineHeight(), ...heights) + ROW_GAP + (row.role === "line" ? 0 : 3);
};

/** The amount cells of a row, as [x from, x to] ranges: where a subtotal's rules are drawn. */
const amountSpans = (document: ReportDocument, layout: Layout, row: ReportRow): Array<[number, number]> => {
  const spans: Array<[number, number]> = [];
  let x = MARGIN;
  document.columns.forEach((column: ReportColumn, index) => {
    const width = layout.widths[index] ?? 0;
    if (column.kind === "amount" && row.cells[column.key] !== undefined)
      spans.push([x + CELL_PADDING, x + width - 2]);
    x += width;
  });
  return spans;
};

const drawRow = (
  pdf: Pdf,
  fonts: PdfFonts,
  document: ReportDocument,
  layout: Layout,
  row: ReportRow,
  texts: readonly string[],
  labelColumn: string | undefined,
  height: number,
): void => {
  const spans = amountSpans(document, layout, row);
  let top = pdf.y;
  if (row.role === "subtotal" || row.role === "total") {
    for (const [from, to] of spans) rule(pdf, from, to, top + 1, 0.5);
    top += 3;
  }
  const weight = row.role === "line" ? "body" : "bold";
  pdf.font(weight).fontSize(layout.size);
  let x = MARGIN;
  document.columns.forEach((column, index) => {
    const width = layout.widths[index] ?? 0;
    const text = texts[index] ?? "";
    if (text !== "") {
      const indent = column.key === labelColumn ? indentOf(row) : 0;
      if (column.kind === "text")
        drawText(pdf, fonts, weight, text, x + indent, top, { width: width - indent - CELL_PADDING });
      else
        pdf.text(text, x, top, {
          width: width - CELL_PADDING / 2,
          align: column.kind === "amount" ? "right" : "left",
          lineBreak: false,
        });
    }
    x += width;
  });
  const bottom = pdf.y - top > 0 ? top + height - ROW_GAP - 3 : top + height;
  if (row.role === "total")
    for (const [from, to] of spans) {
      rule(pdf, from, to, bottom + 1, 0.5);
      rule(pdf, from, to, bottom + 2.6, 0.5);
    }
  pdf.x = MARGIN;
  pdf.y = top + height - (row.role === "line" ? 0 : 3) + (row.role === "total" ? 4 : 0);
};

const DOTTED_NAME = "(................................)";

/** Ketua and Bendahara sign for the pengurus; the statements for the members' meeting add the Pengawas. */
const drawSignatures = (
  pdf: Pdf,
  fonts: PdfFonts,
  document: ReportDocument,
  setting: DocumentSetting,
): void => {
  const signatures = document.signatures;
  const signers: Array<[string, string | null]> =
    typeof signatures === "object"
      ? [
          ["Bendahara", setting.signatories.bendahara],
          [signatures.counterparty.office, signatures.counterparty.name],
        ]
      : [
          ["Ketua", setting.signatories.ketua],
          ["Bendahara", setting.signatories.bendahara],
        ];
  if (signatures === "pengurusDanPengawas") signers.push(["Pengawas", setting.signatories.pengawas]);
  if (pdf.y + SIGNATURE_HEIGHT > bottomOf(pdf)) addPage(pdf, document);
  pdf.moveDown(1.5);
  const width = contentWidth(pdf);
  pdf.font("body").fontSize(BODY_SIZE);
  // The place of signing is not recorded, so the line carries the date alone.
  pdf.text(dateInWords(setting.printedOn), MARGIN, pdf.y, {
    width,
    align: "right",
  });
  pdf.moveDown(0.8);
  const top = pdf.y;
  const columnWidth = width / signers.length;
  signers.forEach(([office, name], index) => {
    const x = MARGIN + index * columnWidth;
    pdf.font("body").fontSize(BODY_SIZE).text(office, x, top, { width: columnWidth, align: "center" });
    drawText(pdf, fonts, "bold", name === null ? DOTTED_NAME : name, x, top + SIGNATURE_GAP, {
      width: columnWidth,
      align: "center",
    });
  });
  pdf.x = MARGIN;
  pdf.y = top + SIGNATURE_GAP + 2 * pdf.currentLineHeight();
};

/** Every page's footer: print date and chain head on the left, the page number on the right. */
const drawFooters = (pdf: Pdf, fonts: PdfFonts, setting: DocumentSetting): void => {
  const range = pdf.bufferedPageRange();
  for (let page = range.start; page < range.start + range.count; page++) {
    pdf.switchToPage(page);
    // Writing inside the bottom margin would make pdfkit open a new page; the footer lives there.
    const bottomMargin = pdf.page.margins.bottom;
    pdf.page.margins.bottom = 0;
    const y = pdf.page.height - MARGIN - FOOTER_HEIGHT / 2;
    const width = contentWidth(pdf);
    rule(pdf, MARGIN, MARGIN + width, y - 4, 0.3);
    pdf.font("body").fontSize(FOOTER_SIZE);
    pdf.text(`Dicetak ${dateInWords(setting.printedOn)}`, MARGIN, y, { width, lineBreak: false });
    pdf.text(`Halaman ${page - range.start + 1} dari ${range.count}`, MARGIN, y, {
      width,
      align: "right",
      lineBreak: false,
    });
    if (setting.headHash !== null)
      pdf.text(
        printableWith(fonts, `Hash rantai terakhir: ${setting.headHash}`),
        MARGIN,
        y + FOOTER_SIZE + 3,
        {
          width,
          lineBreak: false,
        },
      );
    pdf.page.margins.bottom = bottomMargin;
  }
};
