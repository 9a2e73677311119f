/**
 * io-ts codecs for everything that crosses the HTTP boundary. Each failure carries a stable code beside
 * its explanation (decodeFailure.ts), so a decode error turns into exactly the problem api.md documents.
 * Objects are strict: a field the route does not take is a 400 `unknown_field`, never silently dropped.
 */
import {
  ACCOUNT_CODE_PATTERN,
  ACCOUNT_TYPES,
  BUSINESS_WITH,
  CLOCK_TIME_PATTERN,
  COOP_ID_PATTERN,
  COUNTERPARTIES,
  ENTRY_LINES_MAX,
  ENTRY_LINES_MIN,
  IDEMPOTENCY_KEY_LENGTH_MAX,
  IDEMPOTENCY_KEY_PATTERN,
  isLocalDate,
  LOSS_COVERAGE_DECISION,
  MEMBER_ID_PATTERN,
  MEMBER_ROLES,
  MEMO_LENGTH_MAX,
  NAME_LENGTH_MAX,
  NORMAL_BALANCES,
  OVERHEAD_BASES,
  REASON_LENGTH_MAX,
  REGION_CODE_PATTERN,
  REGION_PREFIX_PATTERN,
  REQUESTED_ENTRY_KINDS,
  ROLES,
  shuAllocationKeys,
  TIME_ZONES,
  UNITS,
  type Unit,
} from "@bukubesar/ledger-core";
import { type MoneyParseErrorTag, moneyParseErrorCode, parseMoney, toWire } from "@bukubesar/money";
import * as E from "fp-ts/lib/Either.js";
import * as t from "io-ts";
import { codedValidationError, failWith } from "./decodeFailure.js";
import { type JsonSchema, jsonSchemaOf, withJsonSchema } from "./jsonSchema.js";
import { PAGE_SIZE_MAX, TEXT_LENGTH_MAX } from "./limits.js";
import type { ProblemCode } from "./problem.js";

export type Brand<A, B extends string> = A & { readonly __brand: B };

const fail = failWith;

/** A string refined by a pattern, branded with the codec's name. */
export const refinedString = <B extends string>(
  name: B,
  pattern: RegExp,
  message: string,
  code: ProblemCode = "validation_failed",
): t.Type<Brand<string, B>, string, unknown> =>
  withJsonSchema(
    new t.Type<Brand<string, B>, string, unknown>(
      name,
      (u): u is Brand<string, B> => typeof u === "string" && pattern.test(u),
      (u, c) =>
        typeof u !== "string"
          ? fail(u, c, "validation_failed", "must be a string")
          : pattern.test(u)
            ? t.success(u as Brand<string, B>)
            : fail(u, c, code, message),
      (a) => a,
    ),
    { type: "string", pattern: pattern.source, description: message },
  );

export const CoopId = refinedString("CoopId", COOP_ID_PATTERN, `must match ${COOP_ID_PATTERN.source}`);
export type CoopId = t.TypeOf<typeof CoopId>;
export const RegionCode = refinedString(
  "RegionCode",
  REGION_CODE_PATTERN,
  "must be a Kemendagri village code like 35.74.03.1002",
);
/** A region prefix: 1 to 4 whole dotted segments of a village code. */
export const RegionPrefix = refinedString(
  "RegionPrefix",
  REGION_PREFIX_PATTERN,
  "must be 1 to 4 whole segments of a region code, like 35.74",
);
export const AccountCode = refinedString(
  "AccountCode",
  ACCOUNT_CODE_PATTERN,
  "must be 1-32 letters, digits, '.' or '-'",
);
export type AccountCode = t.TypeOf<typeof AccountCode>;
export const MemberId = refinedString(
  "MemberId",
  MEMBER_ID_PATTERN,
  "must be 1-64 letters, digits, '.', '_' or '-'",
);
export const EntryId = refinedString(
  "EntryId",
  /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/,
  "must be 1-128 letters, digits, '.', '_', ':' or '-'",
);
export const PrincipalId = refinedString(
  "PrincipalId",
  /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/,
  "must be 1-128 letters, digits, '.', '_', ':' or '-'",
);
export const IdempotencyKey = refinedString(
  "IdempotencyKey",
  IDEMPOTENCY_KEY_PATTERN,
  `must be 1-${IDEMPOTENCY_KEY_LENGTH_MAX} printable ASCII characters, not beginning or ending with a space`,
  "invalid_header",
);
export const PeriodParam = refinedString("Period", /^\d{4}-(0[1-9]|1[0-2])$/, "must be YYYY-MM");
export const YearParam = refinedString("Year", /^\d{4}$/, "must be YYYY");
export const Clock = refinedString("Clock", CLOCK_TIME_PATTERN, "must be HH:MM");

