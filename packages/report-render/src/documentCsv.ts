import type { ReportDocument } from "./reportDocument.js";
import { NOT_AVAILABLE } from "./reportDocument.js";

const NUMBER = /^-?\d+(\.\d+)?$/;

/**
 * Where a spreadsheet may start a cell inside our text: the text's start, or right after a character it
 * may split at or quote with (a comma, a semicolon where the list separator is `;`, as in Indonesian
 * settings, a tab, a line break, a quote), spaces aside.
 */
const CELL_START_BEFORE_FORMULA = /(^|[,;\t\r\n"])(\s*)(?=[=+\-@])/g;

/**
 * A field a spreadsheet cannot run as a formula, whichever separator it splits the file at: a single
 * quote goes before every =, +, - or @ that could begin a cell (`Setoran;=HYPERLINK(…)` becomes
 * `Setoran;'=HYPERLINK(…)`), and before a leading tab or carriage return; a plain number is left as it
 * is. Fields holding a separator, quote or line break are quoted (RFC 4180). Only CSV is changed this
 * way: terminal tables and PDFs show text as written.
 */
export const csvField = (value: string | undefined): string => {
  if (value === undefined || value === NOT_AVAILABLE) return "";
  let text = value;
  if (!NUMBER.test(text)) {
    text = text.replace(CELL_START_BEFORE_FORMULA, "$1$2'");
    if (/^[\t\r]/.test(text)) text = `'${text}`;
  }
  return /[",;\t\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

/**
 * A document as CSV (RFC 4180, CRLF line ends): a header of the column keys with `role` first, then one
 * record per row; amounts plain ("-1500.00"), dates ISO, a missing comparative empty.
 */
export const documentToCsv = (document: ReportDocument): string => {
  const header = ["role", ...document.columns.map((column) => column.key)];
  const records = document.rows.map((row) => [
    row.role,
    ...document.columns.map((column) => row.cells[column.key]),
  ]);
  return `${[header, ...records].map((record) => record.map(csvField).join(",")).join("\r\n")}\r\n`;
};
