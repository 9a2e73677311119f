/**
 * Commands: what someone asks the ledger to do, in the imperative. The edge has already parsed them
 * (amounts are wire strings with at most two fraction digits, ids and the acting principal come in
 * on the command), so the decider only checks business rules.
 */
import type { ChartAccount } from "./chart.js";
import type {
  AccountType,
  BusinessWith,
  EntryLine,
  LocalDate,
  LossCoverage,
  MemberRole,
  NormalBalance,
  PeriodId,
  RequestedEntryKind,
  Role,
  Settings,
  ShuRules,
  UnattributedJasaUsaha,
} from "./events.js";

/** Who asks: the authenticated principal and its role. */
export interface Actor {
  readonly principalId: string;
  readonly role: Role | "system";
}

interface Command<Type extends string, Data> {
  readonly type: Type;
  readonly data: Data;
  readonly actor: Actor;
}

/**
 * A partial settings change; fields left out keep their value. A null legal entity number removes the
 * number recorded before.
 */
export type SettingsPatch = Partial<Omit<Settings, "legalEntityNumber" | "shuRules">> & {
  readonly legalEntityNumber?: string | null;
  /** Any part of the AD/ART rules on SHU; the parts not given stay as they were (or as the defaults). */
  readonly shuRules?: Partial<ShuRules>;
};

export type OpenLedger = Command<
  "OpenLedger",
  {
    readonly coopId: string;
    readonly name: string;
    readonly regionCode: string;
    readonly settings?: SettingsPatch;
    /**
     * Accounts to open together with the ledger (e.g. `chartTemplates.kkmp`), so a new cooperative
     * and its chart are one atomic append. Parents must come before their children.
     */
    readonly accounts?: readonly ChartAccount[];
  }
>;

export type ChangeSettings = Command<"ChangeSettings", { readonly settings: SettingsPatch }>;

export type OpenAccount = Command<
  "OpenAccount",
  {
    readonly code: string;
    readonly name: string;
    readonly accountType: AccountType;
    /** Defaults from the type (debit for asset and expense); give it for contra accounts. */
    readonly normalBalance?: NormalBalance;
    readonly parent?: string | null;
    readonly postable?: boolean;
    readonly noOverdraft?: boolean;
    readonly memberControl?: boolean;
    readonly businessWith?: BusinessWith | null;
    readonly systemAccount?: boolean;
  }
>;

/**
 * Sets control tags on an existing account (admin, treasurer): the way a ledger opened before the tags
 * existed gets them. A tag given as false or null, or one differing from a tag already set, is refused.
 */
export type TagAccount = Command<
  "TagAccount",
  {
    readonly code: string;
    readonly memberControl?: boolean;
    readonly businessWith?: BusinessWith | null;
    readonly systemAccount?: boolean;
  }
>;

export type CloseAccount = Command<"CloseAccount", { readonly code: string }>;

export type RegisterMember = Command<
  "RegisterMember",
  {
    readonly memberId: string;
    readonly name: string;
    readonly joinedOn: LocalDate;
    readonly role: MemberRole;
  }
>;

export type PostJournalEntry = Command<
  "PostJournalEntry",
  {
    readonly entryId: string;
    readonly date: LocalDate;
    readonly memo: string;
    readonly lines: readonly EntryLine[];
    /**
     * `adjusting`: a correction that may post the system accounts; it always waits for an approver other
     * than the proposer, whatever its amount. Absent means `regular`.
     */
    readonly kind?: RequestedEntryKind;
  }
>;

/**
 * A member leaves on `date`: their simpanan pokok is returned and wajib, sukarela and SHU owed are paid out,
 * all from `settlementAccount` (a cash or bank account, or 2103 to owe it until paid). `entryId` is the id
 * the exit entry gets.
 */
export type ExitMember = Command<
  "ExitMember",
  {
    readonly memberId: string;
    readonly date: LocalDate;
    readonly reason: string;
    readonly settlementAccount: string;
    readonly entryId: string;
  }
