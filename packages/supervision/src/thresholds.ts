import { defaultSettings, type Settings } from "@bukubesar/ledger-core";

/**
 * Documented defaults of every rule. Thresholds that a cooperative can set (large cash, approval, business
 * hours, time zone) come from its settings; the rest are the [CONVENTION] starting values of docs/domain.md section 7,
 * meant to be tuned, and can be overridden per supervisor through `Thresholds`.
 */

/**
 * Settings assumed for a cooperative whose LedgerOpened was not seen (should not happen on a full log):
 * the ledger's own defaults, in WIB (the zone of an unknown province).
 */
export const DEFAULT_SETTINGS: Settings = defaultSettings("");

/** PPATK's cash transaction report (LTKT) threshold: Rp500 million of cash per party per day, UU 8/2010 Pasal 23. */
export const PPATK_CASH_DAILY_THRESHOLD = "500000000";

/** Accounts whose code starts with one of these are cash (Kas Besar, Kas Kecil, Kas Gerai in the kkmp chart). */
export const CASH_ACCOUNT_PREFIXES: readonly string[] = ["110"];
/** Bank accounts count with cash for the cash ratio (Kas dan Setara Kas). */
export const BANK_ACCOUNT_PREFIXES: readonly string[] = ["111", "112"];
/** Current liabilities for the cash ratio: member savings, payables, taxes, SHU funds, accruals (2100–2599). */
export const CURRENT_LIABILITY_PREFIXES: readonly string[] = ["21", "22", "23", "24", "25"];
/** Loans given (Pinjaman yang Diberikan, 1201 members, 1202 other cooperatives). */
export const LOAN_ACCOUNT_PREFIXES: readonly string[] = ["120"];

/** How many days after the recording day an accounting date may lie before the future-dated rule fires. */
export const FUTURE_DATED_DAYS_DEFAULT = 1;

export interface Thresholds {
  /** Structuring: a movement is "just under" a threshold when it is at least this fraction of it. */
  readonly structuringBandFraction: string;
  /** Structuring: this many near-threshold cash movements by one member or on one account... */
  readonly structuringMinimumCount: number;
  /** ...within this many days of accounting date. */
  readonly structuringWindowDays: number;
  /** Back-dated: an accounting date more than this many days before the local recording date. */
  readonly backdatedDays: number;
  /** Future-dated: an accounting date more than this many days after the local recording date. */
  readonly futureDatedDays: number;
  /** Duplicate: identical lines posted again within this many minutes. */
  readonly duplicateWindowMinutes: number;
  /** Reversal spike: this many reversals by one principal... */
  readonly reversalSpikeCount: number;
  /** ...within this many hours. */
  readonly reversalSpikeWindowHours: number;
  /** Approval-threshold avoidance: an entry total at least this fraction of the approval threshold (and not above it)... */
  readonly approvalAvoidanceBandFraction: string;
  /** ...this many times by one principal... */
  readonly approvalAvoidanceMinimumCount: number;
  /** ...within this many days. */
  readonly approvalAvoidanceWindowDays: number;
  /** A cash balance below this floor (rupiah) raises a warning; below zero is always high. Null: zero only. */
  readonly cashFloor: string | null;
  /** Cash ratio (cash and bank over current liabilities) below this fraction is a liquidity warning (HLT-03). */
  readonly cashRatioMinimum: string;
  /** The cash ratio is only judged once current liabilities reach this amount (a new cooperative has none). */
  readonly cashRatioMinimumLiabilities: string;
  /** Related-party lending limit: a pengurus/pengawas's outstanding loans above this fraction of own capital (REG-07). */
  readonly relatedPartyLoanFraction: string;
  /** Loan concentration: one borrower above this fraction of the loan book (HLT-07)... */
  readonly loanConcentrationFraction: string;
  /** ...judged only once the book has at least this many borrowers. */
  readonly loanConcentrationMinimumBorrowers: number;
  /** Round numbers: an entry total that is a whole multiple of this many rupiah... */
  readonly roundNumberUnit: string;
  /** ...in at least this fraction of a window of entries... */
  readonly roundNumberFraction: string;
  /** ...of this many entries (tumbling windows). */
  readonly roundNumberWindow: number;
  /** Benford: first digits of this many line amounts per (tumbling) window... */
  readonly benfordWindow: number;
  /** ...deviating by more than this mean absolute deviation (Nigrini's nonconformity bound for first digits). */
  readonly benfordMaximumDeviation: string;
  /** Dormant: no posting for this many days, judged at each clock tick. */
  readonly dormantDays: number;
}

export const DEFAULT_THRESHOLDS: Thresholds = {
  structuringBandFraction: "0.8",
  structuringMinimumCount: 3,
  structuringWindowDays: 3,
  backdatedDays: 7,
  // One day of grace: an entry dated "tomorrow" is usually a clerk working across midnight or a client on
  // another zone's calendar; two days ahead or more is not explained by clocks.
  futureDatedDays: FUTURE_DATED_DAYS_DEFAULT,
  duplicateWindowMinutes: 10,
  reversalSpikeCount: 5,
  reversalSpikeWindowHours: 24,
  approvalAvoidanceBandFraction: "0.9",
  approvalAvoidanceMinimumCount: 3,
  approvalAvoidanceWindowDays: 7,
  cashFloor: null,
  cashRatioMinimum: "0.10",
  cashRatioMinimumLiabilities: "10000000",
  relatedPartyLoanFraction: "0.10",
  loanConcentrationFraction: "0.10",
  loanConcentrationMinimumBorrowers: 10,
  roundNumberUnit: "1000000",
  roundNumberFraction: "0.6",
  roundNumberWindow: 50,
  benfordWindow: 300,
  benfordMaximumDeviation: "0.015",
  dormantDays: 30,
};
