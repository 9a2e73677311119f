/**
 * The ledger's vocabulary as io-ts codecs, made from the core's patterns, limits and literal sets
 * (@bukubesar/ledger-core vocabulary.ts, limits.ts) and @bukubesar/money's amount parser, so a value a
 * body accepts is never refused by the decider for being malformed.
 */
import {
  ACCOUNT_CODE_PATTERN,
  ACCOUNT_TYPES,
  BUSINESS_WITH,
  CLOCK_TIME_PATTERN,
  COOP_ID_PATTERN,
  COUNTERPARTIES,
  IDEMPOTENCY_KEY_LENGTH_MAX,
  IDEMPOTENCY_KEY_PATTERN,
  isLocalDate,
  MEMBER_ID_PATTERN,
  MEMBER_ROLES,
  MEMO_LENGTH_MAX,
  NAME_LENGTH_MAX,
  NORMAL_BALANCES,
  REASON_LENGTH_MAX,
  REGION_CODE_PATTERN,
  REGION_PREFIX_PATTERN,
  REQUESTED_ENTRY_KINDS,
  ROLES,
  TIME_ZONES,
  UNITS,
} from "@bukubesar/ledger-core";
import { type MoneyParseErrorTag, moneyParseErrorCode, parseMoneySen, senToWire } from "@bukubesar/money";
import * as E from "fp-ts/lib/Either.js";
import * as t from "io-ts";
import { literals, refinedString, text } from "./combinators.js";
import { failWith as fail } from "./decodeFailure.js";
import { withJsonSchema } from "./jsonSchema.js";
import { TEXT_LENGTH_MAX } from "./limits.js";

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
 * A positive rupiah amount written as a decimal string, read by @bukubesar/money's `parseMoneySen` (the
 * rules of `parseMoney`, the one parser of untrusted amounts, whose refusals each say what is wrong, with
 * the sen read without a decimal.js value); normalised to two fraction digits.
 */
export const Amount = withJsonSchema(
  new t.Type<string, string, unknown>(
    "Amount",
    (u): u is string => typeof u === "string",
    (u, c) => {
      if (typeof u !== "string" && typeof u !== "number")
        return fail(u, c, "invalid_amount", 'must be a decimal string like "50000.00"');
      const parsed = parseMoneySen(u);
      if (E.isLeft(parsed))
        return fail(u, c, moneyParseErrorCode(parsed.left), amountRefusals[parsed.left._tag]);
      if (parsed.right === 0n) return fail(u, c, "invalid_amount", "must be more than zero");
      return t.success(senToWire(parsed.right));
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
