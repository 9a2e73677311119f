/**
 * Amounts inside the read models are bigint sen (hundredths of a rupiah) and dates are day numbers
 * (YYYYMMDD as an integer), because both compare and add far faster than decimal strings. These helpers
 * convert at the edges of the projections only; the events keep their wire strings. Wire strings and
 * bigint sen convert with `wireToSen` and `senToWire` of @bukubesar/money; only the rebuild's
 * allocation-free parser into a float64 number of sen lives here.
 */

/** A calendar date as the integer YYYYMMDD, so that numeric order is calendar order. */
export type DayNumber = number;

/**
 * Parses a wire amount ("50000.00") into a number of sen when it has at most 15 digits (below 10^15 sen,
 * so exact in a float64), else returns -1 and the caller uses `wireToSen` of @bukubesar/money. No substring, no allocation:
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
