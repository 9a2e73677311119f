import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import Database from "better-sqlite3";
import { CommitNotifier, catchUpSubscription } from "./catchUpSubscription.js";
import { type AppendOutcome, GroupCommitQueue, type PendingAppend } from "./groupCommit.js";
import { resolveIdempotentAppend, type StoredEventIdentity } from "./idempotentAppend.js";
import type {
  AppendResult,
  CommitObserver,
  EventStore,
  ExpectedRevision,
  LogEventData,
  NewEvent,
  ReadAllOptions,
  ReadStreamDataOptions,
  ReadStreamOptions,
  StoredEvent,
  StreamEventData,
  StreamHead,
  SubscribeOptions,
  Subscription,
  WriteLossObserver,
} from "./port.js";
import {
  type EncodedEvent,
  encodeEvents,
  eventIdTextSql,
  eventKeyOf,
  hashTextSql,
  recordedAtTexts,
  withChainFields,
} from "./sqliteEncoding.js";
import {
  AcknowledgedHeads,
  checkpointToDatabaseFile,
  type LostHead,
  probeWriteAndSync,
  type RecoveryOutcome,
  RecoverySchedule,
} from "./sqliteRecovery.js";
import { migrateSqliteSchema } from "./sqliteSchema.js";
import { SqliteShapes } from "./sqliteShapes.js";
import { checkExpectedRevision, isStoreFailure, storeUnavailable } from "./storeFailure.js";
import { carriesChainHashes, storedRecordedAt } from "./streamData.js";

/**
 * How long a write waits for another process (the CLI importing while the server runs) to release the
 * database lock before the append fails with StoreUnavailable. Five seconds outlasts any single group commit.
 */
export const SQLITE_BUSY_TIMEOUT_MS = 5_000;

/**
 * SQLite's page cache for the store's connection, in KiB (8 MiB; SQLite's default is 2 MiB). It is memory
 * of the process on top of the operating system's cache of the same file, so a long-running service keeps
 * it small: with 64 MiB, the pages read by a service's start and its cooperatives' loads stayed in it, about
 * 55 MB of the service's RSS (docs/benchmarks.md, "Service RSS and SQLite's page cache"). A service's
 * appends are small groups; a bulk writer asks for SQLITE_BULK_CACHE_KIB.
 */
export const SQLITE_CACHE_KIB = 8 * 1024;

/**
 * The page cache of a store opened for bulk appends (`bukubesar import`), in KiB (64 MiB). The event id
 * index takes random inserts, so at a million events a bulk append of 20,000 events touches pages all over
 * an index of some 60 MB: measured, 20,000-event appends ran at ~39,000 events/s with the default cache
 * and ~59,000/s with this one. The memory is taken only as pages are actually read.
 */
export const SQLITE_BULK_CACHE_KIB = 64 * 1024;

/**
 * The most appends written in one group-commit transaction. It bounds how long one transaction holds the
 * write lock and the event loop; the rest wait for the next transaction, scheduled at once.
 */
export const GROUP_COMMIT_MAX_APPENDS = 1_000;

/** SQLite result codes (and their extended forms) that mean the store cannot write now, not a bad request. */
const UNAVAILABLE_CODES = [
  "SQLITE_FULL",
  "SQLITE_IOERR",
  "SQLITE_READONLY",
  "SQLITE_BUSY",
  "SQLITE_LOCKED",
  "SQLITE_CANTOPEN",
  "SQLITE_CORRUPT",
  "SQLITE_NOTADB",
  "SQLITE_PROTOCOL",
];

/**
 * SQLite result codes of a write that leave the file's durable state unknown: an I/O error (on a write,
 * an fsync, the shared-memory index) or a corrupt file. The store fail-stops the connection on them
 * (`writesHalted`) and recovers on a fresh one (sqliteRecovery.ts).
 */
const HALTING_CODES = ["SQLITE_IOERR", "SQLITE_CORRUPT"];

export interface SqliteEventStoreOptions {
  /** Overrides SQLITE_BUSY_TIMEOUT_MS (tests of a locked file use a short one). */
  readonly busyTimeoutMs?: number;
  /**
   * Caps the file at this many pages: a fault injection that makes SQLite answer SQLITE_FULL as on a full
   * disk. Only tests set it.
   */
  readonly maxPageCount?: number;
  /** SQLite's page cache in KiB; SQLITE_CACHE_KIB when absent, SQLITE_BULK_CACHE_KIB for bulk appends. */
  readonly cacheKib?: number;
}

