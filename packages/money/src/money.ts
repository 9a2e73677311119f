import type { Decimal } from "decimal.js";
import { D } from "./decimal.js";
import { decimalRounding, type Rounding } from "./rounding.js";
import { senToWire } from "./wire.js";

/**
 * An amount of Indonesian rupiah. Immutable (the object is frozen and decimal.js values are never
 * mutated by this package). Invariant: `amount` is finite, has at most two fraction digits (sen,
 * ISO 4217 exponent 2), is never negative zero, and is an instance of the package's private decimal
 * constructor, so arithmetic on it uses our precision, not the global one.
 */
export interface Money {
  readonly amount: Decimal;
  readonly currency: "IDR";
}

/** ISO 4217 gives IDR exponent 2: one rupiah is one hundred sen. */
export const MONEY_FRACTION_DIGITS_MAX = 2;

/** The wire contract (api.md, Conventions) accepts at most fifteen integer digits in an amount. */
export const MONEY_INTEGER_DIGITS_MAX = 15;

/**
 * The largest number of integer digits any Money may have, including results of arithmetic. The
 * private decimal precision is forty significant digits; keeping every amount below 10^36 means the
 * sum or difference of two amounts never needs more than 39 digits, so it is always exact. Going
 * beyond this is a bug (no cooperative holds 10^36 rupiah), so it throws rather than rounding silently.
 */
export const MONEY_INTERNAL_INTEGER_DIGITS_MAX = 36;

/** One rupiah in sen. */
export const SEN_PER_RUPIAH = 100n;

const INTERNAL_MAGNITUDE_LIMIT = new D(10).pow(MONEY_INTERNAL_INTEGER_DIGITS_MAX);

/**
 * The one place a Money is built. It checks the invariant and throws when it is broken, because every
 * caller inside this package guarantees it; a failure here is a bug, not an input error.
 */
export const makeMoney = (amount: Decimal): Money => {
  const value = amount instanceof D ? amount : new D(amount);
  if (!value.isFinite()) {
    throw new RangeError(`Money must be finite, got ${value.toString()}`);
  }
  if (value.decimalPlaces() > MONEY_FRACTION_DIGITS_MAX) {
    throw new RangeError(`Money has more than two fraction digits: ${value.toString()}`);
  }
  if (value.abs().gte(INTERNAL_MAGNITUDE_LIMIT)) {
    throw new RangeError(`Money exceeds ${MONEY_INTERNAL_INTEGER_DIGITS_MAX} integer digits`);
  }
  // Negative zero would print as "-0.00"; there is only one zero rupiah.
  const normalized = value.isZero() ? new D(0) : value;
  return Object.freeze({ amount: normalized, currency: "IDR" as const });
};

/** Builds a Money from a whole number of sen. Exact for every bigint in range. */
export const fromSen = (sen: bigint): Money => makeMoney(new D(senToWire(sen)));

/** The amount in sen. Exact: a Money never has more than two fraction digits. */
export const toSen = (m: Money): bigint =>
  BigInt(m.amount.toFixed(MONEY_FRACTION_DIGITS_MAX, D.ROUND_HALF_EVEN).replace(".", ""));

/**
 * Builds a Money from any decimal, rounding to the sen with the named mode. Use it at the end of a
 * computation (interest, tax) so the rounding decision is visible at the call. It takes no JS numbers,
 * because binary floating point cannot hold most sen amounts exactly.
 */
export const fromDecimal = (amount: Decimal | string, rounding: Rounding): Money =>
  makeMoney(new D(amount).toDecimalPlaces(MONEY_FRACTION_DIGITS_MAX, decimalRounding(rounding)));

/** Zero rupiah. */
export const zero: Money = fromSen(0n);
