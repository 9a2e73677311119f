/**
 * The ledger's events: past-tense facts recorded in the stream `ledger-<coopId>`.
 *
 * Every amount is a wire string with exactly two fraction digits ("50000.00"), never a JS number,
 * so events can be hashed, stored and compared byte for byte. Optional facts are `null`, never
 * missing, so the canonical JSON of an event (and therefore its hash) has one form only.
 * Never rename an event type or change a field's meaning: add a `…V2` type and an upcaster.
 */
import type {
  ACCOUNT_TYPES,
  BUSINESS_WITH,
  COUNTERPARTIES,
  MEMBER_ROLES,
  NORMAL_BALANCES,
  OVERHEAD_BASES,
  REQUESTED_ENTRY_KINDS,
  ROLES,
  TIME_ZONES,
} from "./vocabulary.js";

export type AccountType = (typeof ACCOUNT_TYPES)[number];
export type NormalBalance = (typeof NORMAL_BALANCES)[number];
export type MemberRole = (typeof MEMBER_ROLES)[number];
/** The business units (*unit usaha*) a line may name: the one list the API, the reports and the rules use. */
export const UNITS = [
  "kantor",
  "sembako",
  "simpan_pinjam",
  "klinik",
  "apotek",
  "gudang",
  "logistik",
  "lainnya",
] as const;
export type Unit = (typeof UNITS)[number];
export type Counterparty = (typeof COUNTERPARTIES)[number];
export type Side = "debit" | "credit";
/**
 * Whose business an account holds when the chart restricts it: 41xx/51xx are business with members only,
 * 42xx/52xx with non-members only (docs/accounting.md, section 2).
 */
export type BusinessWith = (typeof BUSINESS_WITH)[number];
export type TimeZone = (typeof TIME_ZONES)[number];
export type Role = (typeof ROLES)[number];

/** A calendar date `YYYY-MM-DD` on the cooperative's own calendar. */
export type LocalDate = string;
/** A month `YYYY-MM`. */
export type PeriodId = string;
/** An amount on the wire: digits, a period and exactly two fraction digits, e.g. "50000.00". */
export type WireAmount = string;

export interface Settings {
  /** Entries whose total debit is above this wait for an approver; null means every entry posts at once. */
  readonly approvalThreshold: WireAmount | null;
  readonly largeCashThreshold: WireAmount;
  readonly businessHours: { readonly start: string; readonly end: string };
  readonly timeZone: TimeZone;
  /**
   * Nomor badan hukum (the registration of the cooperative as a legal entity), printed in the heading of
   * every statement. Absent until set; settings recorded before it existed have none.
   */
  readonly legalEntityNumber?: string;
  /**
   * The AD/ART rules on SHU (docs/accounting.md section 5). Absent until set: the ledger then uses
   * ledger-core's `shuRulesDefault`, under which the members' meeting decides every percentage.
   */
  readonly shuRules?: ShuRules;
  /**
   * How the office's shared costs are spread over the business units in the unit results report
   * (docs/accounting.md, section 7): by revenue share (the default, when absent), by expense share, or
   * equally.
   */
  readonly overheadBasis?: OverheadBasis;
}

/** How a member's capital for *jasa modal* is measured: year-end balance or time-weighted daily average. */
export type JasaModalBasis = "yearEnd" | "averageDaily";

/**
 * How a loss year's loss is covered when the meeting does not decide otherwise: `nextShuFirst` carries it
 * forward whole, to be covered first by later years' SHU; `reserveFirst` covers from the reserve what it
 * holds and carries the rest forward. In both, a later year's SHU covers what is still uncovered first.
 */
export type LossCoverageOrder = "nextShuFirst" | "reserveFirst";

export interface ShuRules {
  /** The AD/ART's percentages by allocation key (summing to 100, the reserve above zero). */
  readonly allocation: Readonly<Record<string, string>>;
  /** The allocation keys the meeting may set differently, and `lossCoverage` when it may cover a loss its own way. */
  readonly meetingDecides: readonly string[];
  readonly jasaModalBasis: JasaModalBasis;
  /** Weights of the units in *jasa usaha* as decimal strings; a unit not named weighs "1". */
  readonly unitWeights: Readonly<Partial<Record<Unit, string>>>;
  readonly lossCoverageOrder: LossCoverageOrder;
}

