import { canonicalJson } from "@bukubesar/ledger-core";
import type { SerializedEvent } from "./eventSize.js";
import type { AppendResult } from "./port.js";
import { eventIdReused } from "./storeFailure.js";

/** What an adapter knows about an event id that is already stored. */
export interface StoredEventIdentity {
  readonly eventId: string;
  readonly streamId: string;
  readonly revision: number;
  readonly position: bigint;
  readonly type: string;
  /** The data exactly as stored (JSON text). */
  readonly data: string;
}

/**
 * Decides what an append means when some of its event ids are already stored.
 *
 * - None stored: a fresh append (returns null).
 * - All stored, in this stream, at consecutive revisions in the same order, with the same type and data:
 *   a retry of an append that already succeeded; returns the original result and nothing is written.
 * - Anything else (an id stored in another stream, with other content, out of order, or only some of the
 *   ids stored, or an id twice in the same append): EventIdReused, because our own event-id index is the
 *   authority and an id names exactly one event forever.
 */
export const resolveIdempotentAppend = (
  streamId: string,
  events: readonly SerializedEvent[],
  stored: ReadonlyMap<string, StoredEventIdentity>,
): AppendResult | null => {
  const seen = new Set<string>();
  for (const event of events) {
    if (seen.has(event.eventId)) throw eventIdReused(event.eventId);
    seen.add(event.eventId);
  }
  if (stored.size === 0) return null;
  let previous: StoredEventIdentity | undefined;
  for (const event of events) {
    const existing = stored.get(event.eventId);
    if (existing === undefined) {
      // Part of the append is new and part is stored: not a retry, so an id is being reused.
      const firstStored = events.find((candidate) => stored.has(candidate.eventId));
      throw eventIdReused(firstStored?.eventId ?? event.eventId);
    }
    if (
      existing.streamId !== streamId ||
      existing.type !== event.type ||
      !sameJsonText(existing.data, event.data) ||
      (previous !== undefined && existing.revision !== previous.revision + 1)
    ) {
      throw eventIdReused(event.eventId);
    }
    previous = existing;
  }
  if (previous === undefined) return null;
  return { nextExpectedRevision: previous.revision, position: previous.position, alreadyStored: true };
};

/**
 * Compares two JSON texts by value (their RFC 8785 canonical forms, as the hash chain writes them), so a
 * store that reorders object keys still recognises a retry.
 */
const sameJsonText = (left: string, right: string): boolean => {
  if (left === right) return true;
  return canonicalJson(JSON.parse(left)) === canonicalJson(JSON.parse(right));
};
