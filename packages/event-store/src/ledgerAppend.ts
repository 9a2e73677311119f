/**
 * The one write path of a ledger: the API's command handler and the CLI's import both record decided
 * events through `appendToLedger` and look keyed requests up through `lookUpKeyedRequest`. It chains the
 * events (hash chain and metadata), appends them with the expected revision, and says what happened as a
 * tagged value; what to do next (decide again, answer a replay, refuse a reused key) is the caller's, and
 * how to tell a client is the HTTP edge's: nothing here knows HTTP.
 */
import {
  type BaseMetadata,
  eventIdFor,
  type LedgerEvent,
  ledgerStreamId,
  type RecordedLedgerEvent,
  recordEvents,
  recordedLedgerEventOf,
} from "@bukubesar/ledger-core";
import type { EventStore, NewEvent } from "./port.js";
import { isStoreFailureOf } from "./storeFailure.js";

/**
 * The pause before deciding again after a conflict is random, up to this times 2^retry and never more than
 * LEDGER_CONFLICT_BACKOFF_MAX_MS ("full jitter"): writers that collided do not collide again at once. The
 * API's command handler and the CLI's import both pause so (ledgerConflictBackoffMs).
 */
export const LEDGER_CONFLICT_BACKOFF_BASE_MS = 2;
export const LEDGER_CONFLICT_BACKOFF_MAX_MS = 100;

/**
 * How long to wait before the `retry`-th decision after a conflict (from 0): a random time up to a
 * doubling bound, never more than LEDGER_CONFLICT_BACKOFF_MAX_MS.
 */
export const ledgerConflictBackoffMs = (retry: number, random: () => number = Math.random): number =>
  random() * Math.min(LEDGER_CONFLICT_BACKOFF_MAX_MS, LEDGER_CONFLICT_BACKOFF_BASE_MS * 2 ** retry);

/** Where the next append to a ledger goes: its last revision (-1 for none) and that event's chain hash. */
export interface LedgerHead {
  readonly revision: number;
  readonly headHash: string;
}

/** What one append of decided events came to. */
export type LedgerAppendOutcome =
  /** Stored: the events as recorded (revisions, metadata, hashes) and the global position of the last. */
  | {
      readonly kind: "appended";
      readonly recorded: readonly RecordedLedgerEvent[];
      readonly position: bigint;
    }
  /** Another writer moved the stream first: catch up and decide again. */
  | { readonly kind: "conflict" }
  /** The event ids are stored already (an earlier run of the same request): look the request up. */
  | { readonly kind: "already_stored" };

/**
 * Chains `events` after `head`, each with the metadata `metadataOf` gives for its index, and appends
 * them to the cooperative's stream expecting `head.revision`. A store failure other than a conflict or a
 * reused id is thrown as it is (the store is unavailable, an event is too large).
 */
export const appendToLedger = async (
  store: EventStore,
  coopId: string,
  head: LedgerHead,
  events: readonly LedgerEvent[],
  metadataOf: (index: number) => BaseMetadata,
): Promise<LedgerAppendOutcome> => {
  const recorded = recordEvents(
    events,
    { nextRevision: head.revision + 1, headHash: head.headHash },
    (_event, index) => metadataOf(index),
  );
  if (recorded.length === 0) return { kind: "appended", recorded, position: -1n };
  const newEvents: NewEvent[] = recorded.map((event) => ({
    eventId: event.metadata.eventId,
    type: event.type,
    data: event.data,
    metadata: event.metadata,
  }));
  const expectedLast = head.revision + recorded.length;
  try {
    const result = await store.append(
      ledgerStreamId(coopId),
      head.revision < 0 ? "no_stream" : head.revision,
      newEvents,
    );
    // The store answers an append of ids it already holds as a no-op returning the original result.
    if (result.alreadyStored) return { kind: "already_stored" };
    if (result.nextExpectedRevision !== expectedLast) return { kind: "conflict" };
    return { kind: "appended", recorded, position: result.position };
  } catch (error) {
    if (isStoreFailureOf(error, "WrongExpectedRevision")) return { kind: "conflict" };
    if (isStoreFailureOf(error, "EventIdReused")) return { kind: "already_stored" };
    throw error;
  }
};

/** The events one command may produce at most (a cooperative opened with its chart is the largest). */
const EVENTS_PER_COMMAND_MAX = 10_000;

/** Whether a keyed request was recorded, and if so whether by this same request. */
export type KeyedRequestLookup =
  | { readonly kind: "not_recorded" }
  /** Recorded by the same request (same request hash): a retry, answered with the events it recorded. */
  | { readonly kind: "replay"; readonly events: readonly RecordedLedgerEvent[] }
  /** Recorded by another request under the same key. */
  | { readonly kind: "id_reused" };

/** A key's first recorded request hash against the one asking now. */
export const keyedRequestMatch = (
  recordedRequestHash: string | null,
  requestHash: string | null,
): "replay" | "id_reused" => (recordedRequestHash === requestHash ? "replay" : "id_reused");

/** The events a keyed command with this base id recorded, in order, checked as ledger events. */
export const lookUpKeyedRequest = async (
  store: EventStore,
  baseId: string,
  requestHash: string | null,
): Promise<KeyedRequestLookup> => {
  const events: RecordedLedgerEvent[] = [];
  for (let index = 0; index < EVENTS_PER_COMMAND_MAX; index++) {
    const stored = await store.readEventById(eventIdFor(baseId, index));
    if (stored === null) break;
    events.push(recordedLedgerEventOf(stored));
  }
  const first = events[0];
  if (first === undefined) return { kind: "not_recorded" };
  return keyedRequestMatch(first.metadata.requestHash, requestHash) === "replay"
    ? { kind: "replay", events }
    : { kind: "id_reused" };
};
