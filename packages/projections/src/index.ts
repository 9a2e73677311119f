export type { BalanceSheet, BalanceSheetGroup, BalanceSheetSection } from "./balanceSheet.js";
export {
  ASSET_SECTIONS,
  balanceSheet,
  EQUITY_SECTIONS,
  LIABILITY_SECTIONS,
  UNCLOSED_RESULT_SECTION,
} from "./balanceSheet.js";
export { DailyTotals } from "./dailyTotals.js";
export type { GeneralLedger, GeneralLedgerLine } from "./generalLedger.js";
export { generalLedger } from "./generalLedger.js";
export type { Journal, JournalEntryView } from "./journal.js";
export { journal } from "./journal.js";
export type { LedgerExportOptions } from "./ledgerExport.js";
export {
  escapeForComment,
  exportLedgerJournal,
  LEDGER_TYPE_NAMES,
  ledgerAccountName,
} from "./ledgerExport.js";
export type {
  ProjectionListener,
  ProjectionRunner,
  ProjectionRunnerOptions,
} from "./projectionRunner.js";
export { createProjectionRunner, LEDGER_STREAM_PREFIX, toRecordedLedgerEvent } from "./projectionRunner.js";
export type {
  AccountState,
  LedgerReadModel,
  MemberState,
  PostedEntry,
  RatDecision,
} from "./readModel.js";
export { applyLedgerEvent, buildReadModel, emptyReadModel, sortedEntries } from "./readModel.js";
export { dayNumber, dayToDate, nextDate, previousDate, senToWire, wireToSen } from "./sen.js";
export type { AccountPosition, TrialBalance, TrialBalanceRow } from "./trialBalance.js";
export { accountPositions, trialBalance } from "./trialBalance.js";
