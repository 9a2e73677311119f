import { Decimal } from "decimal.js";

/**
 * The rounding modes callers may name. Each one is explicit at the call site because a default can
 * change under you, and money must not.
 *
 * - `half_up`: ties go away from zero (0.005 -> 0.01, -0.005 -> -0.01); the commercial rule the tax
 *   office uses (DJP PER-11/PJ/2025 Pasal 129) and the one for interest accruals.
 * - `half_even`: ties go to the even neighbour (banker's rounding).
 * - `down`: towards zero, i.e. truncation (0.019 -> 0.01, -0.019 -> -0.01).
 */
export type Rounding = "half_up" | "half_even" | "down";

/** Maps a named rounding mode to decimal.js's numeric constant. */
export const decimalRounding = (rounding: Rounding): Decimal.Rounding => {
  switch (rounding) {
    case "half_up":
      return Decimal.ROUND_HALF_UP;
    case "half_even":
      return Decimal.ROUND_HALF_EVEN;
    case "down":
      return Decimal.ROUND_DOWN;
    default:
      return assertNever(rounding);
  }
};

const assertNever = (value: never): never => {
  throw new Error(`Unknown rounding mode: ${String(value)}`);
};

/**
 * Divides two bigints and rounds the quotient to an integer with the named mode. Exact for any size,
 * so computations that go through it round exactly once, where the caller says.
 */
export const divideRounded = (numerator: bigint, denominator: bigint, rounding: Rounding): bigint => {
  if (denominator <= 0n) {
    throw new RangeError("divideRounded needs a positive denominator");
  }
  const negative = numerator < 0n;
  const magnitude = negative ? -numerator : numerator;
  const quotient = magnitude / denominator;
  const twiceRemainder = (magnitude % denominator) * 2n;
  let rounded = quotient;
  switch (rounding) {
    case "half_up":
      if (twiceRemainder >= denominator) rounded += 1n;
      break;
    case "half_even":
      if (twiceRemainder > denominator || (twiceRemainder === denominator && quotient % 2n === 1n)) {
        rounded += 1n;
      }
      break;
    case "down":
      break;
    default:
      return assertNever(rounding);
  }
  return negative ? -rounded : rounded;
};
