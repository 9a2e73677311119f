import type pg from "pg";
import { CommitNotifier, catchUpSubscription } from "./catchUpSubscription.js";
import { type SerializedEvent, serializeEvents } from "./eventSize.js";
import { type AppendOutcome, GroupCommitQueue, type PendingAppend } from "./groupCommit.js";
import { resolveIdempotentAppend, type StoredEventIdentity } from "./idempotentAppend.js";
import type {
  AppendResult,
  CommitObserver,
  EventStore,
  ExpectedRevision,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  StoredEvent,
  SubscribeOptions,
  Subscription,
} from "./port.js";
import {
  migratePostgresSchema,
  POSTGRES_POSITION_ORDINAL_BITS,
  POSTGRES_STREAM_LOCK_CLASS,
  POSTGRES_TRANSACTION_EVENTS_MAX,
  quoteSchema,
} from "./postgresSchema.js";
import { parseStoredJson } from "./storedJson.js";
import { checkExpectedRevision, isStoreFailure, storeUnavailable } from "./storeFailure.js";

/**
 * Connections per store: up to POSTGRES_GROUPS_IN_FLIGHT_MAX for group commits, the rest for reads
 * (projections, reports). Ten stays well under PostgreSQL's default limit of 100 for several API replicas.
 */
export const POSTGRES_POOL_SIZE = 10;

/** How long to wait for a connection before the operation fails with StoreUnavailable. */
export const POSTGRES_CONNECT_TIMEOUT_MS = 5_000;

/**
 * Server-side limits of every session of the store (sent at connection start), so that no transaction of
 * ours can hang the others for ever. A writer whose host dies or stalls mid-transaction keeps its
 * streams' locks and holds the visibility watermark back (every reader waits for it) until its session
 * ends; without these that is when TCP keepalive notices, which can take hours.
 * - idle in transaction: the server ends a session that sits in an open transaction this long (ours never
 *   pause between statements longer than a round trip), releasing its locks and the watermark;
 * - lock: a writer waits this long for a stream's lock, then fails with StoreUnavailable (the caller
 *   retries with the same event ids) rather than queueing behind a stalled one;
 * - statement: no statement of ours runs this long (the largest is a page of 10,000 events); one that
 *   does is cancelled and fails with StoreUnavailable. The schema migration runs without this limit and
 *   without the lock limit (a second process waits for the first one's migration).
 * Each can be set per store with the URL parameters `statementTimeoutMs`, `lockTimeoutMs` and
 * `idleInTransactionTimeoutMs` (0 turns one off), docs/postgres-event-store.md.
 */
export const POSTGRES_STATEMENT_TIMEOUT_MS = 30_000;
export const POSTGRES_LOCK_TIMEOUT_MS = 10_000;
export const POSTGRES_IDLE_IN_TRANSACTION_TIMEOUT_MS = 10_000;

export interface PostgresSessionTimeouts {
  readonly statementMs: number;
  readonly lockMs: number;
  readonly idleInTransactionMs: number;
}

export const POSTGRES_SESSION_TIMEOUTS: PostgresSessionTimeouts = {
  statementMs: POSTGRES_STATEMENT_TIMEOUT_MS,
  lockMs: POSTGRES_LOCK_TIMEOUT_MS,
  idleInTransactionMs: POSTGRES_IDLE_IN_TRANSACTION_TIMEOUT_MS,
};

/** The URL parameter of each timeout. */
const TIMEOUT_URL_PARAMETERS: Readonly<Record<keyof PostgresSessionTimeouts, string>> = {
  statementMs: "statementTimeoutMs",
  lockMs: "lockTimeoutMs",
  idleInTransactionMs: "idleInTransactionTimeoutMs",
};

/** The connection settings (node-postgres names) that give a session these timeouts. */
export const postgresSessionSettings = (timeouts: PostgresSessionTimeouts = POSTGRES_SESSION_TIMEOUTS) => ({
  statement_timeout: timeouts.statementMs,
  lock_timeout: timeouts.lockMs,
  idle_in_transaction_session_timeout: timeouts.idleInTransactionMs,
});

