export type { BalanceSheet, BalanceSheetGroup, BalanceSheetSection } from "./balanceSheet.js";
export {
  ASSET_SECTIONS,
  balanceSheet,
  EQUITY_SECTIONS,
  LIABILITY_SECTIONS,
  UNCLOSED_RESULT_SECTION,
} from "./balanceSheet.js";
export type { CashFlow, CashFlowSection } from "./cashFlow.js";
export { CASH_FLOW_LINES, cashFlow, isCashAccount } from "./cashFlow.js";
export { DailyTotals } from "./dailyTotals.js";
export type { EquityChanges, EquityChangesRow } from "./equityChanges.js";
export { equityChanges, UNCLOSED_RESULT_COLUMN } from "./equityChanges.js";
export type { GeneralLedger, GeneralLedgerLine } from "./generalLedger.js";
export { generalLedger } from "./generalLedger.js";
export type { BusinessSection, IncomeStatement, StatementSection } from "./incomeStatement.js";
export { incomeStatement, periodResultSen } from "./incomeStatement.js";
export type { Journal, JournalEntryView } from "./journal.js";
export { journal } from "./journal.js";
export type { LedgerExportOptions } from "./ledgerExport.js";
export {
  EXPORT_CHUNK_LINES,
  escapeForComment,
  exportLedgerJournal,
  HLEDGER_ACCOUNT_TYPES,
  LEDGER_TYPE_NAMES,
  ledgerAccountName,
  ledgerJournalChunks,
} from "./ledgerExport.js";
export type {
  MemberAccountCategory,
  MemberAccountStatement,
  MemberStatement,
  MemberStatementOptions,
} from "./memberStatement.js";
export { DEFAULT_MEMBER_ACCOUNTS, memberStatement } from "./memberStatement.js";
export type {
  ProgressListener,
  ProjectionListener,
  ProjectionRunner,
  ProjectionRunnerOptions,
} from "./projectionRunner.js";
export {
  createProjectionRunner,
  LEDGER_STREAM_PREFIX,
  REBUILD_PAGE_SIZE,
  SNAPSHOT_EVERY_EVENTS,
} from "./projectionRunner.js";
export type {
  AccountState,
  LedgerReadModel,
  MemberAccountTotals,
  MemberState,
  MemberTotals,
  PostedEntry,
  RatDecision,
  ResultDimensionTotals,
} from "./readModel.js";
export {
  applyLedgerEvent,
  buildReadModel,
  emptyReadModel,
  entriesBetween,
  entryById,
  reviveClonedReadModel,
  sortedEntries,
} from "./readModel.js";
export type { RolledPosition, RollupOption } from "./rollUp.js";
export { ROLLUP_DEPTH_MAX, rollUpPositions } from "./rollUp.js";
export { dayNumber, dayToDate, nextDate } from "./sen.js";
export type { CapitalBasis, ShuMemberRow, ShuReport } from "./shuReport.js";
export { shuReport } from "./shuReport.js";
export type {
  ReadModelSnapshot,
  ReadModelSnapshotStore,
  RestoredReadModels,
  SnapshotCheckpoint,
} from "./snapshot.js";
export {
  MemoryReadModelSnapshotStore,
  restoreReadModels,
  SNAPSHOT_ENTRIES_PER_PART,
  SNAPSHOT_FORMAT_VERSION,
  SNAPSHOT_MEMBERS_PER_PART,
  serializeReadModels,
} from "./snapshot.js";
export { READ_MODEL_SNAPSHOT_NAME, snapshotStoreFor } from "./snapshotStoreFor.js";
export type { AccountPosition, TrialBalance, TrialBalanceOptions, TrialBalanceRow } from "./trialBalance.js";
export { accountPositions, trialBalance } from "./trialBalance.js";
export type { UnitResultRow, UnitResults } from "./unitResults.js";
export { OVERHEAD_BASIS_DEFAULT, OVERHEAD_UNIT, UNASSIGNED_LABEL, unitResults } from "./unitResults.js";
export type { UnitSummary, UnitSummaryRow } from "./unitSummary.js";
export { unitSummary } from "./unitSummary.js";
