import { readFileSync } from "node:fs";

/** National holidays: local date `YYYY-MM-DD` → name. */
export type HolidayCalendar = ReadonlyMap<string, string>;

interface HolidayFile {
  readonly years: Readonly<Record<string, { readonly dates: Readonly<Record<string, string>> }>>;
}

/** Builds a calendar from the shape of data/holidays-id.json (one list per year). */
export const holidayCalendarFrom = (file: HolidayFile): HolidayCalendar => {
  const calendar = new Map<string, string>();
  for (const year of Object.values(file.years)) {
    for (const [date, name] of Object.entries(year.dates)) calendar.set(date, name);
  }
  return calendar;
};

let indonesianHolidays: HolidayCalendar | undefined;

/**
 * Indonesia's national holidays from the data file shipped with this package (packages/supervision/data/
 * holidays-id.json), read once. Operators update that file each year from the SKB 3 Menteri.
 */
export const indonesianHolidayCalendar = (): HolidayCalendar => {
  if (indonesianHolidays === undefined) {
    const text = readFileSync(new URL("../data/holidays-id.json", import.meta.url), "utf8");
    indonesianHolidays = holidayCalendarFrom(JSON.parse(text) as HolidayFile);
  }
  return indonesianHolidays;
};
