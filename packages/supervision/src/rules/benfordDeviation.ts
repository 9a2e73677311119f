import type { EntryLine } from "@bukubesar/ledger-core";
import type { Rule } from "../rule.js";
import { makeAlert } from "../rule.js";

export const BENFORD_DEVIATION_RULE = "benford-deviation";

/** Amounts below Rp10 (1,000 sen) carry too little to say anything about first digits. */
const MINIMUM_AMOUNT_SEN = 1_000n;
/** Digits of the deviation in the summary and the details. */
const DEVIATION_PLACES = 4;
const DIGIT_ZERO = 48;

/** Benford's expected share of each first digit 1–9: log10(1 + 1/d). */
export const BENFORD_EXPECTED: readonly number[] = [1, 2, 3, 4, 5, 6, 7, 8, 9].map((digit) =>
  Math.log10(1 + 1 / digit),
);

export interface BenfordState {
  /** Counts of first digits 1–9 (index 0 is digit 1) in the current window; updated in place. */
  readonly digitCounts: number[];
  amounts: number;
  firstEventId: string | null;
  readonly entryIds: string[];
}

/** Mean absolute deviation of observed first-digit shares from Benford's (Nigrini). */
export const benfordMeanAbsoluteDeviation = (digitCounts: readonly number[]): number => {
  const total = digitCounts.reduce((sum, count) => sum + count, 0);
  if (total === 0) return 0;
  let deviation = 0;
  for (let index = 0; index < 9; index += 1) {
    deviation += Math.abs((digitCounts[index] ?? 0) / total - (BENFORD_EXPECTED[index] ?? 0));
  }
  return deviation / 9;
};

/**
 * First digits of line amounts over tumbling windows of regular entries, compared with Benford's law. A
 * mean absolute deviation above Nigrini's nonconformity bound (0.015) says the figures may be made up.
 * The deviation is a statistic, not money, so JS numbers are fine here.
 */
export const benfordDeviationRule: Rule<BenfordState> = {
  name: BENFORD_DEVIATION_RULE,
  eventTypes: ["JournalEntryPosted"],
  initialState: () => ({
    digitCounts: [0, 0, 0, 0, 0, 0, 0, 0, 0],
    amounts: 0,
    firstEventId: null,
    entryIds: [],
  }),
  onEvent(state, event, { facts, entry, thresholds, parsed }, alerts) {
    if (event.type !== "JournalEntryPosted" || event.data.kind !== "regular" || entry === null) return;
    const lines = event.data.lines;
    for (let index = 0; index < lines.length; index += 1) {
      const line = lines[index] as EntryLine;
      if ((entry.amounts[index] ?? 0n) < MINIMUM_AMOUNT_SEN) continue;
      // A wire amount at or above Rp10 starts with its first significant digit.
      const digit = line.amount.charCodeAt(0) - DIGIT_ZERO;
      state.digitCounts[digit - 1] = (state.digitCounts[digit - 1] ?? 0) + 1;
      state.amounts += 1;
    }
    state.firstEventId ??= event.metadata.eventId;
    state.entryIds.push(event.data.entryId);
    if (state.amounts < thresholds.benfordWindow) return;
    const digitCounts = [...state.digitCounts];
    const amounts = state.amounts;
    const firstEventId = state.firstEventId;
    const entryIds = state.entryIds.splice(0);
    state.digitCounts.fill(0);
    state.amounts = 0;
    state.firstEventId = null;
    const deviation = benfordMeanAbsoluteDeviation(digitCounts);
    if (deviation <= parsed.benfordMaximumDeviation) return;
    alerts.push(
      makeAlert({
        rule: BENFORD_DEVIATION_RULE,
        severity: "info",
        facts,
        triggerIds: [firstEventId ?? event.metadata.eventId, event.metadata.eventId],
        entryIds,
        summary: `Sebaran digit pertama ${amounts} jumlah transaksi menyimpang dari hukum Benford (MAD ${deviation.toFixed(DEVIATION_PLACES)})`,
        raisedAt: event.metadata.recordedAt,
        details: {
          amounts,
          meanAbsoluteDeviation: deviation.toFixed(DEVIATION_PLACES),
          limit: thresholds.benfordMaximumDeviation,
          digitCounts,
        },
      }),
    );
  },
};
