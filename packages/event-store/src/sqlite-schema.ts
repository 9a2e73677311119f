import type BetterSqlite3 from "better-sqlite3";
import { StoreFailure } from "./port.js";

/**
 * The versioned schema of the SQLite event store. `PRAGMA user_version` holds the version a file was
 * written with; each migration moves it up by one inside the same write transaction, so a crash mid-way
 * leaves the previous version intact. A file with a newer version than this code knows is refused.
 *
 * Design for speed (measured: a TEXT UNIQUE(stream, version) index makes bulk appends ten times slower at a
 * million rows): the global position is the INTEGER PRIMARY KEY (the rowid itself, no extra index), stream
 * names live once in `streams` and events refer to them by an integer id, so UNIQUE(stream_id, revision) is
 * an index over two integers.
 */
export const SQLITE_MIGRATIONS: readonly string[] = [
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
];

/** The schema version this code writes and understands. */
export const SQLITE_SCHEMA_VERSION = SQLITE_MIGRATIONS.length;

/** Brings the file up to SQLITE_SCHEMA_VERSION, or refuses it with SchemaTooNew. Safe across processes. */
export function migrateSqliteSchema(database: BetterSqlite3.Database): void {
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
      for (let version = found; version < SQLITE_SCHEMA_VERSION; version += 1) {
        const migration = SQLITE_MIGRATIONS[version];
        if (migration === undefined) break;
        database.exec(migration);
        database.pragma(`user_version = ${version + 1}`);
      }
    })
    .immediate();
}
