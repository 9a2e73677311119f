import type { DayNumber } from "./sen.js";

/**
 * Debit and credit totals of one thing (an account, a member's account, an income line's dimension) per
 * calendar day, with a lazily built cumulative index so that "as of" a date is one binary search.
 *
 * Adding is O(1): a day's bucket is updated in a Map. The cumulative index (sorted days with running
 * totals) is kept valid while postings arrive in date order (the common case: it is then extended in
 * place) and dropped when a back-dated posting arrives; the next query rebuilds it in O(days). A year has
 * at most 366 days per account, so even a rebuild is cheap next to the query it serves.
 */
/**
 * One day's totals. Adding bigints allocates on every addition, which dominated the rebuild, so a day
 * accumulates in float64 integers (exact below 2^53 sen, about 90 trillion rupiah) and carries into a
 * bigint before a sum could leave that range. The value of a side is `carry + BigInt(small)`.
 */
export interface DayBucket {
  debitSmall: number;
  creditSmall: number;
  debitCarry: bigint;
  creditCarry: bigint;
}

/** Largest sen amount passed to `add` as a number; anything larger goes through `addBig`. */
export const SMALL_AMOUNT_MAX_SEN = 1e15;
/** A day's number part carries into the bigint part before reaching this, so it stays exact. */
const SMALL_SUM_MAX_SEN = Number.MAX_SAFE_INTEGER - SMALL_AMOUNT_MAX_SEN;

const debitOf = (bucket: DayBucket): bigint => bucket.debitCarry + BigInt(bucket.debitSmall);
const creditOf = (bucket: DayBucket): bigint => bucket.creditCarry + BigInt(bucket.creditSmall);

interface CumulativeIndex {
  readonly days: DayNumber[];
  readonly cumulativeDebit: bigint[];
  readonly cumulativeCredit: bigint[];
}

export class DailyTotals {
  private readonly buckets = new Map<DayNumber, DayBucket>();
  private index: CumulativeIndex | null = null;
  /** The bucket of the last day added to: postings mostly arrive day by day, so this skips the Map. */
  private lastDay: DayNumber = -1;
  private lastBucket: DayBucket | null = null;

  /** Adds a posting of `sen` (an integer number of sen, at most SMALL_AMOUNT_MAX_SEN) to day `day`. */
  add(day: DayNumber, isDebit: boolean, sen: number): void {
    const bucket = this.bucketOf(day);
    if (isDebit) {
      if (bucket.debitSmall > SMALL_SUM_MAX_SEN) {
        bucket.debitCarry += BigInt(bucket.debitSmall);
        bucket.debitSmall = 0;
      }
      bucket.debitSmall += sen;
    } else {
      if (bucket.creditSmall > SMALL_SUM_MAX_SEN) {
        bucket.creditCarry += BigInt(bucket.creditSmall);
        bucket.creditSmall = 0;
      }
      bucket.creditSmall += sen;
    }
    if (this.index !== null) this.extendIndex(day, isDebit, BigInt(sen));
  }

  /** Adds a posting of any size in sen. */
  addBig(day: DayNumber, isDebit: boolean, sen: bigint): void {
    const bucket = this.bucketOf(day);
    if (isDebit) bucket.debitCarry += sen;
    else bucket.creditCarry += sen;
    if (this.index !== null) this.extendIndex(day, isDebit, sen);
  }

  /** Every day's own totals as [day, debit sen, credit sen] with decimal strings, for snapshots. */
  toJSON(): Array<[DayNumber, string, string]> {
    return [...this.buckets.entries()].map(([day, bucket]) => [
      day,
      String(debitOf(bucket)),
      String(creditOf(bucket)),
    ]);
  }

  /** The totals a `toJSON` result describes. */
  static fromJSON(days: ReadonlyArray<readonly [DayNumber, string, string]>): DailyTotals {
    const totals = new DailyTotals();
    for (const [day, debit, credit] of days) {
      totals.addBig(day, true, BigInt(debit));
      totals.addBig(day, false, BigInt(credit));
    }
    return totals;
  }

  /**
   * Totals that went through the structured clone algorithm (node:v8 serialize and deserialize keep the
   * fields, Maps and bigints but not the class), made DailyTotals again in place.
   */
  static revive(cloned: object): DailyTotals {
    return Object.setPrototypeOf(cloned, DailyTotals.prototype) as DailyTotals;
  }

  private bucketOf(day: DayNumber): DayBucket {
    if (day === this.lastDay && this.lastBucket !== null) return this.lastBucket;
    let bucket = this.buckets.get(day);
    if (bucket === undefined) {
      bucket = { debitSmall: 0, creditSmall: 0, debitCarry: 0n, creditCarry: 0n };
      this.buckets.set(day, bucket);
    }
    this.lastDay = day;
    this.lastBucket = bucket;
    return bucket;
  }

