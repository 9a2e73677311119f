import { millisecondsBetween } from "../localTime.js";
import type { Rule } from "../rule.js";
import { makeAlert, unchanged } from "../rule.js";

export const DORMANT_COOPERATIVE_RULE = "dormant-cooperative";

const MILLISECONDS_PER_DAY = 86_400_000;

export interface DormantState {
  /** The last activity already reported, so each quiet spell raises one alert. */
  readonly reportedActivityEventId: string | null;
}

/**
 * A cooperative with no posting for N days (30 by default). Judged on clock ticks, since silence raises no
 * event; the alert id comes from the last activity, so every tick of one quiet spell names the same alert.
 */
export const dormantCooperativeRule: Rule<DormantState> = {
  name: DORMANT_COOPERATIVE_RULE,
  initialState: () => ({ reportedActivityEventId: null }),
  onEvent(state) {
    return unchanged(state);
  },
  onTick(state, tick, { facts, thresholds }) {
    const last = facts.lastActivityAt;
    const lastEventId = facts.lastActivityEventId;
    if (last === null || lastEventId === null || state.reportedActivityEventId === lastEventId)
      return unchanged(state);
    const quietMilliseconds = millisecondsBetween(last, tick.now);
    if (quietMilliseconds < thresholds.dormantDays * MILLISECONDS_PER_DAY) return unchanged(state);
    const days = Math.floor(quietMilliseconds / MILLISECONDS_PER_DAY);
    return {
      state: { reportedActivityEventId: lastEventId },
      alerts: [
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
      ],
    };
  },
};
