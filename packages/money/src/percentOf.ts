import { fromSen, type Money, toSen } from "./money.js";
import { divideRounded, type Rounding } from "./rounding.js";

/** A percentage as a plain non-negative decimal string: "10", "12.5", "0.25". */
const PERCENT_PATTERN = /^([0-9]+)(?:\.([0-9]+))?$/;

/**
 * The longest percentage string accepted. Percentages come from settings and RAT decisions that are
 * validated upstream; anything longer than this is not a percentage anyone typed.
 */
export const PERCENT_LENGTH_MAX = 20;

/**
 * `percent` percent of `total`, rounded to the sen with the named rounding mode
 * (e.g. percentOf(interest, "10", "half_up") for a 10% withholding). The arithmetic is exact bigint
 * arithmetic, so the named rounding is the only one. The percentage is a trusted string from our own
 * validated data; a malformed one is a bug and throws.
 */
export const percentOf = (total: Money, percent: string, rounding: Rounding): Money => {
  const match = percent.length <= PERCENT_LENGTH_MAX ? PERCENT_PATTERN.exec(percent) : null;
  if (match === null) {
    throw new RangeError(`Malformed percentage: ${JSON.stringify(percent)}`);
  }
  const [, integerDigits = "", fractionDigits = ""] = match;
  // percent = scaledPercent / 10^fractionDigits.length, and a percent is a hundredth.
  const scaledPercent = BigInt(integerDigits + fractionDigits);
  const denominator = 100n * 10n ** BigInt(fractionDigits.length);
  return fromSen(divideRounded(toSen(total) * scaledPercent, denominator, rounding));
};
