import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  createTestPostgresDatabase,
  type EventStore,
  isStoreFailureOf,
  type NewEvent,
  openEventStore,
  PostgresEventStore,
  postgresSessionSettings,
  type StoredEvent,
} from "../src/index.js";
import { POSTGRES_STREAM_LOCK_CLASS } from "../src/postgresSchema.js";
import { eventStoreConformance } from "../src/testing/index.js";

const newEvent = (type: string, data: unknown): NewEvent => ({
  eventId: randomUUID(),
  type,
  data,
  metadata: {},
});

/** How long a reader of another store may wait to see events (a transaction elsewhere on the server may hold the watermark). */
const VISIBLE_WITHIN_MS = 10_000;

/**
 * readAll on a store that did not write the events: it sees them once the watermark passes them, which a
 * transaction of another test on the same server can delay; so wait until `count` are there.
 */
const readAllOnce = async (store: EventStore, count: number): Promise<readonly StoredEvent[]> => {
  const started = performance.now();
  for (;;) {
    const all = await store.readAll();
    if (all.length >= count || performance.now() - started > VISIBLE_WITHIN_MS) return all;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

/** Runs `work` with a plain pg client on the database (for what the store itself never does). */
const withClient = async <T>(url: string, work: (client: import("pg").Client) => Promise<T>): Promise<T> => {
  const { Client } = await import("pg");
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
};

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

describe("PostgreSQL event store: global order without a global lock", () => {
  it("shows a reader on another store nothing behind a transaction still open, then everything in order", async () => {
    const database = await createTestPostgresDatabase("event_store_watermark");
    const writer = await openEventStore(database.url);
    const reader = await openEventStore(database.url);
    try {
      await writer.append("early", "no_stream", [newEvent("A", {})]);
      const before = await readAllOnce(reader, 1);
      expect(before).toHaveLength(1);
      await withClient(database.url, async (client) => {
        // A transaction with an id, open while the writer commits: the watermark stays below the writer's
        // positions until it ends, so the reader cannot move its cursor past an event that may still come.
        await client.query("CREATE TABLE side (x int)");
        await client.query("BEGIN");
        await client.query("INSERT INTO side VALUES (1)");
        await writer.append("late", "no_stream", [newEvent("B", {})]);
        expect(await reader.readAll()).toHaveLength(1);
        expect(await reader.headPosition()).toBe(before[0]?.position);
        await client.query("COMMIT");
      });
      const after = await readAllOnce(reader, 2);
      expect(after.map((event) => event.streamId)).toEqual(["early", "late"]);
      expect(await reader.headPosition()).toBe(after[1]?.position);
    } finally {
      await writer.close();
      await reader.close();
      await database.drop();
    }
  });

  it("keeps one gap-free order, and each stream's revisions in it, across two stores writing the same streams", async () => {
    const database = await createTestPostgresDatabase("event_store_two_writers");
    const stores = [await openEventStore(database.url), await openEventStore(database.url)];
    const reader = await openEventStore(database.url);
    const streams = 10;
    const appendsPerWriter = 60;
    const total = 2 * 8 * appendsPerWriter * 2;
    let writing = true;
    let stoppedAt = 0;
    const seen: StoredEvent[] = [];
    try {
      const reading = (async () => {
        let cursor: bigint | undefined;
        for (;;) {
          const stillWriting = writing;
          const batch = await reader.readAll(cursor === undefined ? {} : { after: cursor });
          seen.push(...batch);
          cursor = batch.at(-1)?.position ?? cursor;
          const waitedEnough = performance.now() - stoppedAt > VISIBLE_WITHIN_MS;
          if (!stillWriting && (seen.length >= total || waitedEnough)) return;
          await new Promise((resolve) => setTimeout(resolve, 2));
        }
      })();
      await Promise.all(
        stores.flatMap((store, storeIndex) =>
          Array.from({ length: 8 }, (_, writerIndex) =>
            appendWithRetries(store, streams, appendsPerWriter, `${storeIndex}-${writerIndex}`),
          ),
        ),
      );
      stoppedAt = performance.now();
      writing = false;
      await reading;
      const all = await reader.readAll();
      expect(all).toHaveLength(total);
      expect(seen.map((event) => event.eventId)).toEqual(all.map((event) => event.eventId));
      for (let index = 0; index < streams; index += 1) {
        const inGlobalOrder = all.filter((event) => event.streamId === `shared-${index}`);
        expect(inGlobalOrder.map((event) => event.revision)).toEqual(
          inGlobalOrder.map((_, revision) => revision),
        );
      }
    } finally {
      for (const store of [...stores, reader]) await store.close();
      await database.drop();
    }
  });

  it("settles one event id sent by two stores at once: one stores it, the other gets the original or a refusal", async () => {
    const database = await createTestPostgresDatabase("event_store_id_race");
    const [first, second] = [await openEventStore(database.url), await openEventStore(database.url)];
    try {
      for (let round = 0; round < 20; round += 1) {
        const event = newEvent("Same", { round });
        const sameStream = await Promise.allSettled([
          first.append(`same-${round}`, "any", [event]),
          second.append(`same-${round}`, "any", [event]),
        ]);
        const fulfilled = sameStream.flatMap((outcome) =>
          outcome.status === "fulfilled" ? [outcome.value] : [],
        );
        expect(fulfilled).toHaveLength(2);
        expect(fulfilled.filter((result) => result.alreadyStored)).toHaveLength(1);
        const other = newEvent("Other", { round });
        const otherStreams = await Promise.allSettled([
          first.append(`left-${round}`, "any", [other]),
          second.append(`right-${round}`, "any", [other]),
        ]);
        const refused = otherStreams.filter((outcome) => outcome.status === "rejected");
        expect(refused).toHaveLength(1);
        expect(isStoreFailureOf((refused[0] as PromiseRejectedResult).reason, "EventIdReused")).toBe(true);
      }
      expect(await readAllOnce(first, 40)).toHaveLength(40);
    } finally {
      await first.close();
      await second.close();
      await database.drop();
    }
  });

  it("refuses to open a log whose positions are ahead of the cluster's transaction ids (restored elsewhere)", async () => {
    const database = await createTestPostgresDatabase("event_store_restored");
    try {
      const store = await openEventStore(database.url);
      await store.append("restored", "no_stream", [newEvent("A", {})]);
      await store.close();
      // What a restore into a younger cluster looks like: the stored positions lie far beyond what the
      // cluster's transaction-id counter will give the next append.
      await withClient(database.url, async (client) => {
        await client.query("UPDATE event_store_events SET position = position + (1::bigint << 60)");
      });
      const reopened = openEventStore(database.url);
      await expect(reopened).rejects.toSatisfy((error) => isStoreFailureOf(error, "StoreUnavailable"));
      await expect(openEventStore(database.url)).rejects.toThrow(/ahead of this PostgreSQL cluster/);
    } finally {
      await database.drop();
    }
  });

  it("migrates a version-1 log (positions counted 1, 2, 3…) and appends after it in order", async () => {
    const database = await createTestPostgresDatabase("event_store_migrate");
    try {
      await withClient(database.url, async (client) => {
        await client.query(`CREATE TABLE event_store_migrations (version integer PRIMARY KEY,
          applied_at timestamptz NOT NULL DEFAULT now())`);
        await client.query(`CREATE TABLE event_store_streams (
          stream_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL UNIQUE,
          last_revision bigint NOT NULL)`);
        await client.query(`CREATE TABLE event_store_events (position bigint PRIMARY KEY,
          stream_id bigint NOT NULL REFERENCES event_store_streams (stream_id), revision bigint NOT NULL,
          event_id text NOT NULL UNIQUE, type text NOT NULL, data text NOT NULL, metadata text NOT NULL,
          recorded_at timestamptz NOT NULL, UNIQUE (stream_id, revision))`);
        await client.query("INSERT INTO event_store_migrations (version) VALUES (1)");
        await client.query("INSERT INTO event_store_streams (name, last_revision) VALUES ('old', 1)");
        await client.query(`INSERT INTO event_store_events VALUES
          (1, 1, 0, 'old-0', 'A', '{}', '{}', now()), (2, 1, 1, 'old-1', 'A', '{}', '{}', now())`);
      });
      const store = await openEventStore(database.url);
      const result = await store.append("old", 1, [newEvent("B", {})]);
      expect(result.nextExpectedRevision).toBe(2);
      expect(result.position > 2n).toBe(true);
      const all = await store.readAll();
      expect(all.map((event) => event.revision)).toEqual([0, 1, 2]);
      await store.close();
    } finally {
      await database.drop();
    }
  });
});

/**
 * One writer of the two-stores test: appends two-event appends to the shared streams with the revision it
 * last read, retrying on conflict, so both stores contend for the same streams all the time.
 */
const appendWithRetries = async (
  store: EventStore,
  streams: number,
  appends: number,
  label: string,
): Promise<void> => {
  for (let index = 0; index < appends; index += 1) {
    const stream = `shared-${(index * 7 + label.length + Number(label.split("-")[1])) % streams}`;
    const events = [newEvent("E", { label, index }), newEvent("F", { label, index })];
    for (;;) {
      try {
        await store.append(stream, await store.streamRevision(stream), events);
        break;
      } catch (error) {
        if (!isStoreFailureOf(error, "WrongExpectedRevision")) throw error;
      }
    }
  }
};

describe("PostgreSQL session timeouts: a writer stalled mid-transaction hangs nobody for ever", () => {
  it("others' writes fail after lock_timeout, the server ends the stalled session after the idle timeout, and the watermark moves on", async () => {
    const database = await createTestPostgresDatabase("stall");
    const timeouts = { statementMs: 5_000, lockMs: 300, idleInTransactionMs: 2_000 };
    const store = await PostgresEventStore.open({ connectionString: database.url, timeouts });
    const { Client } = await import("pg");
    // A session set up exactly as the store sets up its own, whose host then stalls mid-transaction: it
    // holds stream "s"'s lock and a transaction id (the watermark) and sends nothing more.
    const stalled = new Client({ connectionString: database.url, ...postgresSessionSettings(timeouts) });
    stalled.on("error", () => undefined);
    await stalled.connect();
    try {
      await store.append("s", "no_stream", [newEvent("A", {})]);
      await stalled.query("BEGIN");
      await stalled.query(
        "SELECT pg_advisory_xact_lock($1, hashtext($2 || '/' || $3)), pg_current_xact_id()",
        [POSTGRES_STREAM_LOCK_CLASS, "public", "s"],
      );
      const stalledAt = performance.now();

      // A writer of the same stream is refused after the lock timeout instead of waiting for ever.
      const refused = await store.append("s", 0, [newEvent("B", {})]).catch((error: unknown) => error);
      expect(isStoreFailureOf(refused, "StoreUnavailable")).toBe(true);
      expect(performance.now() - stalledAt).toBeLessThan(timeouts.idleInTransactionMs);

      // Another stream commits, but readers cannot see it behind the stalled transaction id; the committed
      // head (what the lag metrics count from) does show it.
      const other = await store.append("t", "no_stream", [newEvent("C", {})]);
      expect(await store.committedHeadPosition()).toBe(other.position);
      const otherVisible = await withClient(database.url, async (client) => {
        const rows = await client.query<{ visible: boolean }>(
          "SELECT $1::bigint < (pg_snapshot_xmin(pg_current_snapshot())::text::bigint << 20) AS visible",
          [other.position.toString()],
        );
        return rows.rows[0]?.visible;
      });
      expect(otherVisible).toBe(false);

      // The server ends the stalled session; the writer's retry succeeds and every event is visible.
      await new Promise((resolve) => setTimeout(resolve, timeouts.idleInTransactionMs + 500));
      const retried = await store.append("s", 0, [newEvent("B", {})]);
      expect(retried.nextExpectedRevision).toBe(1);
      expect((await store.readAll()).map((event) => event.type)).toEqual(["A", "C", "B"]);
      expect(await stalled.query("SELECT 1").catch((error: unknown) => error)).toBeInstanceOf(Error);
    } finally {
      await stalled.end().catch(() => undefined);
      await store.close();
      await database.drop();
    }
  }, 30_000);

  it("takes the timeouts from the store URL and refuses one that is not a number", async () => {
    const database = await createTestPostgresDatabase("timeouts");
    const url = new URL(database.url);
    url.searchParams.set("lockTimeoutMs", "1234");
    url.searchParams.set("idleInTransactionTimeoutMs", "0");
    const store = await PostgresEventStore.openUrl(url.toString());
    try {
      const settings = await (store as unknown as { pool: import("pg").Pool }).pool.query<{
        lock: string;
        idle: string;
        statement: string;
      }>(
        "SELECT current_setting('lock_timeout') AS lock, current_setting('idle_in_transaction_session_timeout') AS idle, current_setting('statement_timeout') AS statement",
      );
      expect(settings.rows[0]).toEqual({ lock: "1234ms", idle: "0", statement: "30s" });
      url.searchParams.set("statementTimeoutMs", "soon");
      await expect(PostgresEventStore.openUrl(url.toString())).rejects.toThrow(/statementTimeoutMs/);
    } finally {
      await store.close();
      await database.drop();
    }
  });
});