/** Bidi overrides and isolates, and zero-width characters: refused everywhere (Trojan Source). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what this refuses.
const invisible = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/u;

/** Free text for people (names, memos, reasons): NFC-normalised, no control or bidi characters. */
export const text = (name: string, lengthMin: number, lengthMax: number) =>
  withJsonSchema(
    new t.Type<string, string, unknown>(
      name,
      (u): u is string => typeof u === "string",
      (u, c) => {
        if (typeof u !== "string") return fail(u, c, "validation_failed", "must be a string");
        const normalized = u.normalize("NFC");
        if (invisible.test(normalized))
          return fail(u, c, "validation_failed", "contains control or bidi characters");
        if (normalized.length < lengthMin || normalized.length > lengthMax) {
          return fail(u, c, "validation_failed", `must be ${lengthMin}-${lengthMax} characters`);
        }
        // Text that must be given must say something: the decider refuses a name or reason of spaces.
        if (lengthMin > 0 && normalized.trim().length === 0)
          return fail(u, c, "validation_failed", "must not be blank");
        return t.success(normalized);
      },
      (a) => a,
    ),
    {
      type: "string",
      minLength: lengthMin,
      maxLength: lengthMax,
      description: "Unicode text (NFC); control, bidi and zero-width characters are refused.",
    },
  );

/** Names of cooperatives, accounts and members: the decider's limit, which printed reports need. */
export const Name = text("Name", 1, NAME_LENGTH_MAX);
/** The name of a principal (a token's holder): never printed in a report, so bounded only for the store. */
export const PrincipalName = text("PrincipalName", 1, TEXT_LENGTH_MAX);
export const Memo = text("Memo", 0, MEMO_LENGTH_MAX);
export const Reason = text("Reason", 1, REASON_LENGTH_MAX);

/** The shape of a wire amount, for the OpenAPI document; `parseMoney` is what decides. */
const amountPattern = /^(0|[1-9]\d{0,14})(\.\d{1,2})?$/;

const AMOUNT_SHAPE = "must be a positive decimal with at most 15 digits and 2 fraction digits";

/** What each of `parseMoney`'s refusals tells the client, in the words of the other field errors. */
const amountRefusals: Readonly<Record<MoneyParseErrorTag, string>> = {
  AmountMustBeString: "amounts are decimal strings, not numbers",
  AmountEmpty: "must not be empty",
  AmountHasSign: "must not have a sign; debit or credit gives the direction",
  AmountHasExponent: "must not use exponent notation",
  AmountHasWhitespace: "must not contain spaces",
  AmountNotANumber: "must be a finite number",
  AmountNonAsciiDigits: "must use the ASCII digits 0-9 only",
  AmountTooManyFractionDigits: AMOUNT_SHAPE,
  AmountTooManyIntegerDigits: AMOUNT_SHAPE,
  AmountMalformed: AMOUNT_SHAPE,
};

/**
 * A positive rupiah amount written as a decimal string, read by @bukubesar/money's `parseMoney` (the one
 * parser of untrusted amounts, whose refusals each say what is wrong); normalised to two fraction digits.
 */
export const Amount = withJsonSchema(
  new t.Type<string, string, unknown>(
    "Amount",
    (u): u is string => typeof u === "string",
    (u, c) => {
      if (typeof u !== "string" && typeof u !== "number")
        return fail(u, c, "invalid_amount", 'must be a decimal string like "50000.00"');
      const parsed = parseMoney(u);
      if (E.isLeft(parsed))
        return fail(u, c, moneyParseErrorCode(parsed.left), amountRefusals[parsed.left._tag]);
      const wire = toWire(parsed.right);
      if (wire === "0.00") return fail(u, c, "invalid_amount", "must be more than zero");
      return t.success(wire);
    },
    (a) => a,
  ),
  {
    type: "string",
    pattern: amountPattern.source,
    description:
      'Rupiah as a decimal string, more than zero, like "50000" or "50000.50"; JSON numbers are refused.',
    examples: ["50000", "1250000.50"],
  },
);

