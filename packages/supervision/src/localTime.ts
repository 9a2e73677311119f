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

const formatterFor = (timeZone: string): Intl.DateTimeFormat => {
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
};

const twoDigits = (value: number): string => {
  return value < 10 ? `0${value}` : String(value);
};

const viaIntl = (milliseconds: number, timeZone: string): LocalDateTime => {
  const parts: Record<string, string> = {};
  for (const part of formatterFor(timeZone).formatToParts(new Date(milliseconds)))
    parts[part.type] = part.value;
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    time: `${parts.hour}:${parts.minute}`,
    weekday: WEEKDAYS.indexOf(parts.weekday ?? ""),
  };
};

const MS_PER_DAY = 86_400_000;
const MINUTES_PER_HOUR = 60;
const MINUTES_PER_DAY = 1_440;
const DAYS_PER_WEEK = 7;
/** 1970-01-01, day 0, was a Thursday. */
const EPOCH_WEEKDAY = 4;
/** Local dates kept written out; a replay moves through the calendar day by day, so few are in use at once. */
const DATES_CACHED_MAX = 4_096;

/** `HH:MM` of every minute of the day, written once: the rules read the local time of every entry. */
const TIMES_OF_DAY: readonly string[] = Array.from(
  { length: MINUTES_PER_DAY },
  (_, minute) =>
    `${twoDigits(Math.floor(minute / MINUTES_PER_HOUR))}:${twoDigits(minute % MINUTES_PER_HOUR)}`,
);

/** `YYYY-MM-DD` by days since 1970-01-01, for the days already written out. */
const datesByDay = new Map<number, string>();

const dateOfDay = (day: number): string => {
  let date = datesByDay.get(day);
  if (date === undefined) {
    const midnight = new Date(day * MS_PER_DAY);
    date = `${midnight.getUTCFullYear()}-${twoDigits(midnight.getUTCMonth() + 1)}-${twoDigits(midnight.getUTCDate())}`;
    if (datesByDay.size >= DATES_CACHED_MAX) datesByDay.clear();
    datesByDay.set(day, date);
  }
  return date;
};

/** Through a Date object: for an instant that is not a finite number (the caller's invalid recordedAt). */
const viaDate = (localMs: number): LocalDateTime => {
  const local = new Date(localMs);
  return {
    date: `${local.getUTCFullYear()}-${twoDigits(local.getUTCMonth() + 1)}-${twoDigits(local.getUTCDate())}`,
    time: `${twoDigits(local.getUTCHours())}:${twoDigits(local.getUTCMinutes())}`,
    weekday: local.getUTCDay(),
  };
};

/**
 * The local date, time and weekday of an instant (epoch milliseconds) in an IANA time zone. For the fixed
 * offsets it is arithmetic on the local day and minute, and the date and time strings are shared (no Date
 * and no string built per call), since the rules ask it for every posting of a replay.
 */
export const localDateTimeAt = (milliseconds: number, timeZone: string): LocalDateTime => {
  const offset = FIXED_OFFSET_MINUTES.get(timeZone);
  if (offset === undefined) return viaIntl(milliseconds, timeZone);
  const local = milliseconds + offset * MS_PER_MINUTE;
  if (!Number.isFinite(local)) return viaDate(local);
  const day = Math.floor(local / MS_PER_DAY);
  const minute = Math.floor((local - day * MS_PER_DAY) / MS_PER_MINUTE);
  return {
    date: dateOfDay(day),
    time: TIMES_OF_DAY[minute] as string,
    weekday: (((day + EPOCH_WEEKDAY) % DAYS_PER_WEEK) + DAYS_PER_WEEK) % DAYS_PER_WEEK,
  };
};

const DIGIT_ZERO = 48;

const digitsAt = (text: string, start: number, length: number): number => {
  let value = 0;
  for (let index = start; index < start + length; index += 1)
    value = value * 10 + text.charCodeAt(index) - DIGIT_ZERO;
  return value;
};

/**
 * Days since 1970-01-01 of a `YYYY-MM-DD` date, by arithmetic on the proleptic Gregorian calendar (Howard
 * Hinnant's days_from_civil): the rules compare dates on every entry, and Date.parse costs far more.
 */
export const epochDay = (date: string): number => {
  const year = digitsAt(date, 0, 4);
  const month = digitsAt(date, 5, 2);
  const day = digitsAt(date, 8, 2);
  const shiftedYear = month <= 2 ? year - 1 : year;
  const era = Math.floor(shiftedYear / 400);
  const yearOfEra = shiftedYear - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
};

/** Whole days from `earlier` to `later`, both `YYYY-MM-DD` (negative when `later` is before). */
export const daysBetween = (earlier: string, later: string): number => {
  return epochDay(later) - epochDay(earlier);
};

/** Milliseconds from one instant to another. */
export const millisecondsBetween = (earlier: string, later: string): number => {
  return Date.parse(later) - Date.parse(earlier);
};

const MS_PER_SECOND = 1_000;
const SECONDS_PER_MINUTE = 60;
/** The largest day of the month every month has; later days go through Date.parse, which knows each month. */
const DAY_IN_EVERY_MONTH_MAX = 28;
/** `toISOString`'s form, the one every recordedAt is written in: `d` a digit, anything else itself. */
const CANONICAL_INSTANT = "dddd-dd-ddTdd:dd:dd.dddZ";
const DIGIT_NINE = 57;
/** `d` in CANONICAL_INSTANT. */
const DIGIT_PLACEHOLDER = 100;

const isCanonicalInstant = (text: string): boolean => {
  if (text.length !== CANONICAL_INSTANT.length) return false;
  for (let index = 0; index < CANONICAL_INSTANT.length; index += 1) {
    const expected = CANONICAL_INSTANT.charCodeAt(index);
    const code = text.charCodeAt(index);
    const matches =
      expected === DIGIT_PLACEHOLDER ? code >= DIGIT_ZERO && code <= DIGIT_NINE : code === expected;
    if (!matches) return false;
  }
  return true;
};

/**
 * Epoch milliseconds of an RFC 3339 instant, as Date.parse gives them. The canonical UTC form is read by
 * arithmetic (Date.parse costs several hundred nanoseconds, paid for every posting of a replay); any other
 * form, and a day or time that may not exist, goes through Date.parse.
 */
export const instantMs = (text: string): number => {
  if (!isCanonicalInstant(text)) return Date.parse(text);
  const month = digitsAt(text, 5, 2);
  const day = digitsAt(text, 8, 2);
  const hour = digitsAt(text, 11, 2);
  const minute = digitsAt(text, 14, 2);
  const second = digitsAt(text, 17, 2);
  if (month < 1 || month > 12 || day < 1 || day > DAY_IN_EVERY_MONTH_MAX) return Date.parse(text);
  if (hour >= 24 || minute >= MINUTES_PER_HOUR || second >= SECONDS_PER_MINUTE) return Date.parse(text);
  const seconds = (hour * MINUTES_PER_HOUR + minute) * SECONDS_PER_MINUTE + second;
  return epochDay(text) * MS_PER_DAY + seconds * MS_PER_SECOND + digitsAt(text, 20, 3);
};
