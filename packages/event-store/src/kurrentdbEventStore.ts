import { createHash } from "node:crypto";
import type {
  AllStreamResolvedEvent,
  AllStreamSubscription,
  AppendStreamRequest,
  EventData,
  KurrentDBClient,
  RecordedEvent,
} from "@kurrent/kurrentdb-client";
import { CommitNotifier, catchUpSubscription } from "./catchUpSubscription.js";
import { type SerializedEvent, serializeEvents } from "./eventSize.js";
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
import { StoreFailure } from "./port.js";
import { isStoreFailure, storeUnavailable } from "./storeFailure.js";

/**
 * Streams that hold our global event-id index: one tiny stream per event id, written with NO_STREAM in the
 * same atomic multi-stream append as the events, so a second event with the same id anywhere in the store
 * fails that append. EventStoreDB's own deduplication (per stream, best effort from a cache with `any`) is
 * only a second line of defence; these streams are the authority. They are hidden from readAll.
 */
export const KURRENTDB_EVENT_ID_STREAM_PREFIX = "bb-eventid-";

/** How many events one readAll page asks the server for when the caller gives no limit. */
const KURRENTDB_READ_PAGE = 4_096;

/** Client error types that mean the cluster cannot serve the request now (retry with the same ids). */
const UNAVAILABLE_ERROR_TYPES = new Set([
  "unavailable",
  "deadline-exceeded",
  "timeout",
  "not-leader",
  "cancelled",
]);

/**
 * How many times an append with `any` tries again when another writer moves the stream between reading its
 * revision and writing: `any` must not fail on a conflict, but a stream written without pause must not
 * keep one append looping for ever.
 */
const ANY_APPEND_RETRIES = 5;

/** What one append attempt returns when the stream was not at the revision it was written against. */
const STREAM_MOVED = Symbol("stream moved");

/** Where a readAll stands: how far it may go and what it has gathered. */
interface ReadAllCursor {
  readonly after: bigint;
  readonly limit: number;
  readonly streamPrefix: string | undefined;
  readonly result: StoredEvent[];
}

/** What the metadata of every event we write carries besides the caller's metadata. */
interface Envelope {
  readonly bbEventId: string;
  readonly metadata: unknown;
}

/** What an event-id index stream records. */
interface EventIdEntry {
  readonly eventId: string;
  readonly streamId: string;
  readonly revision: number;
}

type Client = KurrentDBClient;

/**
 * The EventStoreDB / KurrentDB adapter (`esdb://…`, `kurrentdb://…`). Needs KurrentDB 25.1 or later: an
 * append is ONE `multiStreamAppend` of the events (with the expected revision) plus one index entry per
 * event id (each with NO_STREAM), so either all of it is written or none.
 *
 * - Expected revision: `no_stream` → NO_STREAM, a number → that revision as BigInt. `any` is resolved to
 *   the stream's current revision first (the index entries must know their revision), and retried a few
 *   times if another writer moves the stream in between, so `any` still never fails on a conflict.
 * - Positions: an event's PREPARE position in the transaction log. All events of one append share one
 *   commit position, so the commit position cannot number them strictly; the prepare positions do, and the
 *   gRPC API has no explicit transactions, so $all order equals prepare order. readAll asks the server for
 *   events from {commit: p, prepare: p} and drops anything at or before p on the client side.
 * - readAll and headPosition skip system streams (`$…`) and the index streams.
 * - subscribeToAll reuses the same catch-up loop as the other adapters over readAll (so resuming from a
 *   position can neither skip nor repeat), woken at once by a filtered live `$all` subscription of the
 *   client, with the poll interval as a fallback.
 *
 * This adapter could not be run against a server where it was written: its conformance run is skipped
 * unless EVENTSTORE_URL is set (see the package README).
 */
export class KurrentDbEventStore implements EventStore {
  private readonly notifier = new CommitNotifier();
  private liveWakeUp: AllStreamSubscription | undefined;
  private closed = false;

  private constructor(
    private readonly client: Client,
    private readonly library: typeof import("@kurrent/kurrentdb-client"),
  ) {}

  /** Connects with a connection string; the client library is loaded only here. */
  static async open(url: string): Promise<KurrentDbEventStore> {
    const library = await import("@kurrent/kurrentdb-client");
    try {
      const client = library.KurrentDBClient.connectionString(url);
      return new KurrentDbEventStore(client, library);
    } catch (error) {
      throw storeUnavailable(`cannot connect to ${url.split("@").pop() ?? "the server"}: ${String(error)}`);
    }
  }