/** Counters of the group commit, for tests and benchmarks. */
export interface SqliteGroupCommitStatistics {
  /** Transactions committed by the group commit. */
  readonly groups: number;
  /** Appends settled by those transactions (written, idempotent or refused). */
  readonly appends: number;
}

/**
 * One stored event as the columns its hash is made of, as stored (schema version 3, sqliteShapes.ts):
 * position, stream name, revision, type, the data's and the metadata's stored texts (the values of
 * their shapes, or the canonical text of a raw column), prevHash and hash as 64 hex digits (or null),
 * then the data's and the metadata's shape ids. `canonicalText` gives a column's canonical JSON (the
 * metadata without the chain fields, sqliteEncoding.ts), and `shapeText` a shape for a decoder of
 * its own (ShapeCodec). The event id and time columns are left out: the hash rule does not cover
 * them, and making the id text cost `verify`'s reading thread.
 * SQLite makes the hashes text: better-sqlite3 would hand each BLOB back as a Node Buffer, which cost
 * more than reading the rest of the row (see eventIdTextSql).
 */
export type EncodedEventRow = [
  number,
  string,
  number,
  string,
  string,
  string,
  string | null,
  string | null,
  number,
  number,
];

/** Resolves the path of a `sqlite:PATH` URL: relative to the working directory, `sqlite:///abs` allowed. */
export const sqlitePathFromUrl = (url: string): string => {
  let path = url.slice("sqlite:".length);
  if (path.startsWith("//")) path = path.slice(2);
  if (path.length === 0)
    throw storeUnavailable("a sqlite: store URL needs a file path, e.g. sqlite:./data/bukubesar.db");
  return resolve(process.cwd(), path);
};

/**
 * The embedded event store: one SQLite file in WAL mode with synchronous=FULL (NORMAL may lose acknowledged
 * commits on power loss). Appends that arrive in the same tick of the event loop are written in one
 * transaction (group commit) and acknowledged only after it commits, so durability costs one fsync per
 * group instead of one per append. Each append keeps its own expected-revision and event-id checks, all run
 * before its first write, so one refused append never fails the others in its group; a failing write
 * (disk full, I/O error) rolls back and fails the whole group, none of which was acknowledged.
 *
 * Several processes may open the same file (the CLI while the server runs): SQLite's locks serialise the
 * writers, every check reads the file inside the write transaction, and nothing about streams is cached.
 */
export class SqliteEventStore implements EventStore {
  /** Replaced by a fresh connection when the store recovers from an I/O error (sqliteRecovery.ts). */
  private database: Database.Database;
  private readonly notifier = new CommitNotifier();
  private readonly commits = new GroupCommitQueue<EncodedEvent>(
    GROUP_COMMIT_MAX_APPENDS,
    (group) => this.writeGroupOrHalt(group),
    mapSqliteError,
  );
  private closed = false;
  /** Set by the first I/O error of a write: the store takes no write until it recovers (`writesHalted`). */
  private halted: string | null = null;
  private statements: ReturnType<typeof prepareStatements>;
  private readonly acknowledged = new AcknowledgedHeads();
  private readonly recovery = new RecoverySchedule(() => this.tryRecovery());
  private lossObserver: WriteLossObserver | null = null;
  private shapes: SqliteShapes;

  private groups = 0;
  private settledAppends = 0;

  constructor(
    readonly path: string,
    private readonly options: SqliteEventStoreOptions = {},
  ) {
    this.database = openConnection(path, options);
    this.statements = prepareStatements(this.database);
    this.shapes = new SqliteShapes(this.database);
  }

  async append(
    streamId: string,
    expected: ExpectedRevision,
    events: readonly NewEvent[],
  ): Promise<AppendResult> {
    this.assertOpen();
    this.assertNotHalted();
    return this.commits.enqueue({ streamId, expected, events: encodeEvents(events) });
  }

  writesHalted(): string | null {
    return this.halted;
  }

