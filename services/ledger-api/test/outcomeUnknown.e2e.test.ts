/**
 * docs/reliability.md section 6, faults #9 and #18 over HTTP: a TCP proxy between the service and PostgreSQL
 * cuts the connection of the transaction that records a journal entry, once after its COMMIT reached the
 * server (the entry is stored, the service cannot know) and once before (nothing is stored). Either way the
 * service answers 503 store_unavailable, and the client's retry with the same Idempotency-Key records the
 * entry exactly once.
 */
import {
  createTestPostgresDatabase,
  type PostgresCutPoint,
  type PostgresCuttingProxy,
  startPostgresCuttingProxy,
  type TestPostgresDatabase,
} from "@bukubesar/event-store";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, startHarness } from "./harness.js";

const COOP = "kkmp-putus";
const coopPath = `/v1/cooperatives/${COOP}`;

/** Each case settles within seconds; the bound keeps a hang from lasting the suite's whole timeout. */
const CASE_TIMEOUT_MS = 30_000;

const entry = (memo: string) => ({
  date: "2026-02-02",
  memo,
  lines: [
    { account: "1101", debit: "1000" },
    { account: "3300", credit: "1000" },
  ],
});

describe("the connection to PostgreSQL cut around a journal entry's COMMIT", () => {
  let database: TestPostgresDatabase;
  let proxy: PostgresCuttingProxy;
  let harness: Harness;

  beforeAll(async () => {
    database = await createTestPostgresDatabase("api_outcome_unknown");
    proxy = await startPostgresCuttingProxy(database.url);
    harness = await startHarness(proxy.url);
    const created = await harness.call("POST", "/v1/cooperatives", {
      body: { id: COOP, name: "KKMP Putus", regionCode: "35.74.03.1002", chart: "kkmp" },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
  });
  afterAll(async () => {
    await harness?.stop().catch(() => undefined);
    await proxy?.close();
    await database?.drop();
  });

  const postedMemos = async (): Promise<string[]> => {
    const events = await harness.call("GET", `${coopPath}/events?limit=1000`);
    expect(events.status).toBe(200);
    return events.body.events
      .filter((event: { type: string }) => event.type === "JournalEntryPosted")
      .map((event: { data: { memo: string } }) => event.data.memo);
  };

  const cases: [PostgresCutPoint, string][] = [
    ["after-commit", "stored, reply lost"],
    ["before-commit", "cut mid-transaction"],
  ];
  for (const [point, memo] of cases) {
    it(
      `${point}: 503 store_unavailable, and the retry with the same key records the entry once`,
      async () => {
        const before = await postedMemos();
        const cut = proxy.cutNext(point);
        const first = await harness.call("POST", `${coopPath}/journal-entries`, {
          body: entry(memo),
          headers: { "idempotency-key": point },
        });
        await cut;
        expect([first.status, first.body.code], JSON.stringify(first.body)).toEqual([
          503,
          "store_unavailable",
        ]);
        expect(Number(first.headers.get("retry-after"))).toBeGreaterThan(0);
        const retried = await harness.call("POST", `${coopPath}/journal-entries`, {
          body: entry(memo),
          headers: { "idempotency-key": point },
        });
        expect(retried.status, JSON.stringify(retried.body)).toBe(201);
        const again = await harness.call("POST", `${coopPath}/journal-entries`, {
          body: entry(memo),
          headers: { "idempotency-key": point },
        });
        expect(again.status).toBe(201);
        expect(again.body.entryId).toBe(retried.body.entryId);
        expect(await postedMemos()).toEqual([...before, memo]);
        const verified = await harness.call("GET", `${coopPath}/verify`);
        expect(verified.status, JSON.stringify(verified.body)).toBe(200);
        expect(verified.body.ok, JSON.stringify(verified.body)).toBe(true);
      },
      CASE_TIMEOUT_MS,
    );
  }
});
