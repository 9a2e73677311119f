import { cellText, documentHasSen, labelColumnOf } from "./amountText.js";
import { dateInWords } from "./indonesianDate.js";
import type { DocumentSetting, ReportDocument, ReportRow } from "./reportDocument.js";

const COLUMN_GAP = "  ";
const INDENT = "  ";

/**
 * A document as a terminal table: the heading lines, Indonesian column headers, amounts grouped and
 * right-aligned, sections and lines indented, a rule above subtotals and totals and a double rule under
 * totals, as the statement is printed.
 */
export const documentToText = (
  document: ReportDocument,
  setting?: Pick<DocumentSetting, "cooperativeName" | "printedOn">,
): string => {
  const withSen = documentHasSen(document);
  const labelColumn = labelColumnOf(document);
  const texts = (row: ReportRow): string[] =>
    document.columns.map((column) => {
      const text = cellText(column, row.cells[column.key], withSen);
      return column.key === labelColumn && text !== "" ? INDENT.repeat(row.indent) + text : text;
    });
  const body = document.rows.map(texts);
  const widths = document.columns.map((column, index) =>
    Math.max(column.header.length, ...body.map((cells) => (cells[index] ?? "").length)),
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
    output.push(line(body[index] ?? []));
    if (row.role === "total") output.push(ruleUnderAmounts(row, "="));
  });
  for (const paragraph of document.paragraphs) output.push("", paragraph);
  if (setting !== undefined) output.push("", `Dicetak ${dateInWords(setting.printedOn)}`);
  return `${output.join("\n")}\n`;
};