  async append(
    streamId: string,
    expected: ExpectedRevision,
    events: readonly NewEvent[],
  ): Promise<AppendResult> {
    this.assertOpen();
    if (isHiddenStream(streamId)) throw new Error(`stream name reserved by the store: ${streamId}`);
    const serialized = serializeEvents(events);
    if (serialized.length === 0) return this.appendNothing(streamId, expected);
    for (let attempt = 0; ; attempt += 1) {
      const actual = expected === "any" ? await this.streamRevision(streamId) : expected;
      const outcome = await this.appendOnce(streamId, actual, serialized);
      if (outcome !== STREAM_MOVED) return outcome;
      if (expected === "any" && attempt < ANY_APPEND_RETRIES) continue;
      const current = await this.streamRevision(streamId);
      throw new StoreFailure({ _tag: "WrongExpectedRevision", streamId, expected, actual: current });
    }
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<readonly StoredEvent[]> {
    this.assertOpen();
    const { BACKWARDS, FORWARDS, END, START } = this.library;
    const backwards = options.direction === "backwards";
    const result: StoredEvent[] = [];
    try {
      for await (const resolved of this.client.readStream(streamId, {
        direction: backwards ? BACKWARDS : FORWARDS,
        fromRevision:
          options.fromRevision === undefined ? (backwards ? END : START) : BigInt(options.fromRevision),
        ...(options.limit === undefined ? {} : { maxCount: options.limit }),
      })) {
        if (resolved.event) result.push(decode(resolved.event));
      }
    } catch (error) {
      if (error instanceof this.library.StreamNotFoundError) return [];
      throw this.mapError(error);
    }
    return result;
  }

  async readAll(options: ReadAllOptions = {}): Promise<readonly StoredEvent[]> {
    this.assertOpen();
    const cursor: ReadAllCursor = {
      after: options.after ?? -1n,
      limit: options.limit ?? Number.POSITIVE_INFINITY,
      streamPrefix: options.streamPrefix,
      result: [],
    };
    let from = cursor.after < 0n ? undefined : cursor.after;
    for (;;) {
      const next = await this.readAllPage(cursor, from);
      if (next === undefined) return cursor.result;
      from = next;
    }
  }

  async readEventById(eventId: string): Promise<StoredEvent | null> {
    const entry = await this.eventIdEntry(eventId);
    if (entry === null) return null;
    const [event] = await this.readStream(entry.streamId, { fromRevision: entry.revision, limit: 1 });
    return event?.eventId === eventId ? event : null;
  }

  async streamRevision(streamId: string): Promise<number | "no_stream"> {
    const [last] = await this.readStream(streamId, { direction: "backwards", limit: 1 });
    return last === undefined ? "no_stream" : last.revision;
  }

  async headPosition(): Promise<bigint> {
    this.assertOpen();
    try {
      for await (const resolved of this.client.readAll({
        direction: this.library.BACKWARDS,
        fromPosition: this.library.END,
        maxCount: 1,
        filter: this.library.streamNameFilter({ regex: streamRegex(undefined) }),
      })) {
        const event = this.ours(resolved);
        if (event) return event.position;
      }
    } catch (error) {
      throw this.mapError(error);
    }
    return -1n;
  }

  subscribeToAll(options: SubscribeOptions, handler: (event: StoredEvent) => Promise<void>): Subscription {
    this.startLiveWakeUp();
    return catchUpSubscription(this, this.notifier, options, handler);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.notifier.wakeAll();
    await this.liveWakeUp?.unsubscribe().catch(() => undefined);
    await this.client.dispose();
  }

  /** An append of no events writes nothing, yet still checks the expected revision like any other. */
  private async appendNothing(streamId: string, expected: ExpectedRevision): Promise<AppendResult> {
    const current = await this.streamRevision(streamId);
    if (expected !== "any" && current !== expected) {
      throw new StoreFailure({ _tag: "WrongExpectedRevision", streamId, expected, actual: current });
    }
    return {
      nextExpectedRevision: current === "no_stream" ? -1 : current,
      position: await this.headPosition(),
      alreadyStored: false,
    };
  }

  /**
   * One multi-stream append of the events after revision `actual`, with their index entries. Returns the
   * result, or STREAM_MOVED when the stream is no longer at `actual` and none of the ids is stored yet.
   */
  private async appendOnce(
    streamId: string,
    actual: number | "no_stream",
    serialized: readonly SerializedEvent[],
  ): Promise<AppendResult | typeof STREAM_MOVED> {
    const first = firstNewRevision(actual);
    try {
      await this.client.multiStreamAppend(this.appendRequests(streamId, actual, serialized));
    } catch (error) {
      return this.resolveRefusedAppend(streamId, serialized, error);
    }
    this.notifier.notify();
    const lastRevision = first + serialized.length - 1;
    const [last] = await this.readStream(streamId, { fromRevision: lastRevision, limit: 1 });
    return { nextExpectedRevision: lastRevision, position: last?.position ?? -1n, alreadyStored: false };
  }

  /** The events with their expected revision, and one index entry per event id that must not exist yet. */
  private appendRequests(
    streamId: string,
    actual: number | "no_stream",
    serialized: readonly SerializedEvent[],
  ): AppendStreamRequest[] {
    const { NO_STREAM } = this.library;
    const first = firstNewRevision(actual);
    return [
      {
        streamName: streamId,
        events: serialized.map((event) => this.toEventData(event)),
        expectedState: actual === "no_stream" ? NO_STREAM : BigInt(actual),
      },
      ...serialized.map(
        (event, index): AppendStreamRequest => ({
          streamName: eventIdStream(event.eventId),
          events: [
            this.library.jsonEvent({
              id: esdbEventId(`index:${event.eventId}`),
              type: "EventIdIndexed",
              data: { eventId: event.eventId, streamId, revision: first + index },
            }) as EventData,
          ],
          expectedState: NO_STREAM,
        }),
      ),
    ];
  }

  /** What a refused append means: the same append stored before, a conflict on the stream, or a failure. */
  private async resolveRefusedAppend(
    streamId: string,
    serialized: readonly SerializedEvent[],
    error: unknown,
  ): Promise<AppendResult | typeof STREAM_MOVED> {
    if (!(error instanceof this.library.WrongExpectedVersionError)) throw this.mapError(error);
    // A conflict on an index stream means an id is stored already; so may a conflict on the stream
    // itself when this is a retry. The stored ids decide: a retry, a reuse, or a real conflict.
    const stored = await this.storedIdentities(serialized);
    const original = resolveIdempotentAppend(streamId, serialized, stored);
    if (original) return original;
    if (error.streamName === streamId) return STREAM_MOVED;
    throw this.mapError(error);
  }

  /**
   * Reads one page of $all from `from` (the start when undefined) into the cursor's result. Returns the
   * position the next page starts from, or undefined when the result is full or the log is read to its end.
   */
  private async readAllPage(cursor: ReadAllCursor, from: bigint | undefined): Promise<bigint | undefined> {
    let pageCount = 0;
    let lastSeen: bigint | undefined;
    try {
      for await (const resolved of this.client.readAll({
        fromPosition: from === undefined ? this.library.START : { commit: from, prepare: from },
        maxCount: KURRENTDB_READ_PAGE,
        filter: this.library.streamNameFilter({ regex: streamRegex(cursor.streamPrefix) }),
      })) {
        pageCount += 1;
        const event = this.ours(resolved);
        if (event === undefined) continue;
        lastSeen = event.position;
        if (event.position <= cursor.after) continue;
        cursor.result.push(event);
        if (cursor.result.length >= cursor.limit) return undefined;
      }
    } catch (error) {
      throw this.mapError(error);
    }
    // A short page is the end of the log; a page that brought nothing of ours past `from` cannot move on.
    if (pageCount < KURRENTDB_READ_PAGE || lastSeen === undefined || lastSeen === from) return undefined;
    return lastSeen;
  }

  /** A live filtered subscription to $all from its end whose only job is to wake the catch-up loops. */
  private startLiveWakeUp(): void {
    if (this.liveWakeUp !== undefined || this.closed) return;
    const subscription = this.client.subscribeToAll({
      fromPosition: this.library.END,
      filter: this.library.streamNameFilter({ regex: streamRegex(undefined) }),
    });
    subscription.on("data", () => this.notifier.notify());
    // A dropped live subscription only costs latency: the catch-up loops keep polling.
    subscription.on("error", () => {
      if (this.liveWakeUp === subscription) this.liveWakeUp = undefined;
    });
    this.liveWakeUp = subscription;
  }

  private toEventData(event: SerializedEvent): EventData {
    const envelope: Envelope = { bbEventId: event.eventId, metadata: JSON.parse(event.metadata) };
    const data = JSON.parse(event.data) as unknown;
    const id = esdbEventId(event.eventId);
    if (data !== null && (typeof data === "object" || typeof data === "string")) {
      return this.library.jsonEvent({
        id,
        type: event.type,
        data: data as Record<string, unknown>,
        metadata: envelope as never,
      });
    }
    // Numbers, booleans and null are valid JSON documents but not EventStoreDB JSON events: keep their text.
    return this.library.binaryEvent({
      id,
      type: event.type,
      data: new TextEncoder().encode(event.data),
      metadata: envelope as never,
    }) as EventData;
  }

  private async storedIdentities(
    events: readonly SerializedEvent[],
  ): Promise<Map<string, StoredEventIdentity>> {
    const stored = new Map<string, StoredEventIdentity>();
    for (const event of events) {
      const found = await this.readEventById(event.eventId);
      if (found) {
        stored.set(event.eventId, {
          eventId: found.eventId,
          streamId: found.streamId,
          revision: found.revision,
          position: found.position,
          type: found.type,
          data: JSON.stringify(found.data),
        });
      } else if ((await this.eventIdEntry(event.eventId)) !== null) {
        // Indexed but not readable where the index says: refuse rather than guess.
        stored.set(event.eventId, {
          eventId: event.eventId,
          streamId: "",
          revision: -1,
          position: -1n,
          type: "",
          data: "null",
        });
      }
    }
    return stored;
  }

  private async eventIdEntry(eventId: string): Promise<EventIdEntry | null> {
    const [entry] = await this.readStream(eventIdStream(eventId), { limit: 1 }).catch((error: unknown) => {
      throw this.mapError(error);
    });
    return entry ? (entry.data as EventIdEntry) : null;
  }

  private ours(resolved: AllStreamResolvedEvent): StoredEvent | undefined {
    const event = resolved.event;
    if (event === undefined) return undefined;
    return isHiddenStream(event.streamId) ? undefined : decode(event);
  }

  private mapError(error: unknown): unknown {
    if (isStoreFailure(error)) return error;
    const type = (error as { type?: unknown } | null)?.type;
    if (typeof type === "string" && UNAVAILABLE_ERROR_TYPES.has(type)) {
      return storeUnavailable(`${type}: ${(error as Error).message}`);
    }
    return error;
  }

  private assertOpen(): void {
    if (this.closed) throw storeUnavailable("the KurrentDB event store is closed");
  }
}

/** The index stream that records where the event with this id is stored. */
const eventIdStream = (eventId: string): string => `${KURRENTDB_EVENT_ID_STREAM_PREFIX}${eventId}`;

/** The revision the first event appended after revision `actual` gets. */
const firstNewRevision = (actual: number | "no_stream"): number => (actual === "no_stream" ? 0 : actual + 1);

/** The server's own streams and our index streams: no caller writes them and readAll does not show them. */
const isHiddenStream = (streamId: string): boolean =>
  streamId.startsWith("$") || streamId.startsWith(KURRENTDB_EVENT_ID_STREAM_PREFIX);

/**
 * EventStoreDB event ids must be UUIDs and ours are any string: derive a name-based UUID (version 5 layout
 * over SHA-256, truncated) so the same event id always maps to the same server id and the server's own
 * deduplication also applies. Our id travels in the metadata envelope.
 */
const esdbEventId = (eventId: string): string => {
  const bytes = createHash("sha256").update(`bukubesar-event:${eventId}`).digest().subarray(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
};

/** A server-side stream-name filter: our streams only, optionally under a prefix. */
const streamRegex = (prefix: string | undefined): string => {
  const escaped = (prefix ?? "").replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return `^(?!\\$|${KURRENTDB_EVENT_ID_STREAM_PREFIX})${escaped}`;
};

/** Our view of a recorded event: the caller's id and metadata come out of the envelope. */
const decode = (event: RecordedEvent): StoredEvent => {
  const envelope = (event.metadata ?? {}) as Partial<Envelope>;
  const data = event.isJson ? event.data : JSON.parse(new TextDecoder().decode(event.data as Uint8Array));
  return {
    streamId: event.streamId,
    revision: Number(event.revision),
    position: event.position?.prepare ?? -1n,
    eventId: envelope.bbEventId ?? event.id,
    type: event.type,
    data,
    metadata: envelope.metadata ?? null,
    recordedAt: event.created.toISOString(),
  };
};
