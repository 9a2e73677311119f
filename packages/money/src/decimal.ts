import { Decimal } from "decimal.js";

/**
 * The package's private decimal constructor. It is a clone so that no other code can change its
 * configuration through the global `Decimal.set`, and so that our configuration never leaks out.
 *
 * Forty significant digits hold every amount this package allows (at most
 * MONEY_INTERNAL_INTEGER_DIGITS_MAX integer digits plus two fraction digits) with room to spare, so
 * sums and differences of valid amounts are always exact. Half-even is only the fallback; every call
 * that can round names its rounding mode explicitly. The exponent thresholds keep `toString()` in
 * plain notation for every amount we allow, so nobody ever sees "1e+21" rupiah.
 */
export const D = Decimal.clone({
  precision: 40,
  rounding: Decimal.ROUND_HALF_EVEN,
  toExpNeg: -40,
  toExpPos: 40,
});
