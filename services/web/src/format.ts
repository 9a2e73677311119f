/**
 * Numbers, amounts, dates and times as PUEBI writes them (Rp1.234.567,50; 31 Desember 2026) and in
 * English when chosen. Amounts are formatted by packages/money from their exact wire strings.
 */
import { formatRupiah, parseSignedWire } from "@bukubesar/money";
import { MONTH_NAMES_ID } from "@bukubesar/report-render/browser";
import type { Language } from "./i18n.js";

const MONTHS: Readonly<Record<Language, readonly string[]>> = {
  id: MONTH_NAMES_ID,
  en: [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
  ],
};

/** "50000.50" → "Rp50.000,50"; negatives in parentheses as statements write them. */
export const rupiah = (wire: string | null | undefined): string =>
  wire === null || wire === undefined || wire === "" ? "–" : formatRupiah(parseSignedWire(wire));

/** "2026-12-31" → "31 Desember 2026" (or "31 December 2026"). */
export const longDate = (isoDate: string, language: Language): string => {
  const [year, month, day] = isoDate.slice(0, 10).split("-");
  const monthName = MONTHS[language][Number(month) - 1];
  return monthName === undefined ? isoDate : `${Number(day)} ${monthName} ${year}`;
};

/** The Indonesian name of each time zone a cooperative can be in. */
const ZONE_ABBREVIATIONS: Readonly<Record<string, string>> = {
  "Asia/Jakarta": "WIB",
  "Asia/Makassar": "WITA",
  "Asia/Jayapura": "WIT",
};

/** An instant as a date and time in the cooperative's zone: "31 Desember 2026 14.05 WIB". */
export const dateTime = (instant: string, timeZone: string, language: Language): string => {
  const parts = new Intl.DateTimeFormat("en-CA", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).formatToParts(new Date(instant));
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  const date = longDate(`${part("year")}-${part("month")}-${part("day")}`, language);
  // PUEBI separates hours and minutes with a full stop; English with a colon.
  const separator = language === "id" ? "." : ":";
  return `${date} ${part("hour")}${separator}${part("minute")} ${ZONE_ABBREVIATIONS[timeZone] ?? timeZone}`;
};

/** Today's date (YYYY-MM-DD) in a time zone. */
export const todayIn = (timeZone: string): string =>
  new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(
    new Date(),
  );

/** Whole numbers with PUEBI grouping: 12345 → "12.345". */
export const count = (value: number, language: Language): string =>
  new Intl.NumberFormat(language === "id" ? "id-ID" : "en-GB").format(value);