/** Takes the timeout parameters out of a store URL (defaults for those it does not give). */
const timeoutsFromUrl = (parsed: URL): PostgresSessionTimeouts => {
  const read = (key: keyof PostgresSessionTimeouts): number => {
    const name = TIMEOUT_URL_PARAMETERS[key];
    const text = parsed.searchParams.get(name);
    parsed.searchParams.delete(name);
    if (text === null) return POSTGRES_SESSION_TIMEOUTS[key];
    if (!/^\d{1,9}$/.test(text))
      throw new Error(
        `the store URL's ${name} must be a whole number of milliseconds, not ${JSON.stringify(text)}`,
      );
    return Number(text);
  };
  return {
    statementMs: read("statementMs"),
    lockMs: read("lockMs"),
    idleInTransactionMs: read("idleInTransactionMs"),
  };
};

/** The schema the tables live in unless the URL's `schema` parameter names another. */
export const POSTGRES_DEFAULT_SCHEMA = "public";

/** Network errors of the driver that mean the server cannot be reached now. */
const UNAVAILABLE_NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "ENOTFOUND",
  "EPIPE",
  "EHOSTUNREACH",
  "EAI_AGAIN",
]);

/**
 * The most appends written in one group-commit transaction. Large groups amortise the round trips and the
 * commit's WAL flush; the bound keeps one transaction's arrays and its latency moderate.
 */
export const POSTGRES_GROUP_COMMIT_MAX_APPENDS = 500;

/**
 * Group-commit transactions one store runs at once, each on its own connection. Their commits share WAL
 * flushes in the server, and while one group waits for its flush the next is already being written.
 */
export const POSTGRES_GROUPS_IN_FLIGHT_MAX = 4;

/**
 * How often a group is tried in all when it failed only because another process stored the same event id
 * at the same moment (unique violation), the server chose it as a deadlock victim, or a serializable
 * transaction could not be serialized (a database whose default isolation is SERIALIZABLE): the whole
 * transaction rolled back, and the next try sees the other's commit and settles each append by its checks.
 * After the last one the append fails with StoreUnavailable, and the caller retries with the same event
 * ids (docs/reliability.md section 6, #18).
 */
export const POSTGRES_GROUP_ATTEMPTS_MAX = 3;

/**
 * The pause before a group's next try grows by this much per try, with a random part of the same size, so
 * two transactions that conflicted do not meet again at once.
 */
export const POSTGRES_GROUP_RETRY_PAUSE_MS = 5;

/**
 * How long a read waits for the visibility watermark to pass the appends this store has acknowledged
 * (read-your-writes within one process). A transaction elsewhere in the PostgreSQL cluster that stays
 * open holds the watermark back; after this the read answers without the newest events, never with a gap.
 */
export const POSTGRES_OWN_WRITES_WAIT_MS = 5_000;

/** The first and the longest pause between two looks at the watermark while waiting for it. */
const WATERMARK_POLL_FIRST_MS = 1;
const WATERMARK_POLL_MAX_MS = 50;

/** SQLSTATEs after which a group is retried as a whole (see POSTGRES_GROUP_ATTEMPTS_MAX). */
const UNIQUE_VIOLATION = "23505";
const DEADLOCK_DETECTED = "40P01";
const SERIALIZATION_FAILURE = "40001";
const GROUP_RETRIED_CODES = new Set([UNIQUE_VIOLATION, DEADLOCK_DETECTED, SERIALIZATION_FAILURE]);

export interface PostgresEventStoreOptions {
  readonly connectionString: string;
  readonly schema?: string;
  readonly poolSize?: number;
  /** Server-side limits of the store's sessions; POSTGRES_SESSION_TIMEOUTS when absent. */
  readonly timeouts?: PostgresSessionTimeouts;
}

interface EventRow {
  readonly position: string;
  readonly name: string;
  readonly revision: string;
  readonly event_id: string;
  readonly type: string;
  readonly data: string;
  readonly metadata: string;
  readonly recorded_at: Date;
}

/** An event id already stored: position, stream name, revision, id, type and data (JSON text). */
type KnownRow = [string, string, number, string, string, string];

/** The rows one group writes, column by column (the shape `unnest` takes). */
interface GroupWrites {
  readonly streams: Map<string, number>;
  readonly events: { stream: string; revision: number; ordinal: number; event: SerializedEvent }[];
}