>;

/**
 * A recorded exit is undone (a mistaken or withdrawn exit): the member is reinstated and the exit entry is
 * reversed on `date` by the entry `reversalEntryId`.
 */
export type ReverseMemberExit = Command<
  "ReverseMemberExit",
  {
    readonly memberId: string;
    readonly date: LocalDate;
    readonly reason: string;
    readonly reversalEntryId: string;
  }
>;

export type ApproveJournalEntry = Command<"ApproveJournalEntry", { readonly entryId: string }>;

export type RejectJournalEntry = Command<
  "RejectJournalEntry",
  { readonly entryId: string; readonly reason: string }
>;

export type ReverseJournalEntry = Command<
  "ReverseJournalEntry",
  {
    /** The entry to reverse. */
    readonly entryId: string;
    /** The id of the new, mirroring entry. */
    readonly reversalEntryId: string;
    readonly date: LocalDate;
    readonly reason: string;
  }
>;

export type ClosePeriod = Command<"ClosePeriod", { readonly period: PeriodId }>;

export type ReopenPeriod = Command<"ReopenPeriod", { readonly period: PeriodId; readonly reason: string }>;

/**
 * The treasurer asks to close a fiscal year; an approver's `ApproveYearEndStep` posts the close (four
 * eyes). `today` is the date in the cooperative's time zone when the request is made: a year is closed
 * only once it has ended there. `entryId` is the id the closing entry will get.
 */
export type CloseFiscalYear = Command<
  "CloseFiscalYear",
  { readonly year: number; readonly entryId: string; readonly today: LocalDate }
>;

/**
 * An admin reopens a closed year whose RAT has not decided yet, for audit corrections: the closing entry
 * is undone and the year takes adjusting entries until it is closed again (with four eyes, as ever).
 */
export type ReopenFiscalYear = Command<
  "ReopenFiscalYear",
  { readonly year: number; readonly reason: string; readonly entryId: string }
>;

/** The two year-end steps that need a second person: the close and the RAT decision. */
export type YearEndStep = "close" | "ratDecision";

/** An approver (not the requester) carries out a requested close or RAT decision. */
export type ApproveYearEndStep = Command<
  "ApproveYearEndStep",
  { readonly year: number; readonly step: YearEndStep }
>;

/** An approver turns down a requested close or RAT decision, with a reason; nothing is posted. */
export type RejectYearEndStep = Command<
  "RejectYearEndStep",
  { readonly year: number; readonly step: YearEndStep; readonly reason: string }
>;

/** The treasurer records the members' meeting decision; an approver's `ApproveYearEndStep` posts it. */
export type RecordRatDecision = Command<
  "RecordRatDecision",
  {
    readonly year: number;
    readonly decidedOn: LocalDate;
    /**
     * Percentages by allocation key (see `shuAllocationAccounts`), decimal strings summing to 100; for a
     * year with SHU. A loss year takes none (an empty object).
     */
    readonly allocation: Readonly<Record<string, string>>;
    /** For a loss year only: how the members' meeting covers the loss (the parts sum exactly to it). */
    readonly lossCoverage?: LossCoverage | null;
    readonly entryId: string;
    /**
     * When part of the year's member revenue names no member: how its jasa usaha is spread. Without it such
     * a decision is refused (docs/accounting.md section 5).
     */
    readonly unattributedJasaUsaha?: UnattributedJasaUsaha | null;
  }
>;

export type LedgerCommand =
  | OpenLedger
  | ChangeSettings
  | OpenAccount
  | TagAccount
  | CloseAccount
  | RegisterMember
  | ExitMember
  | ReverseMemberExit
  | PostJournalEntry
  | ApproveJournalEntry
  | RejectJournalEntry
  | ReverseJournalEntry
  | ClosePeriod
  | ReopenPeriod
  | CloseFiscalYear
  | ReopenFiscalYear
  | ApproveYearEndStep
  | RejectYearEndStep
  | RecordRatDecision;
