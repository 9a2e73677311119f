import type BetterSqlite3 from "better-sqlite3";
import { StoreFailure } from "./port.js";
import { encodeEventBody, eventKeyOf } from "./sqliteEncoding.js";
import { SqliteShapes, splitJson } from "./sqliteShapes.js";

/*
 * The versioned schema of the SQLite event store. `PRAGMA user_version` holds the version a file was
 * written with; each migration moves it up by one inside the same write transaction, so a crash mid-way
 * leaves the previous version intact. A file with a newer version than this code knows is refused.
 *
 * Design for speed (measured: a TEXT UNIQUE(stream, version) index makes bulk appends ten times slower at a
 * million rows): the global position is the INTEGER PRIMARY KEY (the rowid itself, no extra index), stream
 * names live once in `streams` and events refer to them by an integer id, so UNIQUE(stream_id, revision) is
 * an index over two integers.
 */

/** A migration step: SQL text, or a function that runs inside the migration's transaction. */
export type SqliteMigration = string | ((database: BetterSqlite3.Database) => void);

/**
 * Version 2, the encoding made for reading (sqliteEncoding.ts): canonical JSON of data and metadata,
 * the chain fields as 32-byte columns, UUID event ids as 16 bytes, recorded_at as epoch milliseconds.
 * Every row of version 1 is rewritten in position order with the same position, stream, revision, type
 * and values, so every chain hash stays what it was (the hash is over the canonical JSON of the values,
 * which is now simply what is stored). The old table is replaced in the same transaction.
 */
const migrateToReadingEncoding = (database: BetterSqlite3.Database): void => {
  database.exec(`CREATE TABLE events_reading (${EVENTS_V2_COLUMNS});`);
  const insert = database.prepare(
    "INSERT INTO events_reading (position, stream_id, revision, event_id, type, data, metadata, prev_hash, hash, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
  );
  // better-sqlite3 cannot write while a statement iterates, so the rows are read a page at a time.
  const page = database
    .prepare(
      "SELECT position, stream_id, revision, event_id, type, data, metadata, recorded_at FROM events WHERE position > ? ORDER BY position LIMIT ?",
    )
    .raw();
  let after = -1;
  for (;;) {
    const rows = page.all(after, MIGRATION_PAGE_ROWS) as VersionOneRow[];
    if (rows.length === 0) break;
    for (const row of rows) insertReadingRow(insert, row);
    after = (rows[rows.length - 1] as VersionOneRow)[0];
  }
  database.exec("DROP TABLE events; ALTER TABLE events_reading RENAME TO events;");
};

/** position, stream_id, revision, event_id, type, data, metadata, recorded_at as version 1 stores them. */
type VersionOneRow = [number, number, number, string, string, string, string, string];

/** How many version-1 rows the migration reads at a time. */
const MIGRATION_PAGE_ROWS = 10_000;

/** Writes one version-1 row in the reading encoding. */
const insertReadingRow = (
  insert: BetterSqlite3.Statement,
  [position, streamId, revision, eventId, type, data, metadata, recordedAt]: VersionOneRow,
): void => {
  const body = encodeEventBody(JSON.parse(data), JSON.parse(metadata));
  const milliseconds = Date.parse(recordedAt);
  if (!Number.isFinite(milliseconds) || new Date(milliseconds).toISOString() !== recordedAt) {
    throw new Error(
      `cannot migrate the event at position ${position}: recorded_at ${JSON.stringify(recordedAt)} is not an RFC 3339 UTC time with milliseconds`,
    );
  }
  insert.run(
    position,
    streamId,
    revision,
    eventKeyOf(eventId),
    type,
    body.data,
    body.metadata,
    body.prevHash,
    body.hash,
    milliseconds,
  );
};

/** The events table of version 2 (see migrateToReadingEncoding). */
const EVENTS_V2_COLUMNS = `
  position INTEGER PRIMARY KEY,
  stream_id INTEGER NOT NULL REFERENCES streams (stream_id),
  revision INTEGER NOT NULL,
  event_id BLOB NOT NULL UNIQUE,
  type TEXT NOT NULL,
  data TEXT NOT NULL,
  metadata TEXT NOT NULL,
  prev_hash BLOB,
  hash BLOB,
  recorded_at INTEGER NOT NULL,
  UNIQUE (stream_id, revision)`;

/** The shapes of version 3 (sqliteShapes.ts): each stored once, rows refer to them by id. */
const SHAPES_TABLE = "CREATE TABLE shapes (shape_id INTEGER PRIMARY KEY, shape TEXT NOT NULL UNIQUE);";

/**
 * The events table of version 3 (see migrateToShapes). The small columns come first: SQLite reads a
 * row's columns in order, so a read of the revision, type and data skips no long text.
 */
const EVENTS_V3_COLUMNS = `
  position INTEGER PRIMARY KEY,
  stream_id INTEGER NOT NULL REFERENCES streams (stream_id),
  revision INTEGER NOT NULL,
  event_id BLOB NOT NULL UNIQUE,
  type TEXT NOT NULL,
  data_shape INTEGER NOT NULL,
  data TEXT NOT NULL,
  metadata_shape INTEGER NOT NULL,
  metadata TEXT NOT NULL,
  prev_hash BLOB,
  hash BLOB,
  recorded_at INTEGER NOT NULL,
  UNIQUE (stream_id, revision)`;

