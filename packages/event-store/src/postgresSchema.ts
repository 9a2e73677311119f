import type pg from "pg";
import { StoreFailure } from "./port.js";
import { storeUnavailable } from "./storeFailure.js";

/**
 * Advisory lock classes (the first key of the two-key form) used by the PostgreSQL adapter; the second key
 * is a hash of the schema name, so stores in different schemas of one database never wait for each other.
 * The values spell "bb" and are arbitrary but fixed: every process must use the same ones.
 */
export const POSTGRES_MIGRATION_LOCK_CLASS = 0x6262_0001;
/** The per-stream append lock: the second key is a hash of the schema and stream name. */
export const POSTGRES_STREAM_LOCK_CLASS = 0x6262_0003;

/**
 * A global position is the committing transaction's id (xid8) shifted left by this many bits, plus the
 * event's ordinal within that transaction: up to 1,048,576 events per transaction, and 43 bits of
 * transaction ids (8.8e12 transactions, 27 years at 10,000 commits a second) before a position would
 * leave a signed 64-bit integer. See docs/postgres-event-store.md.
 */
export const POSTGRES_POSITION_ORDINAL_BITS = 20;
export const POSTGRES_TRANSACTION_EVENTS_MAX = 2 ** POSTGRES_POSITION_ORDINAL_BITS;

/** Schema names we accept: plain lower-case identifiers, so they can be quoted without surprises. */
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** Quotes a schema name after checking it is a plain identifier. */
export const quoteSchema = (schema: string): string => {
  if (!SCHEMA_NAME.test(schema))
    throw new Error(`invalid PostgreSQL schema name for the event store: ${schema}`);
  return `"${schema}"`;
};

/**
 * The versioned schema of the PostgreSQL event store; the applied versions are rows of
 * `event_store_migrations`. As in SQLite, the global position is the primary key, streams are named once
 * and referred to by a bigint, and uniqueness of (stream, revision) and of the event id is enforced by the
 * database itself.
 *
 * Version 1 assigned positions as max + 1 under one global advisory lock. Version 2 derives them from the
 * writing transaction's id (see PostgresEventStore and docs/postgres-event-store.md); it refuses to run on
 * a log whose positions could collide with those, and a stream row whose last_revision is -1 means the
 * stream has no event yet (a group may create the row and then refuse the append).
 */
export const postgresMigrations = (schema: string): readonly string[] => {
  const s = quoteSchema(schema);
  return [
    `CREATE TABLE ${s}.event_store_streams (
       stream_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
       name text NOT NULL UNIQUE,
       last_revision bigint NOT NULL
     );
     CREATE TABLE ${s}.event_store_events (
       position bigint PRIMARY KEY,
       stream_id bigint NOT NULL REFERENCES ${s}.event_store_streams (stream_id),
       revision bigint NOT NULL,
       event_id text NOT NULL UNIQUE,
       type text NOT NULL,
       data text NOT NULL,
       metadata text NOT NULL,
       recorded_at timestamptz NOT NULL,
       UNIQUE (stream_id, revision)
     );`,
    `DO $$ BEGIN
       IF (SELECT coalesce(max(position), 0) FROM ${s}.event_store_events)
          >= (pg_current_xact_id()::text::bigint << ${POSTGRES_POSITION_ORDINAL_BITS}) THEN
         RAISE EXCEPTION 'event store positions run past the transaction-id positions; cannot migrate';
       END IF;
     END $$;`,
  ];
};

/**
 * Positions are built from the writing transaction's id, and that counter belongs to the cluster, not to
 * the data: a log restored into another cluster (pg_dump and pg_restore, a switch over logical
 * replication) meets a counter that starts lower, so new events would get positions behind every
 * reader's checkpoint and never be delivered. Every open therefore checks that the newest position lies
 * below the positions of the current transaction id, and refuses the store otherwise
 * (docs/postgres-event-store.md, "Restoring into another cluster").
 */
const refusePositionsAheadOfTransactionIds = async (client: pg.PoolClient, s: string): Promise<void> => {
  const result = await client.query<{ ahead: boolean }>(
    `SELECT coalesce(max(position), 0)
              >= (pg_current_xact_id()::text::bigint << ${POSTGRES_POSITION_ORDINAL_BITS}) AS ahead
       FROM ${s}.event_store_events`,
  );
  if (result.rows[0]?.ahead === true) {
    throw storeUnavailable(
      "the event log's positions are ahead of this PostgreSQL cluster's transaction ids (was it restored " +
        "into another cluster?); appending would hide new events from readers, see " +
        "docs/postgres-event-store.md, 'Restoring into another cluster'",
    );
  }
};

/** Creates the schema and tables if missing and applies pending migrations; refuses a newer schema. */
export const migratePostgresSchema = async (client: pg.PoolClient, schema: string): Promise<void> => {
  const s = quoteSchema(schema);
  const migrations = postgresMigrations(schema);
  await client.query("BEGIN");
  try {
    await client.query("SELECT pg_advisory_xact_lock($1, hashtext($2))", [
      POSTGRES_MIGRATION_LOCK_CLASS,
      schema,
    ]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${s}`);
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${s}.event_store_migrations (
         version integer PRIMARY KEY,
         applied_at timestamptz NOT NULL DEFAULT now()
       )`,
    );
    const result = await client.query<{ version: number | null }>(
      `SELECT max(version) AS version FROM ${s}.event_store_migrations`,
    );
    const found = result.rows[0]?.version ?? 0;
    if (found > migrations.length) {
      throw new StoreFailure({ _tag: "SchemaTooNew", found, supported: migrations.length });
    }
    for (let version = found; version < migrations.length; version += 1) {
      await client.query(migrations[version] as string);
      await client.query(`INSERT INTO ${s}.event_store_migrations (version) VALUES ($1)`, [version + 1]);
    }
    await refusePositionsAheadOfTransactionIds(client, s);
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  }
};