/** A percentage like "30" or "2.5" (0 to 100, two fraction digits at most). */
export const Percentage = withJsonSchema(
  new t.Type<string, string, unknown>(
    "Percentage",
    (u): u is string => typeof u === "string",
    (u, c) =>
      typeof u === "number"
        ? fail(u, c, "amount_must_be_string", "percentages are decimal strings, not numbers")
        : typeof u === "string" && /^(100|[1-9]?\d)(\.\d{1,2})?$/.test(u)
          ? t.success(u)
          : fail(u, c, "validation_failed", "must be a decimal string from 0 to 100"),
    (a) => a,
  ),
  {
    type: "string",
    pattern: "^(100|[1-9]?\\d)(\\.\\d{1,2})?$",
    description: "A percentage from 0 to 100 as a decimal string.",
  },
);

/** A real calendar date `YYYY-MM-DD`. */
export const LocalDate = withJsonSchema(
  new t.Type<string, string, unknown>(
    "LocalDate",
    (u): u is string => isLocalDate(u),
    (u, c) =>
      isLocalDate(u) ? t.success(u) : fail(u, c, "invalid_date", "must be a real calendar date YYYY-MM-DD"),
    (a) => a,
  ),
  {
    type: "string",
    format: "date",
    description: "A calendar date YYYY-MM-DD on the cooperative's calendar.",
  },
);

export const literals = <L extends string>(name: string, values: readonly L[]) =>
  withJsonSchema(
    new t.Type<L, L, unknown>(
      name,
      (u): u is L => typeof u === "string" && (values as readonly string[]).includes(u),
      (u, c) =>
        typeof u === "string" && (values as readonly string[]).includes(u)
          ? t.success(u as L)
          : fail(u, c, "validation_failed", `must be one of ${values.join(", ")}`),
      (a) => a,
    ),
    { type: "string", enum: [...values] },
  );

export const AccountTypeCodec = literals("AccountType", ACCOUNT_TYPES);
export const NormalBalanceCodec = literals("NormalBalance", NORMAL_BALANCES);
export const MemberRoleCodec = literals("MemberRole", MEMBER_ROLES);
export const UnitCodec = literals("Unit", UNITS);
export const BusinessWithCodec = literals("BusinessWith", BUSINESS_WITH);
export const EntryKindCodec = literals("EntryKind", REQUESTED_ENTRY_KINDS);
export const CounterpartyCodec = literals("Counterparty", COUNTERPARTIES);
export const RoleCodec = literals("Role", ROLES);
export const TimeZoneCodec = literals("TimeZone", TIME_ZONES);
export const SeverityCodec = literals("Severity", ["info", "warning", "high"] as const);

export const BooleanCodec = withJsonSchema(
  new t.Type<boolean, boolean, unknown>(
    "boolean",
    (u): u is boolean => typeof u === "boolean",
    (u, c) =>
      typeof u === "boolean" ? t.success(u) : fail(u, c, "validation_failed", "must be true or false"),
    (a) => a,
  ),
  { type: "boolean" },
);

/** Nullable: `null` is an explicit value (e.g. clearing the approval threshold). */
export const nullable = <A>(codec: t.Type<A, unknown, unknown>) =>
  withJsonSchema(
    new t.Type<A | null, unknown, unknown>(
      `${codec.name} | null`,
      (u): u is A | null => u === null || codec.is(u),
      (u, c) => (u === null ? t.success(null) : codec.validate(u, c)),
      (a) => a,
    ),
    { anyOf: [jsonSchemaOf(codec), { type: "null" }] },
  );

type AnyCodec = t.Mixed;
type Props = Record<string, AnyCodec>;
type Decoded<P extends Props> = { [K in keyof P]: t.TypeOf<P[K]> };

/**
 * A strict object: every required field present, optional ones only when given, and any other key is a
 * 400 `unknown_field`. The decoded value holds only the declared keys.
 */
