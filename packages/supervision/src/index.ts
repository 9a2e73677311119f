// The alert vocabulary is @bukubesar/alerts'; re-exported so the rules' users find it where the rules are.
export type { Alert, Severity } from "@bukubesar/alerts";
export { alertIdFor, isSeverity, SEVERITIES, severityRank } from "@bukubesar/alerts";
export type { AccountFacts, CooperativeFacts, FactsTotals } from "./cooperativeFacts.js";
export { applyToFacts, emptyFacts } from "./cooperativeFacts.js";
export { EntryAnalysis, SenByKey } from "./entryAnalysis.js";
export type { HolidayCalendar } from "./holidays.js";
export { holidayCalendarFrom, indonesianHolidayCalendar } from "./holidays.js";
export type { LocalDateTime } from "./localTime.js";
export { localDateTimeAt } from "./localTime.js";
export type { ParsedThresholds } from "./parsedThresholds.js";
export { parseThresholds } from "./parsedThresholds.js";
export type { Rule, RuleContext } from "./rule.js";
export {
  APPROVAL_THRESHOLD_AVOIDANCE_RULE,
  approvalThresholdAvoidanceRule,
} from "./rules/approvalThresholdAvoidance.js";
export { BACKDATED_ENTRY_RULE, backdatedEntryRule } from "./rules/backdatedEntry.js";
export {
  BENFORD_DEVIATION_RULE,
  benfordDeviationRule,
  benfordMeanAbsoluteDeviation,
} from "./rules/benfordDeviation.js";
export { CASH_BELOW_FLOOR_RULE, cashBelowFloorRule } from "./rules/cashBelowFloor.js";
export { CLOSED_PERIOD_ATTEMPT_RULE, closedPeriodAttemptRule } from "./rules/closedPeriodAttempt.js";
export { DORMANT_COOPERATIVE_RULE, dormantCooperativeRule } from "./rules/dormantCooperative.js";

export { DUPLICATE_ENTRY_RULE, duplicateEntryRule } from "./rules/duplicateEntry.js";
export { FISCAL_YEAR_REOPENED_RULE, fiscalYearReopenedRule } from "./rules/fiscalYearReopened.js";
export { FUTURE_DATED_ENTRY_RULE, futureDatedEntryRule } from "./rules/futureDatedEntry.js";
export { LARGE_CASH_RULE, largeCashRule } from "./rules/largeCash.js";
export { LIQUIDITY_LOW_RULE, liquidityLowRule } from "./rules/liquidityLow.js";
export { LOAN_CONCENTRATION_RULE, loanConcentrationRule } from "./rules/loanConcentration.js";
export { OUT_OF_HOURS_RULE, outOfHoursRule } from "./rules/outOfHours.js";
export { PPATK_CASH_DAILY_RULE, ppatkCashDailyRule } from "./rules/ppatkCashDaily.js";
export { RELATED_PARTY_LOAN_RULE, relatedPartyLoanRule } from "./rules/relatedPartyLoan.js";
export { REOPENED_PERIOD_POSTING_RULE, reopenedPeriodPostingRule } from "./rules/reopenedPeriodPosting.js";
export { REVERSAL_SPIKE_RULE, reversalSpikeRule } from "./rules/reversalSpike.js";
export { ROUND_NUMBERS_RULE, roundNumbersRule } from "./rules/roundNumbers.js";
export { SELF_APPROVAL_RULE, selfApprovalRule } from "./rules/selfApproval.js";
export { SHU_ALLOCATION_UNUSUAL_RULE, shuAllocationUnusualRule } from "./rules/shuAllocationUnusual.js";
export { STRUCTURING_RULE, structuringRule } from "./rules/structuring.js";
export type {
  CooperativeSupervision,
  SupervisionOptions,
  SupervisionResult,
  SupervisionState,
} from "./runRules.js";
export { ALL_RULES, anyRule, createSupervisionState, runClockTick, runRules } from "./runRules.js";
export type {
  AuditedRefusalCode,
  ClockTick,
  CommandRefused,
  CommandRefusedData,
  SupervisedEvent,
  SupervisedMetadata,
} from "./supervisedEvent.js";
export {
  encodeCooperativeSupervision,
  restoreCooperativeSupervision,
  SUPERVISION_SNAPSHOT_FORMAT,
  supervisionConfigurationOf,
} from "./supervisionSnapshot.js";
export type { Thresholds } from "./thresholds.js";
export {
  CASH_ACCOUNT_PREFIXES,
  DEFAULT_SETTINGS,
  DEFAULT_THRESHOLDS,
  FUTURE_DATED_DAYS_DEFAULT,
  LOAN_ACCOUNT_PREFIXES,
  PPATK_CASH_DAILY_THRESHOLD,
} from "./thresholds.js";
