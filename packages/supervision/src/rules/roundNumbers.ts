import { Decimal } from "decimal.js";
import { entryTotal } from "../entryAnalysis.js";
import type { Rule } from "../rule.js";
import { makeAlert, unchanged } from "../rule.js";

export const ROUND_NUMBERS_RULE = "round-number-clustering";

export interface RoundNumbersState {
  readonly count: number;
  readonly firstEventId: string | null;
  readonly roundEntryIds: readonly string[];
}

const EMPTY: RoundNumbersState = { count: 0, firstEventId: null, roundEntryIds: [] };

/**
 * Too many entries in round millions: over each tumbling window of regular entries, the share whose total
 * is a whole multiple of Rp1,000,000. Invented figures tend to be round; real trade rarely is.
 */
export const roundNumbersRule: Rule<RoundNumbersState> = {
  name: ROUND_NUMBERS_RULE,
  initialState: EMPTY,
  onEvent(state, event, { after, thresholds }) {
    if (event.type !== "JournalEntryPosted" || event.data.kind !== "regular") return unchanged(state);
    const unit = new Decimal(thresholds.roundNumberUnit);
    const total = entryTotal(event.data.lines);
    const isRound = total.gte(unit) && total.mod(unit).isZero();
    const next: RoundNumbersState = {
      count: state.count + 1,
      firstEventId: state.firstEventId ?? event.metadata.eventId,
      roundEntryIds: isRound ? [...state.roundEntryIds, event.data.entryId] : state.roundEntryIds,
    };
    if (next.count < thresholds.roundNumberWindow) return unchanged(next);
    const share = new Decimal(next.roundEntryIds.length).div(next.count);
    if (share.lt(thresholds.roundNumberFraction)) return unchanged(EMPTY);
    const percent = share.times(100).toDecimalPlaces(0).toString();
    return {
      state: EMPTY,
      alerts: [
        makeAlert({
          rule: ROUND_NUMBERS_RULE,
          severity: "info",
          facts: after,
          triggerIds: [next.firstEventId ?? event.metadata.eventId, event.metadata.eventId],
          entryIds: next.roundEntryIds,
          summary: `${percent}% dari ${next.count} entri terakhir berjumlah bulat kelipatan Rp${unit.toFixed(0)}`,
          raisedAt: event.metadata.recordedAt,
          details: {
            window: next.count,
            roundEntries: next.roundEntryIds.length,
            share: share.toDecimalPlaces(4).toString(),
          },
        }),
      ],
    };
  },
};
