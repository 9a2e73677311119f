import type { Decimal } from "decimal.js";
import { D } from "./decimal.js";
import { fromSen, type Money, SEN_PER_RUPIAH, toSen } from "./money.js";

/** The unit parts are handed out in: single sen, or whole rupiah (cash-settled payouts, docs/domain.md section 9.3). */
export type AllocationUnit = "sen" | "rupiah";

export interface AllocateOptions {
  readonly unit: AllocationUnit;
}

/** A weight: a non-negative integer, decimal string ("12.5") or decimal. Never a JS number. */
export type AllocationWeight = bigint | string | Decimal;

/**
 * The most parts one allocation may have. A cooperative's SHU is split over its members, at most a few
 * tens of thousands; a million leaves ample room while keeping one call bounded.
 */
export const ALLOCATION_PARTS_MAX = 1_000_000;

/**
 * Splits `total` in proportion to `weights` by the largest-remainder method, so the parts always sum
 * exactly to the total (docs/domain.md section 9.3).
 *
 * How: each part first gets the whole units (sen, or rupiah) of its exact share, rounded down. The
 * units left over (fewer than the number of parts) go one each to the parts with the largest
 * remainders; ties go to the larger weight, then to the earlier part, so the result is deterministic.
 * With unit "rupiah", the total's own sen (below one rupiah) then go whole to the next part in the
 * same order, so at most one part carries sen and the sum is still exact.
 *
 * Guarantees: the parts sum to the total; a part whose weight is zero gets nothing; with a
 * non-negative total every part is non-negative. A negative total is split as its absolute value and
 * every part negated.
 *
 * Throws (these are bugs in the caller, not input errors): no weights, more than ALLOCATION_PARTS_MAX,
 * a negative or non-finite weight, or all weights zero. All-zero weights throw rather than split
 * evenly because "everybody earned nothing" must not silently become "everybody shares equally";
 * a caller who wants an even split passes equal weights.
 */
export const allocate = (
  total: Money,
  weights: readonly AllocationWeight[],
  options: AllocateOptions,
): Money[] => {
  if (weights.length === 0) {
    throw new RangeError("allocate needs at least one weight");
  }
  if (weights.length > ALLOCATION_PARTS_MAX) {
    throw new RangeError(`allocate takes at most ${ALLOCATION_PARTS_MAX} weights`);
  }
  const integerWeights = toIntegerWeights(weights);
  const weightTotal = integerWeights.reduce((a, b) => a + b, 0n);
  if (weightTotal === 0n) {
    throw new RangeError("allocate needs at least one positive weight");
  }

  const totalSen = toSen(total);
  const negative = totalSen < 0n;
  const magnitudeSen = negative ? -totalSen : totalSen;
  const unitSen = options.unit === "rupiah" ? SEN_PER_RUPIAH : 1n;
  const totalUnits = magnitudeSen / unitSen;
  const leftoverSen = magnitudeSen % unitSen;

  const unitsPerPart: bigint[] = [];
  const remainders: bigint[] = [];
  let unitsGiven = 0n;
  for (const weight of integerWeights) {
    const exact = totalUnits * weight;
    const units = exact / weightTotal;
    unitsPerPart.push(units);
    remainders.push(exact % weightTotal);
    unitsGiven += units;
  }

  // Largest remainder first; ties to the larger weight, then the earlier part.
  const order = integerWeights.map((_, index) => index);
  order.sort((a, b) => {
    const byRemainder = compareBigint(remainders[b] ?? 0n, remainders[a] ?? 0n);
    if (byRemainder !== 0) return byRemainder;
    const byWeight = compareBigint(integerWeights[b] ?? 0n, integerWeights[a] ?? 0n);
    return byWeight !== 0 ? byWeight : a - b;
  });

  // The units still to hand out are (sum of remainders) / weightTotal, fewer than the number of parts;
  // and at least that many plus one parts have a positive remainder when any are left, so none of
  // these units (nor the leftover sen below) can reach a part with zero weight.
  const partsSen = unitsPerPart.map((units) => units * unitSen);
  const unitsLeft = Number(totalUnits - unitsGiven);
  for (let rank = 0; rank < unitsLeft; rank += 1) {
    const index = order[rank] as number;
    partsSen[index] = (partsSen[index] ?? 0n) + unitSen;
  }
  if (leftoverSen > 0n) {
    const index = order[unitsLeft] as number;
    partsSen[index] = (partsSen[index] ?? 0n) + leftoverSen;
  }

  return partsSen.map((sen) => fromSen(negative ? -sen : sen));
};

/**
 * Scales all weights by the same power of ten so they become integers, which keeps the whole
 * computation in exact bigint arithmetic.
 */
const toIntegerWeights = (weights: readonly AllocationWeight[]): bigint[] => {
  const decimals = weights.map((weight, index) => {
    if (typeof weight === "bigint") {
      if (weight < 0n) throw new RangeError(`Weight ${index} is negative`);
      return null;
    }
    const value = new D(weight);
    if (!value.isFinite() || value.isNegative()) {
      // isNegative is also true for -0, which is harmless; accept it as zero.
      if (!value.isZero()) throw new RangeError(`Weight ${index} must be a finite non-negative number`);
    }
    return value.abs();
  });
  const scale = decimals.reduce(
    (max, value) => (value === null ? max : Math.max(max, value.decimalPlaces())),
    0,
  );
  return weights.map((weight, index) => {
    const value = decimals[index];
    if (value === null || value === undefined) return (weight as bigint) * 10n ** BigInt(scale);
    // toFixed with at least as many places as the value has is exact, whatever the precision.
    return BigInt(value.toFixed(scale).replace(".", ""));
  });
};

const compareBigint = (a: bigint, b: bigint): number => (a < b ? -1 : a > b ? 1 : 0);
