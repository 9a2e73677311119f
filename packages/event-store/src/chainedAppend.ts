import { chainEvents, GENESIS_PREV_HASH } from "@bukubesar/ledger-core";
import type { AppendResult, EventStore, NewEvent } from "./port.js";
import { isStoreFailureOf } from "./storeFailure.js";
import { storedChainHash } from "./streamData.js";

/**
 * Appends tries this often when another writer moved the stream between reading its head and appending
 * (the supervisor and the API both write a cooperative's alerts stream).
 */
export const CHAINED_APPEND_ATTEMPTS_MAX = 16;

/**
 * Appends events to a stream that is hash-chained like a ledger (alerts, audit and principals streams),
 * so a deleted, edited or reordered event shows in `bukubesar verify` as it does in a ledger: the events
 * are chained from the stream's head (its last event's hash; 64 zeros for a new stream, or after events
 * recorded before these streams were chained) and appended at exactly the next revision, reading the head
 * again when another writer got there first.
 */
export const appendChained = async (
  store: EventStore,
  streamId: string,
  events: readonly NewEvent[],
): Promise<AppendResult> => {
  for (let attempt = 1; ; attempt += 1) {
    const [head] = await store.readStream(streamId, { direction: "backwards", limit: 1 });
    const headHash = head === undefined ? null : storedChainHash(head.metadata);
    const chained = chainEvents(
      events.map((event) => ({ ...event, metadata: (event.metadata ?? {}) as object })),
      {
        nextRevision: head === undefined ? 0 : head.revision + 1,
        headHash: headHash ?? GENESIS_PREV_HASH,
      },
    );
    try {
      return await store.append(streamId, head === undefined ? "no_stream" : head.revision, chained);
    } catch (error) {
      if (!isStoreFailureOf(error, "WrongExpectedRevision") || attempt >= CHAINED_APPEND_ATTEMPTS_MAX)
        throw error;
    }
  }
};
