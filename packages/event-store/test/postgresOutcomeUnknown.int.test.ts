/**
 * docs/reliability.md section 6, faults #9 and #18 on the PostgreSQL store: the connection is cut after the
 * COMMIT reached the server (the append committed, the caller is told it failed) or before it (nothing
 * committed); serialization failures (40001) and deadlocks (40P01) are retried a bounded number of times.
 * Each time a retry with the same event ids stores the events exactly once.
 */
import pg from "pg";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  createTestPostgresDatabase,
  isStoreFailureOf,
  type NewEvent,
  type PostgresCuttingProxy,
  PostgresEventStore,
  startPostgresCuttingProxy,
  type TestPostgresDatabase,
} from "../src/index.js";
import { POSTGRES_GROUP_ATTEMPTS_MAX } from "../src/postgresEventStore.js";

/** Each case settles within seconds; the bound keeps a hang from lasting the suite's whole timeout. */
const CASE_TIMEOUT_MS = 30_000;

const events = (prefix: string): NewEvent[] => [
  { eventId: `${prefix}-1`, type: "Posted", data: { amount: "10" }, metadata: {} },
  { eventId: `${prefix}-2`, type: "Posted", data: { amount: "20" }, metadata: {} },
];

const withClient = async <T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> => {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
};

/**
 * Makes the next `failures` inserts of events fail with SQLSTATE `code`, raised by PostgreSQL itself from a
 * statement trigger. A sequence counts the attempts: nextval is not rolled back with the failed transaction.
 */
const injectFailures = (url: string, code: string, failures: number) =>
  withClient(url, async (client) => {
    await client.query("CREATE SEQUENCE IF NOT EXISTS fault_attempts");
    await client.query(`CREATE OR REPLACE FUNCTION inject_fault() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF nextval('fault_attempts') <= ${failures} THEN
          RAISE EXCEPTION 'injected fault' USING ERRCODE = '${code}';
        END IF;
        RETURN NULL;
      END $$`);
    await client.query(
      "CREATE OR REPLACE TRIGGER inject_fault BEFORE INSERT ON event_store_events FOR EACH STATEMENT EXECUTE FUNCTION inject_fault()",
    );
  });

const attemptsMade = (url: string) =>
  withClient(url, async (client) => {
    const rows = await client.query<{ last_value: string; is_called: boolean }>(
      "SELECT last_value, is_called FROM fault_attempts",
    );
    const row = rows.rows[0];
    return row?.is_called ? Number(row.last_value) : 0;
  });

const storedIds = (url: string) =>
  withClient(url, async (client) => {
    const rows = await client.query<{ event_id: string }>(
      "SELECT event_id FROM event_store_events ORDER BY position",
    );
    return rows.rows.map((row) => row.event_id);
  });

describe("PostgreSQL store: outcome unknown", () => {
  let database: TestPostgresDatabase;
  let proxy: PostgresCuttingProxy;
  let store: PostgresEventStore;

  beforeEach(async () => {
    database = await createTestPostgresDatabase("outcome_unknown");
    proxy = await startPostgresCuttingProxy(database.url);
    store = await PostgresEventStore.openUrl(proxy.url);
  });
  afterEach(async () => {
    await store.close().catch(() => undefined);
    await proxy.close();
    await database.drop();
  });

  it(
    "a connection cut after COMMIT reached the server: the append fails, is stored, and its retry stores nothing more",
    async () => {
      const cut = proxy.cutNext("after-commit");
      const first = await store.append("coop-a", "no_stream", events("e")).catch((error: unknown) => error);
      await cut;
      expect(isStoreFailureOf(first, "StoreUnavailable"), String(first)).toBe(true);
      expect(await storedIds(database.url)).toEqual(["e-1", "e-2"]);
      const retried = await store.append("coop-a", "no_stream", events("e"));
      expect([retried.alreadyStored, retried.nextExpectedRevision]).toEqual([true, 1]);
      expect(await storedIds(database.url)).toEqual(["e-1", "e-2"]);
      expect((await store.readStream("coop-a")).map((event) => event.eventId)).toEqual(["e-1", "e-2"]);
    },
    CASE_TIMEOUT_MS,
  );

  it(
    "a connection cut mid-transaction: the append fails, nothing is stored, and its retry stores it once",
    async () => {
      const cut = proxy.cutNext("before-commit");
      const first = await store.append("coop-a", "no_stream", events("e")).catch((error: unknown) => error);
      await cut;
      expect(isStoreFailureOf(first, "StoreUnavailable"), String(first)).toBe(true);
      expect(await storedIds(database.url)).toEqual([]);
      const retried = await store.append("coop-a", "no_stream", events("e"));
      expect([retried.alreadyStored, retried.nextExpectedRevision]).toEqual([false, 1]);
      expect(await storedIds(database.url)).toEqual(["e-1", "e-2"]);
      expect(proxy.cuts()).toBe(1);
    },
    CASE_TIMEOUT_MS,
  );

  for (const code of ["40001", "40P01"]) {
    it(
      `SQLSTATE ${code} is retried: ${POSTGRES_GROUP_ATTEMPTS_MAX - 1} failures in a row still append once`,
      async () => {
        await injectFailures(database.url, code, POSTGRES_GROUP_ATTEMPTS_MAX - 1);
        const result = await store.append("coop-a", "no_stream", events("e"));
        expect([result.alreadyStored, result.nextExpectedRevision]).toEqual([false, 1]);
        expect(await attemptsMade(database.url)).toBe(POSTGRES_GROUP_ATTEMPTS_MAX);
        expect(await storedIds(database.url)).toEqual(["e-1", "e-2"]);
      },
      CASE_TIMEOUT_MS,
    );

    it(
      `SQLSTATE ${code} without end: StoreUnavailable after ${POSTGRES_GROUP_ATTEMPTS_MAX} attempts, nothing stored, the later retry stores once`,
      async () => {
        await injectFailures(database.url, code, POSTGRES_GROUP_ATTEMPTS_MAX);
        const first = await store.append("coop-a", "no_stream", events("e")).catch((error: unknown) => error);
        expect(isStoreFailureOf(first, "StoreUnavailable"), String(first)).toBe(true);
        expect(await attemptsMade(database.url)).toBe(POSTGRES_GROUP_ATTEMPTS_MAX);
        expect(await storedIds(database.url)).toEqual([]);
        const retried = await store.append("coop-a", "no_stream", events("e"));
        expect(retried.alreadyStored).toBe(false);
        expect(await storedIds(database.url)).toEqual(["e-1", "e-2"]);
      },
      CASE_TIMEOUT_MS,
    );
  }
});