/**
 * The PostgreSQL event store. Appends are group-committed: several transactions at once, each writing many
 * appends (of different streams) with a handful of statements and one commit. Writers of different streams
 * never wait for each other; writers of one stream are serialised by a transaction-level advisory lock on
 * that stream, taken before anything else in the transaction.
 *
 * The global order without a global lock (docs/postgres-event-store.md): a position is the writing
 * transaction's id times 2^20 plus the event's ordinal in it, and a reader sees only positions below the
 * watermark `pg_snapshot_xmin(pg_current_snapshot())`: every transaction with a smaller id has finished, so
 * nothing can later appear behind a reader's cursor. A transaction takes its id (its first write) only
 * after it holds its streams' locks, so within a stream the global order is the revision order.
 */
export class PostgresEventStore implements EventStore {
  private readonly notifier = new CommitNotifier();
  private closed = false;
  private readonly commits = new GroupCommitQueue(
    POSTGRES_GROUP_COMMIT_MAX_APPENDS,
    (group) => this.writeGroup(group),
    mapPostgresError,
    POSTGRES_GROUPS_IN_FLIGHT_MAX,
  );
  private readonly events: string;
  private readonly streams: string;
  /** The highest position this store has acknowledged to a caller (for read-your-writes). */
  private acknowledgedThrough = -1n;
  /** Positions below this were visible at the last look at the watermark. */
  private visibleBelow = 0n;

  private constructor(
    private readonly pool: pg.Pool,
    readonly schema: string,
  ) {
    const s = quoteSchema(schema);
    this.events = `${s}.event_store_events`;
    this.streams = `${s}.event_store_streams`;
  }

  /** Connects, creates the schema and tables if missing and migrates them. */
  static async open(options: PostgresEventStoreOptions): Promise<PostgresEventStore> {
    const schema = options.schema ?? POSTGRES_DEFAULT_SCHEMA;
    quoteSchema(schema);
    // pg is loaded only when a PostgreSQL store is opened, so the memory and SQLite stores never load it.
    const { Pool } = await import("pg");
    const pool = new Pool({
      connectionString: options.connectionString,
      max: options.poolSize ?? POSTGRES_POOL_SIZE,
      connectionTimeoutMillis: POSTGRES_CONNECT_TIMEOUT_MS,
      ...postgresSessionSettings(options.timeouts),
    });
    // An idle connection that dies (server restart) must not crash the process; the next query reconnects.
    pool.on("error", () => undefined);
    try {
      const client = await pool.connect();
      // A connection cut during the migration fails its query; the event must not crash the process.
      client.on("error", () => undefined);
      try {
        // A migration may rewrite a large table, and a second process waits for the first one's migration
        // lock meanwhile: no statement or lock limit for it; the session's limits are restored after.
        await client.query("SET statement_timeout = 0");
        await client.query("SET lock_timeout = 0");
        await migratePostgresSchema(client, schema);
        await client.query("RESET statement_timeout");
        await client.query("RESET lock_timeout");
      } finally {
        client.release();
      }
    } catch (error) {
      await pool.end().catch(() => undefined);
      throw mapPostgresError(error);
    }
    return new PostgresEventStore(pool, schema);
  }

  /** Opens from a `postgres://` or `postgresql://` URL; a `schema` query parameter chooses the schema. */
  static async openUrl(url: string): Promise<PostgresEventStore> {
    const parsed = new URL(url);
    const schema = parsed.searchParams.get("schema") ?? POSTGRES_DEFAULT_SCHEMA;
    parsed.searchParams.delete("schema");
    const timeouts = timeoutsFromUrl(parsed);
    return PostgresEventStore.open({ connectionString: parsed.toString(), schema, timeouts });
  }

  async append(
    streamId: string,
    expected: ExpectedRevision,
    events: readonly NewEvent[],
  ): Promise<AppendResult> {
    this.assertOpen();
    if (events.length === 0) return this.appendNothing(streamId, expected);
    const serialized = serializeEvents(events);
    const result = await this.commits.enqueue({ streamId, expected, events: serialized });
    if (result.position > this.acknowledgedThrough) this.acknowledgedThrough = result.position;
    return result;
  }