export const strictObject = <R extends Props, O extends Props = Record<never, AnyCodec>>(
  name: string,
  required: R,
  optional: O = {} as O,
): t.Type<Decoded<R> & Partial<Decoded<O>>, unknown, unknown> =>
  withJsonSchema(
    new t.Type<Decoded<R> & Partial<Decoded<O>>, unknown, unknown>(
      name,
      (u): u is Decoded<R> & Partial<Decoded<O>> => typeof u === "object" && u !== null,
      (u, c) => {
        if (typeof u !== "object" || u === null || Array.isArray(u)) {
          return fail(u, c, "validation_failed", "must be a JSON object");
        }
        const record = u as Record<string, unknown>;
        const errors: t.ValidationError[] = [];
        const result: Record<string, unknown> = {};
        for (const key of Object.keys(record)) {
          if (!Object.hasOwn(required, key) && !Object.hasOwn(optional, key)) {
            errors.push(
              codedValidationError(
                record[key],
                t.appendContext(c, key, t.unknown, record[key]),
                "unknown_field",
                "this route does not take this field",
              ),
            );
          }
        }
        const visit = (key: string, codec: AnyCodec, isRequired: boolean) => {
          if (!Object.hasOwn(record, key)) {
            if (isRequired) {
              errors.push(
                codedValidationError(
                  undefined,
                  t.appendContext(c, key, codec, undefined),
                  "validation_failed",
                  "is required",
                ),
              );
            }
            return;
          }
          const decoded = codec.validate(record[key], t.appendContext(c, key, codec, record[key]));
          if (E.isLeft(decoded)) errors.push(...decoded.left);
          else result[key] = decoded.right;
        };
        for (const [key, codec] of Object.entries(required)) visit(key, codec, true);
        for (const [key, codec] of Object.entries(optional)) visit(key, codec, false);
        return errors.length > 0 ? t.failures(errors) : t.success(result as Decoded<R> & Partial<Decoded<O>>);
      },
      (a) => a,
    ),
    objectSchema(required, optional),
  );

/** The JSON Schema of a strict object: its fields, which are required, and no others. */
const objectSchema = (required: Props, optional: Props): JsonSchema => ({
  type: "object",
  properties: Object.fromEntries(
    [...Object.entries(required), ...Object.entries(optional)].map(([key, codec]) => [
      key,
      jsonSchemaOf(codec),
    ]),
  ),
  ...(Object.keys(required).length > 0 ? { required: Object.keys(required) } : {}),
  additionalProperties: false,
});

/** An array with a length range; `tooFew`/`tooMany` name the codes for the two ends. */
export const boundedArray = <A>(
  name: string,
  item: t.Type<A, unknown, unknown>,
  lengthMin: number,
  lengthMax: number,
  tooFew: ProblemCode = "validation_failed",
  tooMany: ProblemCode = "validation_failed",
) =>
  withJsonSchema(
    new t.Type<A[], unknown, unknown>(
      name,
      (u): u is A[] => Array.isArray(u),
      (u, c) => {
        if (!Array.isArray(u)) return fail(u, c, "validation_failed", "must be an array");
        if (u.length < lengthMin) return fail(u, c, tooFew, `needs at least ${lengthMin} items`);
        if (u.length > lengthMax) return fail(u, c, tooMany, `takes at most ${lengthMax} items`);
        const errors: t.ValidationError[] = [];
        const result: A[] = [];
        u.forEach((element, index) => {
          const decoded = item.validate(element, t.appendContext(c, String(index), item, element));
          if (E.isLeft(decoded)) errors.push(...decoded.left);
          else result.push(decoded.right);
        });
        return errors.length > 0 ? t.failures(errors) : t.success(result);
      },
      (a) => a,
    ),
    { type: "array", items: jsonSchemaOf(item), minItems: lengthMin, maxItems: lengthMax },
  );