  observeWriteLoss(observer: WriteLossObserver | null): void {
    this.lossObserver = observer;
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<readonly StoredEvent[]> {
    this.assertOpen();
    const limit = options.limit ?? -1;
    // The stream's own name is the one asked for (matched exactly), so its rows are read without joining
    // the streams table, as arrays rather than objects: reading a long stream costs a third less.
    const rows = this.read(() =>
      options.direction === "backwards"
        ? this.statements.readStreamBackwards.all(
            streamId,
            options.fromRevision ?? Number.MAX_SAFE_INTEGER,
            limit,
          )
        : this.statements.readStreamForwards.all(streamId, options.fromRevision ?? 0, limit),
    );
    const recordedAt = recordedAtTexts();
    const events = new Array<StoredEvent>(rows.length);
    for (let index = 0; index < rows.length; index += 1)
      events[index] = this.decodeStreamRow(streamId, rows[index] as StreamRow, recordedAt);
    return events;
  }

  /**
   * Only the revision, type and data of each event: three columns instead of nine, one JSON.parse
   * instead of two, and none of the text SQLite would make of the id and the two hashes. A replay of
   * a ledger into its state reads nothing else.
   */
  async readStreamData(
    streamId: string,
    options: ReadStreamDataOptions = {},
  ): Promise<readonly StreamEventData[]> {
    this.assertOpen();
    const rows = this.read(() =>
      this.statements.readStreamData.all(streamId, options.fromRevision ?? 0, options.limit ?? -1),
    );
    const events = new Array<StreamEventData>(rows.length);
    for (let index = 0; index < rows.length; index += 1) {
      const row = rows[index] as StreamDataRow;
      events[index] = { revision: row[0], type: row[1], data: this.shapes.decode(row[2], row[3]) };
    }
    return events;
  }

  /**
   * Events as their stored columns, without decoding, for readers that work on the stored texts
   * themselves (`verify` hashes the canonical JSON the columns give back). Not part of the EventStore
   * port: only this adapter stores canonical texts. This reads the streams whose names start with
   * `streamPrefix`, in global order, positions after `after`, up to `limit` rows.
   */
  readEncodedAll(after: bigint, streamPrefix: string, limit: number): EncodedEventRow[] {
    this.assertOpen();
    return this.read(() =>
      this.statements.readEncodedWithPrefix.all(Number(after), [...streamPrefix].length, streamPrefix, limit),
    );
  }

  /** As readEncodedAll, one stream in revision order from `fromRevision` (inclusive). */
  readEncodedStream(streamId: string, fromRevision: number, limit: number): EncodedEventRow[] {
    this.assertOpen();
    return this.read(() => this.statements.readEncodedStream.all(streamId, fromRevision, limit));
  }

  /** The canonical JSON text of a column of an EncodedEventRow (its shape id and stored text). */
  canonicalText(shapeId: number, stored: string): string {
    return this.shapes.canonical(shapeId, stored);
  }

  /** The stored text of a shape an EncodedEventRow names, or undefined when no row has that id. */
  shapeText(shapeId: number): string | undefined {
    return this.read(() => this.shapes.text(shapeId));
  }

  async readAll(options: ReadAllOptions = {}): Promise<readonly StoredEvent[]> {
    this.assertOpen();
    const after = Number(options.after ?? -1n);
    const limit = options.limit ?? -1;
    const prefix = options.streamPrefix;
    const rows = this.read(() =>
      prefix === undefined || prefix === ""
        ? this.statements.readAll.all(after, limit)
        : // substr counts characters (code points), so the prefix length is counted the same way.
          this.statements.readAllWithPrefix.all(after, [...prefix].length, prefix, limit),
    );
    const recordedAt = recordedAtTexts();
    return rows.map((row) => this.decodeRow(row as DecodedRow, recordedAt));
  }

  /**
   * As readAll, only what a fold of the log reads: six columns instead of twelve, and none of the text
   * SQLite would make of the id and the two hashes nor the store's time. The metadata is decoded for its
   * recording time alone.
   */
  async readAllData(options: ReadAllOptions = {}): Promise<readonly LogEventData[]> {
    this.assertOpen();
    const after = Number(options.after ?? -1n);
    const limit = options.limit ?? -1;
    const prefix = options.streamPrefix;
    const rows = this.read(() =>
      prefix === undefined || prefix === ""
        ? this.statements.readAllData.all(after, limit)
        : this.statements.readAllDataWithPrefix.all(after, [...prefix].length, prefix, limit),
    );
    const events = new Array<LogEventData>(rows.length);
    for (let index = 0; index < rows.length; index += 1) {
      const row = rows[index] as LogDataRow;
      const metadata = this.shapes.decode(row[6], row[7]);
      events[index] = {
        position: BigInt(row[0]),
        streamId: row[1],
        revision: row[2],
        type: row[3],
        data: this.shapes.decode(row[4], row[5]),
        metadataRecordedAt: storedRecordedAt(metadata),
        // The hashes are kept in their own columns, or in the metadata when they are not 64 hex digits.
        chained: row[8] === 1 || carriesChainHashes(metadata),
      };
    }
    return events;
  }

  async readEventById(eventId: string): Promise<StoredEvent | null> {
    this.assertOpen();
    const row = this.read(() => this.statements.readById.get(eventKeyOf(eventId)));
    return row ? this.decodeRow(row as DecodedRow, recordedAtTexts()) : null;
  }

  async streamRevision(streamId: string): Promise<number | "no_stream"> {
    this.assertOpen();
    const row = this.read(() => this.statements.stream.get(streamId));
    return row ? row.last_revision : "no_stream";
  }

  async streamHead(streamId: string): Promise<StreamHead | "no_stream"> {
    this.assertOpen();
    const row = this.read(() => this.statements.streamHead.get(streamId));
    return row === undefined ? "no_stream" : { revision: row[0], hash: row[1] };
  }

  async headPosition(): Promise<bigint> {
    this.assertOpen();
    const row = this.read(() => this.statements.head.get());
    return row?.head == null ? -1n : BigInt(row.head);
  }

  subscribeToAll(options: SubscribeOptions, handler: (event: StoredEvent) => Promise<void>): Subscription {
    return catchUpSubscription(this, this.notifier, options, handler);
  }

  get statistics(): SqliteGroupCommitStatistics {
    return { groups: this.groups, appends: this.settledAppends };
  }

  observeCommits(observer: CommitObserver | null): void {
    this.commits.observe(observer);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.recovery.stop();
    // Appends already accepted are written (or failed) before the file is closed, never dropped.
    await this.commits.idle();
    this.notifier.wakeAll();
    if (this.database.open) this.database.close();
  }

  /**
   * Writes a group unless writes are halted, and halts them on an I/O error: after a failed write or
   * fsync the file's state on disk is unknown (Linux may already have dropped the dirty pages, and a later
   * fsync on the same descriptor would then succeed over the loss, as PostgreSQL's "fsyncgate" showed), so
   * this connection acknowledges nothing more; `tryRecovery` later goes on with a fresh one. A full disk
   * (SQLITE_FULL) is not such an error: nothing was written, and writes resume once space is freed.
   */
  private writeGroupOrHalt(group: readonly PendingAppend<EncodedEvent>[]): AppendOutcome[] {
    this.assertNotHalted();
    try {
      return this.writeGroup(group);
    } catch (error) {
      const code = (error as { code?: unknown } | null)?.code;
      if (typeof code === "string" && HALTING_CODES.some((prefix) => code.startsWith(prefix))) {
        this.halted = `${code}: ${(error as Error).message}`;
        this.recovery.start();
      }
      throw error;
    }
  }

  private assertNotHalted(): void {
    if (this.halted !== null)
      throw storeUnavailable(
        `writes are halted after an I/O error (${this.halted}); they resume once the disk is sound`,
      );
  }

  /**
   * One recovery try: a fresh connection on the file (the old one is closed, never written again), every
   * acknowledged head still in it, and a write and its sync that succeed. A missing head halts the store
   * for good and tells the loss observer; anything that fails otherwise is tried again later.
   */
  private tryRecovery(): RecoveryOutcome {
    if (this.closed || this.halted === null) return "recovered";
    // Closed first, so that the fresh connection is the file's only one in this process and SQLite
    // rebuilds its view of the WAL from the file rather than from the broken connection's index.
    if (this.database.open) {
      try {
        this.database.close();
      } catch {
        // The broken connection may fail to close cleanly; it is dropped all the same.
      }
    }
    let fresh: Database.Database;
    try {
      fresh = openConnection(this.path, this.options);
    } catch {
      return "retry";
    }
    this.database = fresh;
    this.statements = prepareStatements(fresh);
    this.shapes = new SqliteShapes(fresh);
    const lost = this.acknowledged.missingIn(fresh);
    if (lost.length > 0) {
      this.halted = `acknowledged events are missing from the file after an I/O error: ${describeLoss(lost)}`;
      this.reportLoss(lost);
      return "lost";
    }
    try {
      probeWriteAndSync(fresh);
      checkpointToDatabaseFile(fresh);
    } catch {
      return "retry";
    }
    this.halted = null;
    return "recovered";
  }

  /** Tells the loss observer, handing it this store with appends allowed for it alone. */
  private reportLoss(lost: readonly LostHead[]): void {
    const observer = this.lossObserver;
    if (observer === null) return;
    const recorder: EventStore = Object.create(this, {
      append: {
        value: async (streamId: string, expected: ExpectedRevision, events: readonly NewEvent[]) => {
          this.assertOpen();
          const pending = { streamId, expected, events: encodeEvents(events) };
          const outcome = this.database.transaction(() => this.appendInTransaction(pending)).immediate();
          if (outcome.wrote) this.notifier.notify();
          return outcome.result;
        },
      },
    });
    try {
      observer(lost, recorder);
    } catch {
      // An observer that throws does not change the store's state.
    }
  }

  /** Writes one group of queued appends in one transaction and says what became of each. */
  private writeGroup(group: readonly PendingAppend<EncodedEvent>[]): AppendOutcome[] {
    const outcomes: AppendOutcome[] = [];
    const written: { pending: PendingAppend<EncodedEvent>; revision: number }[] = [];
    let wrote = false;
    const transaction = this.database.transaction(() => {
      for (const pending of group) {
        try {
          // Every check that can refuse an append runs before its first write, so a refused append
          // leaves nothing behind and needs no savepoint; a failing write aborts the whole group.
          const outcome = this.appendInTransaction(pending);
          if (outcome.wrote) {
            wrote = true;
            written.push({ pending, revision: outcome.result.nextExpectedRevision });
          }
          outcomes.push({ ok: outcome.result });
        } catch (error) {
          if (!isStoreFailure(error)) throw error;
          outcomes.push({ failure: error });
        }
      }
    });
    try {
      transaction.immediate();
    } catch (error) {
      // Shape ids learned inside the rolled-back transaction may be given to other shapes later.
      this.shapes.forget();
      throw error;
    }
    // Only what committed is acknowledged: the heads recovery must find again.
    for (const { pending, revision } of written) {
      const last = pending.events[pending.events.length - 1];
      if (last !== undefined) this.acknowledged.record(pending.streamId, revision, last.eventKey);
    }
    this.groups += 1;
    this.settledAppends += group.length;
    if (wrote) this.notifier.notify();
    return outcomes;
  }

  private appendInTransaction(pending: PendingAppend<EncodedEvent>): {
    result: AppendResult;
    wrote: boolean;
  } {
    const fresh = this.tryFreshAppend(pending);
    if (fresh !== null) return { result: fresh, wrote: true };
    const { streamId, expected, events } = pending;
    const stored = new Map<string, StoredEventIdentity>();
    for (const event of events) {
      const row = this.statements.eventIdentity.get(event.eventKey);
      if (row) {
        stored.set(event.eventId, {
          eventId: event.eventId,
          streamId: row.name,
          revision: row.revision,
          position: BigInt(row.position),
          type: row.type,
          data: this.shapes.canonical(row.data_shape, row.data),
        });
      }
    }
    const original = resolveIdempotentAppend(streamId, events, stored);
    if (original) return { result: original, wrote: false };
    const stream = this.statements.stream.get(streamId);
    const actual = stream ? stream.last_revision : "no_stream";
    checkExpectedRevision(streamId, expected, actual);
    if (events.length === 0) {
      const head = this.statements.head.get()?.head;
      return {
        result: {
          nextExpectedRevision: stream ? stream.last_revision : -1,
          position: head == null ? -1n : BigInt(head),
          alreadyStored: false,
        },
        wrote: false,
      };
    }
    return { result: this.writeEvents(streamId, stream, events), wrote: true };
  }

  /**
   * The common case first, without looking up every event id: when the expected revision holds, the
   * events are written at once inside a savepoint (a nested better-sqlite3 transaction), and our own
   * UNIQUE index on event_id refuses any id already stored. Only then is the savepoint rolled back and
   * null returned, so the caller runs the full checks (idempotent re-append, EventIdReused, conflict),
   * which answer exactly as before. A bulk append of thousands of events saves one index lookup each.
   */
  private tryFreshAppend(pending: PendingAppend<EncodedEvent>): AppendResult | null {
    const { streamId, expected, events } = pending;
    if (events.length === 0) return null;
    const stream = this.statements.stream.get(streamId);
    try {
      checkExpectedRevision(streamId, expected, stream ? stream.last_revision : "no_stream");
    } catch (error) {
      if (isStoreFailure(error)) return null;
      throw error;
    }
    try {
      return this.freshAppend(streamId, stream, events);
    } catch (error) {
      if (!isEventIdTaken(error)) throw error;
      // The savepoint took back any shape it added; the ids learned inside it must go too.
      this.shapes.forget();
      return null;
    }
  }

  /** Writes a stream's new events after its current revision; a nested transaction, so a savepoint. */
  private readonly freshAppend = (
    streamId: string,
    stream: { stream_id: number; last_revision: number } | undefined,
    events: readonly EncodedEvent[],
  ): AppendResult => this.database.transaction(() => this.writeEvents(streamId, stream, events))();

  /** Writes a stream's new events after its current revision, inside the caller's transaction. */
  private writeEvents(
    streamId: string,
    stream: { stream_id: number; last_revision: number } | undefined,
    events: readonly EncodedEvent[],
  ): AppendResult {
    const lastRevision = (stream ? stream.last_revision : -1) + events.length;
    let streamKey: number;
    if (stream) {
      streamKey = stream.stream_id;
      this.statements.updateStream.run(lastRevision, streamKey);
    } else {
      streamKey = Number(this.statements.insertStream.run(streamId, lastRevision).lastInsertRowid);
    }
    const recordedAt = Date.now();
    let revision = stream ? stream.last_revision : -1;
    let position = 0;
    const insertEvent = this.statements.insertEvent;
    const shapes = this.shapes;
    for (const event of events) {
      revision += 1;
      position = Number(
        insertEvent.run(
          streamKey,
          revision,
          event.eventKey,
          event.type,
          shapes.idOf(event.dataSplit),
          event.dataSplit?.values ?? event.data,
          shapes.idOf(event.metadataSplit),
          event.metadataSplit?.values ?? event.metadata,
          event.prevHash,
          event.hash,
          recordedAt,
        ).lastInsertRowid,
      );
    }
    return { nextExpectedRevision: lastRevision, position: BigInt(position), alreadyStored: false };
  }

  private decodeStreamRow(
    streamId: string,
    row: StreamRow,
    recordedAt: (milliseconds: number) => string,
  ): StoredEvent {
    return {
      streamId,
      revision: row[1],
      position: BigInt(row[0]),
      eventId: row[2],
      type: row[3],
      data: this.shapes.decode(row[4], row[5]),
      metadata: withChainFields(this.shapes.decode(row[6], row[7]), row[8], row[9]),
      recordedAt: recordedAt(row[10]),
    };
  }

  private decodeRow(row: DecodedRow, recordedAt: (milliseconds: number) => string): StoredEvent {
    return {
      streamId: row[1],
      revision: row[2],
      position: BigInt(row[0]),
      eventId: row[3],
      type: row[4],
      data: this.shapes.decode(row[5], row[6]),
      metadata: withChainFields(this.shapes.decode(row[7], row[8]), row[9], row[10]),
      recordedAt: recordedAt(row[11]),
    };
  }

  private read<T>(query: () => T): T {
    // Between a recovery try that closed the broken connection and one that could open the file again.
    if (!this.database.open)
      throw storeUnavailable("the SQLite store is reopening its file after an I/O error");
    try {
      return query();
    } catch (error) {
      throw mapSqliteError(error);
    }
  }

  private assertOpen(): void {
    if (this.closed) throw storeUnavailable("the SQLite event store is closed");
  }
}

/**
 * The store's connection while it is open, for the modules of this package that work on the same file
 * through the same connection (its read-model snapshot table, its watch on other connections' commits);
 * undefined while the store is closed or reopening its file after an I/O error. The class keeps the
 * connection to itself otherwise, and this package's index does not export this.
 */
export const openConnectionOf = (store: SqliteEventStore): Database.Database | undefined => {
  const database = (store as unknown as { database: Database.Database }).database;
  return database.open ? database : undefined;
};

/**
 * Opens a connection on the store's file in WAL mode with synchronous=FULL and the schema migrated:
 * at construction, and again for each recovery try after an I/O error.
 */
const openConnection = (path: string, options: SqliteEventStoreOptions): Database.Database => {
  const busyTimeoutMs = options.busyTimeoutMs ?? SQLITE_BUSY_TIMEOUT_MS;
  let database: Database.Database;
  try {
    mkdirSync(dirname(path), { recursive: true });
    database = new Database(path, { timeout: busyTimeoutMs });
  } catch (error) {
    throw mapSqliteError(error);
  }
  try {
    database.pragma(`busy_timeout = ${Math.trunc(busyTimeoutMs)}`);
    // A negative cache_size is in KiB.
    database.pragma(`cache_size = -${Math.trunc(options.cacheKib ?? SQLITE_CACHE_KIB)}`);
    if (options.maxPageCount !== undefined)
      database.pragma(`max_page_count = ${Math.trunc(options.maxPageCount)}`);
    const journalMode = database.pragma("journal_mode = WAL", { simple: true });
    if (journalMode !== "wal")
      throw storeUnavailable(`SQLite refused WAL mode (journal_mode is ${String(journalMode)})`);
    database.pragma("synchronous = FULL");
    const synchronous = database.pragma("synchronous", { simple: true });
    // 2 is FULL and 3 is EXTRA; anything less may lose acknowledged commits on power loss.
    if (typeof synchronous !== "number" || synchronous < 2)
      throw storeUnavailable("SQLite refused synchronous=FULL");
    migrateSqliteSchema(database);
    return database;
  } catch (error) {
    database.close();
    throw mapSqliteError(error);
  }
};

/** The lost heads in one line, for the halt's reason. */
const describeLoss = (lost: readonly LostHead[]): string =>
  lost
    .map(
      ({ streamId, acknowledgedRevision, storedRevision }) =>
        `${streamId} acknowledged up to revision ${acknowledgedRevision}, the file holds ${storedRevision === "no_stream" ? "no such stream" : `up to ${storedRevision}`}`,
    )
    .join("; ");

/** True when SQLite refused a row because its event id is already stored (our UNIQUE index). */
const isEventIdTaken = (error: unknown): boolean => {
  const candidate = error as { code?: unknown; message?: unknown } | null;
  return (
    candidate?.code === "SQLITE_CONSTRAINT_UNIQUE" &&
    typeof candidate.message === "string" &&
    candidate.message.includes("events.event_id")
  );
};

/** Maps SQLite's I/O, space, lock and permission errors to StoreUnavailable; anything else is a bug and stays. */
export const mapSqliteError = (error: unknown): unknown => {
  if (isStoreFailure(error)) return error;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === "string" && UNAVAILABLE_CODES.some((prefix) => code.startsWith(prefix))) {
    return storeUnavailable(`${code}: ${(error as Error).message}`);
  }
  return error;
};

