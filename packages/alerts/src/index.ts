/**
 * The alert vocabulary: what an alert is, its severities and its id. The rules (supervision) raise alerts,
 * the bus carries them and the API serves them; all three import this package, so the transport does not
 * depend on the rules.
 */
export type { Alert, Severity } from "./alert.js";
export { alertIdFor, isSeverity, SEVERITIES, severityRank } from "./alert.js";