/**
 * What the RAT decides about *jasa usaha* earned on member revenue recorded without a member: shared among the
 * members whose participation is recorded (`attributedMembers`), or that part to the reserve (`reserve`).
 */
export type UnattributedJasaUsaha = "attributedMembers" | "reserve";

export type OverheadBasis = (typeof OVERHEAD_BASES)[number];

export interface EntryLine {
  readonly account: string;
  readonly side: Side;
  readonly amount: WireAmount;
  readonly memberId: string | null;
  readonly unit: Unit | null;
  readonly counterparty: Counterparty | null;
  readonly memo: string | null;
}

/**
 * What kind of entry a posting is; closing and appropriation entries are made by the ledger itself.
 * `adjusting` is a correction that may touch the system accounts and always needs an approver;
 * `member_exit` settles a leaving member's savings and SHU owed (docs/accounting.md, section 2).
 */
export type EntryKind = "regular" | "reversal" | "closing" | "appropriation" | "adjusting" | "member_exit";

/** The entry kinds a person may ask for when posting: a regular entry or an adjusting one. */
export type RequestedEntryKind = (typeof REQUESTED_ENTRY_KINDS)[number];

export interface LedgerOpened {
  readonly type: "LedgerOpened";
  readonly data: {
    readonly coopId: string;
    readonly name: string;
    readonly regionCode: string;
    readonly settings: Settings;
  };
}

export interface SettingsChanged {
  readonly type: "SettingsChanged";
  readonly data: { readonly settings: Settings };
}

export interface AccountOpened {
  readonly type: "AccountOpened";
  readonly data: {
    readonly code: string;
    readonly name: string;
    readonly accountType: AccountType;
    readonly normalBalance: NormalBalance;
    readonly parent: string | null;
    readonly postable: boolean;
    readonly noOverdraft: boolean;
    /**
     * A member control account: every line names a member and the members' balances sum to it. The three
     * tags below are left out when not set, so accounts opened before they existed keep their shape.
     */
    readonly memberControl?: boolean;
    /** Member-only or non-member-only business; a line with the opposite tag is refused. */
    readonly businessWith?: BusinessWith;
    /** Moved only by the close, the RAT decision and adjusting entries (3500, 3600, 3610, 3700). */
    readonly systemAccount?: boolean;
  };
}

/**
 * Control tags set on an account opened without them (docs/accounting.md, section 1): a ledger created
 * before the tags existed gets them as a fact of its own, dated by its recording, so the history before it
 * stays as it was recorded. Only the tags this event sets are present; a tag once set is never removed.
 */
export interface AccountTagged {
  readonly type: "AccountTagged";
  readonly data: {
    readonly code: string;
    readonly memberControl?: true;
    readonly businessWith?: BusinessWith;
    readonly systemAccount?: true;
  };
}

export interface AccountClosed {
  readonly type: "AccountClosed";
  readonly data: { readonly code: string };
}

export interface MemberRegistered {
  readonly type: "MemberRegistered";
  readonly data: {
    readonly memberId: string;
    readonly name: string;
    readonly joinedOn: LocalDate;
    readonly role: MemberRole;
  };
}

/**
 * A member left the cooperative on `exitedOn`: the entry `entryId` (kind `member_exit`, null when the
 * member held nothing) returned their simpanan pokok and paid out or set aside wajib, sukarela and SHU owed.
 * Nothing is posted for them dated after it except the settlement of what the exit left owed to them.
 */
export interface MemberExited {
  readonly type: "MemberExited";
  readonly data: {
    readonly memberId: string;
    readonly exitedOn: LocalDate;
    readonly reason: string;
    readonly entryId: string | null;
    /** The account left owing them the settlement (e.g. 2103); null when it was paid out in cash. */
    readonly owedOn: string | null;
  };
}

