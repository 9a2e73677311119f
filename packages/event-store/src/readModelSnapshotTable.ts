import { MemoryEventStore } from "./memoryEventStore.js";
import type { EventStore } from "./port.js";
import { PostgresEventStore } from "./postgresEventStore.js";
import { PostgresReadModelSnapshotTable } from "./postgresReadModelSnapshotTable.js";
import { type SnapshotPart, textPartsOnly } from "./snapshotPart.js";
import { SqliteEventStore } from "./sqliteEventStore.js";
import { SqliteReadModelSnapshotTable } from "./sqliteReadModelSnapshotTable.js";

export type { SnapshotPart };

/**
 * A snapshot of read models as the store keeps it: the global position of the last event the models
 * include and the models' serialized text, split into parts because one JavaScript string (and one
 * SQLite value) cannot hold the models of a million events.
 */
export interface ReadModelSnapshotRecord<Part extends SnapshotPart = string> {
  readonly position: bigint;
  readonly parts: readonly Part[];
  /** When the snapshot was saved, RFC 3339 UTC. */
  readonly savedAt: string;
}

/**
 * Snapshots of read models kept in the SAME database as the events (SQLite: the same file; PostgreSQL:
 * the store's schema), one per name. `save` replaces the named snapshot, its position and all of its
 * parts in one transaction, so a reader sees either the old snapshot or the new one, never a mixture.
 * The store knows nothing of what the parts mean.
 */
export interface ReadModelSnapshotTable {
  /** The named snapshot when all of its parts are text; one holding bytes is absent to this reader. */
  load(name: string): Promise<ReadModelSnapshotRecord | null>;
  /** The named snapshot with its parts as stored, text or bytes. */
  loadParts(name: string): Promise<ReadModelSnapshotRecord<SnapshotPart> | null>;
  save(name: string, position: bigint, parts: readonly SnapshotPart[]): Promise<void>;
  remove(name: string): Promise<void>;
}

/** The snapshots of memory stores, kept as long as the store itself lives. */
const memoryTables = new WeakMap<MemoryEventStore, ReadModelSnapshotTable>();

/**
 * The snapshot table that lives next to the events of `store`, or null when the adapter has none
 * (EventStoreDB/KurrentDB: its projections rebuild from the log). For SQLite it uses the store's own
 * connection, for PostgreSQL the store's own pool, so both follow the store's lifetime.
 */
export const readModelSnapshotTableFor = (store: EventStore): ReadModelSnapshotTable | null => {
  if (store instanceof SqliteEventStore) return SqliteReadModelSnapshotTable.of(store);
  if (store instanceof PostgresEventStore) return PostgresReadModelSnapshotTable.of(store);
  if (store instanceof MemoryEventStore) {
    let table = memoryTables.get(store);
    if (table === undefined) {
      table = new MemoryReadModelSnapshotTable();
      memoryTables.set(store, table);
    }
    return table;
  }
  return null;
};

/** A snapshot table in this process's memory, for the `memory:` store. */
export class MemoryReadModelSnapshotTable implements ReadModelSnapshotTable {
  private readonly snapshots = new Map<string, ReadModelSnapshotRecord<SnapshotPart>>();

  async load(name: string): Promise<ReadModelSnapshotRecord | null> {
    return textPartsOnly(await this.loadParts(name));
  }

  async loadParts(name: string): Promise<ReadModelSnapshotRecord<SnapshotPart> | null> {
    return this.snapshots.get(name) ?? null;
  }

  async save(name: string, position: bigint, parts: readonly SnapshotPart[]): Promise<void> {
    // Bytes are copied: the caller may reuse its buffers, and a stored snapshot must not change under it.
    const stored = parts.map((part) => (typeof part === "string" ? part : Uint8Array.from(part)));
    this.snapshots.set(name, { position, parts: stored, savedAt: new Date().toISOString() });
  }

  async remove(name: string): Promise<void> {
    this.snapshots.delete(name);
  }
}
