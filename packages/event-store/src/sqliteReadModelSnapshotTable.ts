import type Database from "better-sqlite3";
import type { ReadModelSnapshotRecord, ReadModelSnapshotTable } from "./readModelSnapshotTable.js";
import { asStored, type SnapshotPart, textPartsOnly } from "./snapshotPart.js";
import { mapSqliteError, openConnectionOf, type SqliteEventStore } from "./sqliteEventStore.js";
import { storeUnavailable } from "./storeFailure.js";

/**
 * The tables of read-model snapshots in the event store's own SQLite file. They are created on first use
 * with IF NOT EXISTS and are not part of the event schema's `user_version`: an older build that does not
 * know them opens the file unchanged, and dropping them loses nothing the log cannot rebuild. A part's
 * `data` is TEXT or, for a binary part, a BLOB: SQLite keeps a BLOB as bytes in a column of TEXT affinity,
 * so text and binary parts share the column and files written before binary parts existed read unchanged.
 */
const CREATE_TABLES = `
  CREATE TABLE IF NOT EXISTS read_model_snapshots (
    name TEXT PRIMARY KEY,
    position INTEGER NOT NULL,
    part_count INTEGER NOT NULL,
    saved_at TEXT NOT NULL
  );
  CREATE TABLE IF NOT EXISTS read_model_snapshot_parts (
    name TEXT NOT NULL,
    part INTEGER NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (name, part)
  );`;

/** The store's connection, or store_unavailable while it is closed or reopening its file. */
const connectionOf = (store: SqliteEventStore): Database.Database => {
  const database = openConnectionOf(store);
  if (database === undefined) throw storeUnavailable("the SQLite event store is closed");
  return database;
};

/** Read-model snapshots in the same SQLite file (and on the same connection) as the events. */
export class SqliteReadModelSnapshotTable implements ReadModelSnapshotTable {
  private static readonly tables = new WeakMap<SqliteEventStore, SqliteReadModelSnapshotTable>();
  private prepared: ReturnType<typeof prepare> | null = null;
  /** The connection `prepared` belongs to: the store opens a fresh one when it recovers from an I/O error. */
  private preparedOn: Database.Database | null = null;

  private constructor(private readonly store: SqliteEventStore) {}

  /** The table of this store (one per store, created on first use). */
  static of(store: SqliteEventStore): SqliteReadModelSnapshotTable {
    let table = SqliteReadModelSnapshotTable.tables.get(store);
    if (table === undefined) {
      table = new SqliteReadModelSnapshotTable(store);
      SqliteReadModelSnapshotTable.tables.set(store, table);
    }
    return table;
  }

  async load(name: string): Promise<ReadModelSnapshotRecord | null> {
    return textPartsOnly(await this.loadParts(name));
  }

  async loadParts(name: string): Promise<ReadModelSnapshotRecord<SnapshotPart> | null> {
    return this.run((statements, database) =>
      database.transaction(() => {
        const header = statements.header.get(name);
        if (header === undefined) return null;
        const parts = statements.parts.all(name).map((row) => row.data);
        // A snapshot whose parts do not match its header is treated as absent (the log rebuilds it).
        if (BigInt(parts.length) !== header.part_count) return null;
        return { position: BigInt(header.position), parts, savedAt: header.saved_at };
      })(),
    );
  }

  async save(name: string, position: bigint, parts: readonly SnapshotPart[]): Promise<void> {
    this.run((statements, database) =>
      database
        .transaction(() => {
          statements.deleteParts.run(name);
          parts.forEach((data, part) => {
            statements.insertPart.run(name, part, asStored(data));
          });
          statements.upsertHeader.run(name, position, parts.length, new Date().toISOString());
        })
        .immediate(),
    );
  }

  async remove(name: string): Promise<void> {
    this.run((statements, database) =>
      database
        .transaction(() => {
          statements.deleteParts.run(name);
          statements.deleteHeader.run(name);
        })
        .immediate(),
    );
  }

  private run<T>(work: (statements: ReturnType<typeof prepare>, database: Database.Database) => T): T {
    try {
      const database = connectionOf(this.store);
      if (this.prepared === null || this.preparedOn !== database) {
        database.exec(CREATE_TABLES);
        this.prepared = prepare(database);
        this.preparedOn = database;
      }
      return work(this.prepared, database);
    } catch (error) {
      throw mapSqliteError(error);
    }
  }
}

const prepare = (database: Database.Database) => {
  return {
    header: database
      .prepare<[string], { position: bigint; part_count: bigint; saved_at: string }>(
        "SELECT position, part_count, saved_at FROM read_model_snapshots WHERE name = ?",
      )
      // Positions may exceed 2^53 in principle; read them as bigints so nothing is rounded.
      .safeIntegers(),
    // better-sqlite3 gives a BLOB back as a Buffer, a TEXT value as a string.
    parts: database.prepare<[string], { data: string | Buffer }>(
      "SELECT data FROM read_model_snapshot_parts WHERE name = ? ORDER BY part",
    ),
    deleteParts: database.prepare<[string]>("DELETE FROM read_model_snapshot_parts WHERE name = ?"),
    deleteHeader: database.prepare<[string]>("DELETE FROM read_model_snapshots WHERE name = ?"),
    insertPart: database.prepare<[string, number, string | Buffer]>(
      "INSERT INTO read_model_snapshot_parts (name, part, data) VALUES (?, ?, ?)",
    ),
    upsertHeader: database.prepare<[string, bigint, number, string]>(
      `INSERT INTO read_model_snapshots (name, position, part_count, saved_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (name) DO UPDATE SET position = excluded.position, part_count = excluded.part_count,
         saved_at = excluded.saved_at`,
    ),
  };
};
