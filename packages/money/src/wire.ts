/**
 * Conversions between sen (bigint) and the signed wire form our own events and database use:
 * an optional "-", digits, a dot and exactly two fraction digits ("-312500.13", "0.00").
 * These work on strings and bigints only (no decimal.js), because projections call them on hot paths.
 */

/** A trusted signed amount: optional minus, digits, and optionally a dot with one or two digits. */
const TRUSTED_WIRE_PATTERN = /^(-?)([0-9]+)(?:\.([0-9]{1,2}))?$/;

/** Formats sen as the wire string: always two fraction digits, "-" for negatives, "0.00" for zero. */
export const senToWire = (sen: bigint): string => {
  const negative = sen < 0n;
  const digits = (negative ? -sen : sen).toString().padStart(3, "0");
  return `${negative ? "-" : ""}${digits.slice(0, -2)}.${digits.slice(-2)}`;
};

/**
 * Parses a TRUSTED signed wire string (written by our own code into events or the database) into sen.
 * It also takes one fraction digit or none ("50000", "50000.5"), which our writers never produce but
 * which lose nothing. A malformed string here means a bug or corrupted data, so it throws.
 */
export const wireToSen = (s: string): bigint => {
  const match = TRUSTED_WIRE_PATTERN.exec(s);
  if (match === null) {
    throw new Error(`Malformed trusted amount string: ${JSON.stringify(s)}`);
  }
  const [, sign, integerDigits = "", fractionDigits = ""] = match;
  const magnitude = BigInt(integerDigits + fractionDigits.padEnd(2, "0"));
  return sign === "-" ? -magnitude : magnitude;
};