/**
 * Version 3: data and metadata as a shape and its values (sqliteShapes.ts). Every version-2 row is
 * rewritten in position order with the same position, stream, revision, id, type, chain hashes and
 * time; each stored text is cut into its shape's fragments and its values, which give it back byte for
 * byte (a text that is not an object or array of canonical JSON is kept raw), so every chain hash stays
 * what it was, and nothing is parsed: a text edited behind the store's back is carried over as it is. The old table is replaced in the same transaction.
 */
const migrateToShapes = (database: BetterSqlite3.Database): void => {
  database.exec(`${SHAPES_TABLE} CREATE TABLE events_shaped (${EVENTS_V3_COLUMNS});`);
  const shapes = new SqliteShapes(database);
  const insert = database.prepare(
    "INSERT INTO events_shaped (position, stream_id, revision, event_id, type, data_shape, data, metadata_shape, metadata, prev_hash, hash, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
  );
  const page = database
    .prepare(
      "SELECT position, stream_id, revision, event_id, type, data, metadata, prev_hash, hash, recorded_at FROM events WHERE position > ? ORDER BY position LIMIT ?",
    )
    .raw();
  let after = -1;
  for (;;) {
    const rows = page.all(after, MIGRATION_PAGE_ROWS) as VersionTwoRow[];
    if (rows.length === 0) break;
    for (const [position, streamId, revision, eventId, type, data, metadata, ...rest] of rows) {
      const dataSplit = splitJson(data);
      const metadataSplit = splitJson(metadata);
      insert.run(
        position,
        streamId,
        revision,
        eventId,
        type,
        shapes.idOf(dataSplit),
        dataSplit?.values ?? data,
        shapes.idOf(metadataSplit),
        metadataSplit?.values ?? metadata,
        ...rest,
      );
    }
    after = (rows[rows.length - 1] as VersionTwoRow)[0];
  }
  database.exec("DROP TABLE events; ALTER TABLE events_shaped RENAME TO events;");
};

/** position, stream_id, revision, event_id, type, data, metadata, prev_hash, hash, recorded_at of version 2. */
type VersionTwoRow = [
  number,
  number,
  number,
  Buffer | string,
  string,
  string,
  string,
  Buffer | null,
  Buffer | null,
  number,
];

/**
 * The migrations in order: entry N moves a file from version N to N + 1. It comes after the functions it
 * names because a function bound to a const exists only once its line has run.
 */
export const SQLITE_MIGRATIONS: readonly SqliteMigration[] = [
  `CREATE TABLE streams (
     stream_id INTEGER PRIMARY KEY,
     name TEXT NOT NULL UNIQUE,
     last_revision INTEGER NOT NULL
   );
   CREATE TABLE events (
     position INTEGER PRIMARY KEY,
     stream_id INTEGER NOT NULL REFERENCES streams (stream_id),
     revision INTEGER NOT NULL,
     event_id TEXT NOT NULL UNIQUE,
     type TEXT NOT NULL,
     data TEXT NOT NULL,
     metadata TEXT NOT NULL,
     recorded_at TEXT NOT NULL,
     UNIQUE (stream_id, revision)
   );`,
  migrateToReadingEncoding,
  migrateToShapes,
];

/** What a new file is created with: the schema of SQLITE_SCHEMA_VERSION. */
const SQLITE_LATEST_SCHEMA = `
  CREATE TABLE streams (
    stream_id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    last_revision INTEGER NOT NULL
  );
  ${SHAPES_TABLE}
  CREATE TABLE events (${EVENTS_V3_COLUMNS});`;

/** The schema version this code writes and understands. */
export const SQLITE_SCHEMA_VERSION = SQLITE_MIGRATIONS.length;

/** Brings the file up to SQLITE_SCHEMA_VERSION, or refuses it with SchemaTooNew. Safe across processes. */
export const migrateSqliteSchema = (database: BetterSqlite3.Database): void => {
  const readVersion = (): number => database.pragma("user_version", { simple: true }) as number;
  const refuseNewer = (found: number): void => {
    if (found > SQLITE_SCHEMA_VERSION) {
      throw new StoreFailure({ _tag: "SchemaTooNew", found, supported: SQLITE_SCHEMA_VERSION });
    }
  };
  refuseNewer(readVersion());
  if (readVersion() === SQLITE_SCHEMA_VERSION) return;
  database
    .transaction(() => {
      // Another process may have migrated between the first look and this write lock: look again.
      const found = readVersion();
      refuseNewer(found);
      if (found === 0) {
        // A new file gets the latest schema at once: converting an empty version-1 table would leave
        // its pages behind as free space in a file that was never written by version 1.
        database.exec(SQLITE_LATEST_SCHEMA);
        database.pragma(`user_version = ${SQLITE_SCHEMA_VERSION}`);
        return;
      }
      for (let version = found; version < SQLITE_SCHEMA_VERSION; version += 1) {
        const migration = SQLITE_MIGRATIONS[version];
        if (migration === undefined) break;
        if (typeof migration === "string") database.exec(migration);
        else migration(database);
        database.pragma(`user_version = ${version + 1}`);
      }
    })
    .immediate();
};
