import type { Rule } from "../rule.js";
import { makeAlert } from "../rule.js";

export const CLOSED_PERIOD_ATTEMPT_RULE = "closed-period-attempt";

/**
 * FRD-06: an attempt to record into a closed month. The API refuses it (422 period_closed) and records
 * nothing in the ledger, but it records a `CommandRefused` audit event with the date asked for; each
 * attempt raises a warning (closed books being written to, or someone probing whether they can be).
 */
export const closedPeriodAttemptRule: Rule<null> = {
  name: CLOSED_PERIOD_ATTEMPT_RULE,
  eventTypes: ["CommandRefused"],
  initialState: () => null,
  onEvent(_state, event, { facts }, alerts) {
    if (event.type !== "CommandRefused" || event.data.code !== "period_closed") return;
    const period = event.data.date === null ? null : event.data.date.slice(0, 7);
    alerts.push(
      makeAlert({
        rule: CLOSED_PERIOD_ATTEMPT_RULE,
        severity: "warning",
        facts,
        triggerIds: [event.metadata.eventId],
        entryIds: event.data.entryId === null ? [] : [event.data.entryId],
        summary: `Percobaan mencatat ke periode ${period ?? "yang"} sudah ditutup oleh ${event.data.principalId} (ditolak)`,
        raisedAt: event.metadata.recordedAt,
        details: {
          period,
          date: event.data.date,
          commandType: event.data.commandType,
          principalId: event.data.principalId,
          role: event.data.role,
        },
      }),
    );
  },
};
