import { millisecondsBetween } from "../localTime.js";
import type { Rule } from "../rule.js";
import { makeAlert } from "../rule.js";

export const DORMANT_COOPERATIVE_RULE = "dormant-cooperative";

const MS_PER_DAY = 86_400_000;

export interface DormantState {
  /** The last activity already reported, so each quiet spell raises one alert. */
  reportedActivityEventId: string | null;
}

/**
 * A cooperative with no posting for N days (30 by default). Judged on clock ticks, since silence raises no
 * event; the alert id comes from the last activity, so every tick of one quiet spell names the same alert.
 */
export const dormantCooperativeRule: Rule<DormantState> = {
  name: DORMANT_COOPERATIVE_RULE,
  eventTypes: [],
  initialState: () => ({ reportedActivityEventId: null }),
  onEvent() {
    // Silence raises no event: judged on clock ticks only (eventTypes is empty, so this is never called).
  },
  onTick(state, tick, { facts, thresholds }, alerts) {
    const last = facts.lastActivityAt;
    const lastEventId = facts.lastActivityEventId;
    if (last === null || lastEventId === null || state.reportedActivityEventId === lastEventId) return;
    const quietMs = millisecondsBetween(last, tick.now);
    if (quietMs < thresholds.dormantDays * MS_PER_DAY) return;
    const days = Math.floor(quietMs / MS_PER_DAY);
    state.reportedActivityEventId = lastEventId;
    alerts.push(
      makeAlert({
        rule: DORMANT_COOPERATIVE_RULE,
        severity: "warning",
        facts,
        triggerIds: [lastEventId],
        entryIds: [],
        summary: `Koperasi tidak mencatat transaksi selama ${days} hari (terakhir ${last.slice(0, 10)})`,
        raisedAt: tick.now,
        details: { lastActivityAt: last, days, limitDays: thresholds.dormantDays },
      }),
    );
  },
};
