import { LEDGER_STREAM_PREFIX } from "@bukubesar/ledger-core";
import type { Alert } from "@bukubesar/supervision";

/** Ledger streams are ledger-core's `ledger-<coopId>`; the supervisor judges their events and those of the audit streams. */
export { LEDGER_STREAM_PREFIX };
/**
 * Audit streams are `audit-<coopId>`: refusals that matter to supervisors (`CommandRefused` with code
 * `self_approval`, `period_closed` or `forbidden`), recorded by the API apart from the ledger, because a
 * refused request changes nothing in the ledger (api.md) but must still be seen and kept.
 */
export const AUDIT_STREAM_PREFIX = "audit-";
export const COMMAND_REFUSED = "CommandRefused";

export function auditStreamId(coopId: string): string {
  return `${AUDIT_STREAM_PREFIX}${coopId}`;
}

/** Whether the supervisor judges events of this stream (a ledger or an audit stream). */
export function isSupervisedStream(streamId: string): boolean {
  return streamId.startsWith(LEDGER_STREAM_PREFIX) || streamId.startsWith(AUDIT_STREAM_PREFIX);
}
/** Alerts are recorded per cooperative in `alerts-<coopId>`. */
export const ALERTS_STREAM_PREFIX = "alerts-";
/** The supervisor's own progress markers (rules checkpoint and outbox watermark). */
export const SUPERVISOR_PROGRESS_STREAM = "supervisor-progress";

export const ALERT_RAISED = "AlertRaised";
export const ALERT_ACKNOWLEDGED = "AlertAcknowledged";
export const SUPERVISOR_PROGRESS = "SupervisorProgress";

export function alertsStreamId(coopId: string): string {
  return `${ALERTS_STREAM_PREFIX}${coopId}`;
}

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

/**
 * `SupervisorProgress` data. `processedThrough`: every ledger event at or before this position has been
 * run through the rules and its alerts recorded. `publishedThrough`: every AlertRaised at or before this
 * store position has been confirmed published. Both are decimal strings, "-1" for nothing yet.
 */
export interface SupervisorProgressData {
  readonly processedThrough: string;
  readonly publishedThrough: string;
  /**
   * The broker stream the alerts went to and the last sequence it acknowledged, so a start finds out
   * whether the stream lost them meanwhile (absent in markers of older versions and without a broker).
   */
  readonly stream?: { readonly created: string; readonly lastSequence: number };
}

export function alertOf(data: AlertRaisedData): Alert {
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
}
