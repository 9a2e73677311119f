import type { Either } from "fp-ts/lib/Either.js";
import { left, right } from "fp-ts/lib/Either.js";
import { D } from "./decimal.js";
import { MONEY_FRACTION_DIGITS_MAX, MONEY_INTEGER_DIGITS_MAX, type Money, makeMoney } from "./money.js";
import { wireToSen } from "./wire.js";

/** Every way an untrusted amount can be refused. Each has its own tag so callers and tests can tell them apart. */
export type MoneyParseErrorTag =
  | "AmountMustBeString"
  | "AmountEmpty"
  | "AmountHasSign"
  | "AmountHasExponent"
  | "AmountHasWhitespace"
  | "AmountNotANumber"
  | "AmountNonAsciiDigits"
  | "AmountTooManyFractionDigits"
  | "AmountTooManyIntegerDigits"
  | "AmountMalformed";

export type MoneyParseError = {
  readonly _tag: MoneyParseErrorTag;
  readonly input: unknown;
  readonly message: string;
};

/**
 * The api.md error code for each refusal: a JSON number is `amount_must_be_string`, every other bad
 * amount is `invalid_amount`.
 */
export const moneyParseErrorCode = (error: MoneyParseError): "amount_must_be_string" | "invalid_amount" =>
  error._tag === "AmountMustBeString" ? "amount_must_be_string" : "invalid_amount";

// Every pattern below is unambiguous (no two ways to match the same text), so each runs in linear time
// even over a hostile, very long string; the request body limit bounds the length upstream.
const WHITESPACE = /\s/u;
const NOT_A_NUMBER = /^[+-]?(?:nan|inf|infinity)$/i;
const EXPONENT = /^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)[eE][+-]?[0-9]*$/;
const NON_ASCII_DIGIT = /[^\P{Nd}0-9]/u;
/** Digits, optionally a dot and digits. No leading zeros except a lone "0" before the dot. */
const PLAIN_DECIMAL = /^(0|[1-9][0-9]*)(?:\.([0-9]+))?$/;

const refusal = (tag: MoneyParseErrorTag, input: unknown, message: string): MoneyParseError => ({
  _tag: tag,
  input,
  message,
});

/**
 * Only ASCII digits and dots: none of the refusals before the shape check (whitespace, "NaN", exponent,
 * sign, non-ASCII digits) can apply, so the usual amount is checked with one pattern instead of six.
 */
const DIGITS_AND_DOTS = /^[0-9.]+$/;

/**
 * Why an untrusted amount is refused, or undefined when it is a plain decimal within the digit limits:
 * the rules `parseMoney` and `parseMoneySen` share, in the order their refusals are reported.
 */
const refusalOf = (input: unknown): MoneyParseError | undefined => {
  if (typeof input !== "string") {
    return refusal("AmountMustBeString", input, "An amount must be a string of digits, not a JSON number.");
  }
  if (input.length === 0) return refusal("AmountEmpty", input, "An amount must not be empty.");
  return DIGITS_AND_DOTS.test(input) ? shapeRefusalOf(input) : characterRefusalOf(input);
};

/** The refusals of a string holding something besides ASCII digits and dots. */
const characterRefusalOf = (input: string): MoneyParseError | undefined => {
  if (WHITESPACE.test(input)) {
    return refusal("AmountHasWhitespace", input, "An amount must not contain spaces.");
  }
  if (NOT_A_NUMBER.test(input)) {
    return refusal("AmountNotANumber", input, "An amount must be a finite number.");
  }
  if (EXPONENT.test(input)) {
    return refusal("AmountHasExponent", input, "An amount must not use exponent notation.");
  }
  if (input.startsWith("+") || input.startsWith("-")) {
    return refusal(
      "AmountHasSign",
      input,
      "An amount must not have a sign; direction is given by debit or credit.",
    );
  }
  if (NON_ASCII_DIGIT.test(input)) {
    return refusal("AmountNonAsciiDigits", input, "An amount must use the ASCII digits 0-9 only.");
  }
  return shapeRefusalOf(input);
};

/** The refusals of the decimal's shape and its digit limits. */
const shapeRefusalOf = (input: string): MoneyParseError | undefined => {
  const match = PLAIN_DECIMAL.exec(input);
  if (match === null) {
    return refusal(
      "AmountMalformed",
      input,
      'An amount must be digits with an optional dot and one or two fraction digits, like "50000.50".',
    );
  }
  const [, integerDigits = "", fractionDigits = ""] = match;
  if (fractionDigits.length > MONEY_FRACTION_DIGITS_MAX) {
    return refusal(
      "AmountTooManyFractionDigits",
      input,
      "An amount must have at most two fraction digits (sen).",
    );
  }
  if (integerDigits.length > MONEY_INTEGER_DIGITS_MAX) {
    return refusal(
      "AmountTooManyIntegerDigits",
      input,
      "An amount must have at most fifteen integer digits.",
    );
  }
  return undefined;
};

/**
 * Parses an untrusted amount from the wire (api.md, Conventions): a string of ASCII digits with at most
 * fifteen integer digits and at most two fraction digits: "50000", "50000.5", "50000.50", "0".
 * Zero parses; whether zero is allowed is the caller's rule. Refused, each with its own tag: anything
 * that is not a string (a JSON number above all), "", a sign ("+1", "-1"), an exponent ("1e5"),
 * whitespace anywhere (" 1", "1 000"), "NaN" and "Infinity", non-ASCII digits ("١٢"), a third fraction
 * digit ("1.234"), a sixteenth integer digit, and every other shape ("1,5", ".5", "5.", "007", "0x10").
 */
export const parseMoney = (input: unknown): Either<MoneyParseError, Money> => {
  const refused = refusalOf(input);
  return refused === undefined ? right(makeMoney(new D(input as string))) : left(refused);
};

/**
 * The same rules as `parseMoney`, the same refusals, but the accepted amount is given in sen, read in
 * one pass over its characters (`wireToSen`) instead of through a decimal.js value: a codec that only
 * normalises an amount ("50000" to "50000.00") reads one per journal line, and an import reads millions.
 */
export const parseMoneySen = (input: unknown): Either<MoneyParseError, bigint> => {
  const refused = refusalOf(input);
  return refused === undefined ? right(wireToSen(input as string)) : left(refused);
};
