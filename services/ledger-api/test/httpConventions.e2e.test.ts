/** The HTTP conventions every route follows (httpConventions.ts, rateLimit.ts), over HTTP on a real port. */

import { connect, type Socket } from "node:net";
import { createTestPostgresDatabase } from "@bukubesar/event-store";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  PostgresRateLimitStore,
  SIGN_INS_PER_MINUTE,
  toJsonPointer,
  UNAUTHENTICATED_REQUESTS_PER_MINUTE,
} from "../src/index.js";
import { ADMIN_TOKEN, freshStore, type Harness, startHarness } from "./harness.js";

const COOP = "kkmp-konvensi";
const coopPath = `/v1/cooperatives/${COOP}`;
const SAMPLE_PARAMETERS: Readonly<Record<string, string>> = {
  coopId: COOP,
  entryId: "00000000-0000-4000-8000-000000000000",
  code: "1101",
  memberId: "A-0001",
  period: "2026-01",
  year: "2026",
  principalId: "p-nobody",
  alertId: "00000000-0000-4000-8000-000000000000",
};

describe("HTTP conventions", () => {
  let harness: Harness;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    const store = await freshStore("sqlite");
    cleanup = store.cleanup;
    harness = await startHarness(store.url);
    const created = await harness.call("POST", "/v1/cooperatives", {
      body: { id: COOP, name: "KKMP Konvensi", regionCode: "35.74.03.1002", chart: "kkmp" },
    });
    expect(created.status).toBe(201);
    expect(created.headers.get("location")).toBe(coopPath);
  });
  afterAll(async () => {
    await harness.stop();
    await cleanup();
  });

  it("every route refuses an unknown query parameter with 400 unknown_parameter naming it", async () => {
    const document = (await harness.call("GET", "/openapi.json")).body as {
      paths: Record<string, Record<string, unknown>>;
    };
    const routes = Object.entries(document.paths).flatMap(([path, operations]) =>
      Object.keys(operations).map((method) => ({ method: method.toUpperCase(), path })),
    );
    expect(routes.length).toBeGreaterThan(30);
    for (const { method, path } of routes) {
      const concrete = path.replace(/\{(\w+)\}/g, (_, name: string) => SAMPLE_PARAMETERS[name] ?? "x");
      const withBody = method === "POST" || method === "PATCH" || method === "PUT";
      const answer = await harness.call(method, `${concrete}?as_of=2026-01-31`, withBody ? { body: {} } : {});
      expect(answer.status, `${method} ${path}`).toBe(400);
      expect(answer.body.code, `${method} ${path}`).toBe("unknown_parameter");
      expect(answer.body.detail, `${method} ${path}`).toContain('"as_of"');
      expect(answer.body.errors[0].path).toBe("/as_of");
    }
  });

  it("refuses a single-valued parameter given twice, and still answers a well-formed question", async () => {
    const twice = await harness.call("GET", `${coopPath}/trial-balance?asOf=2026-01-31&asOf=2026-02-28`);
    expect(twice.status).toBe(400);
    expect(twice.body.code).toBe("unknown_parameter");
    expect(twice.body.detail).toContain('"asOf"');
    expect((await harness.call("GET", `${coopPath}/trial-balance?asOf=2026-01-31`)).status).toBe(200);
  });

  it("answers a wrong method on a known path with 405 and Allow; an unknown path stays 404", async () => {
    const wrong = await harness.call("DELETE", "/v1/cooperatives");
    expect(wrong.status).toBe(405);
    expect(wrong.body.code).toBe("method_not_allowed");
    expect(wrong.headers.get("allow")?.split(", ")).toEqual(expect.arrayContaining(["GET", "POST"]));
    const onEntry = await harness.call("PUT", `${coopPath}/journal-entries/${SAMPLE_PARAMETERS.entryId}`);
    expect(onEntry.status).toBe(405);
    expect(onEntry.headers.get("allow")).toContain("GET");
    expect((await harness.call("GET", "/v1/nothing-here")).status).toBe(404);
  });

  it("puts Location on 201 and 202, pointing at a resource that answers", async () => {
    const settings = await harness.call("PATCH", `${coopPath}/settings`, {
      body: { approvalThreshold: "1000000" },
    });
    expect(settings.status).toBe(200);
    const entry = (amount: string, key: string) =>
      harness.call("POST", `${coopPath}/journal-entries`, {
        headers: { "idempotency-key": key },
        body: {
          date: "2026-01-15",
          memo: "setoran",
          lines: [
            { account: "1101", debit: amount },
            { account: "3300", credit: amount },
          ],
        },
      });
    const posted = await entry("50000", "location-201");
    expect(posted.status).toBe(201);
    expect(posted.headers.get("location")).toBe(`${coopPath}/journal-entries/${posted.body.entryId}`);
    const pending = await entry("2000000", "location-202");
    expect(pending.status).toBe(202);
    const pendingAt = pending.headers.get("location") ?? "";
    expect(pendingAt).toBe(`${coopPath}/journal-entries/${pending.body.entryId}`);
    expect((await harness.call("GET", pendingAt)).status).toBe(200);

    const token = await harness.call("POST", "/v1/tokens", {
      body: { role: "treasurer", scope: COOP, name: "bendahara" },
    });
    expect(token.status).toBe(201);
    expect(token.headers.get("location")).toBe(`/v1/tokens/${token.body.principalId}`);
    expect(token.headers.get("cache-control")).toBe("no-store");
  });

  it("names CSV and journal downloads, and compresses large answers for a client that accepts gzip", async () => {
    const csv = await harness.call("GET", `${coopPath}/trial-balance?asOf=2026-01-31&format=csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-disposition")).toBe(
      `attachment; filename="${COOP}-trial-balance-2026-01-31.csv"`,
    );
    const journal = await harness.call("GET", `${coopPath}/export?format=ledger`);
    expect(journal.status).toBe(200);
    expect(journal.headers.get("content-disposition")).toBe(`attachment; filename="${COOP}-export.journal"`);
    // Streamed, not built as one string first (before: uncompressed, a content-length of the whole text).
    const plainJournal = await harness.call("GET", `${coopPath}/export?format=ledger`, {
      headers: { "accept-encoding": "identity" },
    });
    expect([
      plainJournal.headers.get("transfer-encoding"),
      plainJournal.headers.get("content-length"),
    ]).toEqual(["chunked", null]);
    expect(plainJournal.body).toBe(journal.body);
    const compressed = await harness.call("GET", "/openapi.json", { headers: { "accept-encoding": "gzip" } });
    expect(compressed.headers.get("content-encoding")).toBe("gzip");
    expect(compressed.body.openapi).toBeDefined();
    const plain = await harness.call("GET", "/openapi.json", { headers: { "accept-encoding": "identity" } });
    expect(plain.headers.get("content-encoding")).toBeNull();
  });

  it("writes every field path of a problem as a JSON Pointer", async () => {
    const bad = await harness.call("POST", `${coopPath}/journal-entries`, {
      headers: { "idempotency-key": "pointer" },
      body: {
        date: "2026-01-15",
        memo: "x",
        lines: [
          { account: "1101", debit: 5 },
          { account: "3300", credit: "5" },
        ],
      },
    });
    expect(bad.status).toBe(422);
    expect(bad.body.errors.map((error: { path: string }) => error.path)).toContain("/lines/0/debit");
    expect(toJsonPointer("lines[1].amount")).toBe("/lines/1/amount");
    expect(toJsonPointer("a/b~c")).toBe("/a~1b~0c");
    expect(toJsonPointer("")).toBe("");
  });
});

/**
 * Sign-ins with the tokens given, each on its own connection, all at once: every request's headers are sent first, and
 * the bodies only after a pause in which the server has seen all the headers. Resolves with the statuses.
 */
const headersFirstSignIns = async (base: string, tokens: readonly string[]): Promise<number[]> => {
  const { hostname, port } = new URL(base);
  const sockets = await Promise.all(
    tokens.map(
      () =>
        new Promise<Socket>((resolve, reject) => {
          const socket = connect(Number(port), hostname, () => resolve(socket));
          socket.once("error", reject);
        }),
    ),
  );
  const answers = sockets.map(
    (socket) =>
      new Promise<number>((resolve) => {
        let received = "";
        socket.on("data", (chunk: Buffer) => {
          received += chunk.toString("latin1");
          const status = /^HTTP\/1\.1 (\d{3})/.exec(received);
          if (status !== null) {
            resolve(Number(status[1]));
            socket.destroy();
          }
        });
      }),
  );
  const bodies = tokens.map((token) => JSON.stringify({ token }));
  sockets.forEach((socket, index) => {
    socket.write(
      `POST /v1/sessions HTTP/1.1\r\nHost: ${hostname}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(bodies[index] as string)}\r\n\r\n`,
    );
  });
  await new Promise((resolve) => setTimeout(resolve, HEADERS_SETTLE_MS));
  sockets.forEach((socket, index) => {
    socket.write(bodies[index] as string);
  });
  return Promise.all(answers);
};

/** How long the headers are given to reach the server and pass its first checks before the bodies follow. */
const HEADERS_SETTLE_MS = 500;

describe("rate limits", () => {
  it("limits requests with wrong tokens per client address, before looking at the token", async () => {
    const store = await freshStore("sqlite");
    const harness = await startHarness(store.url);
    try {
      const statuses: number[] = [];
      for (let guess = 0; guess < 100; guess++)
        statuses.push((await harness.call("GET", "/v1/cooperatives", { token: `bb_guess${guess}` })).status);
      expect(statuses.slice(0, 10).every((status) => status === 401)).toBe(true);
      expect(statuses.filter((status) => status === 429).length).toBeGreaterThan(50);
      const refused = await harness.call("GET", "/v1/cooperatives", { token: "bb_one-more" });
      expect(refused.status).toBe(429);
      expect(refused.body.code).toBe("rate_limited");
      expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
      expect(refused.headers.get("ratelimit-remaining")).toBe("0");
      // The right token from the same address waits too: a guess in the pause tells nothing.
      expect((await harness.call("GET", "/v1/cooperatives")).status).toBe(429);
    } finally {
      await harness.stop();
      await store.cleanup();
    }
  });

  it("does not count right sign-ins as guesses, nor the page's credential-free session read", async () => {
    const store = await freshStore("sqlite");
    const harness = await startHarness(store.url);
    try {
      // An office behind one address: the page asks whether there is a session, then its people sign in,
      // more of them in a minute than the address's budget of wrong tokens (before: 429 from the 16th on).
      const signIns: number[] = [];
      for (let person = 0; person < UNAUTHENTICATED_REQUESTS_PER_MINUTE + 10; person++) {
        signIns.push((await harness.call("GET", "/v1/session", { token: null })).status);
        signIns.push(
          (await harness.call("POST", "/v1/sessions", { token: null, body: { token: ADMIN_TOKEN } })).status,
        );
      }
      expect(new Set(signIns)).toEqual(new Set([401, 201]));
    } finally {
      await harness.stop();
      await store.cleanup();
    }
  });

  it("counts every wrong sign-in against the address and then pauses it, the right token too", async () => {
    const store = await freshStore("sqlite");
    const harness = await startHarness(store.url);
    try {
      const guesses: number[] = [];
      for (let guess = 0; guess < UNAUTHENTICATED_REQUESTS_PER_MINUTE + 10; guess++)
        guesses.push(
          (await harness.call("POST", "/v1/sessions", { token: null, body: { token: `bb_guess${guess}` } }))
            .status,
        );
      expect(guesses.slice(0, UNAUTHENTICATED_REQUESTS_PER_MINUTE).every((status) => status === 401)).toBe(
        true,
      );
      expect(guesses.slice(UNAUTHENTICATED_REQUESTS_PER_MINUTE).every((status) => status === 429)).toBe(true);
      // Once the address is paused, the right token waits too: a guess in the pause tells nothing.
      const right = await harness.call("POST", "/v1/sessions", { token: null, body: { token: ADMIN_TOKEN } });
      expect([right.status, right.body.code]).toEqual([429, "rate_limited"]);
    } finally {
      await harness.stop();
      await store.cleanup();
    }
  });

  it("tells a guesser nothing from sign-ins beyond the address's budget, however many arrive at once", async () => {
    const store = await freshStore("sqlite");
    const harness = await startHarness(store.url);
    try {
      // A guesser on many connections sends every sign-in's headers first and the bodies only once all of
      // them have passed the address's check, with the right token last: before, every token was read and
      // the right one answered 201 (a session) after 179 wrong ones.
      const attempts = UNAUTHENTICATED_REQUESTS_PER_MINUTE * 6;
      const tokens = Array.from({ length: attempts }, (_unused, guess) =>
        guess === attempts - 1 ? ADMIN_TOKEN : `bb_guess${guess}`,
      );
      const statuses = await headersFirstSignIns(harness.base, tokens);
      expect(statuses.filter((status) => status === 401).length).toBeLessThanOrEqual(SIGN_INS_PER_MINUTE);
      expect(statuses.at(-1)).toBe(429);
      expect(statuses.every((status) => status === 401 || status === 429)).toBe(true);
    } finally {
      await harness.stop();
      await store.cleanup();
    }
  });

  it("limits each principal, with RateLimit headers on every answer", async () => {
    const store = await freshStore("sqlite");
    const harness = await startHarness(store.url, { rateLimitPerMinute: 5 });
    try {
      const first = await harness.call("GET", "/v1/cooperatives");
      expect(first.status).toBe(200);
      expect(first.headers.get("ratelimit-limit")).toBe("5");
      expect(first.headers.get("ratelimit-remaining")).toBe("4");
      expect(Number(first.headers.get("ratelimit-reset"))).toBeGreaterThan(0);
      for (let request = 0; request < 4; request++) await harness.call("GET", "/v1/cooperatives");
      const over = await harness.call("GET", "/v1/cooperatives");
      expect(over.status).toBe(429);
      expect(over.body.code).toBe("rate_limited");
    } finally {
      await harness.stop();
      await store.cleanup();
    }
  });

  it("shares one principal's count between two replicas through the PostgreSQL store", async () => {
    const database = await createTestPostgresDatabase("ratelimit");
    const counts = PostgresRateLimitStore.open(database.url);
    const store = await freshStore("sqlite");
    // Two servers over one event store, as two replicas of the API: the same principals.
    const a = await startHarness(store.url, { rateLimitPerMinute: 6, rateLimitStore: counts });
    const b = await startHarness(store.url, { rateLimitPerMinute: 6, rateLimitStore: counts });
    try {
      const statuses: number[] = [];
      for (let round = 0; round < 4; round++) {
        statuses.push((await a.call("GET", "/v1/cooperatives")).status);
        statuses.push((await b.call("GET", "/v1/cooperatives")).status);
      }
      expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 429, 429]);
    } finally {
      await a.stop();
      await b.stop();
      await counts.close();
      await database.drop();
      await store.cleanup();
    }
  });
});
