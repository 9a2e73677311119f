export { AlertOutbox } from "./alertOutbox.js";
export type { SupervisorStart } from "./rebuildRuleState.js";
export { RULE_SNAPSHOT_FORMAT, RULE_SNAPSHOT_NAME } from "./ruleSnapshot.js";
export type { RuleSnapshotCheck, RuleSnapshotScope } from "./ruleSnapshotCheck.js";
export { checkRuleSnapshot } from "./ruleSnapshotCheck.js";
export { supervisedEventOf } from "./supervisedEventOf.js";
export type { Clock, Supervisor, SupervisorOptions } from "./supervisor.js";
export {
  DEFAULT_PROGRESS_INTERVAL_MS,
  DEFAULT_SNAPSHOT_INTERVAL_MS,
  DEFAULT_TICK_INTERVAL_MS,
  startSupervisor,
} from "./supervisor.js";
export type { SupervisorProgressData } from "./supervisorProgress.js";
export { isSupervisedStream, SUPERVISOR_PROGRESS, SUPERVISOR_PROGRESS_STREAM } from "./supervisorProgress.js";
