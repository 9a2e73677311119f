import { isAtLeastFractionOf, ratioToString } from "../fraction.js";
import type { Rule } from "../rule.js";
import { makeAlert } from "../rule.js";

export const ROUND_NUMBERS_RULE = "round-number-clustering";

/** Digits of the share in the details. */
const SHARE_PLACES = 4;
const SEN_PER_RUPIAH = 100n;

export interface RoundNumbersState {
  /** Entries in the current (tumbling) window; the state is updated in place. */
  count: number;
  firstEventId: string | null;
  readonly roundEntryIds: string[];
}

/**
 * Too many entries in round millions: over each tumbling window of regular entries, the share whose total
 * is a whole multiple of Rp1,000,000. Invented figures tend to be round; real trade rarely is.
 */
export const roundNumbersRule: Rule<RoundNumbersState> = {
  name: ROUND_NUMBERS_RULE,
  eventTypes: ["JournalEntryPosted"],
  initialState: () => ({ count: 0, firstEventId: null, roundEntryIds: [] }),
  onEvent(state, event, { facts, entry, thresholds, parsed }, alerts) {
    if (event.type !== "JournalEntryPosted" || event.data.kind !== "regular" || entry === null) return;
    const unit = parsed.roundNumberUnitSen;
    const total = entry.total;
    if (total >= unit && total % unit === 0n) state.roundEntryIds.push(event.data.entryId);
    state.count += 1;
    state.firstEventId ??= event.metadata.eventId;
    if (state.count < thresholds.roundNumberWindow) return;
    const count = state.count;
    const roundEntryIds = state.roundEntryIds.splice(0);
    const firstEventId = state.firstEventId;
    state.count = 0;
    state.firstEventId = null;
    const rounds = BigInt(roundEntryIds.length);
    if (!isAtLeastFractionOf(rounds, parsed.roundNumberFraction, BigInt(count))) return;
    alerts.push(
      makeAlert({
        rule: ROUND_NUMBERS_RULE,
        severity: "info",
        facts,
        triggerIds: [firstEventId ?? event.metadata.eventId, event.metadata.eventId],
        entryIds: roundEntryIds,
        summary: `${ratioToString(rounds * 100n, BigInt(count), 0)}% dari ${count} entri terakhir berjumlah bulat kelipatan Rp${unit / SEN_PER_RUPIAH}`,
        raisedAt: event.metadata.recordedAt,
        details: {
          window: count,
          roundEntries: roundEntryIds.length,
          share: ratioToString(rounds, BigInt(count), SHARE_PLACES),
        },
      }),
    );
  },
};
