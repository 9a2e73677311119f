/**
 * Two API replicas over one PostgreSQL store behave as one service: an Idempotency-Key in flight on one
 * is in flight on the other (409, never a second entry), and a browser session made on one works on the
 * other at once, and ends on both when it is signed out on either.
 */
import { PostgresInFlightClaims } from "@bukubesar/event-store";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inFlightKeyOf } from "../src/commandHandler.js";
import { freshStore, type Harness, startHarness } from "./harness.js";

const COOP = "kkmp-bersama";
const ROUTE = "journal-entries";
/** Keys sent to both replicas at the same moment. */
const RACED_KEYS = 20;

const entry = (memo: string) => ({
  date: "2026-02-02",
  memo,
  lines: [
    { account: "1101", debit: "1000.00" },
    { account: "3300", credit: "1000.00" },
  ],
});

describe("API replicas share in-flight keys and sessions through the store", () => {
  let store: { url: string; cleanup: () => Promise<void> };
  const claims: PostgresInFlightClaims[] = [];
  let a: Harness;
  let b: Harness;

  beforeAll(async () => {
    store = await freshStore("postgres");
    const replica = async () => {
      const shared = PostgresInFlightClaims.open(store.url);
      claims.push(shared);
      return startHarness(store.url, { inFlightClaims: shared });
    };
    a = await replica();
    b = await replica();
    const created = await a.call("POST", "/v1/cooperatives", {
      body: { id: COOP, name: "KKMP Bersama", regionCode: "35.74.03.1002", chart: "kkmp" },
    });
    expect(created.status).toBe(201);
  }, 60_000);

  afterAll(async () => {
    await a?.stop();
    await b?.stop();
    for (const shared of claims) await shared.close();
    await store?.cleanup();
  });

  it("a key claimed by another replica is 409 idempotency_key_in_flight here, and served once released", async () => {
    // A third process of the deployment holds the key, as a replica does while it records the request.
    const other = PostgresInFlightClaims.open(store.url);
    try {
      const key = "bersama-held";
      expect(await other.claim(inFlightKeyOf(COOP, ROUTE, key))).toBe(true);
      const refused = await a.call("POST", `/v1/cooperatives/${COOP}/${ROUTE}`, {
        headers: { "idempotency-key": key },
        body: entry(key),
      });
      expect(refused.status).toBe(409);
      expect(refused.body.code).toBe("idempotency_key_in_flight");
      await other.release(inFlightKeyOf(COOP, ROUTE, key));
      const served = await b.call("POST", `/v1/cooperatives/${COOP}/${ROUTE}`, {
        headers: { "idempotency-key": key },
        body: entry(key),
      });
      expect(served.status).toBe(201);
    } finally {
      await other.close();
    }
  });

  it("a claim dies with its connection: a replica killed mid-request leaves nothing claimed", async () => {
    const dying = PostgresInFlightClaims.open(store.url);
    const key = inFlightKeyOf(COOP, ROUTE, "bersama-orphan");
    expect(await dying.claim(key)).toBe(true);
    await dying.close();
    const survivor = PostgresInFlightClaims.open(store.url);
    try {
      expect(await survivor.claim(key)).toBe(true);
    } finally {
      await survivor.close();
    }
  });

  it("the same key sent to both replicas at once records one entry; the other answer is 409 or its replay", async () => {
    for (let index = 0; index < RACED_KEYS; index++) {
      const key = `bersama-race-${index}`;
      const send = (replica: Harness) =>
        replica.call("POST", `/v1/cooperatives/${COOP}/${ROUTE}`, {
          headers: { "idempotency-key": key },
          body: entry(key),
        });
      const answers = await Promise.all([send(a), send(b)]);
      const created = answers.filter(
        (answer) => answer.status === 201 && answer.headers.get("idempotent-replayed") === null,
      );
      expect(created, key).toHaveLength(1);
      for (const answer of answers) {
        if (answer === created[0]) continue;
        const replayed = answer.status === 201 && answer.headers.get("idempotent-replayed") === "true";
        const inFlight = answer.status === 409 && answer.body.code === "idempotency_key_in_flight";
        expect(replayed || inFlight, `${key}: ${answer.status} ${JSON.stringify(answer.body)}`).toBe(true);
        if (replayed) expect(answer.body.entryId).toBe(created[0]?.body.entryId);
      }
    }
    const journal = await a.call("GET", `/v1/cooperatives/${COOP}/journal-entries?limit=1000`);
    const memos = (journal.body.entries as { memo: string }[])
      .map((listed) => listed.memo)
      .filter((memo) => memo.startsWith("bersama-race-"));
    expect(memos).toHaveLength(RACED_KEYS);
    expect(new Set(memos).size).toBe(RACED_KEYS);
  });

  it("a session made on one replica works on the other at once; signed out there, it ends on the first", async () => {
    const issued = await a.call("POST", "/v1/tokens", {
      body: { role: "treasurer", scope: COOP, name: "bendahara bersama" },
    });
    const signedIn = await a.call("POST", "/v1/sessions", {
      token: null,
      body: { token: issued.body.token },
    });
    expect(signedIn.status).toBe(201);
    const cookie = (signedIn.headers.get("set-cookie") ?? "").split(";")[0] as string;
    const csrf = signedIn.body.csrfToken as string;
    const withCookie = { token: null, headers: { cookie } };

    const onB = await b.call("GET", "/v1/session", withCookie);
    expect(onB.status).toBe(200);
    expect(onB.body.principalId).toBe(issued.body.principalId);
    const readOnB = await b.call("GET", `/v1/cooperatives/${COOP}`, withCookie);
    expect(readOnB.status).toBe(200);

    const signedOut = await b.call("DELETE", "/v1/session", {
      token: null,
      headers: { cookie, "x-csrf-token": csrf },
    });
    expect(signedOut.status).toBe(204);
    const onA = await a.call("GET", `/v1/cooperatives/${COOP}`, withCookie);
    expect(onA.status).toBe(401);
    expect((await a.call("GET", "/v1/session", withCookie)).status).toBe(401);
  });
});
