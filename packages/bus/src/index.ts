export type { AlertBus, AlertFilter, AlertSubscription, BusStreamState, PublishResult } from "./alertBus.js";
export type { AlertBusConfig } from "./alertBusConfig.js";
export { alertBusConfigFromEnvironment, openAlertBus } from "./alertBusConfig.js";
export { alertBody, parseAlertBody } from "./alertMessage.js";
export {
  ALL_REGIONS,
  alertFilterSubject,
  alertSubject,
  DEFAULT_ALERTS_STREAM,
  DEFAULT_SUBJECT_PREFIX,
  InvalidRegion,
  isRegionPrefix,
  regionMatches,
} from "./alertSubjects.js";
export { createInProcessAlertBus } from "./inProcessAlertBus.js";
export type { NatsAlertBus, NatsAlertBusOptions } from "./natsAlertBus.js";
export {
  AlertStreamMisconfigured,
  DEFAULT_DUPLICATE_WINDOW_MS,
  ensureAlertStream,
  openNatsAlertBus,
  PUBLISH_TIMEOUT_MS,
  STREAM_MISSING_CONFIRM_MS,
  StreamNotSettled,
} from "./natsAlertBus.js";
export { RecentIds } from "./recentIds.js";
export { settlesWithin } from "./settlesWithin.js";
