import { senToWire, wireToSen } from "@bukubesar/money";
import { type ReportColumn, type ReportRow, type RowRole, row } from "./reportDocument.js";

/** The two amount columns of a statement: this period and the previous one (SAK EP comparatives). */
export const CURRENT = "amount";
export const PREVIOUS = "previousAmount";

export const statementColumns = (currentHeader: string, previousHeader: string): ReportColumn[] => [
  { key: "label", header: "Uraian", kind: "text" },
  { key: CURRENT, header: currentHeader, kind: "amount" },
  { key: PREVIOUS, header: previousHeader, kind: "amount" },
];

export const negated = (wire: string): string => senToWire(-wireToSen(wire));

/** A statement row: a label with this period's and the previous period's amounts. */
export const amountRow = (
  role: RowRole,
  indent: number,
  label: string,
  current: string | undefined,
  previous: string | undefined,
): ReportRow => row(role, indent, { label, [CURRENT]: current, [PREVIOUS]: previous });

export const headingRow = (indent: number, label: string): ReportRow => row("heading", indent, { label });

export interface Keyed {
  readonly key: string;
  readonly label: string;
  readonly amount: string;
}

/**
 * The union of this period's and the previous period's lines, in this period's order and then the lines
 * only the previous period has, each with both amounts; lines zero in both periods are left out.
 */
export const pairLines = (
  current: readonly Keyed[],
  previous: readonly Keyed[] | null,
): Array<{ key: string; label: string; current: string; previous: string | undefined }> => {
  const previousByKey = new Map((previous ?? []).map((line) => [line.key, line]));
  const seen = new Set<string>();
  const pairs: Array<{ key: string; label: string; current: string; previous: string | undefined }> = [];
  for (const line of [...current, ...(previous ?? [])]) {
    if (seen.has(line.key)) continue;
    seen.add(line.key);
    const inCurrent = current.find((candidate) => candidate.key === line.key);
    const previousAmount = previous === null ? undefined : (previousByKey.get(line.key)?.amount ?? "0.00");
    const currentAmount = inCurrent?.amount ?? "0.00";
    if (wireToSen(currentAmount) === 0n && (previousAmount === undefined || wireToSen(previousAmount) === 0n))
      continue;
    pairs.push({ key: line.key, label: line.label, current: currentAmount, previous: previousAmount });
  }
  return pairs;
};
