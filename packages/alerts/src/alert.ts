import { createHash } from "node:crypto";

/** api.md's three severities; docs/domain.md's "report"/"critical" map to high, "high"/"medium" to warning, "low" to info. */
export type Severity = "info" | "warning" | "high";

export const SEVERITIES: readonly Severity[] = ["info", "warning", "high"];

/** Orders severities so that a minimum can be applied: info < warning < high. */
export const severityRank = (severity: Severity): number => {
  return SEVERITIES.indexOf(severity);
};

export const isSeverity = (value: unknown): value is Severity => {
  return typeof value === "string" && (SEVERITIES as readonly string[]).includes(value);
};

/** An alert exactly as api.md publishes it (NATS body, SSE event, list item). */
export interface Alert {
  readonly alertId: string;
  readonly rule: string;
  readonly severity: Severity;
  readonly coopId: string;
  readonly regionCode: string;
  readonly entryIds: readonly string[];
  /** One line, in Indonesian. */
  readonly summary: string;
  /** The recordedAt of the event (or clock tick) that raised it, so a replay raises the same alert. */
  readonly raisedAt: string;
  readonly details: Readonly<Record<string, unknown>>;
}

/**
 * A deterministic alert id: a UUID (version 8, RFC 9562) made of the SHA-256 of the rule name and the ids
 * of the events that raised it, so replaying the same history raises alerts with the same ids and every
 * downstream deduplication (event store, JetStream, subscribers) recognises them.
 */
export const alertIdFor = (rule: string, triggerIds: readonly string[]): string => {
  const digest = createHash("sha256")
    .update([rule, ...triggerIds].join("\n"), "utf8")
    .digest();
  const bytes = Buffer.from(digest.subarray(0, 16));
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x80;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
};
