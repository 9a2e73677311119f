/**
 * The part of the renderer a web browser can load: the document builders that turn a report's JSON into
 * a ReportDocument and the PUEBI cell formatting. It imports nothing that needs Node (no PDF, no fonts,
 * no read model at run time), so the web application renders the same rows the PDF and CSV print.
 */
export { amountText, cellText, documentHasSen, labelColumnOf } from "./amountText.js";
export { equityChangesDocument } from "./equityChangesDocument.js";
export {
  dateInWords,
  MONTH_NAMES_ID,
  previousYearEnd,
  sameDayYearBefore,
} from "./indonesianDate.js";
export type {
  ColumnKind,
  ReportColumn,
  ReportDocument,
  ReportRow,
  RowRole,
} from "./reportDocument.js";
export { NOT_AVAILABLE } from "./reportDocument.js";
export type { Comparative } from "./statementDocuments.js";
export {
  balanceSheetDocument,
  cashFlowDocument,
  incomeStatementDocument,
  STATEMENT_TITLES,
} from "./statementDocuments.js";
export { generalLedgerDocument, memberStatementDocument, shuDocument } from "./tableDocuments.js";
