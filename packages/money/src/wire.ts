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
 * The most digits an amount may have for the fast path of `wireToSenOrNull`: below 10^15 sen, a float64
 * holds every value exactly, so the digits are summed as a number and made a bigint once. Longer amounts
 * (year-end entries moving whole totals may have more) take the pattern and BigInt of the digits' text.
 */
const FAST_SEN_DIGITS_MAX = 15;
const MINUS = 45;
const DOT = 46;
const ZERO = 48;
const NINE = 57;

/**
 * The sen of a trusted signed wire string, or null when it is malformed. A replay reads one per event
 * line, so the common case walks the characters once without a regular expression or substrings
 * (measured: the pattern and BigInt of a string took about a tenth of a replay's time in the ledger's fold).
 */
// biome-ignore lint/complexity/noExcessiveCognitiveComplexity: one pass over the characters on the replay's hot path; a helper per branch would cost a call per character or an object per amount.
export const wireToSenOrNull = (s: string): bigint | null => {
  const length = s.length;
  const start = length > 0 && s.charCodeAt(0) === MINUS ? 1 : 0;
  let sen = 0;
  let digits = 0;
  let fractionDigits = -1;
  for (let index = start; index < length; index += 1) {
    const code = s.charCodeAt(index);
    if (code === DOT) {
      if (fractionDigits !== -1 || digits === 0) return null;
      fractionDigits = 0;
    } else if (code >= ZERO && code <= NINE) {
      sen = sen * 10 + (code - ZERO);
      digits += 1;
      if (fractionDigits !== -1) fractionDigits += 1;
    } else return null;
  }
  if (digits === 0 || fractionDigits === 0 || fractionDigits > 2) return null;
  const scale = fractionDigits === -1 ? 2 : 2 - fractionDigits;
  if (digits + scale > FAST_SEN_DIGITS_MAX) return slowWireToSen(s);
  const magnitude = BigInt(scale === 0 ? sen : scale === 1 ? sen * 10 : sen * 100);
  return start === 1 ? -magnitude : magnitude;
};

const slowWireToSen = (s: string): bigint | null => {
  const match = TRUSTED_WIRE_PATTERN.exec(s);
  if (match === null) return null;
  const [, sign, integerDigits = "", fractionDigits = ""] = match;
  const magnitude = BigInt(integerDigits + fractionDigits.padEnd(2, "0"));
  return sign === "-" ? -magnitude : magnitude;
};

/**
 * Parses a TRUSTED signed wire string (written by our own code into events or the database) into sen.
 * It also takes one fraction digit or none ("50000", "50000.5"), which our writers never produce but
 * which lose nothing. A malformed string here means a bug or corrupted data, so it throws.
 */
export const wireToSen = (s: string): bigint => {
  const sen = wireToSenOrNull(s);
  if (sen === null) throw new Error(`Malformed trusted amount string: ${JSON.stringify(s)}`);
  return sen;
};
