/**
 * From a report's JSON, as the API answers it, to the ReportDocument the PDF and CSV print (packages/
 * report-render): loaded lazily by the reports page, so the first page load carries none of it.
 */
import {
  balanceSheetDocument,
  cashFlowDocument,
  equityChangesDocument,
  generalLedgerDocument,
  incomeStatementDocument,
  memberStatementDocument,
  previousYearEnd,
  type ReportDocument,
  sameDayYearBefore,
  shuDocument,
} from "@bukubesar/report-render/browser";

/** The period the report was asked for; the statements' comparative is the previous year's. */
export interface DocumentPeriod {
  readonly asOf: string;
  readonly from: string;
  readonly to: string;
}

// The builders take the projections' report types; the JSON is the same shape, checked by the API's schemas.
type Builder = (json: never, period: DocumentPeriod) => ReportDocument;

/** A statement's JSON asked with compare=previous: the report's fields plus `previous` (null in a first year). */
const comparative = <R>(json: R & { previous?: R | null }) => {
  const { previous, ...current } = json;
  return { current: current as R, previous: previous ?? null };
};

const previousRange = (period: DocumentPeriod) => ({
  from: sameDayYearBefore(period.from),
  to: sameDayYearBefore(period.to),
});

const BUILDERS: Readonly<Record<string, Builder>> = {
  "balance-sheet": (json, period) => balanceSheetDocument(comparative(json), previousYearEnd(period.asOf)),
  "income-statement": (json, period) => incomeStatementDocument(comparative(json), previousRange(period)),
  "cash-flow": (json, period) => cashFlowDocument(comparative(json), previousRange(period)),
  "equity-changes": (json) => equityChangesDocument(comparative(json)),
  ledger: (json) => generalLedgerDocument(json),
  members: (json) => memberStatementDocument(json),
  shu: (json) => shuDocument(json),
  // The notes' JSON is already the document's rows.
  notes: (json) => json as ReportDocument,
};

/** The document of a report page's JSON, or null for a report that has no document here. */
export const documentOf = (path: string, json: unknown, period: DocumentPeriod): ReportDocument | null => {
  const build = BUILDERS[path];
  return build === undefined ? null : build(json as never, period);
};
