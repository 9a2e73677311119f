import type { NewEvent } from "./port.js";
import { StoreFailure } from "./port.js";

/**
 * The largest event the store accepts, counted as the UTF-8 bytes of the data JSON plus the metadata JSON.
 * One mebibyte keeps a single event far below every adapter's own limits (SQLite's default row limit is
 * one gigabyte, EventStoreDB's default is 16 MiB) and far above any ledger entry we expect.
 */
export const EVENT_SIZE_MAX_BYTES = 1024 * 1024;

/** The serialized form of an event, as every adapter stores it. */
export interface SerializedEvent {
  readonly eventId: string;
  readonly type: string;
  readonly data: string;
  readonly metadata: string;
}

/**
 * Serializes each event to JSON and refuses the whole append with EventTooLarge when one of them is over the
 * limit, so nothing of an oversized append is ever written.
 */
export const serializeEvents = (events: readonly NewEvent[]): SerializedEvent[] => {
  return events.map((event) => {
    const data = JSON.stringify(event.data ?? null);
    const metadata = JSON.stringify(event.metadata ?? null);
    const bytes = Buffer.byteLength(data, "utf8") + Buffer.byteLength(metadata, "utf8");
    if (bytes > EVENT_SIZE_MAX_BYTES) {
      throw new StoreFailure({
        _tag: "EventTooLarge",
        eventId: event.eventId,
        bytes,
        limitBytes: EVENT_SIZE_MAX_BYTES,
      });
    }
    return { eventId: event.eventId, type: event.type, data, metadata };
  });
};
