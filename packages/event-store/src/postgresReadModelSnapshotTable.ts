import type pg from "pg";
import { mapPostgresError, type PostgresEventStore } from "./postgresEventStore.js";
import { quoteSchema } from "./postgresSchema.js";
import type { ReadModelSnapshotRecord, ReadModelSnapshotTable } from "./readModelSnapshotTable.js";
import { asStored, type SnapshotPart, textPartsOnly } from "./snapshotPart.js";
import { storeUnavailable } from "./storeFailure.js";

/**
 * The tables of read-model snapshots in the event store's own schema. Created on first use with IF NOT
 * EXISTS and kept out of `event_store_migrations`: they hold nothing the log cannot rebuild. A binary part
 * is kept in `bytes` (its `data` is then empty); the column is added to tables made before binary parts.
 */
const createTables = (s: string): string => `
  CREATE TABLE IF NOT EXISTS ${s}.read_model_snapshots (
    name text PRIMARY KEY,
    position bigint NOT NULL,
    part_count integer NOT NULL,
    saved_at timestamptz NOT NULL
  );
  CREATE TABLE IF NOT EXISTS ${s}.read_model_snapshot_parts (
    name text NOT NULL,
    part integer NOT NULL,
    data text NOT NULL,
    PRIMARY KEY (name, part)
  );
  ALTER TABLE ${s}.read_model_snapshot_parts ADD COLUMN IF NOT EXISTS bytes bytea;`;

/**
 * Advisory lock class for creating the snapshot tables: two processes running CREATE TABLE IF NOT EXISTS
 * at once can still collide on the catalog, so the creation is serialised per schema. Spells "bb".
 */
const POSTGRES_SNAPSHOT_TABLES_LOCK_CLASS = 0x6262_0003;

/** The store's pool, read from its private field (same package; the class keeps it to itself). */
const poolOf = (store: PostgresEventStore): pg.Pool => {
  const pool = (store as unknown as { pool?: pg.Pool }).pool;
  if (pool === undefined) throw storeUnavailable("the PostgreSQL event store has no pool");
  return pool;
};

/** Read-model snapshots in the same PostgreSQL schema (and through the same pool) as the events. */
export class PostgresReadModelSnapshotTable implements ReadModelSnapshotTable {
  private static readonly tables = new WeakMap<PostgresEventStore, PostgresReadModelSnapshotTable>();
  private ready: Promise<void> | null = null;
  private readonly headers: string;
  private readonly parts: string;

  private constructor(private readonly store: PostgresEventStore) {
    const s = quoteSchema(store.schema);
    this.headers = `${s}.read_model_snapshots`;
    this.parts = `${s}.read_model_snapshot_parts`;
  }

  /** The table of this store (one per store, created on first use). */
  static of(store: PostgresEventStore): PostgresReadModelSnapshotTable {
    let table = PostgresReadModelSnapshotTable.tables.get(store);
    if (table === undefined) {
      table = new PostgresReadModelSnapshotTable(store);
      PostgresReadModelSnapshotTable.tables.set(store, table);
    }
    return table;
  }

  async load(name: string): Promise<ReadModelSnapshotRecord | null> {
    return textPartsOnly(await this.loadParts(name));
  }

  async loadParts(name: string): Promise<ReadModelSnapshotRecord<SnapshotPart> | null> {
    return this.transaction(async (client) => {
      // REPEATABLE READ: the header and the parts come from one snapshot of the database.
      await client.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY");
      const header = await client.query<{ position: string; part_count: number; saved_at: Date }>(
        `SELECT position::text AS position, part_count, saved_at FROM ${this.headers} WHERE name = $1`,
        [name],
      );
      const row = header.rows[0];
      if (row === undefined) return null;
      const parts = await client.query<{ data: string; bytes: Buffer | null }>(
        `SELECT data, bytes FROM ${this.parts} WHERE name = $1 ORDER BY part`,
        [name],
      );
      if (parts.rows.length !== row.part_count) return null;
      return {
        position: BigInt(row.position),
        parts: parts.rows.map((part) => part.bytes ?? part.data),
        savedAt: row.saved_at.toISOString(),
      };
    });
  }

  async save(name: string, position: bigint, parts: readonly SnapshotPart[]): Promise<void> {
    await this.transaction(async (client) => {
      await client.query(`DELETE FROM ${this.parts} WHERE name = $1`, [name]);
      for (let part = 0; part < parts.length; part++) {
        const stored = asStored(parts[part] ?? "");
        const [data, bytes] = typeof stored === "string" ? [stored, null] : ["", stored];
        await client.query(`INSERT INTO ${this.parts} (name, part, data, bytes) VALUES ($1, $2, $3, $4)`, [
          name,
          part,
          data,
          bytes,
        ]);
      }
      await client.query(
        `INSERT INTO ${this.headers} (name, position, part_count, saved_at) VALUES ($1, $2, $3, now())
         ON CONFLICT (name) DO UPDATE SET position = excluded.position, part_count = excluded.part_count,
           saved_at = excluded.saved_at`,
        [name, position.toString(), parts.length],
      );
    });
  }

  async remove(name: string): Promise<void> {
    await this.transaction(async (client) => {
      await client.query(`DELETE FROM ${this.parts} WHERE name = $1`, [name]);
      await client.query(`DELETE FROM ${this.headers} WHERE name = $1`, [name]);
    });
  }

  private async transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    let client: pg.PoolClient;
    try {
      client = await poolOf(this.store).connect();
    } catch (error) {
      throw mapPostgresError(error);
    }
    let broken: unknown;
    try {
      if (this.ready === null) this.ready = this.createTables(client);
      await this.ready.catch((error: unknown) => {
        this.ready = null;
        throw error;
      });
      await client.query("BEGIN");
      const result = await work(client);
      await client.query("COMMIT");
      return result;
    } catch (error) {
      await client.query("ROLLBACK").catch((rollbackError: unknown) => {
        broken = rollbackError;
      });
      throw mapPostgresError(error);
    } finally {
      client.release(broken instanceof Error ? broken : undefined);
    }
  }

  private async createTables(client: pg.PoolClient): Promise<void> {
    await client.query("BEGIN");
    try {
      await client.query("SELECT pg_advisory_xact_lock($1, hashtext($2))", [
        POSTGRES_SNAPSHOT_TABLES_LOCK_CLASS,
        this.store.schema,
      ]);
      await client.query(createTables(quoteSchema(this.store.schema)));
      await client.query("COMMIT");
    } catch (error) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw error;
    }
  }
}
