import { AUDIT_STREAM_PREFIX } from "@bukubesar/alerts";
import type { StoredEvent } from "@bukubesar/event-store";
import { LEDGER_STREAM_PREFIX } from "@bukubesar/ledger-core";
import type { SupervisedEvent } from "@bukubesar/supervision";

/**
 * A stored ledger or audit event as the rules take it: cooperative from the stream id (`ledger-<coopId>`
 * or `audit-<coopId>`), metadata from the event.
 */
export const supervisedEventOf = (stored: StoredEvent): SupervisedEvent => {
  const metadata = (stored.metadata ?? {}) as Partial<Record<"principalId" | "role" | "recordedAt", string>>;
  return {
    type: stored.type,
    data: stored.data,
    coopId: stored.streamId.slice(
      stored.streamId.startsWith(AUDIT_STREAM_PREFIX)
        ? AUDIT_STREAM_PREFIX.length
        : LEDGER_STREAM_PREFIX.length,
    ),
    revision: stored.revision,
    metadata: {
      eventId: stored.eventId,
      principalId: metadata.principalId ?? "unknown",
      role: metadata.role ?? "system",
      recordedAt: metadata.recordedAt ?? stored.recordedAt,
    },
  } as SupervisedEvent;
};
