import { Decimal } from "decimal.js";
import type { Rule } from "../rule.js";
import { makeAlert, unchanged } from "../rule.js";

export const BENFORD_DEVIATION_RULE = "benford-deviation";

/** Amounts below Rp10 carry too little to say anything about first digits. */
const MINIMUM_AMOUNT = 10;

/** Benford's expected share of each first digit 1–9: log10(1 + 1/d). */
export const BENFORD_EXPECTED: readonly number[] = [1, 2, 3, 4, 5, 6, 7, 8, 9].map((digit) =>
  Math.log10(1 + 1 / digit),
);

export interface BenfordState {
  /** Counts of first digits 1–9 (index 0 is digit 1). */
  readonly digitCounts: readonly number[];
  readonly amounts: number;
  readonly firstEventId: string | null;
  readonly entryIds: readonly string[];
}

const EMPTY: BenfordState = {
  digitCounts: [0, 0, 0, 0, 0, 0, 0, 0, 0],
  amounts: 0,
  firstEventId: null,
  entryIds: [],
};

/** Mean absolute deviation of observed first-digit shares from Benford's (Nigrini). */
export function benfordMeanAbsoluteDeviation(digitCounts: readonly number[]): number {
  const total = digitCounts.reduce((sum, count) => sum + count, 0);
  if (total === 0) return 0;
  let deviation = 0;
  for (let index = 0; index < 9; index += 1) {
    deviation += Math.abs((digitCounts[index] ?? 0) / total - (BENFORD_EXPECTED[index] ?? 0));
  }
  return deviation / 9;
}

/**
 * First digits of line amounts over tumbling windows of regular entries, compared with Benford's law. A
 * mean absolute deviation above Nigrini's nonconformity bound (0.015) says the figures may be made up.
 * The deviation is a statistic, not money, so JS numbers are fine here.
 */
export const benfordDeviationRule: Rule<BenfordState> = {
  name: BENFORD_DEVIATION_RULE,
  initialState: EMPTY,
  onEvent(state, event, { after, thresholds }) {
    if (event.type !== "JournalEntryPosted" || event.data.kind !== "regular") return unchanged(state);
    const digitCounts = [...state.digitCounts];
    let amounts = state.amounts;
    for (const line of event.data.lines) {
      const amount = new Decimal(line.amount);
      if (amount.lt(MINIMUM_AMOUNT)) continue;
      const digit = Number(amount.toFixed(0)[0]);
      digitCounts[digit - 1] = (digitCounts[digit - 1] ?? 0) + 1;
      amounts += 1;
    }
    const next: BenfordState = {
      digitCounts,
      amounts,
      firstEventId: state.firstEventId ?? event.metadata.eventId,
      entryIds: [...state.entryIds, event.data.entryId],
    };
    if (amounts < thresholds.benfordWindow) return unchanged(next);
    const deviation = benfordMeanAbsoluteDeviation(digitCounts);
    if (deviation <= Number(thresholds.benfordMaximumDeviation)) return unchanged(EMPTY);
    return {
      state: EMPTY,
      alerts: [
        makeAlert({
          rule: BENFORD_DEVIATION_RULE,
          severity: "info",
          facts: after,
          triggerIds: [next.firstEventId ?? event.metadata.eventId, event.metadata.eventId],
          entryIds: next.entryIds,
          summary: `Sebaran digit pertama ${amounts} jumlah transaksi menyimpang dari hukum Benford (MAD ${deviation.toFixed(4)})`,
          raisedAt: event.metadata.recordedAt,
          details: {
            amounts,
            meanAbsoluteDeviation: deviation.toFixed(4),
            limit: thresholds.benfordMaximumDeviation,
            digitCounts,
          },
        }),
      ],
    };
  },
};
