/**
 * Amounts inside the decider are bigint sen: exact, and fast enough to replay a million events.
 * Conversion to and from the wire goes through @bukubesar/money so both sides agree on the format.
 */
import { senToWire, wireToSen, wireToSenOrNull } from "@bukubesar/money";
import type { EntryLine, NormalBalance, Side } from "./events.js";
import { AMOUNT_INTEGER_DIGITS_MAX } from "./limits.js";

/** Digits with at most two fraction digits; the edge normally sends exactly two. */
const AMOUNT_PATTERN = new RegExp(`^\\d{1,${AMOUNT_INTEGER_DIGITS_MAX}}(\\.\\d{1,2})?$`);
/** The code of "-": a recorded line amount is positive, its side says which way it moves. */
const MINUS = 45;

/** The sen of a wire amount, or null when the string is not a wire amount at all. */
export const amountToSen = (amount: unknown): bigint | null =>
  typeof amount === "string" && AMOUNT_PATTERN.test(amount) ? wireToSen(amount) : null;

/**
 * The sen of a line amount in a recorded event, or null when malformed. It has no digit limit: the
 * year-end entries the ledger builds itself (closing, appropriation) move whole account totals, which
 * may exceed the fifteen digits a line typed by a person is limited to.
 */
export const recordedAmountToSen = (amount: unknown): bigint | null =>
  typeof amount === "string" && amount.charCodeAt(0) !== MINUS ? wireToSenOrNull(amount) : null;

export const senToAmount = (sen: bigint): string => senToWire(sen);

/** How a line moves an account's balance on that account's normal side. */
export const signedForNormalBalance = (side: Side, normalBalance: NormalBalance, sen: bigint): bigint =>
  side === normalBalance ? sen : -sen;

/** The total of the debit lines of an entry, in sen. Lines are trusted (already decided). */
export const totalDebitSen = (lines: readonly EntryLine[]): bigint => {
  let total = 0n;
  for (const line of lines) if (line.side === "debit") total += wireToSen(line.amount);
  return total;
};
