import type { Either } from "fp-ts/lib/Either.js";
import { left, right } from "fp-ts/lib/Either.js";
import { D } from "./decimal.js";
import { MONEY_FRACTION_DIGITS_MAX, MONEY_INTEGER_DIGITS_MAX, type Money, makeMoney } from "./money.js";

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

const refuse = (tag: MoneyParseErrorTag, input: unknown, message: string): Either<MoneyParseError, Money> =>
  left({ _tag: tag, input, message });

/**
 * Parses an untrusted amount from the wire (api.md, Conventions): a string of ASCII digits with at most
 * fifteen integer digits and at most two fraction digits: "50000", "50000.5", "50000.50", "0".
 * Zero parses; whether zero is allowed is the caller's rule. Refused, each with its own tag: anything
 * that is not a string (a JSON number above all), "", a sign ("+1", "-1"), an exponent ("1e5"),
 * whitespace anywhere (" 1", "1 000"), "NaN" and "Infinity", non-ASCII digits ("١٢"), a third fraction
 * digit ("1.234"), a sixteenth integer digit, and every other shape ("1,5", ".5", "5.", "007", "0x10").
 */
export const parseMoney = (input: unknown): Either<MoneyParseError, Money> => {
  if (typeof input !== "string") {
    return refuse("AmountMustBeString", input, "An amount must be a string of digits, not a JSON number.");
  }
  if (input.length === 0) {
    return refuse("AmountEmpty", input, "An amount must not be empty.");
  }
  if (WHITESPACE.test(input)) {
    return refuse("AmountHasWhitespace", input, "An amount must not contain spaces.");
  }
  if (NOT_A_NUMBER.test(input)) {
    return refuse("AmountNotANumber", input, "An amount must be a finite number.");
  }
  if (EXPONENT.test(input)) {
    return refuse("AmountHasExponent", input, "An amount must not use exponent notation.");
  }
  if (input.startsWith("+") || input.startsWith("-")) {
    return refuse(
      "AmountHasSign",
      input,
      "An amount must not have a sign; direction is given by debit or credit.",
    );
  }
  if (NON_ASCII_DIGIT.test(input)) {
    return refuse("AmountNonAsciiDigits", input, "An amount must use the ASCII digits 0-9 only.");
  }
  const match = PLAIN_DECIMAL.exec(input);
  if (match === null) {
    return refuse(
      "AmountMalformed",
      input,
      'An amount must be digits with an optional dot and one or two fraction digits, like "50000.50".',
    );
  }
  const [, integerDigits = "", fractionDigits = ""] = match;
  if (fractionDigits.length > MONEY_FRACTION_DIGITS_MAX) {
    return refuse(
      "AmountTooManyFractionDigits",
      input,
      "An amount must have at most two fraction digits (sen).",
    );
  }
  if (integerDigits.length > MONEY_INTEGER_DIGITS_MAX) {
    return refuse("AmountTooManyIntegerDigits", input, "An amount must have at most fifteen integer digits.");
  }
  return right(makeMoney(new D(input)));
};
