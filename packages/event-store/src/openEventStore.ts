import { MemoryEventStore } from "./memoryEventStore.js";
import type { EventStore } from "./port.js";
import { PostgresEventStore } from "./postgresEventStore.js";
import { SQLITE_BULK_CACHE_KIB, SqliteEventStore, sqlitePathFromUrl } from "./sqliteEventStore.js";

/** How the opener will use the store. */
export interface OpenEventStoreOptions {
  /**
   * Appends of many thousands of events at a time (`bukubesar import`): an embedded store then keeps a
   * larger page cache (SQLITE_BULK_CACHE_KIB), which its random index inserts need.
   */
  readonly bulkAppends?: boolean;
}

/**
 * Opens the event store a URL names (the `STORE_URL` setting):
 * - `memory:` — in this process only, for tests;
 * - `sqlite:PATH` — an embedded file, PATH relative to the working directory (parent folders are created);
 * - `postgres://…` or `postgresql://…` — a PostgreSQL database (`?schema=NAME`, default public);
 * - `esdb://…` or `kurrentdb://…` — an EventStoreDB/KurrentDB server or cluster.
 */
export const openEventStore = async (
  url: string,
  options: OpenEventStoreOptions = {},
): Promise<EventStore> => {
  if (url === "memory:" || url.startsWith("memory:")) return new MemoryEventStore();
  if (url.startsWith("sqlite:"))
    return new SqliteEventStore(
      sqlitePathFromUrl(url),
      options.bulkAppends === true ? { cacheKib: SQLITE_BULK_CACHE_KIB } : {},
    );
  if (url.startsWith("postgres://") || url.startsWith("postgresql://"))
    return PostgresEventStore.openUrl(url);
  if (
    url.startsWith("esdb://") ||
    url.startsWith("esdb+discover://") ||
    url.startsWith("kurrentdb://") ||
    url.startsWith("kurrentdb+discover://")
  ) {
    const { KurrentDbEventStore } = await import("./kurrentdbEventStore.js");
    return KurrentDbEventStore.open(url);
  }
  // A wrong URL is a configuration mistake, not an outage: a plain error, so nothing retries it.
  throw new Error(
    `unknown event store URL scheme "${url.split(":")[0]}:"; use memory:, sqlite:PATH, postgres://… or esdb://…`,
  );
};