  /** True when nothing was ever posted. */
  isEmpty(): boolean {
    return this.buckets.size === 0;
  }

  /** The first day with a posting, or null. */
  firstDay(): DayNumber | null {
    const index = this.ensureIndex();
    return index.days[0] ?? null;
  }

  /**
   * Cumulative debit and credit of every posting dated on or before `day`, and whether any posting was
   * dated on or before it.
   */
  asOf(day: DayNumber): { debit: bigint; credit: bigint; hasPostings: boolean } {
    const index = this.ensureIndex();
    const position = lastIndexAtOrBefore(index.days, day);
    if (position < 0) return { debit: 0n, credit: 0n, hasPostings: false };
    return {
      debit: index.cumulativeDebit[position] as bigint,
      credit: index.cumulativeCredit[position] as bigint,
      hasPostings: true,
    };
  }

  /** Debit and credit totals of postings dated from `fromDay` to `toDay`, both inclusive. */
  between(fromDay: DayNumber, toDay: DayNumber): { debit: bigint; credit: bigint } {
    if (toDay < fromDay) return { debit: 0n, credit: 0n };
    const end = this.asOf(toDay);
    const start = this.asOf(fromDay - 1);
    return { debit: end.debit - start.debit, credit: end.credit - start.credit };
  }

  /** The days with postings in [fromDay, toDay], ascending, with that day's own totals. */
  daysBetween(
    fromDay: DayNumber,
    toDay: DayNumber,
  ): Array<{ day: DayNumber; debit: bigint; credit: bigint }> {
    const index = this.ensureIndex();
    const result: Array<{ day: DayNumber; debit: bigint; credit: bigint }> = [];
    let position = lastIndexAtOrBefore(index.days, fromDay - 1) + 1;
    for (; position < index.days.length; position++) {
      const day = index.days[position] as DayNumber;
      if (day > toDay) break;
      const bucket = this.buckets.get(day) as DayBucket;
      result.push({ day, debit: debitOf(bucket), credit: creditOf(bucket) });
    }
    return result;
  }

  private extendIndex(day: DayNumber, isDebit: boolean, sen: bigint): void {
    const index = this.index;
    if (index === null) return;
    // Only reached while queries run between postings (live following); a rebuild never builds the index.
    const last = index.days.length - 1;
    const lastDay = last >= 0 ? (index.days[last] as DayNumber) : -1;
    if (day === lastDay) {
      const totals = isDebit ? index.cumulativeDebit : index.cumulativeCredit;
      totals[last] = (totals[last] as bigint) + sen;
    } else if (day > lastDay) {
      appendDay(index, day, isDebit, sen);
    } else {
      // A back-dated posting shifts every later cumulative total; rebuild on the next query instead.
      this.index = null;
    }
  }

  private ensureIndex(): CumulativeIndex {
    if (this.index !== null) return this.index;
    const days = [...this.buckets.keys()].sort((left, right) => left - right);
    const cumulativeDebit: bigint[] = new Array(days.length);
    const cumulativeCredit: bigint[] = new Array(days.length);
    let debit = 0n;
    let credit = 0n;
    for (let position = 0; position < days.length; position++) {
      const bucket = this.buckets.get(days[position] as DayNumber) as DayBucket;
      debit += debitOf(bucket);
      credit += creditOf(bucket);
      cumulativeDebit[position] = debit;
      cumulativeCredit[position] = credit;
    }
    this.index = { days, cumulativeDebit, cumulativeCredit };
    return this.index;
  }
}

/** Adds a day after the index's last one, its cumulative totals carried on from the last day's. */
const appendDay = (index: CumulativeIndex, day: DayNumber, isDebit: boolean, sen: bigint): void => {
  const last = index.days.length - 1;
  const previousDebit = last >= 0 ? (index.cumulativeDebit[last] as bigint) : 0n;
  const previousCredit = last >= 0 ? (index.cumulativeCredit[last] as bigint) : 0n;
  index.days.push(day);
  index.cumulativeDebit.push(isDebit ? previousDebit + sen : previousDebit);
  index.cumulativeCredit.push(isDebit ? previousCredit : previousCredit + sen);
};

/** The position of the last element ≤ `day` in the ascending `days`, or -1. */
const lastIndexAtOrBefore = (days: readonly DayNumber[], day: DayNumber): number => {
  let low = 0;
  let high = days.length - 1;
  let found = -1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    if ((days[middle] as DayNumber) <= day) {
      found = middle;
      low = middle + 1;
    } else {
      high = middle - 1;
    }
  }
  return found;
};
