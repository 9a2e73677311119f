/**
 * Tells whether anything was committed to a SQLite store's file since an earlier look, whoever committed
 * it: this process's appends, another process on the same file (the CLI's import, a second service), or
 * anyone editing the file with the sqlite3 shell. A cache of the store asks this before asking the store
 * about each stream it holds, and asks the store nothing while the answer is "nothing changed".
 *
 * It is SQLite's `PRAGMA data_version` on a read-only connection of its own, which never writes: the
 * value changes whenever another connection committed to the file (sqlite.org/pragma.html#pragma_data_version),
 * and every other connection, the store's own included, is another connection for this one. A look is
 * one statement that touches no table.
 *
 * While the store's writes are halted after an I/O error, the watch closes its connection and answers
 * null (it cannot tell): the store's recovery wants to be the file's only connection in this process, so
 * that SQLite rebuilds its view of the write-ahead log from the file (sqliteEventStore.ts, tryRecovery).
 * The halt is looked for at every look and every HALT_POLL_MS, well before the recovery's first try
 * (SQLITE_RECOVERY_FIRST_DELAY_MS).
 */
import Database from "better-sqlite3";
import type { EventStore } from "./port.js";
import { SqliteEventStore } from "./sqliteEventStore.js";
import { SQLITE_RECOVERY_FIRST_DELAY_MS } from "./sqliteRecovery.js";

/** How often the watch looks whether the store's writes are halted, to let go of the file in time. */
export const CHANGE_WATCH_HALT_POLL_MS = Math.min(100, SQLITE_RECOVERY_FIRST_DELAY_MS / 4);

/** How long after its connection failed to open the watch tries again (it answers null meanwhile). */
const REOPEN_DELAY_MS = 1_000;

/**
 * How long a look may wait for a lock: a reader of a file in WAL mode waits only while another connection
 * rebuilds the log's index, and a look that cannot be answered at once is answered "cannot tell".
 */
const LOOK_BUSY_TIMEOUT_MS = 50;

export interface StoreChangeWatch {
  /**
   * A count of the changes seen: the same number as an earlier look only when nothing was committed to
   * the store between the two looks (a look made after a commit returns a larger number). Null when the
   * watch cannot tell (closed, the store's writes halted, its connection failed to open).
   */
  changeCount(): number | null;
  close(): void;
}

class SqliteChangeWatch implements StoreChangeWatch {
  private connection: Database.Database | null = null;
  private dataVersion: Database.Statement<[], number> | null = null;
  private lastVersion = -1;
  private changes = 0;
  private closed = false;
  private reopenAt = 0;
  private readonly haltPoll: NodeJS.Timeout;

  constructor(private readonly store: SqliteEventStore) {
    this.haltPoll = setInterval(() => {
      if (this.store.writesHalted() !== null) this.letGo();
    }, CHANGE_WATCH_HALT_POLL_MS);
    this.haltPoll.unref();
  }

  changeCount(): number | null {
    if (this.closed || this.store.writesHalted() !== null) {
      this.letGo();
      return null;
    }
    const statement = this.dataVersion ?? this.open();
    if (statement === null) return null;
    let version: number;
    try {
      version = statement.get() as number;
    } catch {
      this.letGo();
      return null;
    }
    if (version !== this.lastVersion) {
      this.lastVersion = version;
      this.changes += 1;
    }
    return this.changes;
  }

  close(): void {
    this.closed = true;
    clearInterval(this.haltPoll);
    this.letGo();
  }

  /**
   * A fresh connection; the count moves on, since a new connection's data_version is not comparable with
   * the old one's and commits may have happened while there was none.
   */
  private open(): Database.Statement<[], number> | null {
    if (Date.now() < this.reopenAt) return null;
    try {
      const connection = new Database(this.store.path, {
        readonly: true,
        fileMustExist: true,
        timeout: LOOK_BUSY_TIMEOUT_MS,
      });
      this.connection = connection;
      this.dataVersion = connection.prepare<[], number>("PRAGMA data_version").pluck();
      this.lastVersion = -1;
      return this.dataVersion;
    } catch {
      this.letGo();
      this.reopenAt = Date.now() + REOPEN_DELAY_MS;
      return null;
    }
  }

  private letGo(): void {
    this.dataVersion = null;
    const connection = this.connection;
    this.connection = null;
    if (connection === null) return;
    // A count after this one is larger, whatever the next connection's data_version says.
    this.changes += 1;
    this.lastVersion = -1;
    try {
      connection.close();
    } catch {
      // A connection that fails to close is dropped all the same: it never wrote anything.
    }
  }
}

/**
 * A change watch on the store's file (a SQLite store is always a file in WAL mode), or null for a store of
 * another kind: the caller then asks the store itself every time.
 */
export const openStoreChangeWatch = (store: EventStore): StoreChangeWatch | null =>
  store instanceof SqliteEventStore ? new SqliteChangeWatch(store) : null;
