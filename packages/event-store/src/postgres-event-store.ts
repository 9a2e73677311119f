import type pg from "pg";
import { CommitNotifier, catchUpSubscription } from "./catch-up-subscription.js";
import { serializeEvents } from "./event-size.js";
import { type AppendOutcome, GroupCommitQueue, type PendingAppend } from "./group-commit.js";
import { resolveIdempotentAppend, type StoredEventIdentity } from "./idempotent-append.js";
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
import { migratePostgresSchema, POSTGRES_APPEND_LOCK_CLASS, quoteSchema } from "./postgres-schema.js";
import { checkExpectedRevision, isStoreFailure, storeUnavailable } from "./store-failure.js";

/**
 * Connections per store. Appends are serialised by one advisory lock anyway, so more connections mostly
 * serve reads (projections, reports); ten stays well under PostgreSQL's default limit of 100 for several
 * API replicas.
 */
export const POSTGRES_POOL_SIZE = 10;

/** How long to wait for a connection before the operation fails with StoreUnavailable. */
export const POSTGRES_CONNECT_TIMEOUT_MS = 5_000;

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
 * The most appends written in one group-commit transaction: it bounds how long one transaction holds the
 * append lock; the rest follow in the next group at once.
 */
export const POSTGRES_GROUP_COMMIT_MAX_APPENDS = 500;

