/**
 * Why the decider refused a command: a tagged union whose tags name the broken rule (TigerBeetle
 * style) and whose `code` is the stable error code of api.md's table, so the edge can map every tag
 * to a response without a second lookup table.
 */

/** Tag → api.md code. The single source of truth for both. */
export const rejectionCodes = {
  EntryMustBalance: "unbalanced_entry",
  LineCountBelowMin: "too_few_lines",
  LineCountExceedsMax: "too_many_lines",
  LineMustBeDebitOrCredit: "debit_and_credit_on_one_line",
  AmountMustBePositive: "invalid_amount",
  DateMustBeValid: "invalid_date",
  ReversalMustNotPrecedeOriginal: "invalid_date",
  RatDecisionMustFollowYearEnd: "invalid_date",
  AccountMustExist: "unknown_account",
  AccountMustBeOpen: "account_closed",
  AccountMustBeEmpty: "account_not_empty",
  MemberMustBeRegistered: "unknown_member",
  PeriodMustBeOpen: "period_closed",
  BalanceMustNotGoBelowZero: "insufficient_funds",
  ContraAccountMustNotCrossSide: "contra_account_wrong_side",
  EntryMustNotBeReversed: "already_reversed",
  ReversalMustNotBeReversed: "cannot_reverse_reversal",
  EntryMustBePending: "not_pending",
  ApproverMustNotBeProposer: "self_approval",
  LedgerMustNotExist: "cooperative_exists",
  AccountMustNotExist: "account_exists",
  MemberMustNotExist: "member_exists",
  LedgerMustBeOpened: "not_found",
  EntryMustExist: "not_found",
  MemoLengthExceedsMax: "validation_failed",
  FieldMustBeValid: "validation_failed",
  AccountMustBePostable: "validation_failed",
  ParentAccountMustExist: "validation_failed",
  RegionCodeMustBeValid: "validation_failed",
  EntryIdMustBeUnique: "validation_failed",
  EntryMustBePosted: "validation_failed",
  SystemEntryMustNotBeReversed: "validation_failed",
  PeriodMustBeClosed: "validation_failed",
  PeriodMustNotBeClosed: "validation_failed",
  FiscalYearMustBeOpen: "validation_failed",
  FiscalYearMustBeClosed: "validation_failed",
  ShuAccountMustExist: "validation_failed",
  ShuMustBePositive: "validation_failed",
  AllocationMustBeValid: "validation_failed",
  AllocationMustSumToHundred: "validation_failed",
  RatDecisionMustBeFirst: "validation_failed",
  FiscalYearMustHaveEnded: "fiscal_year_not_ended",
  EntriesMustNotBePending: "entries_pending_approval",
  YearEndStepMustNotBePending: "approval_pending",
  YearEndStepMustBePending: "not_pending",
  LossCoverageMustBeValid: "validation_failed",
  RatDecisionMustNotBeRecorded: "validation_failed",
  LossCoverageMustEqualLoss: "validation_failed",
  LossCoverageMustNotExceedReserve: "validation_failed",
  AllocationMustFollowAdArt: "fixed_by_ad_art",
  JasaUsahaMustBeAttributed: "jasa_usaha_unattributed",
  ResultMustStillBeHeld: "result_changed_since_close",
  MemberMustBeNamed: "member_required",
  BusinessMustMatchAccount: "member_business_mismatch",
  CounterpartyMustMatchMember: "member_counterparty_conflict",
  MemberMustBeActiveOnDate: "member_not_active",
  SystemAccountMustNotBePostedByHand: "system_account",
  SimpananPokokMustStayUntilExit: "simpanan_pokok_locked",
  MemberMustNotHaveExited: "member_exited",
  MemberLoanMustBeRepaid: "member_loan_outstanding",
  SettlementAccountMustBeValid: "validation_failed",
  AccountTagMustNotChange: "account_tag_locked",
  MemberExitMustNotBePending: "approval_pending",
  MemberMustHaveExited: "member_not_exited",
  ExitSettlementMustBeUnpaid: "exit_settlement_paid",
  ExitSettlementMustBeUnchanged: "exit_settlement_changed",
  AccountHistoryMustFitTag: "account_history_conflicts",
} as const;

export type RejectionTag = keyof typeof rejectionCodes;
export type RejectionCode = (typeof rejectionCodes)[RejectionTag];

export type Rejection = {
  readonly [T in RejectionTag]: {
    readonly _tag: T;
    readonly code: (typeof rejectionCodes)[T];
    readonly message: string;
    /** Where in the command the fault is, e.g. `lines[2].account`, when one field is to blame. */
    readonly path?: string;
  };
}[RejectionTag];

export const rejection = <T extends RejectionTag>(
  tag: T,
  message: string,
  path?: string,
): Extract<Rejection, { _tag: T }> =>
  (path === undefined
    ? { _tag: tag, code: rejectionCodes[tag], message }
    : { _tag: tag, code: rejectionCodes[tag], message, path }) as Extract<Rejection, { _tag: T }>;
