import type { Rule } from "../rule.js";
import { makeAlert, unchanged } from "../rule.js";

export const REOPENED_PERIOD_POSTING_RULE = "reopened-period-posting";

export interface ReopenedPeriodState {
  /** Periods reopened and not closed again, with the reopening's reason. */
  readonly reopened: Readonly<Record<string, string>>;
}

/**
 * An attempt to post into a closed period is refused and leaves no event, so it cannot be seen here. What
 * can be seen is the way around it: a period reopened (PeriodReopened) and entries then posted into it.
 * Each such entry raises a warning until the period is closed again.
 */
export const reopenedPeriodPostingRule: Rule<ReopenedPeriodState> = {
  name: REOPENED_PERIOD_POSTING_RULE,
  initialState: { reopened: {} },
  onEvent(state, event, { after }) {
    if (event.type === "PeriodReopened") {
      return unchanged({ reopened: { ...state.reopened, [event.data.period]: event.data.reason } });
    }
    if (event.type === "PeriodClosed") {
      const { [event.data.period]: _closed, ...reopened } = state.reopened;
      return unchanged({ reopened });
    }
    if (event.type !== "JournalEntryPosted") return unchanged(state);
    const period = event.data.date.slice(0, 7);
    const reason = state.reopened[period];
    if (reason === undefined) return unchanged(state);
    return {
      state,
      alerts: [
        makeAlert({
          rule: REOPENED_PERIOD_POSTING_RULE,
          severity: "warning",
          facts: after,
          triggerIds: [event.metadata.eventId],
          entryIds: [event.data.entryId],
          summary: `Entri dicatat ke periode ${period} yang telah ditutup lalu dibuka kembali`,
          raisedAt: event.metadata.recordedAt,
          details: { period, reopenReason: reason, date: event.data.date, postedBy: event.data.postedBy },
        }),
      ],
    };
  },
};