/**
 * position, revision, event id, type, data shape and text, metadata shape and text, prev_hash and hash
 * as hex text, recorded_at of one stream's event: what the port's readers select, with SQLite making the
 * id and hashes text (sqliteEncoding.ts says why) and the shapes decoded by SqliteShapes.
 */
type StreamRow = [
  number,
  number,
  string,
  string,
  number,
  string,
  number,
  string,
  string | null,
  string | null,
  number,
];

/**
 * stream_id, revision, event_id, type, data_shape, data, metadata_shape, metadata, prev_hash, hash and
 * recorded_at of a new event, as the append inserts them.
 */
type InsertedEventRow = [
  number,
  number,
  Buffer | string,
  string,
  number,
  string,
  number,
  string,
  Buffer | null,
  Buffer | null,
  number,
];

/** revision, type, data shape and data text of one stream's event: what readStreamData selects. */
type StreamDataRow = [number, string, number, string];

/**
 * position, stream name, revision, type, data shape and text, metadata shape and text, and 1 when both
 * chain hash columns hold a hash (0 otherwise): what readAllData selects.
 */
type LogDataRow = [number, string, number, string, number, string, number, string, number];

const LOG_DATA_COLUMNS =
  "e.position, s.name, e.revision, e.type, e.data_shape, e.data, e.metadata_shape, e.metadata, (e.prev_hash IS NOT NULL AND e.hash IS NOT NULL) FROM events e JOIN streams s ON s.stream_id = e.stream_id";