  /**
   * An append of no events checks the expected revision and writes nothing. It answers the visible head as
   * its position, as the other stores do: a position where an event is (or -1n), never one inside a
   * transaction's range that holds none, which a reader waiting for it could not tell from a gap.
   */
  private async appendNothing(streamId: string, expected: ExpectedRevision): Promise<AppendResult> {
    const actual = await this.streamRevision(streamId);
    checkExpectedRevision(streamId, expected, actual);
    return {
      nextExpectedRevision: actual === "no_stream" ? -1 : actual,
      position: await this.headPosition(),
      alreadyStored: false,
    };
  }

  /**
   * Writes a group in transactions of at most POSTGRES_TRANSACTION_EVENTS_MAX events (the ordinal part of a
   * position), retrying one that lost a race with another process (see POSTGRES_GROUP_ATTEMPTS_MAX).
   */
  private async writeGroup(group: readonly PendingAppend[]): Promise<AppendOutcome[]> {
    const outcomes: AppendOutcome[] = [];
    let chunk: PendingAppend[] = [];
    let chunkEvents = 0;
    const flush = async (): Promise<void> => {
      if (chunk.length > 0) outcomes.push(...(await this.writeTransactionWithRetries(chunk)));
      chunk = [];
      chunkEvents = 0;
    };
    for (const pending of group) {
      if (pending.events.length > POSTGRES_TRANSACTION_EVENTS_MAX) {
        await flush();
        outcomes.push({ failure: appendTooLong(pending.events.length) });
        continue;
      }
      if (chunkEvents + pending.events.length > POSTGRES_TRANSACTION_EVENTS_MAX) await flush();
      chunk.push(pending);
      chunkEvents += pending.events.length;
    }
    await flush();
    return outcomes;
  }

