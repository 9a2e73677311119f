import { cellText, documentHasSen, labelColumnOf } from "./amountText.js";
import { dateInWords } from "./indonesianDate.js";
import type { DocumentSetting, ReportDocument, ReportRow } from "./reportDocument.js";

const COLUMN_GAP = "  ";
const INDENT = "  ";
/** Text cells longer than this wrap onto further lines (notes are sentences); amounts never wrap. */
const TEXT_WIDTH_MAX = 64;

/** Breaks text at spaces into lines of at most `width` characters (a longer word stays whole). */
const wrapText = (text: string, width: number): string[] => {
  const lines: string[] = [];
  let current = "";
  for (const word of text.split(" ")) {
    if (current !== "" && current.length + 1 + word.length > width) {
      lines.push(current);
      current = word;
    } else current = current === "" ? word : `${current} ${word}`;
  }
  lines.push(current);
  return lines;
};

/**
 * A document as a terminal table: the heading lines, Indonesian column headers, amounts grouped and
 * right-aligned, sections and lines indented, long texts wrapped, a rule above subtotals and totals and
 * a double rule under totals, as the statement is printed.
 */
export const documentToText = (
  document: ReportDocument,
  setting?: Pick<DocumentSetting, "cooperativeName" | "printedOn"> &
    Partial<Pick<DocumentSetting, "legalEntityNumber">>,
): string => {
  const withSen = documentHasSen(document);
  const labelColumn = labelColumnOf(document);
  /** A row's physical lines: text cells wrapped, the other cells on the first line. */
  const linesOf = (row: ReportRow): string[][] => {
    const cells = document.columns.map((column) => {
      const text = cellText(column, row.cells[column.key], withSen);
      if (column.kind !== "text") return [text];
      const indent = column.key === labelColumn ? INDENT.repeat(row.indent) : "";
      return wrapText(text, TEXT_WIDTH_MAX - indent.length).map((line) => (line === "" ? "" : indent + line));
    });
    const height = Math.max(...cells.map((lines) => lines.length));
    return Array.from({ length: height }, (_unused, index) => cells.map((lines) => lines[index] ?? ""));
  };
  const physical = document.rows.map(linesOf);
  const widths = document.columns.map((column, index) =>
    Math.max(column.header.length, ...physical.flat().map((cells) => (cells[index] ?? "").length)),
  );
  const line = (cells: readonly string[]): string =>
    document.columns
      .map((column, index) => {
        const cell = cells[index] ?? "";
        const width = widths[index] ?? 0;
        return column.kind === "amount" ? cell.padStart(width) : cell.padEnd(width);
      })
      .join(COLUMN_GAP)
      .trimEnd();
  const ruleUnderAmounts = (row: ReportRow, character: string): string =>
    line(
      document.columns.map((column, index) =>
        column.kind === "amount" && row.cells[column.key] !== undefined
          ? character.repeat(widths[index] ?? 0)
          : "",
      ),
    );
  const output: string[] = [
    ...(setting === undefined ? [] : [setting.cooperativeName]),
    ...(setting?.legalEntityNumber == null ? [] : [`Badan hukum No. ${setting.legalEntityNumber}`]),
    document.title,
    document.period,
    ...document.subtitles,
    ...(document.inRupiah ? ["(dalam Rupiah)"] : []),
    "",
    line(document.columns.map((column) => column.header)),
    widths.map((width) => "-".repeat(width)).join(COLUMN_GAP),
  ];
  document.rows.forEach((row, index) => {
    if (row.role === "subtotal" || row.role === "total") output.push(ruleUnderAmounts(row, "-"));
    for (const cells of physical[index] ?? []) output.push(line(cells));
    if (row.role === "total") output.push(ruleUnderAmounts(row, "="));
  });
  for (const paragraph of document.paragraphs) output.push("", ...wrapText(paragraph, TEXT_WIDTH_MAX * 1.5));
  if (setting !== undefined) output.push("", `Dicetak ${dateInWords(setting.printedOn)}`);
  return `${output.join("\n")}\n`;
};
