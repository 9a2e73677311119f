/**
 * End-of-day balances of one `noOverdraft` account: one slot per day that has postings, in date order.
 *
 * A `noOverdraft` account must not be below zero as of ANY date, not just after all postings: a
 * back-dated outflow can leave today's balance positive while an earlier month-end report shows the
 * cash box negative. An entry dated D changes the balance at the end of D and of every later day, so
 * it is allowed only if the lowest of those balances stays at or above zero.
 *
 * The series keeps each day's net change and the account's total, not the end-of-day balances
 * themselves: a posting then changes one slot (found by binary search) whatever its date, while a
 * back-dated posting used to add itself to every later day. A replay applies every posting and checks
 * none, so this made a history with back-dated entries (a year of days behind each) replay several times
 * faster. The check walks from the newest day backwards, subtracting each day's change from the total,
 * and entries are almost always dated today or a few days back, so it usually stops after one step.
 */
import type { LocalDate } from "./events.js";

export interface DailyBalances {
  /** The days with postings on the account, ascending, each once. */
  readonly dates: readonly LocalDate[];
  /** The net change in sen (normal side positive) of the postings dated on the day at the same index. */
  readonly dayChange: readonly bigint[];
  /** The sum of every day's change: the balance at the end of the last day. */
  readonly total: bigint;
}

/** The writable form, owned by the writer in evolve.ts while it applies an event. */
export interface WritableDailyBalances {
  dates: LocalDate[];
  dayChange: bigint[];
  total: bigint;
}

export const emptyDailyBalances = (): WritableDailyBalances => ({ dates: [], dayChange: [], total: 0n });

export const copyDailyBalances = (series: DailyBalances): WritableDailyBalances => ({
  dates: [...series.dates],
  dayChange: [...series.dayChange],
  total: series.total,
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
  // The balance at the end of the day at `index`.
  let balance = series.total;
  while (index >= 0) {
    const day = series.dates[index] as LocalDate;
    if (day <= date) break;
    // Walking backwards, `<=` keeps the earliest day among equally low ones.
    if (lowest === null || balance <= lowest.balance) lowest = { balance, date: day };
    balance -= series.dayChange[index] as bigint;
    index -= 1;
  }
  const atDate = index >= 0 ? balance : 0n;
  return lowest === null || atDate <= lowest.balance ? { balance: atDate, date } : lowest;
};

/** The balance at the end of every day of the series, in its order (for reports and tests). */
export const endOfDayBalances = (series: DailyBalances | undefined): bigint[] => {
  const balances: bigint[] = [];
  let balance = 0n;
  for (const change of series?.dayChange ?? []) {
    balance += change;
    balances.push(balance);
  }
  return balances;
};

/** The index of the first day of `dates` on or after `date` (dates.length when none is). */
const firstIndexFrom = (dates: readonly LocalDate[], date: LocalDate): number => {
  const last = dates.length - 1;
  // The common case: dated on or after the newest day.
  if (last < 0 || (dates[last] as LocalDate) < date) return dates.length;
  let low = 0;
  let high = last;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((dates[middle] as LocalDate) < date) low = middle + 1;
    else high = middle;
  }
  return low;
};

/** Adds `delta` sen to the balance at the end of `date` and of every later day, in place. */
export const addToDailyBalances = (series: WritableDailyBalances, date: LocalDate, delta: bigint): void => {
  const index = firstIndexFrom(series.dates, date);
  series.total += delta;
  if (index < series.dates.length && series.dates[index] === date) {
    series.dayChange[index] = (series.dayChange[index] as bigint) + delta;
  } else if (index === series.dates.length) {
    series.dates.push(date);
    series.dayChange.push(delta);
  } else {
    series.dates.splice(index, 0, date);
    series.dayChange.splice(index, 0, delta);
  }
};