/** position, stream name, then the columns of a StreamRow after the position. */
type DecodedRow = [
  number,
  string,
  number,
  string,
  string,
  number,
  string,
  number,
  string,
  string | null,
  string | null,
  number,
];

const DECODED_COLUMNS = `e.revision, ${eventIdTextSql("e.event_id")}, e.type, e.data_shape, e.data, e.metadata_shape, e.metadata, ${hashTextSql("e.prev_hash")}, ${hashTextSql("e.hash")}, e.recorded_at`;

const STREAM_ROW_COLUMNS = `e.position, ${DECODED_COLUMNS} FROM events e`;

const DECODED_ROW_COLUMNS = `e.position, s.name, ${DECODED_COLUMNS} FROM events e JOIN streams s ON s.stream_id = e.stream_id`;

/** The columns of an EncodedEventRow. */
const EVENT_COLUMNS = `e.position, s.name, e.revision, e.type, e.data, e.metadata, ${hashTextSql("e.prev_hash")}, ${hashTextSql("e.hash")}, e.data_shape, e.metadata_shape FROM events e JOIN streams s ON s.stream_id = e.stream_id`;

/** The statements of readAllData (apart from prepareStatements, which would otherwise grow too long). */
const prepareLogDataStatements = (database: Database.Database) => ({
  readAllData: database
    .prepare<[number, number], LogDataRow>(
      `SELECT ${LOG_DATA_COLUMNS} WHERE e.position > ? ORDER BY e.position LIMIT ?`,
    )
    .raw(),
  readAllDataWithPrefix: database
    .prepare<[number, number, string, number], LogDataRow>(
      `SELECT ${LOG_DATA_COLUMNS} WHERE e.position > ? AND substr(s.name, 1, ?) = ? ORDER BY e.position LIMIT ?`,
    )
    .raw(),
});

