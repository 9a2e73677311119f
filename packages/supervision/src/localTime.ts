/** An instant seen on a cooperative's wall clock. */
export interface LocalDateTime {
  /** `YYYY-MM-DD` */
  readonly date: string;
  /** `HH:MM`, 24-hour */
  readonly time: string;
  /** 0 = Sunday ... 6 = Saturday */
  readonly weekday: number;
}

const MS_PER_MINUTE = 60_000;

/**
 * Indonesia's three zones have fixed offsets and no daylight saving (WIB UTC+7, WITA UTC+8, WIT UTC+9), so
 * their local time is plain arithmetic; Intl (slow per call) is only used for any other IANA zone.
 */
const FIXED_OFFSET_MINUTES: ReadonlyMap<string, number> = new Map([
  ["Asia/Jakarta", 420],
  ["Asia/Pontianak", 420],
  ["Asia/Makassar", 480],
  ["Asia/Jayapura", 540],
  ["UTC", 0],
  ["Etc/UTC", 0],
]);

const WEEKDAYS: readonly string[] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
      weekday: "short",
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

function twoDigits(value: number): string {
  return value < 10 ? `0${value}` : String(value);
}

function viaIntl(milliseconds: number, timeZone: string): LocalDateTime {
  const parts: Record<string, string> = {};
  for (const part of formatterFor(timeZone).formatToParts(new Date(milliseconds)))
    parts[part.type] = part.value;
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    time: `${parts.hour}:${parts.minute}`,
    weekday: WEEKDAYS.indexOf(parts.weekday ?? ""),
  };
}

/** The local date, time and weekday of an instant (epoch milliseconds) in an IANA time zone. */
export function localDateTimeAt(milliseconds: number, timeZone: string): LocalDateTime {
  const offset = FIXED_OFFSET_MINUTES.get(timeZone);
  if (offset === undefined) return viaIntl(milliseconds, timeZone);
  const local = new Date(milliseconds + offset * MS_PER_MINUTE);
  return {
    date: `${local.getUTCFullYear()}-${twoDigits(local.getUTCMonth() + 1)}-${twoDigits(local.getUTCDate())}`,
    time: `${twoDigits(local.getUTCHours())}:${twoDigits(local.getUTCMinutes())}`,
    weekday: local.getUTCDay(),
  };
}

/** The local date, time and weekday of an RFC 3339 instant in an IANA time zone (Asia/Jakarta, ...). */
export function toLocalDateTime(instant: string, timeZone: string): LocalDateTime {
  return localDateTimeAt(Date.parse(instant), timeZone);
}

const DIGIT_ZERO = 48;

function digitsAt(text: string, start: number, length: number): number {
  let value = 0;
  for (let index = start; index < start + length; index += 1)
    value = value * 10 + text.charCodeAt(index) - DIGIT_ZERO;
  return value;
}

/**
 * Days since 1970-01-01 of a `YYYY-MM-DD` date, by arithmetic on the proleptic Gregorian calendar (Howard
 * Hinnant's days_from_civil): the rules compare dates on every entry, and Date.parse costs far more.
 */
export function epochDay(date: string): number {
  const year = digitsAt(date, 0, 4);
  const month = digitsAt(date, 5, 2);
  const day = digitsAt(date, 8, 2);
  const shiftedYear = month <= 2 ? year - 1 : year;
  const era = Math.floor(shiftedYear / 400);
  const yearOfEra = shiftedYear - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

/** Whole days from `earlier` to `later`, both `YYYY-MM-DD` (negative when `later` is before). */
export function daysBetween(earlier: string, later: string): number {
  return epochDay(later) - epochDay(earlier);
}

/** Milliseconds from one instant to another. */
export function millisecondsBetween(earlier: string, later: string): number {
  return Date.parse(later) - Date.parse(earlier);
}
