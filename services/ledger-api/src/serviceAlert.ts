/**
 * Alerts the service itself raises (not a supervision rule): recorded in the cooperative's alerts stream,
 * hash-chained like the supervisor's, so the alert routes, `alerts tail` after the supervisor's next start
 * and `verify` see them. The alert id is derived from the rule and what triggered it, so the same finding
 * recorded twice is one alert.
 */

import { ALERT_RAISED, type AlertRaisedData, alertsStreamId } from "@bukubesar/alerts";
import { appendChained, type EventStore, isStoreFailureOf } from "@bukubesar/event-store";
import { type Alert, alertIdFor, type Severity } from "@bukubesar/supervision";

export interface ServiceAlert {
  readonly coopId: string;
  readonly regionCode: string;
  readonly rule: string;
  readonly severity: Severity;
  /** One line, in Indonesian. */
  readonly summary: string;
  readonly details: Readonly<Record<string, unknown>>;
  /** What makes this finding this one (e.g. the snapshot's content hash), for the alert id. */
  readonly triggerIds: readonly string[];
}

/** Records the alert; the caller decides what to do when the store cannot take it. */
export const recordServiceAlert = async (
  store: EventStore,
  alert: ServiceAlert,
  raisedAt: string,
): Promise<Alert> => {
  const recorded: Alert = {
    alertId: alertIdFor(alert.rule, [alert.coopId, ...alert.triggerIds]),
    rule: alert.rule,
    severity: alert.severity,
    coopId: alert.coopId,
    regionCode: alert.regionCode,
    entryIds: [],
    summary: alert.summary,
    raisedAt,
    details: alert.details,
  };
  const data: AlertRaisedData = { ...recorded, triggerPosition: null, triggerEventId: null };
  await appendChained(store, alertsStreamId(alert.coopId), [
    {
      eventId: recorded.alertId,
      type: ALERT_RAISED,
      data,
      metadata: { principalId: "service", role: "system", recordedAt: raisedAt },
    },
  ]).catch((error: unknown) => {
    // The same finding recorded before (same id) is already there: that is the alert.
    if (!isStoreFailureOf(error, "EventIdReused")) throw error;
  });
  return recorded;
};