  private async writeTransactionWithRetries(chunk: readonly PendingAppend[]): Promise<AppendOutcome[]> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.writeTransaction(chunk);
      } catch (error) {
        const code = (error as { code?: unknown } | null)?.code;
        const raced = typeof code === "string" && GROUP_RETRIED_CODES.has(code);
        if (!raced || attempt >= POSTGRES_GROUP_ATTEMPTS_MAX) throw error;
        const pauseMs = POSTGRES_GROUP_RETRY_PAUSE_MS * (attempt + Math.random());
        await new Promise((resolve) => setTimeout(resolve, pauseMs));
      }
    }
  }

  /**
   * One transaction for many appends: lock their streams (sorted, so two groups never deadlock), take the
   * transaction id, read the streams' revisions and the event ids already stored, decide each append in
   * memory (a refused one writes nothing and leaves the others alone), then write every stream row and every
   * event in one statement and commit once: five round trips for the whole group.
   */
  private async writeTransaction(chunk: readonly PendingAppend[]): Promise<AppendOutcome[]> {
    const client = await this.pool.connect();
    let broken: unknown;
    // A connection cut while checked out (a failover, the proxy closing sessions) emits "error" on the
    // client, which would crash the process without a listener; the query in progress fails on its own.
    const onConnectionError = (error: Error): void => {
      broken = error;
    };
    client.on("error", onConnectionError);
    try {
      await client.query("BEGIN");
      const names = [...new Set(chunk.map((pending) => pending.streamId))];
      const transactionId = await this.lockStreams(client, names);
      const { revisions, known } = await this.readGroupState(client, names, chunk);
      const first = transactionId << BigInt(POSTGRES_POSITION_ORDINAL_BITS);
      const writes: GroupWrites = { streams: new Map(), events: [] };
      const outcomes = chunk.map((pending) => decideAppend(pending, revisions, known, writes, first));
      if (writes.events.length > 0) await this.writeRows(client, writes, first);
      await client.query("COMMIT");
      if (writes.events.length > 0) this.notifier.notify();
      return outcomes;
    } catch (error) {
      broken = error;
      await client.query("ROLLBACK").catch(() => undefined);
      throw error;
    } finally {
      // A connection that failed mid-transaction is destroyed rather than returned to the pool; it keeps
      // its error listener, as a destroyed connection may still report its end.
      if (broken === undefined) client.off("error", onConnectionError);
      client.release(broken instanceof Error ? broken : undefined);
    }
  }

  /**
   * Takes the streams' advisory locks in key order and only then the transaction id: the aggregate in the
   * inner query is computed (every lock held) before the outer one asks for the id. No statement before
   * this one writes, so the transaction has no id yet; taking it after the locks is what makes a later
   * writer of a stream get a higher id, hence higher positions, than the writer it waited for.
   */
  private async lockStreams(client: pg.PoolClient, names: readonly string[]): Promise<bigint> {
    const rows = await client.query<{ xid: string }>(
      `SELECT pg_current_xact_id()::text AS xid FROM (
         SELECT count(pg_advisory_xact_lock(${POSTGRES_STREAM_LOCK_CLASS}, k)) FROM (
           SELECT DISTINCT hashtext($1 || '/' || n) AS k FROM unnest($2::text[]) AS n ORDER BY k
         ) AS keys
       ) AS locked`,
      [this.schema, names],
    );
    return BigInt(rows.rows[0]?.xid ?? "0");
  }

  /**
   * The streams' last revisions and the identities of the event ids already stored, in one statement (one
   * round trip) run after the locks, so it sees every earlier writer of these streams committed.
   */
  private async readGroupState(
    client: pg.PoolClient,
    names: readonly string[],
    chunk: readonly PendingAppend[],
  ): Promise<{ revisions: Map<string, number | "no_stream">; known: Map<string, StoredEventIdentity> }> {
    const ids = chunk.flatMap((pending) => pending.events.map((event) => event.eventId));
    const result = await client.query<{ streams: [string, string][] | null; known: KnownRow[] | null }>(
      `SELECT
         (SELECT json_agg(json_build_array(name, last_revision::text)) FROM ${this.streams}
            WHERE name = ANY($1::text[])) AS streams,
         (SELECT json_agg(json_build_array(e.position::text, s.name, e.revision, e.event_id, e.type, e.data))
            FROM ${this.events} e JOIN ${this.streams} s ON s.stream_id = e.stream_id
            WHERE e.event_id = ANY($2::text[])) AS known`,
      [names, ids],
    );
    const row = result.rows[0];
    const revisions = new Map<string, number | "no_stream">();
    for (const [name, lastRevision] of row?.streams ?? []) revisions.set(name, revisionOf(lastRevision));
    const known = new Map<string, StoredEventIdentity>();
    for (const [position, streamId, revision, eventId, type, data] of row?.known ?? []) {
      known.set(eventId, { eventId, streamId, revision, position: BigInt(position), type, data });
    }
    return { revisions, known };
  }

  /** Writes the stream rows and the events with one statement: the events join the stream keys it returns. */
  private async writeRows(client: pg.PoolClient, writes: GroupWrites, first: bigint): Promise<void> {
    const names = [...writes.streams.keys()].sort();
    const rows = writes.events;
    await client.query(
      `WITH streams AS (
         INSERT INTO ${this.streams} (name, last_revision)
           SELECT * FROM unnest($1::text[], $2::bigint[])
           ON CONFLICT (name) DO UPDATE SET last_revision = EXCLUDED.last_revision
           RETURNING stream_id, name
       )
       INSERT INTO ${this.events} (position, stream_id, revision, event_id, type, data, metadata, recorded_at)
         SELECT u.p, streams.stream_id, u.r, u.i, u.t, u.d, u.m, $10::timestamptz
         FROM unnest($3::bigint[], $4::text[], $5::bigint[], $6::text[], $7::text[], $8::text[], $9::text[])
           AS u (p, n, r, i, t, d, m)
         JOIN streams ON streams.name = u.n`,
      [
        names,
        names.map((name) => writes.streams.get(name)),
        rows.map((row) => (first + BigInt(row.ordinal)).toString()),
        rows.map((row) => row.stream),
        rows.map((row) => row.revision),
        rows.map((row) => row.event.eventId),
        rows.map((row) => row.event.type),
        rows.map((row) => row.event.data),
        rows.map((row) => row.event.metadata),
        new Date(),
      ],
    );
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<readonly StoredEvent[]> {
    const backwards = options.direction === "backwards";
    const rows = await this.query<EventRow>(
      `SELECT ${this.columns()} WHERE s.name = $1 AND e.revision ${backwards ? "<=" : ">="} $2
         ORDER BY e.revision ${backwards ? "DESC" : "ASC"} LIMIT $3`,
      [streamId, options.fromRevision ?? (backwards ? Number.MAX_SAFE_INTEGER : 0), options.limit ?? null],
    );
    return rows.map(decodeRow);
  }

  async readAll(options: ReadAllOptions = {}): Promise<readonly StoredEvent[]> {
    const prefix = options.streamPrefix ?? "";
    await this.awaitOwnWrites();
    const rows = await this.query<EventRow>(
      `SELECT ${this.columns()} WHERE e.position > $1 AND e.position < ${VISIBLE_BELOW}
         AND ($2 = '' OR left(s.name, length($2)) = $2)
         ORDER BY e.position LIMIT $3`,
      [(options.after ?? -1n).toString(), prefix, options.limit ?? null],
    );
    return rows.map(decodeRow);
  }

  async readEventById(eventId: string): Promise<StoredEvent | null> {
    const rows = await this.query<EventRow>(`SELECT ${this.columns()} WHERE e.event_id = $1`, [eventId]);
    return rows[0] ? decodeRow(rows[0]) : null;
  }

  async streamRevision(streamId: string): Promise<number | "no_stream"> {
    const rows = await this.query<{ last_revision: string }>(
      `SELECT last_revision FROM ${this.streams} WHERE name = $1`,
      [streamId],
    );
    return rows[0] ? revisionOf(rows[0].last_revision) : "no_stream";
  }

  async headPosition(): Promise<bigint> {
    await this.awaitOwnWrites();
    const rows = await this.query<{ head: string | null }>(
      `SELECT max(position) AS head FROM ${this.events} WHERE position < ${VISIBLE_BELOW}`,
    );
    const head = rows[0]?.head;
    return head == null ? -1n : BigInt(head);
  }

  async committedHeadPosition(): Promise<bigint> {
    const rows = await this.query<{ head: string | null }>(
      `SELECT max(position) AS head FROM ${this.events}`,
    );
    const head = rows[0]?.head;
    return head == null ? -1n : BigInt(head);
  }

  subscribeToAll(options: SubscribeOptions, handler: (event: StoredEvent) => Promise<void>): Subscription {
    return catchUpSubscription(this, this.notifier, options, handler);
  }

  observeCommits(observer: CommitObserver | null): void {
    this.commits.observe(observer);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // Appends already accepted are written (or failed) before the pool ends, never dropped.
    await this.commits.idle();
    this.notifier.wakeAll();
    await this.pool.end();
  }

  private columns(): string {
    return `e.position, s.name, e.revision, e.event_id, e.type, e.data, e.metadata, e.recorded_at
      FROM ${this.events} e JOIN ${this.streams} s ON s.stream_id = e.stream_id`;
  }

  private async query<Row extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<Row[]> {
    this.assertOpen();
    try {
      return (await this.pool.query<Row>(text, values)).rows;
    } catch (error) {
      throw mapPostgresError(error);
    }
  }

  /**
   * Waits (briefly, see POSTGRES_OWN_WRITES_WAIT_MS) until every append this store acknowledged is below
   * the visibility watermark, so a read after one's own append sees it. Nothing to wait for in the usual
   * case: the last look at the watermark already covers them.
   */
  private async awaitOwnWrites(): Promise<void> {
    const started = performance.now();
    let pauseMs = WATERMARK_POLL_FIRST_MS;
    while (this.acknowledgedThrough >= this.visibleBelow) {
      const rows = await this.query<{ below: string }>(`SELECT ${VISIBLE_BELOW}::text AS below`);
      const below = BigInt(rows[0]?.below ?? "0");
      if (below > this.visibleBelow) this.visibleBelow = below;
      if (this.acknowledgedThrough < this.visibleBelow) return;
      if (performance.now() - started > POSTGRES_OWN_WRITES_WAIT_MS) return;
      await new Promise((resolve) => setTimeout(resolve, pauseMs));
      pauseMs = Math.min(pauseMs * 2, WATERMARK_POLL_MAX_MS);
    }
  }

  private assertOpen(): void {
    if (this.closed) throw storeUnavailable("the PostgreSQL event store is closed");
  }
}

