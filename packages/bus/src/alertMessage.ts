import type { Alert } from "@bukubesar/alerts";
import { isSeverity } from "@bukubesar/alerts";

/** The body api.md fixes for NATS (and SSE): exactly these keys, in this order. */
export const alertBody = (alert: Alert): string => {
  return JSON.stringify({
    alertId: alert.alertId,
    rule: alert.rule,
    severity: alert.severity,
    coopId: alert.coopId,
    regionCode: alert.regionCode,
    entryIds: alert.entryIds,
    summary: alert.summary,
    raisedAt: alert.raisedAt,
    details: alert.details,
  });
};

/** Parses a message body back into an alert; null when it is not one (a foreign publisher on the subject). */
export const parseAlertBody = (text: string): Alert | null => {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== "object" || value === null) return null;
  const candidate = value as Record<string, unknown>;
  if (
    typeof candidate.alertId !== "string" ||
    typeof candidate.rule !== "string" ||
    !isSeverity(candidate.severity) ||
    typeof candidate.coopId !== "string" ||
    typeof candidate.regionCode !== "string" ||
    !Array.isArray(candidate.entryIds) ||
    typeof candidate.summary !== "string" ||
    typeof candidate.raisedAt !== "string" ||
    typeof candidate.details !== "object" ||
    candidate.details === null
  ) {
    return null;
  }
  return candidate as unknown as Alert;
};
