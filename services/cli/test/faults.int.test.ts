/**
 * Fault tests of docs/reliability.md run against the real command (`bukubesar serve` processes):
 * - #3 hot account: 200 concurrent debits of 10 from a noOverdraft balance of 1,000, over HTTP, spread over
 *   two server processes on one PostgreSQL store: exactly 100 posted, 100 `insufficient_funds`, and the
 *   balance never seen below zero;
 * - #13 kill -9 of the API process under load, on SQLite and on PostgreSQL: after a restart, retrying
 *   every request with its key records each exactly once, and nothing acknowledged before the kill is lost.
 * Counts are kept small here (scripts/test); `scripts/bench --reliability` runs them at full size
 * (FAULT_SCALE) and writes the figures into docs/reliability.md.
 */
import { join } from "node:path";
import { createTestPostgresDatabase } from "@bukubesar/event-store";
import { afterEach, describe, expect, it } from "vitest";
import { type RunningCommand, startBukubesar, temporaryDirectory } from "./fixtures.js";

const ADMIN = "faults-admin-token-0123456789abcdef";
const COOP = "kkmp-uji-gangguan";
const SCALE = Number(process.env.FAULT_SCALE ?? "1");
const HOT_DEBITS = 200;
const KILL_REQUESTS = Math.round(150 * SCALE);
const CONCURRENCY = 16;
/** A client's attempts with one key after 503 store_unavailable (api.md: retry with the same key). */
const CLIENT_ATTEMPTS_MAX = 5;

const running: RunningCommand[] = [];
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const command of running.splice(0)) await command.stop("SIGKILL");
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

const serve = async (
  storeUrl: string,
  directory: string,
): Promise<{ url: string; command: RunningCommand }> => {
  const command = startBukubesar(["serve"], {
    cwd: directory,
    env: {
      PORT: "0",
      STORE_URL: storeUrl,
      BUKUBESAR_ADMIN_TOKEN: ADMIN,
      LOG_LEVEL: "silent",
      DATA_DIR: "data",
    },
    direct: true,
  });
  running.push(command);
  const [, url] = await command.waitFor(/listening on (http:\/\/\S+)/, 60_000);
  return { url: url as string, command };
};

const call = async (base: string, method: string, path: string, body?: unknown, key?: string) => {
  const response = await fetch(base + path, {
    method,
    headers: {
      authorization: `Bearer ${ADMIN}`,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
      ...(key === undefined ? {} : { "idempotency-key": key }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text === "" ? null : JSON.parse(text) };
};

/** Runs `task` for 0..count-1 with at most `width` at a time; the answers in order. */
const pooled = async <T>(count: number, width: number, task: (index: number) => Promise<T>): Promise<T[]> => {
  const answers: T[] = new Array(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < count) {
        const index = next++;
        answers[index] = await task(index);
      }
    }),
  );
  return answers;
};

const openWithCash = async (base: string, cash: string) => {
  expect(
    (
      await call(base, "POST", "/v1/cooperatives", {
        id: COOP,
        name: "KKMP Uji Gangguan",
        regionCode: "35.74.03.1002",
        chart: "kkmp",
      })
    ).status,
  ).toBe(201);
  expect(
    (
      await call(base, "POST", `/v1/cooperatives/${COOP}/accounts`, {
        code: "1199",
        name: "Kas Uji",
        type: "asset",
        noOverdraft: true,
      })
    ).status,
  ).toBe(201);
  const funded = await call(
    base,
    "POST",
    `/v1/cooperatives/${COOP}/journal-entries`,
    {
      date: "2026-02-02",
      memo: "modal",
      lines: [
        { account: "1199", debit: cash },
        { account: "3300", credit: cash },
      ],
    },
    "modal",
  );
  expect(funded.status).toBe(201);
};

const debit = (amount: string, memo: string) => ({
  date: "2026-02-03",
  memo,
  lines: [
    { account: "3300", debit: amount },
    { account: "1199", credit: amount },
  ],
});

const cashBalance = async (base: string): Promise<number> =>
  Number(
    (await call(base, "GET", `/v1/cooperatives/${COOP}/ledger/1199?from=2026-01-01&to=2026-12-31`)).body
      .closingBalance,
  );

