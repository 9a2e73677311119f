import { formatRupiah, fromSen, wireToSen } from "@bukubesar/money";
import { shortDate } from "./indonesianDate.js";
import type { ReportColumn, ReportDocument } from "./reportDocument.js";

const WIRE_AMOUNT = /^-?\d+(\.\d{1,2})?$/;

export const isWireAmount = (text: string): boolean => WIRE_AMOUNT.test(text);

/**
 * Whether a document's amounts are printed with sen: only when one of them has sen, so a statement of
 * whole rupiah reads "Rp3.008.000" and one with sen shows ",50" on every amount, lined up.
 */
export const documentHasSen = (document: ReportDocument): boolean =>
  document.rows.some((row) =>
    document.columns.some((column) => {
      if (column.kind !== "amount") return false;
      const cell = row.cells[column.key];
      return cell !== undefined && isWireAmount(cell) && wireToSen(cell) % 100n !== 0n;
    }),
  );

/** A wire amount in PUEBI print ("Rp1.234.567", negatives "(Rp1.500)"); other text as it is. */
export const amountText = (cell: string | undefined, withSen: boolean): string => {
  if (cell === undefined) return "";
  if (!isWireAmount(cell)) return cell;
  return formatRupiah(fromSen(wireToSen(cell)), { withSen, negative: "accounting" });
};

/** A cell as printed: amounts in PUEBI, dates as "5 Des 2026", the rest as written. */
export const cellText = (column: ReportColumn, cell: string | undefined, withSen: boolean): string => {
  if (cell === undefined) return "";
  if (column.kind === "amount") return amountText(cell, withSen);
  if (column.kind === "date") return shortDate(cell);
  return cell;
};

/** The key of the column that carries a row's label and its indentation: the first text column. */
export const labelColumnOf = (document: ReportDocument): string | undefined =>
  document.columns.find((column) => column.kind === "text")?.key;
