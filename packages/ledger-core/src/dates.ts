/**
 * Calendar dates and months on the cooperative's own calendar. Pure string arithmetic: no clock and
 * no time zone is involved, because a `LocalDate` already is a day in the cooperative's zone — except in
 * `localDateOf`, the one place an instant becomes such a day.
 */
import type { LocalDate, PeriodId } from "./events.js";
import { RECORDED_AT_LEAD_MAX_MS } from "./limits.js";

const LOCAL_DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const PERIOD_PATTERN = /^(\d{4})-(\d{2})$/;

/** The first and last years we accept; outside them a date is a typing mistake, not a fact. */
export const YEAR_MIN = 1900;
export const YEAR_MAX = 2999;

const daysInMonth = (year: number, month: number): number => {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  return days[month - 1] ?? 0;
};

export const isYear = (year: number): boolean =>
  Number.isInteger(year) && year >= YEAR_MIN && year <= YEAR_MAX;

/** A real calendar day written `YYYY-MM-DD`. */
export const isLocalDate = (value: unknown): value is LocalDate => {
  if (typeof value !== "string") return false;
  const match = LOCAL_DATE_PATTERN.exec(value);
  if (match === null) return false;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  return isYear(year) && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
};

/** A month written `YYYY-MM`. */
export const isPeriodId = (value: unknown): value is PeriodId => {
  if (typeof value !== "string") return false;
  const match = PERIOD_PATTERN.exec(value);
  if (match === null) return false;
  const month = Number(match[2]);
  return isYear(Number(match[1])) && month >= 1 && month <= 12;
};

/** The fiscal year (a calendar year for Indonesian cooperatives) a date or month falls in. */
export const yearOf = (dateOrPeriod: string): number => Number(dateOrPeriod.slice(0, 4));

/** The last day of a fiscal year, the date of its closing entry. */
export const yearEnd = (year: number): LocalDate => `${String(year).padStart(4, "0")}-12-31`;

/**
 * The day an instant falls on in a time zone, `YYYY-MM-DD`. An instant's own UTC date is the previous day
 * in WIB, WITA and WIT for the last seven to nine hours of every evening, so every "today" and every
 * "recorded on" of a cooperative goes through here with its zone.
 */
export const localDateOf = (instant: Date | string, timeZone: string): LocalDate =>
  new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(
    typeof instant === "string" ? new Date(instant) : instant,
  ) as LocalDate;

/**
 * The later of two RFC 3339 instants ("" is earlier than any). A ledger's next event is recorded at the
 * later of the clock and the stream's last recording time, so `recordedAt` never goes backwards in a stream
 * whichever writer (the API, the import, a tag) appends and whatever its clock says.
 */
export const laterInstant = (left: string, right: string): string =>
  left === "" || Date.parse(right) > Date.parse(left) ? right : left;

/**
 * How far the stream's last recording time is ahead of the clock, in milliseconds, when that lead is
 * beyond RECORDED_AT_LEAD_MAX_MS; null otherwise (also for a stream with none yet, ""). Writers still
 * record at `laterInstant` (never backwards) and report such a lead as a clock fault.
 */
export const recordedAtLeadBeyondLimit = (last: string, clock: string): number | null => {
  if (last === "") return null;
  const lead = Date.parse(last) - Date.parse(clock);
  return lead > RECORDED_AT_LEAD_MAX_MS ? lead : null;
};
