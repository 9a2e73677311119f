import { MemoryEventStore } from "./memoryEventStore.js";
import type { EventStore } from "./port.js";
import { PostgresEventStore } from "./postgresEventStore.js";
import { SqliteEventStore, sqlitePathFromUrl } from "./sqliteEventStore.js";

/**
 * Opens the event store a URL names (the `STORE_URL` setting):
 * - `memory:` — in this process only, for tests;
 * - `sqlite:PATH` — an embedded file, PATH relative to the working directory (parent folders are created);
 * - `postgres://…` or `postgresql://…` — a PostgreSQL database (`?schema=NAME`, default public);
 * - `esdb://…` or `kurrentdb://…` — an EventStoreDB/KurrentDB server or cluster.
 */
export const openEventStore = async (url: string): Promise<EventStore> => {
  if (url === "memory:" || url.startsWith("memory:")) return new MemoryEventStore();
  if (url.startsWith("sqlite:")) return new SqliteEventStore(sqlitePathFromUrl(url));
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
