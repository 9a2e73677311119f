import { describe, expect, it } from "vitest";
import {
  createTestPostgresDatabase,
  eventStoreConformance,
  isStoreFailureOf,
  openEventStore,
  PostgresEventStore,
} from "../src/index.js";

let drop: (() => Promise<void>) | undefined;

eventStoreConformance(
  "postgres",
  async () => {
    const database = await createTestPostgresDatabase("event_store");
    drop = database.drop;
    return openEventStore(database.url);
  },
  async () => drop?.(),
);

describe("PostgreSQL event store", () => {
  it("keeps its tables in the schema the URL names and refuses a newer schema version", async () => {
    const database = await createTestPostgresDatabase("event_store_schema");
    try {
      const url = `${database.url}?schema=ledger_events`;
      const store = await openEventStore(url);
      await store.append("s-1", "no_stream", [{ eventId: "e-1", type: "A", data: { a: 1 }, metadata: {} }]);
      await store.close();
      const again = await PostgresEventStore.open({
        connectionString: database.url,
        schema: "ledger_events",
      });
      expect(await again.streamRevision("s-1")).toBe(0);
      await again.close();
      const { Client } = await import("pg");
      const client = new Client({ connectionString: database.url });
      await client.connect();
      const tables = await client.query<{ table_name: string }>(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'ledger_events' ORDER BY table_name",
      );
      expect(tables.rows.map((row) => row.table_name)).toEqual([
        "event_store_events",
        "event_store_migrations",
        "event_store_streams",
      ]);
      await client.query("INSERT INTO ledger_events.event_store_migrations (version) VALUES (99)");
      await client.end();
      const refused = await openEventStore(url).then(
        () => null,
        (error: unknown) => error,
      );
      expect(isStoreFailureOf(refused, "SchemaTooNew")).toBe(true);
    } finally {
      await database.drop();
    }
  });

  it("reports an unreachable server as StoreUnavailable", async () => {
    const refused = await openEventStore("postgres://postgres@127.0.0.1:1/none").then(
      () => null,
      (error: unknown) => error,
    );
    expect(isStoreFailureOf(refused, "StoreUnavailable")).toBe(true);
  });
});