/** A record of at most `sizeMax` keys matching `keyPattern`. */
export const boundedRecord = <A>(
  name: string,
  value: t.Type<A, unknown, unknown>,
  keyPattern: RegExp,
  sizeMax: number,
) =>
  withJsonSchema(
    new t.Type<Record<string, A>, unknown, unknown>(
      name,
      (u): u is Record<string, A> => typeof u === "object" && u !== null,
      (u, c) => {
        if (typeof u !== "object" || u === null || Array.isArray(u)) {
          return fail(u, c, "validation_failed", "must be a JSON object");
        }
        const entries = Object.entries(u as Record<string, unknown>);
        if (entries.length > sizeMax) return fail(u, c, "validation_failed", `takes at most ${sizeMax} keys`);
        const errors: t.ValidationError[] = [];
        const result: Record<string, A> = {};
        for (const [key, element] of entries) {
          const context = t.appendContext(c, key, value, element);
          if (!keyPattern.test(key)) {
            errors.push(codedValidationError(element, context, "validation_failed", "is not an allowed key"));
            continue;
          }
          const decoded = value.validate(element, context);
          if (E.isLeft(decoded)) errors.push(...decoded.left);
          else result[key] = decoded.right;
        }
        return errors.length > 0 ? t.failures(errors) : t.success(result);
      },
      (a) => a,
    ),
    {
      type: "object",
      propertyNames: { pattern: keyPattern.source },
      additionalProperties: jsonSchemaOf(value),
      maxProperties: sizeMax,
    },
  );

// ---------------------------------------------------------------- bodies

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

// ---------------------------------------------------------------- queries

export const Limit = withJsonSchema(
  new t.Type<number, unknown, unknown>(
    "Limit",
    (u): u is number => typeof u === "number",
    (u, c) => {
      if (typeof u === "string" && /^\d{1,7}$/.test(u)) {
        const limit = Number(u);
        if (limit >= 1 && limit <= PAGE_SIZE_MAX) return t.success(limit);
      }
      return fail(u, c, "validation_failed", `must be an integer from 1 to ${PAGE_SIZE_MAX}`);
    },
    (a) => a,
  ),
  { type: "integer", minimum: 1, maximum: PAGE_SIZE_MAX, default: 100 },
);

export const Revision = withJsonSchema(
  new t.Type<number, unknown, unknown>(
    "Revision",
    (u): u is number => typeof u === "number",
    (u, c) =>
      typeof u === "string" && /^(0|[1-9]\d{0,14})$/.test(u)
        ? t.success(Number(u))
        : fail(u, c, "validation_failed", "must be a revision"),
    (a) => a,
  ),
  { type: "integer", minimum: 0 },
);

export const Instant = withJsonSchema(
  new t.Type<string, unknown, unknown>(
    "Instant",
    (u): u is string => typeof u === "string",
    (u, c) =>
      typeof u === "string" &&
      /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(u) &&
      !Number.isNaN(Date.parse(u))
        ? t.success(new Date(u).toISOString())
        : fail(u, c, "validation_failed", "must be an RFC 3339 instant"),
    (a) => a,
  ),
  { type: "string", format: "date-time" },
);

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

export const Cursor = refinedString(
  "Cursor",
  /^[A-Za-z0-9_-]{1,200}$/,
  "must be a cursor from a previous page",
);

/** Query objects ignore parameters they do not know (caches and proxies add some), but decode the ones they do. */
export const queryObject = <O extends Props>(name: string, optional: O) =>
  withJsonSchema(
    new t.Type<Partial<Decoded<O>>, unknown, unknown>(
      name,
      (u): u is Partial<Decoded<O>> => typeof u === "object",
      (u, c) => {
        const record = (typeof u === "object" && u !== null ? u : {}) as Record<string, unknown>;
        const known = Object.fromEntries(
          Object.keys(optional)
            .filter((k) => Object.hasOwn(record, k))
            .map((k) => [k, record[k]]),
        );
        return strictObject(name, {}, optional).validate(known, c);
      },
      (a) => a,
    ),
    { type: "object", properties: objectSchema({}, optional).properties },
  );

/**
 * `minRevision`, which every GET of one cooperative takes: answer only once this replica reflects at least
 * that revision of the cooperative's log (docs/api.md).
 */
export const MinRevisionQuery = queryObject("MinRevisionQuery", { minRevision: Revision });

/** POST /v1/sessions: the bearer token a browser exchanges for a session cookie. */
export const StartSessionBody = strictObject("StartSession", {
  token: refinedString("Token", /^[\x21-\x7e]{1,512}$/, "must be a bearer token"),
});
