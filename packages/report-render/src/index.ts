export { amountText, cellText, documentHasSen } from "./amountText.js";
export { csvField, documentToCsv } from "./documentCsv.js";
export { renderDocumentPdf, renderDocumentsPdf } from "./documentPdf.js";
export { documentSettingOf, signatoriesOf } from "./documentSetting.js";
export { documentToText } from "./documentText.js";
export { equityChangesDocument } from "./equityChangesDocument.js";
export type { FontScript, PdfFonts, TextRun } from "./fonts.js";
export { pdfFonts, pdfFontWarning, textRuns } from "./fonts.js";
export {
  dateInWords,
  hasHistoryUpTo,
  previousYearEnd,
  rangeInWords,
  sameDayYearBefore,
  shortDate,
} from "./indonesianDate.js";
export { ACCOUNTING_POLICIES, NOTES_TITLE, notesDocument } from "./notesDocument.js";
export type { PdfRenderPool } from "./pdfRenderPool.js";
export { createPdfRenderPool, PdfRendererBusy } from "./pdfRenderPool.js";
export { RAT_PACK_TITLE, ratCoverDocument, ratPackDocuments } from "./ratPack.js";
export type { Receipt, ReceiptEntry } from "./receipt.js";
export { entryReceipt, receiptDocument } from "./receipt.js";
export type { RegionCooperativeFigures, RegionSummary } from "./regionSummary.js";
export {
  cooperativeFigures,
  regionSummaryDocument,
  regionSummaryOf,
} from "./regionSummary.js";
export type {
  ColumnKind,
  DocumentSetting,
  ReportColumn,
  ReportDocument,
  ReportRow,
  RowRole,
  Signatories,
  SignatureBlock,
} from "./reportDocument.js";
export { NOT_AVAILABLE, reportDocument, row } from "./reportDocument.js";
export type { DocumentKind, DocumentQuery, StatementKind } from "./reportDocumentFor.js";
export {
  DOCUMENT_KINDS,
  isDocumentKind,
  previousStatement,
  reportDocumentFor,
} from "./reportDocumentFor.js";
export type { ShuSlip } from "./shuSlip.js";
export { shuSlip, shuSlipDocument } from "./shuSlip.js";
export type { Comparative } from "./statementDocuments.js";
export {
  balanceSheetDocument,
  cashFlowDocument,
  incomeStatementDocument,
  STATEMENT_TITLES,
} from "./statementDocuments.js";
export {
  ACCOUNT_TYPE_NAMES,
  generalLedgerDocument,
  journalDocument,
  memberStatementDocument,
  shuDocument,
  trialBalanceDocument,
  unitResultsDocument,
  unitSummaryDocument,
} from "./tableDocuments.js";
