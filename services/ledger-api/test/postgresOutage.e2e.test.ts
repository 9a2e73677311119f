/** docs/reliability.md section 6 C on PostgreSQL: the database stops taking connections; writes get 503, nothing half-recorded. */

import { testPostgresServerUrl } from "@bukubesar/event-store";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshStore, type Harness, startHarness } from "./harness.js";

const COOP = "kkmp-outage";
const coopPath = `/v1/cooperatives/${COOP}`;

const entry = (memo: string) => ({
  date: "2026-02-02",
  memo,
  lines: [
    { account: "1101", debit: "1000" },
    { account: "3300", credit: "1000" },
  ],
});

/** Runs one statement as the server's administrator. */
const administer = async (sql: string) => {
  const client = new pg.Client({ connectionString: testPostgresServerUrl() });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
};

describe("a PostgreSQL database that goes away", () => {
  let harness: Harness;
  let cleanup: () => Promise<void>;
  let database = "";

  beforeAll(async () => {
    const store = await freshStore("postgres");
    cleanup = store.cleanup;
    database = new URL(store.url).pathname.slice(1);
    harness = await startHarness(store.url);
    const created = await harness.call("POST", "/v1/cooperatives", {
      body: { id: COOP, name: "KKMP Gangguan", regionCode: "35.74.03.1002", chart: "kkmp" },
    });
    expect(created.status).toBe(201);
    const posted = await harness.call("POST", `${coopPath}/journal-entries`, {
      body: entry("sebelum"),
      headers: { "idempotency-key": "before" },
    });
    expect(posted.status).toBe(201);
  });
  afterAll(async () => {
    await administer(`ALTER DATABASE ${database} ALLOW_CONNECTIONS true`).catch(() => undefined);
    await harness?.stop().catch(() => undefined);
    await cleanup?.();
  });

  // A connection attempt here gets SQLSTATE 55000 ("database is not currently accepting connections"),
  // which the PostgreSQL adapter maps to StoreUnavailable.
  it("answers 503 store_unavailable with Retry-After, and the retry after it returns posts once", async () => {
    await administer(`ALTER DATABASE ${database} ALLOW_CONNECTIONS false`);
    await administer(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${database}' AND pid <> pg_backend_pid()`,
    );
    for (const key of ["during-1", "during-2"]) {
      const refused = await harness.call("POST", `${coopPath}/journal-entries`, {
        body: entry("saat gangguan"),
        headers: { "idempotency-key": key },
      });
      expect([refused.status, refused.body.code], JSON.stringify(refused.body)).toEqual([
        503,
        "store_unavailable",
      ]);
      expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    }
    await administer(`ALTER DATABASE ${database} ALLOW_CONNECTIONS true`);
    const retried = await harness.call("POST", `${coopPath}/journal-entries`, {
      body: entry("saat gangguan"),
      headers: { "idempotency-key": "during-1" },
    });
    expect(retried.status, JSON.stringify(retried.body)).toBe(201);
    const events = await harness.call("GET", `${coopPath}/events?limit=1000`);
    const memos = events.body.events
      .filter((event: { type: string }) => event.type === "JournalEntryPosted")
      .map((event: { data: { memo: string } }) => event.data.memo);
    expect(memos).toEqual(["sebelum", "saat gangguan"]);
  });
});
