import type { Alert } from "./alert.js";

/**
 * Audit streams are `audit-<coopId>`: refusals that matter to supervisors (`CommandRefused` with code
 * `self_approval`, `period_closed` or `forbidden`), recorded by the API apart from the ledger, because a
 * refused request changes nothing in the ledger (api.md) but must still be seen and kept.
 */
export const AUDIT_STREAM_PREFIX = "audit-";
export const COMMAND_REFUSED = "CommandRefused";

export const auditStreamId = (coopId: string): string => {
  return `${AUDIT_STREAM_PREFIX}${coopId}`;
};

/** Alerts are recorded per cooperative in `alerts-<coopId>`. */
export const ALERTS_STREAM_PREFIX = "alerts-";

export const ALERT_RAISED = "AlertRaised";
export const ALERT_ACKNOWLEDGED = "AlertAcknowledged";

export const alertsStreamId = (coopId: string): string => {
  return `${ALERTS_STREAM_PREFIX}${coopId}`;
};

/**
 * `AlertRaised` data: the alert exactly as published, plus where it came from. The event id is the alert
 * id, so recording the same alert twice (replay, restart) is the store's idempotent re-append.
 */
export interface AlertRaisedData extends Alert {
  /** Global position of the ledger event that raised it (decimal string); null for a clock tick. */
  readonly triggerPosition: string | null;
  readonly triggerEventId: string | null;
}

export interface AlertAcknowledgedData {
  readonly alertId: string;
  readonly note: string;
  /** The principal id of the supervisor who acknowledged it. */
  readonly by: string;
  readonly acknowledgedAt: string;
}

/** The alert as published, without the recording's provenance. */
export const alertOf = (data: AlertRaisedData): Alert => {
  return {
    alertId: data.alertId,
    rule: data.rule,
    severity: data.severity,
    coopId: data.coopId,
    regionCode: data.regionCode,
    entryIds: data.entryIds,
    summary: data.summary,
    raisedAt: data.raisedAt,
    details: data.details,
  };
};
