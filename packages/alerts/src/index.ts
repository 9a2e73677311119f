/**
 * The alert vocabulary: what an alert is, its severities and its id, the events that record alerts and
 * refusals (`alerts-<coopId>`, `audit-<coopId>`) and the alerts index read from them. The rules
 * (supervision) raise alerts, the supervisor records them, the bus carries them and the API serves them;
 * all import this package, so neither the transport depends on the rules nor the API on the supervisor.
 */
export type { Alert, Severity } from "./alert.js";
export { alertIdFor, isSeverity, SEVERITIES, severityRank } from "./alert.js";
export type { AlertAcknowledgedData, AlertRaisedData } from "./alertEvents.js";
export {
  ALERT_ACKNOWLEDGED,
  ALERT_RAISED,
  ALERTS_STREAM_PREFIX,
  AUDIT_STREAM_PREFIX,
  alertOf,
  alertsStreamId,
  auditStreamId,
  COMMAND_REFUSED,
} from "./alertEvents.js";
export type {
  Acknowledgement,
  AlertListItem,
  AlertPage,
  AlertQuery,
  AlertsIndex,
  AlertsIndexOptions,
} from "./alertsIndex.js";
export { ALERTS_LIMIT_DEFAULT, ALERTS_LIMIT_MAX, openAlertsIndex } from "./alertsIndex.js";
