/**
 * End-of-day balances of one `noOverdraft` account: one slot per day that has postings, in date order.
 *
 * A `noOverdraft` account must not be below zero as of ANY date, not just after all postings: a
 * back-dated outflow can leave today's balance positive while an earlier month-end report shows the
 * cash box negative. An entry dated D changes the balance at the end of D and of every later day, so
 * it is allowed only if the lowest of those balances stays at or above zero. Entries are almost always
 * dated today or a few days back, so both the check and the update walk from the newest slot backwards
 * and usually stop after one step. A cash account has at most a few hundred posting days a year.
 */
import type { LocalDate } from "./events.js";

export interface DailyBalances {
  /** The days with postings on the account, ascending, each once. */
  readonly dates: readonly LocalDate[];
  /** The account's balance in sen (normal side positive) at the end of the day at the same index. */
  readonly endOfDayBalance: readonly bigint[];
}

/** The writable form, owned by the writer in evolve.ts while it applies an event. */
export interface WritableDailyBalances {
  dates: LocalDate[];
  endOfDayBalance: bigint[];
}

export const emptyDailyBalances = (): WritableDailyBalances => ({ dates: [], endOfDayBalance: [] });

export const copyDailyBalances = (series: DailyBalances): WritableDailyBalances => ({
  dates: [...series.dates],
  endOfDayBalance: [...series.endOfDayBalance],
});

export interface LowestBalance {
  /** The lowest balance in sen at the end of `date` or of any later day. */
  readonly balance: bigint;
  /** The earliest day on which that lowest balance is shown. */
  readonly date: LocalDate;
}

/**
 * The lowest end-of-day balance from `date` on: the balance at the end of `date` (that of the last
 * posting day on or before it, or zero before the first) and that of every later posting day.
 */
export const lowestBalanceFrom = (series: DailyBalances | undefined, date: LocalDate): LowestBalance => {
  if (series === undefined) return { balance: 0n, date };
  let lowest: LowestBalance | null = null;
  let index = series.dates.length - 1;
  while (index >= 0) {
    const day = series.dates[index] as LocalDate;
    if (day <= date) break;
    const balance = series.endOfDayBalance[index] as bigint;
    // Walking backwards, `<=` keeps the earliest day among equally low ones.
    if (lowest === null || balance <= lowest.balance) lowest = { balance, date: day };
    index -= 1;
  }
  const atDate = index >= 0 ? (series.endOfDayBalance[index] as bigint) : 0n;
  return lowest === null || atDate <= lowest.balance ? { balance: atDate, date } : lowest;
};

/** Adds `delta` sen to the balance at the end of `date` and of every later day, in place. */
export const addToDailyBalances = (series: WritableDailyBalances, date: LocalDate, delta: bigint): void => {
  const { dates, endOfDayBalance } = series;
  let index = dates.length - 1;
  while (index >= 0 && (dates[index] as LocalDate) > date) {
    endOfDayBalance[index] = (endOfDayBalance[index] as bigint) + delta;
    index -= 1;
  }
  if (index >= 0 && dates[index] === date) {
    endOfDayBalance[index] = (endOfDayBalance[index] as bigint) + delta;
    return;
  }
  const before = index >= 0 ? (endOfDayBalance[index] as bigint) : 0n;
  if (index === dates.length - 1) {
    dates.push(date);
    endOfDayBalance.push(before + delta);
  } else {
    dates.splice(index + 1, 0, date);
    endOfDayBalance.splice(index + 1, 0, before + delta);
  }
};
