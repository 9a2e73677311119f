/**
 * From a cooperative's read model and the period asked for to the document to render: the report the
 * JSON routes serve, plus, for the statements, the same report one year earlier as the comparative.
 */
import type { OverheadBasis, Unit } from "@bukubesar/ledger-core";
import {
  balanceSheet,
  cashFlow,
  equityChanges,
  type GeneralLedger,
  generalLedger,
  incomeStatement,
  journal,
  type LedgerReadModel,
  type MemberStatement,
  memberStatement,
  shuReport,
  trialBalance,
  unitResults,
  unitSummary,
} from "@bukubesar/projections";
import { equityChangesDocument } from "./equityChangesDocument.js";
import { hasHistoryUpTo, previousYearEnd, sameDayYearBefore } from "./indonesianDate.js";
import { notesDocument } from "./notesDocument.js";
import type { ReportDocument } from "./reportDocument.js";
import { balanceSheetDocument, cashFlowDocument, incomeStatementDocument } from "./statementDocuments.js";
import {
  generalLedgerDocument,
  journalDocument,
  memberStatementDocument,
  shuDocument,
  trialBalanceDocument,
  unitResultsDocument,
  unitSummaryDocument,
} from "./tableDocuments.js";

/** The period and filters of a report, as the routes and the `report` command take them. */
export interface DocumentQuery {
  readonly asOf: string;
  readonly from: string;
  readonly to: string;
  readonly unit?: Unit;
  readonly account?: string;
  readonly memberId?: string;
  readonly year?: number;
  /** The trial balance without the day's closing entries (neraca saldo sebelum penutupan). */
  readonly beforeClosing?: boolean;
  /** Nomor badan hukum, for the notes' general information. */
  readonly legalEntityNumber?: string | null;
  /** The settings' basis for spreading overhead in the unit results (default revenue). */
  readonly overheadBasis?: OverheadBasis;
}

/** Every kind a document can be made for. */
export const DOCUMENT_KINDS = [
  "trial-balance",
  "balance-sheet",
  "income-statement",
  "equity-changes",
  "cash-flow",
  "general-ledger",
  "journal",
  "member-statement",
  "unit-summary",
  "unit-results",
  "shu",
  "notes",
] as const;

export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

/** The document of one report, or null when its subject (account, member) does not exist. */
export const reportDocumentFor = (
  kind: DocumentKind,
  model: LedgerReadModel,
  query: DocumentQuery,
): ReportDocument | null => {
  switch (kind) {
    case "trial-balance":
      return trialBalanceDocument(
        trialBalance(model, query.asOf, { beforeClosing: query.beforeClosing === true }),
      );
    case "balance-sheet":
    case "income-statement":
    case "equity-changes":
    case "cash-flow":
      return comparativeDocumentFor(kind, model, query);
    case "general-ledger": {
      const report: GeneralLedger | null =
        query.account === undefined ? null : generalLedger(model, query.account, query.from, query.to);
      return report === null ? null : generalLedgerDocument(report);
    }
    case "journal":
      return journalDocument(journal(model, query.from, query.to));
    case "member-statement": {
      const report: MemberStatement | null =
        query.memberId === undefined ? null : memberStatement(model, query.memberId, query.asOf);
      return report === null ? null : memberStatementDocument(report);
    }
    case "unit-summary":
      return unitSummaryDocument(unitSummary(model, query.from, query.to));
    case "unit-results":
      return unitResultsDocument(unitResults(model, query.from, query.to, query.overheadBasis));
    case "shu":
      return shuDocument(shuReport(model, query.year ?? Number(query.to.slice(0, 4))));
    case "notes":
      return notesDocument(model, query.asOf, query.legalEntityNumber ?? null);
  }
};

/** A statement beside the same one for the previous period (a year earlier), when there was one. */
const comparativeDocumentFor = (
  kind: "balance-sheet" | "income-statement" | "equity-changes" | "cash-flow",
  model: LedgerReadModel,
  query: DocumentQuery,
): ReportDocument => {
  const previousRange = { from: sameDayYearBefore(query.from), to: sameDayYearBefore(query.to) };
  const rangeHasHistory = hasHistoryUpTo(model, previousRange.to);
  switch (kind) {
    case "balance-sheet": {
      const previousAsOf = previousYearEnd(query.asOf);
      const previous = hasHistoryUpTo(model, previousAsOf) ? balanceSheet(model, previousAsOf) : null;
      return balanceSheetDocument({ current: balanceSheet(model, query.asOf), previous }, previousAsOf);
    }
    case "income-statement": {
      const run = (from: string, to: string) =>
        query.unit === undefined
          ? incomeStatement(model, from, to)
          : incomeStatement(model, from, to, query.unit);
      const previous = rangeHasHistory ? run(previousRange.from, previousRange.to) : null;
      return incomeStatementDocument({ current: run(query.from, query.to), previous }, previousRange);
    }
    case "equity-changes": {
      const previous = rangeHasHistory ? equityChanges(model, previousRange.from, previousRange.to) : null;
      return equityChangesDocument({ current: equityChanges(model, query.from, query.to), previous });
    }
    case "cash-flow": {
      const previous = rangeHasHistory ? cashFlow(model, previousRange.from, previousRange.to) : null;
      return cashFlowDocument({ current: cashFlow(model, query.from, query.to), previous }, previousRange);
    }
  }
};

/** Whether a kind from a URL or a command line names a document. */
export const isDocumentKind = (kind: string): kind is DocumentKind =>
  (DOCUMENT_KINDS as readonly string[]).includes(kind);

/** The statements that carry a comparative previous period. */
export type StatementKind = "balance-sheet" | "income-statement" | "equity-changes" | "cash-flow";

/**
 * The same statement for the previous period, as its documents show it beside this one: the balance
 * sheet at the end of the previous fiscal year, the others over the same range one year earlier; null
 * when the cooperative has no entry by then (a first year).
 */
export const previousStatement = (
  kind: StatementKind,
  model: LedgerReadModel,
  query: DocumentQuery,
): unknown => {
  if (kind === "balance-sheet") {
    const previousAsOf = previousYearEnd(query.asOf);
    return hasHistoryUpTo(model, previousAsOf) ? balanceSheet(model, previousAsOf) : null;
  }
  const from = sameDayYearBefore(query.from);
  const to = sameDayYearBefore(query.to);
  if (!hasHistoryUpTo(model, to)) return null;
  if (kind === "income-statement")
    return query.unit === undefined
      ? incomeStatement(model, from, to)
      : incomeStatement(model, from, to, query.unit);
  return kind === "equity-changes" ? equityChanges(model, from, to) : cashFlow(model, from, to);
};
