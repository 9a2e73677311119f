import type { Either } from "fp-ts/lib/Either.js";
import { left } from "fp-ts/lib/Either.js";
import type { Money } from "./money.js";
import { type MoneyParseError, parseMoney } from "./parseMoney.js";

/**
 * An amount as people in Indonesia write it by hand or type it into a form (docs/treasurer-guide.md):
 * "50000", "50.000", "50.000,50", "Rp50.000", "Rp 50.000,5". Full stops group thousands in threes and a
 * comma comes before the sen, as PUEBI writes them. The text is rewritten into the wire form ("50000.50")
 * and read by `parseMoney`, so the same limits apply and no floating point is ever involved. Anything
 * ambiguous is refused rather than guessed: "50.5" (a full stop that does not group three digits) or
 * "50,000" read the English way.
 */
const RUPIAH_PREFIX = /^rp\.?\s*/i;
/** Digits grouped by full stops in threes, or plain digits; then optionally a comma and one or two sen digits. */
const WRITTEN_AMOUNT = /^((?:[1-9][0-9]{0,2}(?:\.[0-9]{3})+)|[0-9]+)(?:,([0-9]{1,2}))?$/;

export const parseWrittenAmount = (input: string): Either<MoneyParseError, Money> => {
  const text = input.trim().replace(RUPIAH_PREFIX, "");
  const match = WRITTEN_AMOUNT.exec(text);
  if (match === null) {
    return left({
      _tag: "AmountMalformed",
      input,
      message: "Write the amount like 50.000 or 50.000,50 (full stops group thousands, a comma before sen).",
    });
  }
  const rupiah = (match[1] ?? "").replaceAll(".", "").replace(/^0+(?=[0-9])/, "");
  const sen = match[2];
  return parseMoney(sen === undefined ? rupiah : `${rupiah}.${sen}`);
};
