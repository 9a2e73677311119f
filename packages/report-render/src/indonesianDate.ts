import type { LedgerReadModel } from "@bukubesar/projections";

/** Dates as Indonesian documents write them: "31 Desember 2026", or "31 Des 2026" in table columns. */

/** The months as Indonesian writes them; the web application's Indonesian dates use these too. */
export const MONTH_NAMES_ID = [
  "Januari",
  "Februari",
  "Maret",
  "April",
  "Mei",
  "Juni",
  "Juli",
  "Agustus",
  "September",
  "Oktober",
  "November",
  "Desember",
] as const;

const SHORT_MONTHS = [
  "Jan",
  "Feb",
  "Mar",
  "Apr",
  "Mei",
  "Jun",
  "Jul",
  "Agu",
  "Sep",
  "Okt",
  "Nov",
  "Des",
] as const;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

const parts = (date: string): { day: number; month: number; year: string } | null => {
  const match = ISO_DATE.exec(date);
  if (match === null) return null;
  return { year: match[1] ?? "", month: Number(match[2]) - 1, day: Number(match[3]) };
};

/** "2026-12-31" → "31 Desember 2026"; anything that is not an ISO date is returned as it is. */
export const dateInWords = (date: string): string => {
  const found = parts(date);
  return found === null ? date : `${found.day} ${MONTH_NAMES_ID[found.month] ?? ""} ${found.year}`;
};

/** "2026-12-05" → "5 Des 2026", for date columns. */
export const shortDate = (date: string): string => {
  const found = parts(date);
  return found === null ? date : `${found.day} ${SHORT_MONTHS[found.month] ?? ""} ${found.year}`;
};

/** The same day one year earlier ("2026-12-31" → "2025-12-31"; 29 February becomes the 28th). */
export const sameDayYearBefore = (date: string): string => {
  const year = Number(date.slice(0, 4)) - 1;
  const monthDay = date.slice(5) === "02-29" ? "02-28" : date.slice(5);
  return `${String(year).padStart(4, "0")}-${monthDay}`;
};

/** The period line of a statement over a range: a whole year reads "untuk tahun yang berakhir …". */
export const rangeInWords = (from: string, to: string): string => {
  if (from.slice(5) === "01-01" && to.slice(5) === "12-31" && from.slice(0, 4) === to.slice(0, 4))
    return `untuk tahun yang berakhir ${dateInWords(to)}`;
  return `untuk periode ${dateInWords(from)} sampai dengan ${dateInWords(to)}`;
};

/** Whether the cooperative has any posted entry on or before `date`: if not, there is no comparative. */
export const hasHistoryUpTo = (model: LedgerReadModel, date: string): boolean =>
  model.entries.some((entry) => entry.date <= date);

/** The end of the fiscal year before the one `date` falls in ("2026-06-30" → "2025-12-31"). */
export const previousYearEnd = (date: string): string => `${Number(date.slice(0, 4)) - 1}-12-31`;
