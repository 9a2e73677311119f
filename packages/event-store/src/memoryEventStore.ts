import { CommitNotifier, catchUpSubscription } from "./catchUpSubscription.js";
import { serializeEvents } from "./eventSize.js";
import { resolveIdempotentAppend, type StoredEventIdentity } from "./idempotentAppend.js";
import type {
  AppendResult,
  EventStore,
  ExpectedRevision,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  StoredEvent,
  SubscribeOptions,
  Subscription,
} from "./port.js";
import { checkExpectedRevision, storeUnavailable } from "./storeFailure.js";

interface MemoryRecord {
  readonly event: StoredEvent;
  /** The data as JSON text, kept to compare re-appends exactly as the other adapters do. */
  readonly dataJson: string;
}

/**
 * An EventStore held in this process's memory, for unit tests and simulations. It stores events as JSON
 * text and parses them on every read, so a caller can never mutate stored history through a reference.
 */
export class MemoryEventStore implements EventStore {
  private readonly records: MemoryRecord[] = [];
  private readonly streams = new Map<string, MemoryRecord[]>();
  private readonly byEventId = new Map<string, MemoryRecord>();
  private readonly notifier = new CommitNotifier();
  private closed = false;

  async append(
    streamId: string,
    expected: ExpectedRevision,
    events: readonly NewEvent[],
  ): Promise<AppendResult> {
    this.assertOpen();
    const serialized = serializeEvents(events);
    const stored = new Map<string, StoredEventIdentity>();
    for (const event of serialized) {
      const record = this.byEventId.get(event.eventId);
      if (record) {
        stored.set(event.eventId, {
          eventId: record.event.eventId,
          streamId: record.event.streamId,
          revision: record.event.revision,
          position: record.event.position,
          type: record.event.type,
          data: record.dataJson,
        });
      }
    }
    const original = resolveIdempotentAppend(streamId, serialized, stored);
    if (original) return original;
    const stream = this.streams.get(streamId);
    const actual = stream === undefined ? "no_stream" : stream.length - 1;
    checkExpectedRevision(streamId, expected, actual);
    if (serialized.length === 0) {
      return {
        nextExpectedRevision: actual === "no_stream" ? -1 : actual,
        position: this.head(),
        alreadyStored: false,
      };
    }
    const target = stream ?? [];
    const recordedAt = new Date().toISOString();
    for (const event of serialized) {
      const record: MemoryRecord = {
        event: Object.freeze({
          streamId,
          revision: target.length,
          position: BigInt(this.records.length + 1),
          eventId: event.eventId,
          type: event.type,
          data: event.data,
          metadata: event.metadata,
          recordedAt,
        }),
        dataJson: event.data,
      };
      target.push(record);
      this.records.push(record);
      this.byEventId.set(event.eventId, record);
    }
    this.streams.set(streamId, target);
    this.notifier.notify();
    return { nextExpectedRevision: target.length - 1, position: this.head(), alreadyStored: false };
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<readonly StoredEvent[]> {
    this.assertOpen();
    const stream = this.streams.get(streamId) ?? [];
    const limit = options.limit ?? Number.POSITIVE_INFINITY;
    if (options.direction === "backwards") {
      const last = Math.min(options.fromRevision ?? stream.length - 1, stream.length - 1);
      const first = Math.max(0, last - limit + 1);
      return stream
        .slice(first, last + 1)
        .reverse()
        .map(decode);
    }
    const first = Math.max(0, options.fromRevision ?? 0);
    return stream.slice(first, first + limit).map(decode);
  }

  async readAll(options: ReadAllOptions = {}): Promise<readonly StoredEvent[]> {
    this.assertOpen();
    const after = options.after ?? -1n;
    const limit = options.limit ?? Number.POSITIVE_INFINITY;
    // Positions are 1-based indexes into `records`, so the first candidate is at index `after`.
    const start = after < 0n ? 0 : Number(after);
    const result: StoredEvent[] = [];
    for (let index = start; index < this.records.length && result.length < limit; index += 1) {
      const record = this.records[index];
      if (record === undefined) break;
      if (options.streamPrefix !== undefined && !record.event.streamId.startsWith(options.streamPrefix))
        continue;
      result.push(decode(record));
    }
    return result;
  }

  async readEventById(eventId: string): Promise<StoredEvent | null> {
    this.assertOpen();
    const record = this.byEventId.get(eventId);
    return record ? decode(record) : null;
  }

  async streamRevision(streamId: string): Promise<number | "no_stream"> {
    this.assertOpen();
    const stream = this.streams.get(streamId);
    return stream === undefined ? "no_stream" : stream.length - 1;
  }

  async headPosition(): Promise<bigint> {
    this.assertOpen();
    return this.head();
  }

  subscribeToAll(options: SubscribeOptions, handler: (event: StoredEvent) => Promise<void>): Subscription {
    return catchUpSubscription(this, this.notifier, options, handler);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.notifier.wakeAll();
  }

  private head(): bigint {
    return this.records.length === 0 ? -1n : BigInt(this.records.length);
  }

  private assertOpen(): void {
    if (this.closed) throw storeUnavailable("the memory event store is closed");
  }
}

const decode = (record: MemoryRecord): StoredEvent => {
  const event = record.event;
  return {
    ...event,
    data: JSON.parse(event.data as string),
    metadata: JSON.parse(event.metadata as string),
  };
};
