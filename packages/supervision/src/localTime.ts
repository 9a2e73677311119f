/** An instant seen on a cooperative's wall clock. */
export interface LocalDateTime {
  /** `YYYY-MM-DD` */
  readonly date: string;
  /** `HH:MM`, 24-hour */
  readonly time: string;
  /** 0 = Sunday ... 6 = Saturday */
  readonly weekday: number;
}

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

/** The local date, time and weekday of an RFC 3339 instant in an IANA time zone (Asia/Jakarta, ...). */
export function toLocalDateTime(instant: string, timeZone: string): LocalDateTime {
  const parts: Record<string, string> = {};
  for (const part of formatterFor(timeZone).formatToParts(new Date(instant))) parts[part.type] = part.value;
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    time: `${parts.hour}:${parts.minute}`,
    weekday: WEEKDAYS.indexOf(parts.weekday ?? ""),
  };
}

const MILLISECONDS_PER_DAY = 86_400_000;

/** Whole days from `earlier` to `later`, both `YYYY-MM-DD` (negative when `later` is before). */
export function daysBetween(earlier: string, later: string): number {
  return Math.round(
    (Date.parse(`${later}T00:00:00Z`) - Date.parse(`${earlier}T00:00:00Z`)) / MILLISECONDS_PER_DAY,
  );
}

/** Milliseconds from one instant to another. */
export function millisecondsBetween(earlier: string, later: string): number {
  return Date.parse(later) - Date.parse(earlier);
}
