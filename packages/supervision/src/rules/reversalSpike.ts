import { noteWithinWindow } from "../noteWithinWindow.js";
import type { Rule } from "../rule.js";
import { makeAlert } from "../rule.js";

export const REVERSAL_SPIKE_RULE = "reversal-spike";

const MS_PER_HOUR = 3_600_000;

interface RecentReversal {
  readonly entryId: string;
  readonly eventId: string;
  readonly recordedAtMs: number;
}

export interface ReversalSpikeState {
  /** Recent reversals per principal, oldest first; updated in place. */
  readonly byPrincipal: Map<string, RecentReversal[]>;
}

/** FRD-06: many reversals by one principal within a short time (concealment). Once raised, the count restarts. */
export const reversalSpikeRule: Rule<ReversalSpikeState> = {
  name: REVERSAL_SPIKE_RULE,
  eventTypes: ["JournalEntryPosted"],
  initialState: () => ({ byPrincipal: new Map() }),
  onEvent(state, event, { facts, entry, thresholds }, alerts) {
    if (event.type !== "JournalEntryPosted" || event.data.kind !== "reversal" || entry === null) return;
    const principal = event.data.postedBy;
    const recent = noteWithinWindow(
      state.byPrincipal,
      principal,
      {
        entryId: event.data.entryId,
        eventId: event.metadata.eventId,
        recordedAtMs: entry.recordedAtMs,
      },
      thresholds.reversalSpikeWindowHours * MS_PER_HOUR,
      thresholds.reversalSpikeCount,
    );
    if (recent === null) return;
    alerts.push(
      makeAlert({
        rule: REVERSAL_SPIKE_RULE,
        severity: "warning",
        facts,
        triggerIds: recent.map((item) => item.eventId),
        entryIds: recent.map((item) => item.entryId),
        summary: `Lonjakan pembalikan: ${recent.length} entri dibalik oleh ${principal} dalam ${thresholds.reversalSpikeWindowHours} jam`,
        raisedAt: event.metadata.recordedAt,
        details: {
          principalId: principal,
          count: recent.length,
          windowHours: thresholds.reversalSpikeWindowHours,
        },
      }),
    );
  },
};
