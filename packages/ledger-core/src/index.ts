export { amountToSen, senToAmount, signedForNormalBalance, totalDebitSen } from "./amounts.js";
export { canonicalJson } from "./canonicalJson.js";
export type { ChartAccount, ChartTemplateName } from "./chart.js";
export { chartTemplates, normalBalanceOf } from "./chart.js";
export type {
  Actor,
  ApproveJournalEntry,
  ApproveYearEndStep,
  ChangeSettings,
  CloseAccount,
  CloseFiscalYear,
  ClosePeriod,
  ExitMember,
  LedgerCommand,
  OpenAccount,
  OpenLedger,
  PostJournalEntry,
  RecordRatDecision,
  RegisterMember,
  RejectJournalEntry,
  RejectYearEndStep,
  ReopenFiscalYear,
  ReopenPeriod,
  ReverseJournalEntry,
  ReverseMemberExit,
  SettingsPatch,
  TagAccount,
  YearEndStep,
} from "./commands.js";
export type { DailyBalances } from "./dailyBalances.js";
export { endOfDayBalances } from "./dailyBalances.js";
export {
  isLocalDate,
  isPeriodId,
  isYear,
  laterInstant,
  localDateOf,
  recordedAtLeadBeyondLimit,
  YEAR_MAX,
  YEAR_MIN,
  yearEnd,
  yearOf,
} from "./dates.js";
export type { Decision } from "./decide.js";
export { decide, mergeSettings } from "./decide.js";
export {
  APPROPRIATION_ENTRY_LINES_MAX,
  APPROPRIATION_LINES_MAX,
  appropriationPartId,
  PRIOR_LOSS_MEMO,
  shuAllocationSen,
} from "./decideRatDecision.js";
export type { Decider } from "./decider.js";
export { ledgerDecider } from "./decider.js";
export * from "./events.js";
export { applyInPlace, evolve, foldLedger } from "./evolve.js";
export type { BaseMetadata, ChainVerification, CheckedHead, HashableEvent } from "./hashChain.js";
export {
  chainBreakAfter,
  chainEvents,
  chainMetadata,
  GENESIS_PREV_HASH,
  hashEvent,
  recordEvents,
  verifyChain,
} from "./hashChain.js";
export {
  coopIdOfLedgerStream,
  ENTRY_ID_NAMESPACE,
  EVENT_ID_NAMESPACE,
  entryIdFor,
  eventIdFor,
  LEDGER_STREAM_PREFIX,
  ledgerStreamId,
  UTF8_BYTES_PER_CODE_UNIT_MAX,
  uuidV5,
} from "./ids.js";
export { kkmpChart } from "./kkmpChart.js";
export {
  AMOUNT_INTEGER_DIGITS_MAX,
  ENTRY_LINES_MAX,
  ENTRY_LINES_MIN,
  MEMO_LENGTH_MAX,
  NAME_LENGTH_MAX,
  REASON_LENGTH_MAX,
  RECORDED_AT_LEAD_MAX_MS,
} from "./limits.js";
export {
  contradictsBusiness,
  EXITED_MEMBERS_PAYABLE_ACCOUNT,
  SIMPANAN_POKOK_ACCOUNT,
} from "./memberAccounts.js";
export type { Rejection, RejectionCode, RejectionTag } from "./rejection.js";
export { rejection, rejectionCodes } from "./rejection.js";
export {
  BUSINESS_HOURS_DEFAULT,
  defaultSettings,
  LARGE_CASH_THRESHOLD_DEFAULT,
  timeZoneForRegion,
} from "./settings.js";
export type { ShuAllocationKey } from "./shuAllocation.js";
export {
  ACCUMULATED_LOSS_ACCOUNT,
  JASA_MODAL_CAPITAL_ACCOUNTS,
  LEGACY_RESULT_ACCOUNT,
  MEMBER_SHU_PAYABLE_ACCOUNT,
  RESERVE_ACCOUNT,
  RESIDUE_MEMO_PREFIX,
  resultAccountFor,
  SHU_CURRENT_YEAR_ACCOUNT,
  SHU_UNDISTRIBUTED_ACCOUNT,
  shuAllocationAccounts,
  shuAllocationDefault,
  shuAllocationKeys,
} from "./shuAllocation.js";
export type {
  MemberDivision,
  MemberParticipation,
  MemberShare,
  Participation,
  ParticipationAccount,
  ParticipationEntry,
} from "./shuDivision.js";
export {
  divideMemberPools,
  isMemberBusinessLine,
  isMemberRevenueLine,
  shuParticipation,
  weightedSen,
} from "./shuDivision.js";
export type { AllocationWarning, ShuRulesPatch } from "./shuRules.js";
export {
  allocationWarnings,
  checkAllocation,
  LOSS_COVERAGE_DECISION,
  MANAGEMENT_PERCENT_USUAL_MAX,
  RESERVE_PERCENT_USUAL_MIN,
  shuRulesDefault,
  shuRulesOf,
} from "./shuRules.js";
export type {
  AccountState,
  EntryState,
  EntryStatus,
  FiscalYearClosing,
  LedgerState,
  MemberState,
  PendingClose,
  PendingRatDecision,
  RatDecisionState,
} from "./state.js";
export { initialLedgerState, isDateClosed } from "./state.js";
export type { StoredEventEnvelope } from "./storedEvent.js";
export {
  isLedgerEventType,
  ledgerEventBodyProblem,
  MalformedStoredEvent,
  recordedLedgerEventOf,
} from "./storedEvent.js";
export {
  ACCOUNT_CODE_PATTERN,
  ACCOUNT_TYPES,
  ALL_REGIONS,
  BUSINESS_WITH,
  CLOCK_TIME_PATTERN,
  COOP_ID_PATTERN,
  COUNTERPARTIES,
  IDEMPOTENCY_KEY_LENGTH_MAX,
  IDEMPOTENCY_KEY_PATTERN,
  isAccountCode,
  isCoopId,
  isIdempotencyKey,
  isMemberId,
  isRegionCode,
  isRegionPrefix,
  MEMBER_ID_PATTERN,
  MEMBER_ROLES,
  NORMAL_BALANCES,
  OVERHEAD_BASES,
  REGION_CODE_PATTERN,
  REGION_CODE_SEGMENTS,
  REGION_PREFIX_PATTERN,
  REQUESTED_ENTRY_KINDS,
  ROLES,
  regionMatches,
  regionWithin,
  TIME_ZONES,
} from "./vocabulary.js";
