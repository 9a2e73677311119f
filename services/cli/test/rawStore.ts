import { RAW_SHAPE, SqliteShapes } from "@bukubesar/event-store";
import Database from "better-sqlite3";
import pg from "pg";

/** One stored event as the tamper tests see it, straight from the database. */
export interface RawEvent {
  /** SQLite's small integer, or PostgreSQL's bigint as text (its positions need 64 bits). */
  readonly position: number | string;
  readonly revision: number;
  readonly type: string;
  readonly data: string;
}

/**
 * Direct access to a store's tables, behind the store's back, to play the attacker who holds the
 * database: edit, delete, reorder or truncate stored events.
 */
export interface RawStore {
  readonly storeUrl: string;
  events(streamName: string): Promise<RawEvent[]>;
  setData(position: RawEvent["position"], data: string): Promise<void>;
  deleteEvent(position: RawEvent["position"]): Promise<void>;
  /** Removes every event of the stream after `revision` and rewinds the stream's last revision. */
  truncateAfter(streamName: string, revision: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * The SQLite file's own tables. The data column holds a shape's values (schema version 3), so the
 * attacker reads it back as its canonical text and writes a text of their own as a raw column.
 */
export const sqliteRawStore = (file: string): RawStore => {
  const database = new Database(file);
  const shapes = new SqliteShapes(database);
  return {
    storeUrl: `sqlite:${file}`,
    events: async (streamName) =>
      (
        database
          .prepare(
            "SELECT e.position, e.revision, e.type, e.data_shape, e.data FROM events e JOIN streams s ON s.stream_id = e.stream_id WHERE s.name = ? ORDER BY e.revision",
          )
          .all(streamName) as (RawEvent & { data_shape: number })[]
      ).map(({ data_shape, ...event }) => ({ ...event, data: shapes.canonical(data_shape, event.data) })),
    setData: async (position, data) => {
      database
        .prepare("UPDATE events SET data = ?, data_shape = ? WHERE position = ?")
        .run(data, RAW_SHAPE, position);
    },
    deleteEvent: async (position) => {
      database.prepare("DELETE FROM events WHERE position = ?").run(position);
    },
    truncateAfter: async (streamName, revision) => {
      database
        .prepare(
          "DELETE FROM events WHERE stream_id = (SELECT stream_id FROM streams WHERE name = ?) AND revision > ?",
        )
        .run(streamName, revision);
      database.prepare("UPDATE streams SET last_revision = ? WHERE name = ?").run(revision, streamName);
    },
    close: async () => {
      database.close();
    },
  };
};

export const postgresRawStore = async (databaseUrl: string, schema: string): Promise<RawStore> => {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const url = new URL(databaseUrl);
  url.searchParams.set("schema", schema);
  const s = `"${schema}"`;
  return {
    storeUrl: url.toString(),
    events: async (streamName) => {
      const result = await client.query(
        `SELECT e.position::text AS position, e.revision::int AS revision, e.type, e.data FROM ${s}.event_store_events e JOIN ${s}.event_store_streams st ON st.stream_id = e.stream_id WHERE st.name = $1 ORDER BY e.revision`,
        [streamName],
      );
      return result.rows as RawEvent[];
    },
    setData: async (position, data) => {
      await client.query(`UPDATE ${s}.event_store_events SET data = $1 WHERE position = $2`, [
        data,
        position,
      ]);
    },
    deleteEvent: async (position) => {
      await client.query(`DELETE FROM ${s}.event_store_events WHERE position = $1`, [position]);
    },
    truncateAfter: async (streamName, revision) => {
      await client.query(
        `DELETE FROM ${s}.event_store_events WHERE stream_id = (SELECT stream_id FROM ${s}.event_store_streams WHERE name = $1) AND revision > $2`,
        [streamName, revision],
      );
      await client.query(`UPDATE ${s}.event_store_streams SET last_revision = $1 WHERE name = $2`, [
        revision,
        streamName,
      ]);
    },
    close: async () => {
      await client.end();
    },
  };
};