const prepareStatements = (database: Database.Database) => {
  return {
    ...prepareLogDataStatements(database),
    eventIdentity: database.prepare<
      [Buffer | string],
      { position: number; name: string; revision: number; type: string; data_shape: number; data: string }
    >(
      "SELECT e.position, s.name, e.revision, e.type, e.data_shape, e.data FROM events e JOIN streams s ON s.stream_id = e.stream_id WHERE e.event_id = ?",
    ),
    stream: database.prepare<[string], { stream_id: number; last_revision: number }>(
      "SELECT stream_id, last_revision FROM streams WHERE name = ?",
    ),
    insertStream: database.prepare<[string, number]>(
      "INSERT INTO streams (name, last_revision) VALUES (?, ?)",
    ),
    updateStream: database.prepare<[number, number]>(
      "UPDATE streams SET last_revision = ? WHERE stream_id = ?",
    ),
    insertEvent: database.prepare<InsertedEventRow>(
      "INSERT INTO events (stream_id, revision, event_id, type, data_shape, data, metadata_shape, metadata, prev_hash, hash, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    ),
    readAll: database
      .prepare<[number, number], DecodedRow>(
        `SELECT ${DECODED_ROW_COLUMNS} WHERE e.position > ? ORDER BY e.position LIMIT ?`,
      )
      .raw(),
    readAllWithPrefix: database
      .prepare<[number, number, string, number], DecodedRow>(
        `SELECT ${DECODED_ROW_COLUMNS} WHERE e.position > ? AND substr(s.name, 1, ?) = ? ORDER BY e.position LIMIT ?`,
      )
      .raw(),
    readEncodedWithPrefix: database
      .prepare<[number, number, string, number], EncodedEventRow>(
        `SELECT ${EVENT_COLUMNS} WHERE e.position > ? AND substr(s.name, 1, ?) = ? ORDER BY e.position LIMIT ?`,
      )
      .raw(),
    readEncodedStream: database
      .prepare<[string, number, number], EncodedEventRow>(
        `SELECT ${EVENT_COLUMNS} WHERE e.stream_id = (SELECT stream_id FROM streams WHERE name = ?) AND e.revision >= ? ORDER BY e.revision LIMIT ?`,
      )
      .raw(),
    readById: database
      .prepare<[Buffer | string], DecodedRow>(`SELECT ${DECODED_ROW_COLUMNS} WHERE e.event_id = ?`)
      .raw(),
    readStreamForwards: database
      .prepare<[string, number, number], StreamRow>(
        `SELECT ${STREAM_ROW_COLUMNS} WHERE e.stream_id = (SELECT stream_id FROM streams WHERE name = ?) AND e.revision >= ? ORDER BY e.revision LIMIT ?`,
      )
      .raw(),
    readStreamData: database
      .prepare<[string, number, number], StreamDataRow>(
        "SELECT e.revision, e.type, e.data_shape, e.data FROM events e WHERE e.stream_id = (SELECT stream_id FROM streams WHERE name = ?) AND e.revision >= ? ORDER BY e.revision LIMIT ?",
      )
      .raw(),
    readStreamBackwards: database
      .prepare<[string, number, number], StreamRow>(
        `SELECT ${STREAM_ROW_COLUMNS} WHERE e.stream_id = (SELECT stream_id FROM streams WHERE name = ?) AND e.revision <= ? ORDER BY e.revision DESC LIMIT ?`,
      )
      .raw(),
    // The stream row names its last revision; that event's hash is one probe of (stream_id, revision).
    streamHead: database
      .prepare<[string], [number, string | null]>(
        `SELECT s.last_revision, ${hashTextSql("e.hash")} FROM streams s JOIN events e ON e.stream_id = s.stream_id AND e.revision = s.last_revision WHERE s.name = ?`,
      )
      .raw(),
    head: database.prepare<[], { head: number | null }>("SELECT max(position) AS head FROM events"),
  };
};