/**
 * A member's exit whose settlement is above the approval threshold waits for an approver: its entry
 * `entryId` is proposed beside this event, and approving that entry records the `MemberExited`. Until then
 * nothing else is posted for the member (the approver approves the balances the request settles).
 */
export interface MemberExitRequested {
  readonly type: "MemberExitRequested";
  readonly data: {
    readonly memberId: string;
    readonly exitedOn: LocalDate;
    readonly reason: string;
    readonly entryId: string;
    readonly owedOn: string | null;
  };
}

/**
 * A recorded exit was a mistake: the member is a member again, and `entryId` (null when the exit posted
 * nothing) is the reversal that put their savings and SHU owed back on their accounts.
 */
export interface MemberExitReversed {
  readonly type: "MemberExitReversed";
  readonly data: { readonly memberId: string; readonly reason: string; readonly entryId: string | null };
}

export interface JournalEntryProposed {
  readonly type: "JournalEntryProposed";
  readonly data: {
    readonly entryId: string;
    readonly date: LocalDate;
    readonly memo: string;
    readonly lines: readonly EntryLine[];
    readonly proposedBy: string;
    /**
     * `adjusting` for an adjusting entry, `member_exit` for an exit settlement above the approval threshold;
     * left out for a regular one (and on events recorded before).
     */
    readonly kind?: "adjusting" | "member_exit";
  };
}

export interface JournalEntryApproved {
  readonly type: "JournalEntryApproved";
  readonly data: { readonly entryId: string; readonly approvedBy: string };
}

export interface JournalEntryRejected {
  readonly type: "JournalEntryRejected";
  readonly data: { readonly entryId: string; readonly rejectedBy: string; readonly reason: string };
}

/** The only event that moves balances. */
export interface JournalEntryPosted {
  readonly type: "JournalEntryPosted";
  readonly data: {
    readonly entryId: string;
    readonly kind: EntryKind;
    readonly date: LocalDate;
    readonly memo: string;
    readonly lines: readonly EntryLine[];
    readonly postedBy: string;
    /** The principal who proposed it when it went through maker-checker, else null. */
    readonly proposedBy: string | null;
    /** For a reversal, the entry it mirrors. */
    readonly reverses: string | null;
  };
}

export interface JournalEntryReversed {
  readonly type: "JournalEntryReversed";
  readonly data: { readonly entryId: string; readonly reversedBy: string; readonly reason: string };
}

export interface PeriodClosed {
  readonly type: "PeriodClosed";
  readonly data: { readonly period: PeriodId };
}

export interface PeriodReopened {
  readonly type: "PeriodReopened";
  readonly data: { readonly period: PeriodId; readonly reason: string };
}

export interface FiscalYearClosed {
  readonly type: "FiscalYearClosed";
  /**
   * `shu` is the year's result (negative for a loss), `entryId` the closing entry, `resultAccount` where the
   * closing entry left the result: 3600 SHU Belum Dibagi for a profit, 3610 Rugi Belum Tertutup for a loss,
   * null when there was no result. Events recorded before results were moved out of 3700 have no
   * `resultAccount`; their result stayed in 3700 (`LEGACY_RESULT_ACCOUNT`).
   */
  readonly data: {
    readonly year: number;
    readonly entryId: string | null;
    readonly shu: string;
    readonly resultAccount?: string | null;
  };
}

/**
 * How a RAT covers a loss year (amounts with two fraction digits, together exactly the loss): `fromReserve`
 * is charged to 3500 Cadangan now, `carriedForward` stays in 3610 Rugi Belum Tertutup, to be covered by
 * later years' SHU before anything of it is divided (docs/accounting.md).
 */
export interface LossCoverage {
  readonly fromReserve: WireAmount;
  readonly carriedForward: WireAmount;
}

/** The treasurer asked to close a year; nothing is posted until an approver approves it. */
export interface FiscalYearCloseRequested {
  readonly type: "FiscalYearCloseRequested";
  readonly data: {
    readonly year: number;
    /** The id the closing entry will get. */
    readonly entryId: string;
    /** The year's result the close will move (negative for a loss); the year takes no postings meanwhile. */
    readonly shu: string;
    readonly requestedBy: string;
  };
}

