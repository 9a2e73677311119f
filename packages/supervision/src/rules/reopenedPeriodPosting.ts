import type { Rule } from "../rule.js";
import { makeAlert } from "../rule.js";

export const REOPENED_PERIOD_POSTING_RULE = "reopened-period-posting";

export interface ReopenedPeriodState {
  /** Periods reopened and not closed again, with the reopening's reason; updated in place. */
  readonly reopened: Map<string, string>;
}

/**
 * An attempt to post into a closed period is refused and leaves no ledger event (closed-period-attempt
 * judges its audit event). What this rule sees is the way around it: a period reopened (PeriodReopened) and entries then posted into it.
 * Each such entry raises a warning until the period is closed again.
 */
export const reopenedPeriodPostingRule: Rule<ReopenedPeriodState> = {
  name: REOPENED_PERIOD_POSTING_RULE,
  eventTypes: ["PeriodReopened", "PeriodClosed", "JournalEntryPosted"],
  initialState: () => ({ reopened: new Map() }),
  onEvent(state, event, { facts }, alerts) {
    if (event.type === "PeriodReopened") {
      state.reopened.set(event.data.period, event.data.reason);
      return;
    }
    if (event.type === "PeriodClosed") {
      state.reopened.delete(event.data.period);
      return;
    }
    if (event.type !== "JournalEntryPosted" || state.reopened.size === 0) return;
    const period = event.data.date.slice(0, 7);
    const reason = state.reopened.get(period);
    if (reason === undefined) return;
    alerts.push(
      makeAlert({
        rule: REOPENED_PERIOD_POSTING_RULE,
        severity: "warning",
        facts,
        triggerIds: [event.metadata.eventId],
        entryIds: [event.data.entryId],
        summary: `Entri dicatat ke periode ${period} yang telah ditutup lalu dibuka kembali`,
        raisedAt: event.metadata.recordedAt,
        details: { period, reopenReason: reason, date: event.data.date, postedBy: event.data.postedBy },
      }),
    );
  },
};
