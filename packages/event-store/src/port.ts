/**
 * The EventStore port. Every adapter (memory, sqlite, postgres, eventstoredb) implements it and passes
 * the same conformance suite. Events are opaque JSON to the store: it knows streams, revisions, the global
 * commit order and event ids, nothing of ledgers.
 */

/** An event to append. `eventId` is unique across the whole store; re-appending it is idempotent. */
export interface NewEvent {
  readonly eventId: string;
  readonly type: string;
  readonly data: unknown;
  readonly metadata: unknown;
}

/** An event as stored. `revision` counts from 0 within its stream; `position` is the global commit order. */
export interface StoredEvent {
  readonly streamId: string;
  readonly revision: number;
  readonly position: bigint;
  readonly eventId: string;
  readonly type: string;
  readonly data: unknown;
  readonly metadata: unknown;
  /** When the store committed it, RFC 3339 UTC. */
  readonly recordedAt: string;
}

/** `no_stream`: the stream must not exist; `any`: no check; a number: the stream's last revision must be it. */
export type ExpectedRevision = "no_stream" | "any" | number;

export interface AppendResult {
  /** The revision of the last event appended (or already stored, for an idempotent re-append). */
  readonly nextExpectedRevision: number;
  /** The global position of the last event appended. */
  readonly position: bigint;
  /**
   * True when every event id was already stored with the same type and data (a retry of an append that
   * had succeeded): nothing was written and the result is the original one. The metadata of the events
   * sent is then NOT what is stored, so a caller that keeps its own copy must read the stored events.
   */
  readonly alreadyStored: boolean;
}

export type StoreError =
  | {
      readonly _tag: "WrongExpectedRevision";
      readonly streamId: string;
      readonly expected: ExpectedRevision;
      readonly actual: number | "no_stream";
    }
  | { readonly _tag: "StoreUnavailable"; readonly reason: string }
  | {
      readonly _tag: "EventTooLarge";
      readonly eventId: string;
      readonly bytes: number;
      readonly limitBytes: number;
    }
  | { readonly _tag: "EventIdReused"; readonly eventId: string }
  | { readonly _tag: "SchemaTooNew"; readonly found: number; readonly supported: number };

/** Thrown (as an Error carrying a StoreError) by adapters; `isStoreError` recognises it at the edge. */
export class StoreFailure extends Error {
  constructor(readonly error: StoreError) {
    super(
      `${error._tag}: ${JSON.stringify(error, (_key, value) => (typeof value === "bigint" ? value.toString() : value))}`,
    );
    this.name = "StoreFailure";
  }
}

export interface ReadStreamOptions {
  readonly direction?: "forwards" | "backwards";
  /** Forwards: the first revision to read (inclusive). Backwards: the last one. */
  readonly fromRevision?: number;
  readonly limit?: number;
}

/** What a fold of one stream needs of an event: its revision, type and data, no ids, times or metadata. */
export interface StreamEventData {
  readonly revision: number;
  readonly type: string;
  readonly data: unknown;
}

/**
 * A stream's last event as a cache checks it: its revision and the chain hash recorded with it (the
 * metadata's `hash`), or null when the store does not know one, which a caller treats as "read it".
 */
export interface StreamHead {
  readonly revision: number;
  readonly hash: string | null;
}

/** A forwards read of one stream: the first revision to read (inclusive) and how many at most. */
export interface ReadStreamDataOptions {
  readonly fromRevision?: number;
  readonly limit?: number;
}

/**
 * What a fold of the global log needs of an event (the projections' rebuild): where it is, its stream,
 * revision, type and data, and the recording time its metadata carries; no event id, chain hashes or
 * store time, which on SQLite cost more to turn into text than the data costs to decode.
 */
export interface LogEventData {
  readonly position: bigint;
  readonly streamId: string;
  readonly revision: number;
  readonly type: string;
  readonly data: unknown;
  /** The metadata's `recordedAt` (the time the writer recorded), or null when the metadata has no text there. */
  readonly metadataRecordedAt: string | null;
  /** Whether the metadata carries both chain hashes (`prevHash` and `hash`), without their texts. */
  readonly chained: boolean;
}

export interface ReadAllOptions {
  /** Read events whose position is strictly after this one; omit to start at the beginning. */
  readonly after?: bigint;
  readonly limit?: number;
  /** Only streams whose id starts with this prefix. */
  readonly streamPrefix?: string;
}

export interface Subscription {
  close(): Promise<void>;
}

