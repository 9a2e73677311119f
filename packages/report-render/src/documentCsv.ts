import type { ReportDocument } from "./reportDocument.js";
import { NOT_AVAILABLE } from "./reportDocument.js";

const NUMBER = /^-?\d+(\.\d+)?$/;

/**
 * A field a spreadsheet would run as a formula (starting with =, +, -, @, a tab or a carriage return, and
 * not a plain number) gets a leading single quote, so an account name or memo cannot run code.
 */
export const csvField = (value: string | undefined): string => {
  if (value === undefined || value === NOT_AVAILABLE) return "";
  let text = value;
  if (/^[=+\-@\t\r]/.test(text) && !NUMBER.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
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
