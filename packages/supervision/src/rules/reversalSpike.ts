import { millisecondsBetween } from "../localTime.js";
import type { Rule } from "../rule.js";
import { makeAlert, unchanged } from "../rule.js";

export const REVERSAL_SPIKE_RULE = "reversal-spike";

const MILLISECONDS_PER_HOUR = 3_600_000;

interface RecentReversal {
  readonly entryId: string;
  readonly eventId: string;
  readonly recordedAt: string;
}

export interface ReversalSpikeState {
  readonly byPrincipal: Readonly<Record<string, readonly RecentReversal[]>>;
}

/** FRD-06: many reversals by one principal within a short time (concealment). Once raised, the count restarts. */
export const reversalSpikeRule: Rule<ReversalSpikeState> = {
  name: REVERSAL_SPIKE_RULE,
  initialState: { byPrincipal: {} },
  onEvent(state, event, { after, thresholds }) {
    if (event.type !== "JournalEntryPosted" || event.data.kind !== "reversal") return unchanged(state);
    const principal = event.data.postedBy;
    const recordedAt = event.metadata.recordedAt;
    const windowMilliseconds = thresholds.reversalSpikeWindowHours * MILLISECONDS_PER_HOUR;
    const recent = [
      ...(state.byPrincipal[principal] ?? []).filter(
        (item) => millisecondsBetween(item.recordedAt, recordedAt) <= windowMilliseconds,
      ),
      { entryId: event.data.entryId, eventId: event.metadata.eventId, recordedAt },
    ];
    if (recent.length < thresholds.reversalSpikeCount) {
      return { state: { byPrincipal: { ...state.byPrincipal, [principal]: recent } }, alerts: [] };
    }
    return {
      state: { byPrincipal: { ...state.byPrincipal, [principal]: [] } },
      alerts: [
        makeAlert({
          rule: REVERSAL_SPIKE_RULE,
          severity: "warning",
          facts: after,
          triggerIds: recent.map((item) => item.eventId),
          entryIds: recent.map((item) => item.entryId),
          summary: `Lonjakan pembalikan: ${recent.length} entri dibalik oleh ${principal} dalam ${thresholds.reversalSpikeWindowHours} jam`,
          raisedAt: recordedAt,
          details: {
            principalId: principal,
            count: recent.length,
            windowHours: thresholds.reversalSpikeWindowHours,
          },
        }),
      ],
    };
  },
};
