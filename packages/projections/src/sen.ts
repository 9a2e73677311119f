/**
 * Amounts inside the read models are bigint sen (hundredths of a rupiah) and dates are day numbers
 * (YYYYMMDD as an integer), because both compare and add far faster than decimal strings. These helpers
 * convert at the edges of the projections only; the events keep their wire strings.
 */

/** A calendar date as the integer YYYYMMDD, so that numeric order is calendar order. */
export type DayNumber = number;

const SEN_PER_RUPIAH = 100n;

/**
 * Parses a wire amount with exactly two fraction digits ("50000.00", "-312500.13") into sen. Events are
 * validated before they are recorded, so the fast path trusts the shape and only falls back to the
 * general parser for anything else.
 */
export const wireToSen = (amount: string): bigint => {
  const length = amount.length;
  if (length >= 4 && amount.charCodeAt(length - 3) === 46) {
    return BigInt(amount.slice(0, length - 3) + amount.slice(length - 2));
  }
  return parseDecimalToSen(amount);
};

/**
 * Parses a wire amount ("50000.00") into a number of sen when it has at most 15 digits (below 10^15 sen,
 * so exact in a float64), else returns -1 and the caller uses `wireToSen`. No substring, no allocation:
 * this is the rebuild's hot path.
 */
export const wireToSmallSen = (amount: string): number => {
  const length = amount.length;
  if (length > 16 || length < 4 || amount.charCodeAt(length - 3) !== 46) return -1;
  let sen = 0;
  for (let index = 0; index < length; index++) {
    const code = amount.charCodeAt(index);
    if (code === 46) continue;
    if (code < 48 || code > 57) return -1;
    sen = sen * 10 + (code - 48);
  }
  return sen;
};

/** The general parser for decimal strings with up to two fraction digits ("30", "2.5", "-7.25"). */
export const parseDecimalToSen = (amount: string): bigint => {
  const match = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(amount.trim());
  if (match === null) throw new Error(`not a decimal amount with at most two fraction digits: ${amount}`);
  const sign = match[1] === "-" ? -1n : 1n;
  const fraction = (match[3] ?? "").padEnd(2, "0");
  return sign * BigInt(`${match[2]}${fraction}`);
};

/** Sen to the wire form with two fraction digits and no grouping: "-312500.13", "0.00". */
export const senToWire = (sen: bigint): string => {
  const negative = sen < 0n;
  const magnitude = negative ? -sen : sen;
  const rupiah = magnitude / SEN_PER_RUPIAH;
  const fraction = magnitude % SEN_PER_RUPIAH;
  return `${negative ? "-" : ""}${rupiah}.${fraction < 10n ? "0" : ""}${fraction}`;
};

/** "2026-01-15" to 20260115. Dates in events are validated `YYYY-MM-DD`, so no further checks here. */
export const dayNumber = (date: string): DayNumber =>
  Number(date.slice(0, 4)) * 10000 + Number(date.slice(5, 7)) * 100 + Number(date.slice(8, 10));

/** 20260115 to "2026-01-15". */
export const dayToDate = (day: DayNumber): string => {
  const year = Math.floor(day / 10000);
  const month = Math.floor(day / 100) % 100;
  const dayOfMonth = day % 100;
  return `${String(year).padStart(4, "0")}-${month < 10 ? "0" : ""}${month}-${dayOfMonth < 10 ? "0" : ""}${dayOfMonth}`;
};

const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

/** Parses a report's date parameter; throws on anything that is not a real calendar date. */
export const parseReportDate = (date: string): DayNumber => {
  if (!DATE_PATTERN.test(date) || Number.isNaN(Date.parse(`${date}T00:00:00Z`))) {
    throw new RangeError(`not a date YYYY-MM-DD: ${date}`);
  }
  const day = dayNumber(date);
  if (dayToDate(day) !== new Date(`${date}T00:00:00Z`).toISOString().slice(0, 10)) {
    throw new RangeError(`not a calendar date: ${date}`);
  }
  return day;
};

/** The calendar day after `date` ("2026-12-31" → "2027-01-01"); used for the tools' exclusive end dates. */
export const nextDate = (date: string): string => {
  const instant = new Date(`${date}T00:00:00Z`);
  instant.setUTCDate(instant.getUTCDate() + 1);
  return instant.toISOString().slice(0, 10);
};

/** The calendar day before `date`. */
export const previousDate = (date: string): string => {
  const instant = new Date(`${date}T00:00:00Z`);
  instant.setUTCDate(instant.getUTCDate() - 1);
  return instant.toISOString().slice(0, 10);
};
