export type { AlertAcknowledgedData, AlertRaisedData, SupervisorProgressData } from "./alertEvents.js";
export {
  ALERT_ACKNOWLEDGED,
  ALERT_RAISED,
  ALERTS_STREAM_PREFIX,
  AUDIT_STREAM_PREFIX,
  alertsStreamId,
  auditStreamId,
  COMMAND_REFUSED,
  isSupervisedStream,
  LEDGER_STREAM_PREFIX,
  SUPERVISOR_PROGRESS,
  SUPERVISOR_PROGRESS_STREAM,
} from "./alertEvents.js";
export { AlertOutbox } from "./alertOutbox.js";
export type {
  Acknowledgement,
  AlertListItem,
  AlertPage,
  AlertQuery,
  AlertsIndex,
  AlertsIndexOptions,
} from "./alertsIndex.js";
export { ALERTS_LIMIT_DEFAULT, ALERTS_LIMIT_MAX, openAlertsIndex } from "./alertsIndex.js";
export { appendChained, CHAINED_APPEND_ATTEMPTS_MAX } from "./chainedAppend.js";
export { supervisedEventOf } from "./supervisedEventOf.js";
export type { Clock, Supervisor, SupervisorOptions } from "./supervisor.js";
export {
  DEFAULT_PROGRESS_INTERVAL_MS,
  DEFAULT_TICK_INTERVAL_MS,
  startSupervisor,
} from "./supervisor.js";
