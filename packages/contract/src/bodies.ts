/**
 * The request bodies of docs/api.md as strict io-ts codecs. The API decodes every body with them, and the
 * CLI's import decodes each line of a file with `PostJournalEntryBody`, so the two never disagree.
 */
import {
  ENTRY_LINES_MAX,
  ENTRY_LINES_MIN,
  LOSS_COVERAGE_DECISION,
  NAME_LENGTH_MAX,
  OVERHEAD_BASES,
  shuAllocationKeys,
  UNITS,
  type Unit,
} from "@bukubesar/ledger-core";
import * as E from "fp-ts/lib/Either.js";
import * as t from "io-ts";
import {
  BooleanCodec,
  boundedArray,
  boundedRecord,
  literals,
  nullable,
  refinedString,
  strictObject,
  text,
} from "./combinators.js";
import { failWith as fail } from "./decodeFailure.js";
import { jsonSchemaOf, withJsonSchema } from "./jsonSchema.js";
import { TEXT_LENGTH_MAX } from "./limits.js";
import {
  AccountCode,
  AccountTypeCodec,
  Amount,
  BusinessWithCodec,
  Clock,
  CoopId,
  CounterpartyCodec,
  EntryKindCodec,
  Instant,
  LocalDate,
  MemberId,
  MemberRoleCodec,
  Memo,
  Name,
  NormalBalanceCodec,
  Percentage,
  PrincipalName,
  Reason,
  RegionCode,
  RoleCodec,
  TimeZoneCodec,
  UnitCodec,
} from "./primitives.js";

export const CreateCooperativeBody = strictObject(
  "CreateCooperative",
  { id: CoopId, name: Name, regionCode: RegionCode },
  { chart: literals("Chart", ["kkmp", "empty"] as const) },
);

export const BusinessHours = strictObject("BusinessHours", { start: Clock, end: Clock });

/** Nomor badan hukum: printed in statement headings, so bounded like the names printed beside it. */
export const LegalEntityNumber = text("LegalEntityNumber", 1, NAME_LENGTH_MAX);

/** An allocation key of the SHU (`cadangan`, `jasaUsaha`, … ; the decider names the unknown ones). */
const ALLOCATION_KEY_PATTERN = /^[A-Za-z][A-Za-z0-9]{0,39}$/;
/** More keys than any allocation has; a bound on what the decoder reads. */
const ALLOCATION_KEYS_MAX = 20;
export const Allocation = boundedRecord(
  "Allocation",
  Percentage,
  ALLOCATION_KEY_PATTERN,
  ALLOCATION_KEYS_MAX,
);

/** A unit's weight in jasa usaha: a decimal string from 0 to 1000 with up to four fraction digits. */
export const UnitWeight = withJsonSchema(
  new t.Type<string, string, unknown>(
    "UnitWeight",
    (u): u is string => typeof u === "string",
    (u, c) =>
      typeof u === "string" && /^\d{1,4}(\.\d{1,4})?$/.test(u)
        ? t.success(u)
        : fail(u, c, "validation_failed", 'must be a decimal string like "1" or "0.5"'),
    (a) => a,
  ),
  { type: "string", pattern: "^\\d{1,4}(\\.\\d{1,4})?$", description: "A unit's weight in jasa usaha." },
);

/** The AD/ART rules on SHU (docs/accounting.md section 5); any part may be given. */
export const ShuRulesPatchBody = strictObject(
  "ShuRulesPatch",
  {},
  {
    allocation: Allocation,
    meetingDecides: boundedArray(
      "MeetingDecides",
      literals("MeetingDecision", [...shuAllocationKeys, LOSS_COVERAGE_DECISION]),
      0,
      ALLOCATION_KEYS_MAX,
    ),
    jasaModalBasis: literals("JasaModalBasis", ["yearEnd", "averageDaily"] as const),
    unitWeights: strictObject(
      "UnitWeights",
      {},
      Object.fromEntries(UNITS.map((unit) => [unit, UnitWeight])) as Record<Unit, typeof UnitWeight>,
    ),
    lossCoverageOrder: literals("LossCoverageOrder", ["nextShuFirst", "reserveFirst"] as const),
  },
);

export const SettingsPatchBody = strictObject(
  "SettingsPatch",
  {},
  {
    approvalThreshold: nullable(Amount),
    largeCashThreshold: Amount,
    businessHours: BusinessHours,
    timeZone: TimeZoneCodec,
    legalEntityNumber: nullable(LegalEntityNumber),
    shuRules: ShuRulesPatchBody,
    overheadBasis: literals("OverheadBasis", OVERHEAD_BASES),
  },
);

