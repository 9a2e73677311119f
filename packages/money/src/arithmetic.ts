import { type Money, makeMoney, zero } from "./money.js";

/**
 * Sums, differences and signs. All exact: amounts stay far inside the private forty-digit precision
 * (see MONEY_INTERNAL_INTEGER_DIGITS_MAX), so nothing here ever rounds.
 */

export const add = (a: Money, b: Money): Money => makeMoney(a.amount.plus(b.amount));

export const subtract = (a: Money, b: Money): Money => makeMoney(a.amount.minus(b.amount));

export const negate = (m: Money): Money => makeMoney(m.amount.negated());

export const abs = (m: Money): Money => makeMoney(m.amount.abs());

/** The total of a list; zero for an empty list. */
export const sum = (ms: readonly Money[]): Money => ms.reduce(add, zero);