/**
 * SQLSTATE 55000 (object not in prerequisite state) is what PostgreSQL answers when a database is not
 * accepting connections (ALLOW_CONNECTIONS false, e.g. during maintenance): the store is unavailable, not broken.
 */
const DATABASE_NOT_ACCEPTING_CONNECTIONS = "55000";

/**
 * SQLSTATE 25006 (read-only SQL transaction): the connection reached a standby, as happens for a moment
 * during a failover (a former leader back as a replica before the proxy notices). Retrying reaches the
 * new leader; nothing was written.
 */
const READ_ONLY_SQL_TRANSACTION = "25006";

/** SQLSTATE 55P03 (lock not available): lock_timeout ran out behind another transaction's lock. */
const LOCK_NOT_AVAILABLE = "55P03";

/** SQLSTATE 25P03: the server ended this session for idling in a transaction (see the timeouts above). */
const IDLE_IN_TRANSACTION_TIMEOUT = "25P03";

/**
 * Maps connection failures, server shutdown, resource exhaustion and serialization retries to
 * StoreUnavailable (the caller may retry with the same event ids); anything else is a bug and stays.
 */
export const mapPostgresError = (error: unknown): unknown => {
  if (isStoreFailure(error)) return error;
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  if (typeof code === "string") {
    const sqlStateClass = code.slice(0, 2);
    if (
      UNAVAILABLE_NETWORK_CODES.has(code) ||
      ["08", "53", "57", "58"].includes(sqlStateClass) ||
      code === "40001" ||
      code === "40P01" ||
      code === DATABASE_NOT_ACCEPTING_CONNECTIONS ||
      code === READ_ONLY_SQL_TRANSACTION ||
      code === LOCK_NOT_AVAILABLE ||
      code === IDLE_IN_TRANSACTION_TIMEOUT
    ) {
      return storeUnavailable(`${code}: ${message}`);
    }
  }
  if (
    /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/i.test(
      message,
    )
  ) {
    return storeUnavailable(message);
  }
  return error;
};