describe("fault #3: a hot account over HTTP from two processes", () => {
  it("posts exactly 100 of 200 debits of 10 from 1,000 and never goes below zero", async () => {
    const database = await createTestPostgresDatabase("faults_hot");
    cleanups.push(database.drop);
    const directory = temporaryDirectory();
    // One after the other: the first start records the admin, the second finds it.
    const first = await serve(database.url, directory);
    const second = await serve(database.url, directory);
    await openWithCash(first.url, "1000");
    let lowest = Number.POSITIVE_INFINITY;
    let watching = true;
    const watcher = (async () => {
      while (watching) {
        lowest = Math.min(lowest, await cashBalance(first.url), await cashBalance(second.url));
      }
    })();
    // A 503 store_unavailable (the two processes kept taking the stream from each other past the
    // handler's retries) is answered with Retry-After; the client retries with the same key, as api.md
    // says, and the outcome then settles. How often that happened is counted, not hidden.
    let retriedAfter503 = 0;
    const answers = await pooled(HOT_DEBITS, 50, async (index) => {
      for (let attempt = 1; ; attempt += 1) {
        const answer = await call(
          index % 2 === 0 ? first.url : second.url,
          "POST",
          `/v1/cooperatives/${COOP}/journal-entries`,
          debit("10", `tarik ${index}`),
          `tarik-${index}`,
        );
        if (answer.status !== 503 || attempt === CLIENT_ATTEMPTS_MAX) return answer;
        retriedAfter503 += 1;
      }
    });
    console.log(`hot account: ${retriedAfter503} requests retried after 503 store_unavailable`);
    watching = false;
    await watcher;
    const statuses = answers.map((answer) => (answer.status === 201 ? "posted" : answer.body.code));
    const others = statuses.filter((status) => status !== "posted" && status !== "insufficient_funds");
    expect(others).toEqual([]);
    expect(statuses.filter((status) => status === "posted")).toHaveLength(100);
    expect(statuses.filter((status) => status === "insufficient_funds")).toHaveLength(100);
    expect(lowest).toBeGreaterThanOrEqual(0);
    expect(await cashBalance(first.url)).toBe(0);
    expect(await cashBalance(second.url)).toBe(0);
  }, 180_000);
});

describe.each(["sqlite", "postgres"] as const)(
  "fault #13: kill -9 of the API process under load on %s",
  (backend) => {
    it("loses nothing acknowledged and records every retried key exactly once", async () => {
      const directory = temporaryDirectory();
      let storeUrl = `sqlite:${join(directory, "data", "bukubesar.db")}`;
      if (backend === "postgres") {
        const database = await createTestPostgresDatabase("faults_kill");
        cleanups.push(database.drop);
        storeUrl = database.url;
      }
      const before = await serve(storeUrl, directory);
      await openWithCash(before.url, "1");
      const acknowledged = new Set<number>();
      let killed = false;
      const underLoad = pooled(KILL_REQUESTS, CONCURRENCY, async (index) => {
        if (killed) return;
        try {
          const answer = await call(
            before.url,
            "POST",
            `/v1/cooperatives/${COOP}/journal-entries`,
            {
              ...debit("1", `setor ${index}`),
              lines: [
                { account: "1199", debit: "1" },
                { account: "3300", credit: "1" },
              ],
            },
            `setor-${index}`,
          );
          if (answer.status === 201) acknowledged.add(index);
          if (acknowledged.size >= KILL_REQUESTS / 3 && !killed) {
            killed = true;
            await before.command.stop("SIGKILL");
          }
        } catch {
          // The connection died with the process: the outcome is unknown to this client, as in production.
        }
      });
      await underLoad;
      expect(killed).toBe(true);

      const after = await serve(storeUrl, directory);
      const retried = await pooled(KILL_REQUESTS, CONCURRENCY, (index) =>
        call(
          after.url,
          "POST",
          `/v1/cooperatives/${COOP}/journal-entries`,
          {
            ...debit("1", `setor ${index}`),
            lines: [
              { account: "1199", debit: "1" },
              { account: "3300", credit: "1" },
            ],
          },
          `setor-${index}`,
        ),
      );
      expect(retried.every((answer) => answer.status === 201)).toBe(true);
      // Each acknowledged request is answered again as the same entry (a replay), and the cash is exact.
      expect(await cashBalance(after.url)).toBe(1 + KILL_REQUESTS);
      const ids = new Set(retried.map((answer) => answer.body.entryId as string));
      expect(ids.size).toBe(KILL_REQUESTS);
      expect(acknowledged.size).toBeGreaterThan(0);
    }, 240_000);
  },
);
