import { wireToSen } from "@bukubesar/money";
import type { EquityChanges } from "@bukubesar/projections";
import { dateInWords, rangeInWords } from "./indonesianDate.js";
import {
  type ReportColumn,
  type ReportDocument,
  type ReportRow,
  reportDocument,
  row,
} from "./reportDocument.js";
import type { Comparative } from "./statementDocuments.js";
import { STATEMENT_TITLES } from "./statementDocuments.js";

const TOTAL = "total";

/** Columns that hold an amount in either year: an equity component never used stays off the page. */
const usedColumns = (reports: readonly EquityChanges[]): ReportColumn[] => {
  // A year lists only the components it has, so the columns are the union over the years, in order.
  const columns = new Map<string, string>();
  for (const report of reports)
    for (const column of report.columns) if (!columns.has(column.key)) columns.set(column.key, column.name);
  return [...columns.entries()]
    .map(([key, name]) => ({ key, name }))
    .filter((column) =>
      reports.some((report) =>
        report.rows.some((line) => wireToSen(line.amounts[column.key] ?? "0.00") !== 0n),
      ),
    )
    .map((column) => ({ key: column.key, header: column.name, kind: "amount" as const }));
};

const capitalised = (text: string): string => `${text.charAt(0).toUpperCase()}${text.slice(1)}`;

const SUBTOTAL_ROWS = new Set(["saldoAkhir"]);

const yearRows = (report: EquityChanges, columns: readonly ReportColumn[]): ReportRow[] => [
  row("heading", 0, { label: capitalised(rangeInWords(report.from, report.to)) }),
  ...report.rows
    .filter(
      (line) =>
        line.key === "saldoAwal" ||
        SUBTOTAL_ROWS.has(line.key) ||
        columns.some((column) => wireToSen(line.amounts[column.key] ?? "0.00") !== 0n),
    )
    .map((line) =>
      row(SUBTOTAL_ROWS.has(line.key) ? "total" : line.key === "saldoAwal" ? "subtotal" : "line", 1, {
        label:
          line.key === "saldoAwal"
            ? `Saldo ${dateInWords(report.from)}`
            : line.key === "saldoAkhir"
              ? `Saldo ${dateInWords(report.to)}`
              : line.label,
        ...Object.fromEntries(columns.map((column) => [column.key, line.amounts[column.key] ?? "0.00"])),
        [TOTAL]: line.total,
      }),
    ),
];

/**
 * The statement of changes in equity: one column per equity component and a total, the previous year's
 * movements above this year's so the opening balance of this year reads as the closing one of the last.
 */
export const equityChangesDocument = ({ current, previous }: Comparative<EquityChanges>): ReportDocument => {
  const reports = previous === null ? [current] : [previous, current];
  const columns = usedColumns(reports);
  return reportDocument({
    kind: "equity-changes",
    title: STATEMENT_TITLES["equity-changes"],
    period: rangeInWords(current.from, current.to),
    inRupiah: true,
    signatures: "pengurusDanPengawas",
    landscape: true,
    columns: [
      { key: "label", header: "Uraian", kind: "text" },
      ...columns,
      { key: TOTAL, header: "Jumlah ekuitas", kind: "amount" },
    ],
    rows: reports.flatMap((report) => yearRows(report, columns)),
    paragraphs:
      previous === null
        ? [
            "Tidak ada angka pembanding: koperasi belum mencatat transaksi pada periode yang sama tahun sebelumnya.",
          ]
        : [],
  });
};