export interface PostgresEventStoreOptions {
  readonly connectionString: string;
  readonly schema?: string;
  readonly poolSize?: number;
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

/**
 * The PostgreSQL event store. Each append runs in one transaction that first takes a transaction-level
 * advisory lock, then checks event ids and the expected revision and assigns positions as max + 1. The lock
 * is released only after the commit is visible, so the next append gets higher positions and commits later:
 * a reader can never see position N+1 while N is still uncommitted (a sequence would allow exactly that).
 * The database's own UNIQUE(stream_id, revision) and UNIQUE(event_id) back every check. Appends arriving
 * together share one such transaction (group commit), so the lock and the commit's fsync are paid per group.
 */
export class PostgresEventStore implements EventStore {
  private readonly notifier = new CommitNotifier();
  private closed = false;
  private readonly commits = new GroupCommitQueue(
    POSTGRES_GROUP_COMMIT_MAX_APPENDS,
    (group) => this.writeGroup(group),
    mapPostgresError,
  );
  private readonly events: string;
  private readonly streams: string;

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
    });
    // An idle connection that dies (server restart) must not crash the process; the next query reconnects.
    pool.on("error", () => undefined);
    try {
      const client = await pool.connect();
      try {
        await migratePostgresSchema(client, schema);
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
    return PostgresEventStore.open({ connectionString: parsed.toString(), schema });
  }

  async append(
    streamId: string,
    expected: ExpectedRevision,
    events: readonly NewEvent[],
  ): Promise<AppendResult> {
    this.assertOpen();
    const serialized = serializeEvents(events);
    // Appends of the same tick join one group; later ones wait for the group in flight.
    return this.commits.enqueue({ streamId, expected, events: serialized });
  }

  /**
   * Group commit: one transaction, one advisory lock and one commit for every append queued together. Each
   * append runs all the checks that can refuse it before its first write, so a refused append leaves nothing
   * behind and the others go on; a failing statement rolls back and fails the whole group.
   */
  private async writeGroup(group: readonly PendingAppend[]): Promise<AppendOutcome[]> {
    const client = await this.pool.connect();
    const outcomes: AppendOutcome[] = [];
    let wrote = false;
    let broken: unknown;
    try {
      await client.query("BEGIN");
      await client.query("SELECT pg_advisory_xact_lock($1, hashtext($2))", [
        POSTGRES_APPEND_LOCK_CLASS,
        this.schema,
      ]);
      const headRows = await client.query<{ head: string }>(
        `SELECT coalesce(max(position), 0) AS head FROM ${this.events}`,
      );
      const head = { value: BigInt(headRows.rows[0]?.head ?? "0") };
      for (const pending of group) {
        try {
          const outcome = await this.appendInTransaction(client, pending, head);
          if (outcome.wrote) wrote = true;
          outcomes.push({ ok: outcome.result });
        } catch (error) {
          if (!isStoreFailure(error)) throw error;
          outcomes.push({ failure: error });
        }
      }
      await client.query("COMMIT");
    } catch (error) {
      broken = error;
      await client.query("ROLLBACK").catch(() => undefined);
      throw error;
    } finally {
      // A connection that failed mid-transaction is destroyed rather than returned to the pool.
      client.release(broken instanceof Error ? broken : undefined);
    }
    if (wrote) this.notifier.notify();
    return outcomes;
  }

  private async appendInTransaction(
    client: pg.PoolClient,
    pending: PendingAppend,
    head: { value: bigint },
  ): Promise<{ result: AppendResult; wrote: boolean }> {
    const { streamId, expected, events } = pending;
    const known = await client.query<EventRow>(
      `SELECT e.position, s.name, e.revision, e.event_id, e.type, e.data FROM ${this.events} e
         JOIN ${this.streams} s ON s.stream_id = e.stream_id WHERE e.event_id = ANY($1::text[])`,
      [events.map((event) => event.eventId)],
    );
    const stored = new Map<string, StoredEventIdentity>();
    for (const row of known.rows) {
      stored.set(row.event_id, {
        eventId: row.event_id,
        streamId: row.name,
        revision: Number(row.revision),
        position: BigInt(row.position),
        type: row.type,
        data: row.data,
      });
    }
    const original = resolveIdempotentAppend(streamId, events, stored);
    if (original) return { result: original, wrote: false };
    const streamRows = await client.query<{ stream_id: string; last_revision: string }>(
      `SELECT stream_id, last_revision FROM ${this.streams} WHERE name = $1`,
      [streamId],
    );
    const stream = streamRows.rows[0];
    const actual = stream ? Number(stream.last_revision) : "no_stream";
    checkExpectedRevision(streamId, expected, actual);
    if (events.length === 0) {
      return {
        result: {
          nextExpectedRevision: actual === "no_stream" ? -1 : actual,
          position: head.value === 0n ? -1n : head.value,
          alreadyStored: false,
        },
        wrote: false,
      };
    }
    const firstRevision = actual === "no_stream" ? 0 : actual + 1;
    const lastRevision = firstRevision + events.length - 1;
    let streamKey: string;
    if (stream) {
      streamKey = stream.stream_id;
      await client.query(`UPDATE ${this.streams} SET last_revision = $1 WHERE stream_id = $2`, [
        lastRevision,
        streamKey,
      ]);
    } else {
      const inserted = await client.query<{ stream_id: string }>(
        `INSERT INTO ${this.streams} (name, last_revision) VALUES ($1, $2) RETURNING stream_id`,
        [streamId, lastRevision],
      );
      streamKey = inserted.rows[0]?.stream_id as string;
    }
    const first = head.value + 1n;
    await client.query(
      `INSERT INTO ${this.events} (position, stream_id, revision, event_id, type, data, metadata, recorded_at)
         SELECT p, $2::bigint, r, i, t, d, m, $8::timestamptz
         FROM unnest($1::bigint[], $3::bigint[], $4::text[], $5::text[], $6::text[], $7::text[]) AS u (p, r, i, t, d, m)`,
      [
        events.map((_, index) => (first + BigInt(index)).toString()),
        streamKey,
        events.map((_, index) => firstRevision + index),
        events.map((event) => event.eventId),
        events.map((event) => event.type),
        events.map((event) => event.data),
        events.map((event) => event.metadata),
        new Date(),
      ],
    );
    head.value += BigInt(events.length);
    return {
      result: { nextExpectedRevision: lastRevision, position: head.value, alreadyStored: false },
      wrote: true,
    };
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
    const rows = await this.query<EventRow>(
      `SELECT ${this.columns()} WHERE e.position > $1 AND ($2 = '' OR left(s.name, length($2)) = $2)
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
    return rows[0] ? Number(rows[0].last_revision) : "no_stream";
  }

  async headPosition(): Promise<bigint> {
    const rows = await this.query<{ head: string | null }>(
      `SELECT max(position) AS head FROM ${this.events}`,
    );
    const head = rows[0]?.head;
    return head == null ? -1n : BigInt(head);
  }

  subscribeToAll(options: SubscribeOptions, handler: (event: StoredEvent) => Promise<void>): Subscription {
    return catchUpSubscription(this, this.notifier, options, handler);
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

  private async connect(): Promise<pg.PoolClient> {
    try {
      return await this.pool.connect();
    } catch (error) {
      throw mapPostgresError(error);
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
 * Maps connection failures, server shutdown, resource exhaustion and serialization retries to
 * StoreUnavailable (the caller may retry with the same event ids); anything else is a bug and stays.
 */
export function mapPostgresError(error: unknown): unknown {
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
      code === DATABASE_NOT_ACCEPTING_CONNECTIONS
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
}

function decodeRow(row: EventRow): StoredEvent {
  return {
    streamId: row.name,
    revision: Number(row.revision),
    position: BigInt(row.position),
    eventId: row.event_id,
    type: row.type,
    data: JSON.parse(row.data),
    metadata: JSON.parse(row.metadata),
    recordedAt: row.recorded_at.toISOString(),
  };
}