/**
 * An admin reopened a closed, undecided year with a reason; `entryId` is the entry that undid the closing
 * entry (null when the close posted none). Supervisors are alerted.
 */
export interface FiscalYearReopened {
  readonly type: "FiscalYearReopened";
  readonly data: { readonly year: number; readonly reason: string; readonly entryId: string | null };
}

/** The treasurer recorded the RAT's decision; the appropriation is posted when an approver approves it. */
export interface RatDecisionProposed {
  readonly type: "RatDecisionProposed";
  readonly data: {
    readonly year: number;
    readonly decidedOn: LocalDate;
    readonly allocation: Readonly<Record<string, string>>;
    /** For a loss year, how it is covered; null for a year with SHU. */
    readonly lossCoverage: LossCoverage | null;
    /** The id the appropriation entry will get. */
    readonly entryId: string;
    readonly proposedBy: string;
    /** How jasa usaha on unattributed member revenue is spread; null when the meeting said nothing. Absent on older events. */
    readonly unattributedJasaUsaha?: UnattributedJasaUsaha | null;
  };
}

/** An approver turned down a requested close (`step` "close") or RAT decision ("ratDecision"). */
export interface YearEndStepRejected {
  readonly type: "YearEndStepRejected";
  readonly data: {
    readonly year: number;
    readonly step: "close" | "ratDecision";
    readonly rejectedBy: string;
    readonly reason: string;
  };
}

export interface RatDecisionRecorded {
  readonly type: "RatDecisionRecorded";
  readonly data: {
    readonly year: number;
    readonly decidedOn: LocalDate;
    /** Percentages by allocation key, as decimal strings summing to 100 (empty for a loss year). */
    readonly allocation: Readonly<Record<string, string>>;
    /**
     * The entry posted for the decision; null only when nothing is posted (a loss carried forward whole).
     */
    readonly entryId: string | null;
    /** For a loss year, how it is covered. Absent on events recorded before loss years could be decided. */
    readonly lossCoverage?: LossCoverage | null;
    /**
     * The part of this year's SHU that covered earlier years' uncovered loss before the rest was divided
     * ("0.00" when there was none). Absent on events recorded before that rule.
     */
    readonly priorLossCovered?: WireAmount;
    /** As in RatDecisionProposed. Absent on events recorded before the SHU base was checked. */
    readonly unattributedJasaUsaha?: UnattributedJasaUsaha | null;
    /**
     * Every entry of an appropriation posted in parts (more lines than one entry holds), `entryId` first;
     * absent when it is one entry.
     */
    readonly entryIds?: readonly string[];
  };
}

export type LedgerEvent =
  | LedgerOpened
  | SettingsChanged
  | AccountOpened
  | AccountTagged
  | AccountClosed
  | MemberRegistered
  | MemberExited
  | MemberExitRequested
  | MemberExitReversed
  | JournalEntryProposed
  | JournalEntryApproved
  | JournalEntryRejected
  | JournalEntryPosted
  | JournalEntryReversed
  | PeriodClosed
  | PeriodReopened
  | FiscalYearCloseRequested
  | FiscalYearClosed
  | FiscalYearReopened
  | RatDecisionProposed
  | YearEndStepRejected
  | RatDecisionRecorded;

export type LedgerEventType = LedgerEvent["type"];

/**
 * Who recorded an event, when and why. The handler fills it in; `prevHash` and `hash` form the
 * chain defined in api.md (History and verification).
 */
export interface EventMetadata {
  readonly eventId: string;
  readonly principalId: string;
  readonly role: Role | "system";
  readonly recordedAt: string;
  readonly idempotencyKey: string | null;
  /** SHA-256 of the canonical request body that carried the idempotency key, to tell a replay from a reuse. */
  readonly requestHash: string | null;
  readonly correlationId: string | null;
  readonly prevHash: string;
  readonly hash: string;
}

/** An event as stored in a ledger stream, with its revision (0 for `LedgerOpened`). */
export type RecordedLedgerEvent = LedgerEvent & {
  readonly revision: number;
  readonly metadata: EventMetadata;
};
