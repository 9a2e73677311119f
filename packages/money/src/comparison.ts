import type { Money } from "./money.js";

/** Orders two amounts: -1 when a < b, 0 when equal, 1 when a > b. Usable as an Array.sort comparator. */
export const compare = (a: Money, b: Money): -1 | 0 | 1 => {
  const order = a.amount.comparedTo(b.amount);
  // comparedTo returns NaN only for NaN operands, which the Money invariant rules out.
  return order < 0 ? -1 : order > 0 ? 1 : 0;
};

/** True when both are the same amount (the currency is always IDR). "1.5" equals "1.50". */
export const equals = (a: Money, b: Money): boolean => a.amount.equals(b.amount);

export const isZero = (m: Money): boolean => m.amount.isZero();

export const isPositive = (m: Money): boolean => m.amount.greaterThan(0);

export const isNegative = (m: Money): boolean => m.amount.lessThan(0);
