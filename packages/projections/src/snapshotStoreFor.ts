import { type EventStore, readModelSnapshotTableFor } from "@bukubesar/event-store";
import type { ReadModelSnapshotStore } from "./snapshot.js";

/** The name the projections' snapshot has in the store's snapshot table. */
export const READ_MODEL_SNAPSHOT_NAME = "ledger-read-models";

/**
 * The snapshot store that keeps the read models in the SAME database as the events of `store` (SQLite:
 * the same file; PostgreSQL: the store's schema; `memory:`: the store's memory), or undefined when the
 * adapter has no snapshot table (EventStoreDB/KurrentDB), in which case the runner rebuilds from the log.
 */
export const snapshotStoreFor = (
  store: EventStore,
  name: string = READ_MODEL_SNAPSHOT_NAME,
): ReadModelSnapshotStore | undefined => {
  const table = readModelSnapshotTableFor(store);
  if (table === null) return undefined;
  return {
    async load() {
      const record = await table.load(name);
      return record === null ? null : { position: record.position, parts: record.parts };
    },
    save: (snapshot) => table.save(name, snapshot.position, snapshot.parts),
  };
};