/**
 * The visibility watermark as SQL: positions below it belong to transactions that have all finished, so
 * the reader's snapshot holds every committed one of them and none can appear later.
 */
const VISIBLE_BELOW = `(pg_snapshot_xmin(pg_current_snapshot())::text::bigint << ${POSTGRES_POSITION_ORDINAL_BITS})`;

/** A stream row's last_revision; -1 is a row created by a group whose append was then refused. */
const revisionOf = (lastRevision: string): number | "no_stream" => {
  const revision = Number(lastRevision);
  return revision < 0 ? "no_stream" : revision;
};

/**
 * Decides one append of a group against the revisions and stored ids read in its transaction, updated by
 * the appends before it in the same group: an idempotent retry, a refusal, or new rows added to `writes`.
 */
const decideAppend = (
  pending: PendingAppend,
  revisions: Map<string, number | "no_stream">,
  known: Map<string, StoredEventIdentity>,
  writes: GroupWrites,
  first: bigint,
): AppendOutcome => {
  const { streamId, expected, events } = pending;
  try {
    const stored = new Map<string, StoredEventIdentity>();
    for (const event of events) {
      const identity = known.get(event.eventId);
      if (identity !== undefined) stored.set(event.eventId, identity);
    }
    const original = resolveIdempotentAppend(streamId, events, stored);
    if (original) return { ok: original };
    const actual = revisions.get(streamId) ?? "no_stream";
    checkExpectedRevision(streamId, expected, actual);
    const firstRevision = actual === "no_stream" ? 0 : actual + 1;
    let position = first;
    events.forEach((event, index) => {
      const ordinal = writes.events.length;
      position = first + BigInt(ordinal);
      const revision = firstRevision + index;
      writes.events.push({ stream: streamId, revision, ordinal, event });
      known.set(event.eventId, { ...event, streamId, revision, position });
    });
    const lastRevision = firstRevision + events.length - 1;
    revisions.set(streamId, lastRevision);
    writes.streams.set(streamId, lastRevision);
    return { ok: { nextExpectedRevision: lastRevision, position, alreadyStored: false } };
  } catch (error) {
    if (!isStoreFailure(error)) throw error;
    return { failure: error };
  }
};

/** An append longer than one transaction's positions can number. */
const appendTooLong = (events: number): Error => {
  return new Error(
    `an append of ${events} events is more than the PostgreSQL store writes in one transaction (${POSTGRES_TRANSACTION_EVENTS_MAX})`,
  );
};

const decodeRow = (row: EventRow): StoredEvent => {
  return {
    streamId: row.name,
    revision: Number(row.revision),
    position: BigInt(row.position),
    eventId: row.event_id,
    type: row.type,
    data: parseStoredJson(row.data),
    metadata: parseStoredJson(row.metadata),
    recordedAt: row.recorded_at.toISOString(),
  };
};
