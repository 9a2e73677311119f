/**
 * Tells whether another connection committed to a SQLite store's file since an earlier look: another
 * process on the same file (the CLI's import, a second service), another store object, the sqlite3 shell.
 * Commits made through the store object itself are not counted; whoever appends through it knows.
 *
 * It is SQLite's `PRAGMA data_version` on the store's own connection, which changes exactly when another
 * connection committed (sqlite.org/pragma.html#pragma_data_version). A look is one statement that touches
 * no table, and opens nothing: the store's recovery after an I/O error stays the file's only connection.
 */
import type Database from "better-sqlite3";
import type { EventStore } from "./port.js";
import { openConnectionOf, SqliteEventStore } from "./sqliteEventStore.js";

export interface ForeignCommitWatch {
  /**
   * A count of the looks that found another connection's commits: the same number as an earlier look
   * only when no other connection committed to the store between the two. Null when it cannot tell (the
   * store closed, its writes halted after an I/O error, its connection not found).
   */
  count(): number | null;
}

class SqliteForeignCommitWatch implements ForeignCommitWatch {
  /** The connection `dataVersion` was prepared on: the store opens a fresh one when it recovers. */
  private connection: Database.Database | null = null;
  private dataVersion: Database.Statement<[], number> | null = null;
  private lastVersion = -1;
  private looks = 0;

  constructor(private readonly store: SqliteEventStore) {}

  count(): number | null {
    if (this.store.writesHalted() !== null) return null;
    const connection = openConnectionOf(this.store);
    if (connection === undefined) return null;
    try {
      if (connection !== this.connection || this.dataVersion === null) {
        // Another connection's data_version is not comparable with the last one's: counted as a change.
        this.dataVersion = connection.prepare<[], number>("PRAGMA data_version").pluck();
        this.connection = connection;
        this.lastVersion = -1;
      }
      const version = this.dataVersion.get() as number;
      if (version !== this.lastVersion) {
        this.lastVersion = version;
        this.looks += 1;
      }
      return this.looks;
    } catch {
      this.dataVersion = null;
      return null;
    }
  }
}

/**
 * A watch on the commits other connections make to the store's file (a SQLite store is always a file in
 * WAL mode), or null for a store of another kind: the caller then asks the store itself every time.
 */
export const openForeignCommitWatch = (store: EventStore): ForeignCommitWatch | null =>
  store instanceof SqliteEventStore ? new SqliteForeignCommitWatch(store) : null;