export interface SubscribeOptions {
  readonly after?: bigint;
  readonly streamPrefix?: string;
  /** Called once when the subscription stops because the handler threw; console.error when absent. */
  readonly onError?: (error: unknown) => void;
}

/** Told of every committed transaction of appends (one group of group commit), for the service's metrics. */
export interface CommitObserver {
  /** One transaction committed `appends` appends (of any streams) holding `events` events in all. */
  committed(appends: number, events: number): void;
}

/** A stream head acknowledged to a caller that the store no longer holds. */
export interface AcknowledgedHeadLost {
  readonly streamId: string;
  readonly acknowledgedRevision: number;
  /** The stream's last revision now ("no_stream": the stream is gone). */
  readonly storedRevision: number | "no_stream";
}

export type WriteLossObserver = (lost: readonly AcknowledgedHeadLost[], recorder: EventStore) => void;

export interface EventStore {
  /** Appends atomically; rejects with StoreFailure (WrongExpectedRevision, EventTooLarge, StoreUnavailable...). */
  append(streamId: string, expected: ExpectedRevision, events: readonly NewEvent[]): Promise<AppendResult>;
  readStream(streamId: string, options?: ReadStreamOptions): Promise<readonly StoredEvent[]>;
  /**
   * One stream forwards as a fold reads it: each event's revision, type and data, without the metadata,
   * event id and time that readStream decodes (replaying a ledger into its state reads nothing else, and
   * on SQLite those columns cost more than the data). Optional: `readStreamData` (streamData.ts) falls
   * back to readStream for a store without it, so every store answers the same.
   */
  readStreamData?(streamId: string, options?: ReadStreamDataOptions): Promise<readonly StreamEventData[]>;
  /**
   * The stream's last revision and that event's chain hash, without decoding the event: what a cache of
   * the stream asks on every request to learn that nothing changed. Optional: `streamHead`
   * (streamData.ts) falls back to reading the last event for a store without it.
   */
  streamHead?(streamId: string): Promise<StreamHead | "no_stream">;
  readAll(options?: ReadAllOptions): Promise<readonly StoredEvent[]>;
  /**
   * As readAll, each event as a fold of the log reads it (LogEventData). Optional: `readAllData`
   * (streamData.ts) falls back to readAll for a store without it, so every store answers the same.
   */
  readAllData?(options?: ReadAllOptions): Promise<readonly LogEventData[]>;
  /** The stored event with this id, or null; event ids are unique across the store. */
  readEventById(eventId: string): Promise<StoredEvent | null>;
  /** The stream's last revision, or "no_stream". */
  streamRevision(streamId: string): Promise<number | "no_stream">;
  /** The global position of the last committed event, or -1n when the store is empty. */
  headPosition(): Promise<bigint>;
  /**
   * The position of the last committed event whether readers may see it yet or not: on PostgreSQL an open
   * transaction holds the visibility watermark (and so `headPosition`) back while later commits pile up
   * behind it. Lag metrics are measured against this, so a stalled watermark shows as lag, not as 0.
   * Stores whose readers see every commit at once do not have it (`headPosition` is the same).
   */
  committedHeadPosition?(): Promise<bigint>;
  /**
   * History after `options.after`, then live events, in global order with no gap and no duplicate across
   * the switch. `handler` is awaited before the next event is delivered.
   */
  subscribeToAll(options: SubscribeOptions, handler: (event: StoredEvent) => Promise<void>): Subscription;
  /**
   * Tells `observer` (null: nobody) of each committed group from now on. Only stores that group-commit
   * (SQLite, PostgreSQL) have it; an observer that throws is ignored, never failing the appends.
   */
  observeCommits?(observer: CommitObserver | null): void;
  /**
   * Why the store takes no writes now, or null while it takes them: after an I/O error on a write or its
   * sync the store fail-stops that connection (docs/reliability.md section 6, #16), because a later sync
   * may report success over data the kernel already dropped. Reads go on; the store tries a fresh
   * connection now and then and takes writes again once it holds every head it acknowledged and a write
   * and its sync succeed. Stores that cannot tell (the server's own: PostgreSQL panics instead) do not
   * have it.
   */
  writesHalted?(): string | null;
  /**
   * Tells `observer` (null: nobody) when a recovery found that acknowledged events are gone: the store
   * then stays halted for good. `recorder` is the same store with its halt lifted for the observer alone,
   * so the finding can be recorded (an alert) in the file that lost them.
   */
  observeWriteLoss?(observer: WriteLossObserver | null): void;
  close(): Promise<void>;
}