export const OpenAccountBody = strictObject(
  "OpenAccount",
  { code: AccountCode, name: Name, type: AccountTypeCodec },
  {
    normalBalance: NormalBalanceCodec,
    parent: AccountCode,
    postable: BooleanCodec,
    noOverdraft: BooleanCodec,
    memberControl: BooleanCodec,
    businessWith: nullable(BusinessWithCodec),
    systemAccount: BooleanCodec,
  },
);

export const RegisterMemberBody = strictObject(
  "RegisterMember",
  { memberId: MemberId, name: Name, joinedOn: LocalDate },
  { role: MemberRoleCodec },
);

const LineFields = strictObject(
  "EntryLine",
  { account: AccountCode },
  {
    debit: Amount,
    credit: Amount,
    memberId: MemberId,
    unit: UnitCodec,
    counterparty: CounterpartyCodec,
    memo: Memo,
  },
);
export type LineInput = t.TypeOf<typeof LineFields>;

/** A line has exactly one side. */
export const EntryLineInput = withJsonSchema(
  new t.Type<LineInput, unknown, unknown>(
    "EntryLine",
    LineFields.is,
    (u, c) => {
      const raw = u as Record<string, unknown> | null;
      if (
        typeof raw === "object" &&
        raw !== null &&
        Object.hasOwn(raw, "debit") &&
        Object.hasOwn(raw, "credit")
      ) {
        return fail(u, c, "debit_and_credit_on_one_line", "a line is either a debit or a credit");
      }
      const decoded = LineFields.validate(u, c);
      if (E.isRight(decoded) && decoded.right.debit === undefined && decoded.right.credit === undefined) {
        return fail(u, c, "validation_failed", "a line needs a debit or a credit");
      }
      return decoded;
    },
    (a) => a,
  ),
  {
    ...jsonSchemaOf(LineFields),
    description: "Exactly one of debit or credit; counterparty defaults to member when memberId is set.",
    oneOf: [{ required: ["debit"] }, { required: ["credit"] }],
  },
);

export const PostJournalEntryBody = strictObject(
  "PostJournalEntry",
  {
    date: LocalDate,
    lines: boundedArray(
      "Lines",
      EntryLineInput,
      ENTRY_LINES_MIN,
      ENTRY_LINES_MAX,
      "too_few_lines",
      "too_many_lines",
    ),
  },
  { memo: Memo, kind: EntryKindCodec },
);

export const ReverseExitBody = strictObject("ReverseMemberExit", { date: LocalDate, reason: Reason });

export const ExitMemberBody = strictObject(
  "ExitMember",
  { date: LocalDate, reason: Reason },
  { settlementAccount: AccountCode },
);

/** Control tags to set on an existing account (docs/accounting.md, section 1); at least one. */
export const TagAccountBody = strictObject(
  "TagAccount",
  {},
  { memberControl: BooleanCodec, businessWith: nullable(BusinessWithCodec), systemAccount: BooleanCodec },
);

export const EmptyBody = strictObject("Empty", {});
export const ReasonBody = strictObject("Reason", { reason: Reason });
export const ReverseBody = strictObject("Reverse", { date: LocalDate }, { reason: Reason });
/** How a loss year is covered: parts absent are zero; together they must be exactly the loss. */
export const LossCoverageBody = strictObject(
  "LossCoverage",
  {},
  { fromReserve: Amount, carriedForward: Amount },
);
export const RatDecisionBody = strictObject(
  "RatDecision",
  { decidedOn: LocalDate },
  {
    allocation: Allocation,
    lossCoverage: LossCoverageBody,
    unattributedJasaUsaha: literals("UnattributedJasaUsaha", ["attributedMembers", "reserve"] as const),
  },
);
export const AcknowledgeBody = strictObject("Acknowledge", {}, { note: text("Note", 0, TEXT_LENGTH_MAX) });

/** POST /v1/tokens: a principal, optionally with the instant its token stops working. */
export const IssueTokenBody = strictObject(
  "IssueToken",
  {
    role: RoleCodec,
    scope: new t.Type<string, string, unknown>(
      "Scope",
      (u): u is string => typeof u === "string",
      (u, c) =>
        typeof u === "string" && u.length <= 64 && u.length > 0
          ? t.success(u)
          : fail(u, c, "validation_failed", "must be a scope"),
      (a) => a,
    ),
    name: PrincipalName,
  },
  { expiresAt: Instant },
);

/** POST /v1/sessions: the bearer token a browser exchanges for a session cookie. */
export const StartSessionBody = strictObject("StartSession", {
  token: refinedString("Token", /^[\x21-\x7e]{1,512}$/, "must be a bearer token"),
});
