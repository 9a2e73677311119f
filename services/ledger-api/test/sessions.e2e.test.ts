/**
 * Browser sessions: a token exchanged for an HttpOnly SameSite=Strict cookie; cookie-authenticated writes
 * need the session's CSRF token; sign-out ends the session at once; a session outlives a restart but not
 * its expiry or its principal's revocation.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SESSION_LIFETIME_MS } from "../src/index.js";
import { freshStore, type Harness, startHarness } from "./harness.js";

const COOP = "kkmp-sesi";

const cookieOf = (headers: Headers): string => {
  const setCookie = headers.get("set-cookie") ?? "";
  return setCookie.split(";")[0] ?? "";
};

describe("browser sessions", () => {
  let harness: Harness;
  let cleanup: () => Promise<void>;
  let clock = Date.parse("2026-06-01T03:00:00.000Z");
  let treasurer: { token: string; principalId: string };

  beforeAll(async () => {
    const store = await freshStore("sqlite");
    cleanup = store.cleanup;
    harness = await startHarness(store.url, { now: () => new Date(clock).toISOString() });
    await harness.call("POST", "/v1/cooperatives", {
      body: { id: COOP, name: "KKMP Sesi", regionCode: "35.74.03.1002", chart: "kkmp" },
    });
    treasurer = (
      await harness.call("POST", "/v1/tokens", {
        body: { role: "treasurer", scope: COOP, name: "bendahara" },
      })
    ).body;
  });
  afterAll(async () => {
    await harness.stop();
    await cleanup();
  });

  const signIn = async (token: string) => {
    const answer = await harness.call("POST", "/v1/sessions", { token: null, body: { token } });
    return { answer, cookie: cookieOf(answer.headers), csrf: answer.body.csrfToken as string };
  };

  it("exchanges a token for an HttpOnly, SameSite=Strict cookie and never echoes the token", async () => {
    const { answer, cookie } = await signIn(treasurer.token);
    expect(answer.status).toBe(201);
    const setCookie = answer.headers.get("set-cookie") ?? "";
    expect(setCookie).toMatch(/^bb_session=bb_[A-Za-z0-9_-]+;/);
    expect(setCookie).toContain("HttpOnly");
    expect(setCookie).toContain("SameSite=Strict");
    expect(setCookie).toContain("Path=/");
    expect(JSON.stringify(answer.body)).not.toContain(treasurer.token);
    expect(answer.body).toMatchObject({ role: "treasurer", scope: COOP, principalId: treasurer.principalId });
    const read = await harness.call("GET", `/v1/cooperatives/${COOP}`, { token: null, headers: { cookie } });
    expect(read.status).toBe(200);
  });

  it("refuses an unknown token with 401 and sets no cookie", async () => {
    const { answer } = await signIn("bb_not-a-token");
    expect(answer.status).toBe(401);
    expect(answer.headers.get("set-cookie")).toBeNull();
  });

  it("needs the CSRF token on a cookie-authenticated write, and takes it", async () => {
    const { cookie, csrf } = await signIn(treasurer.token);
    const member = { memberId: "A-0001", name: "Siti", joinedOn: "2026-05-01", role: "member" };
    const without = await harness.call("POST", `/v1/cooperatives/${COOP}/members`, {
      token: null,
      headers: { cookie },
      body: member,
    });
    expect(without.status).toBe(403);
    expect(without.body.code).toBe("csrf_token_invalid");
    const wrong = await harness.call("POST", `/v1/cooperatives/${COOP}/members`, {
      token: null,
      headers: { cookie, "x-csrf-token": `${csrf.slice(1)}x` },
      body: member,
    });
    expect(wrong.body.code).toBe("csrf_token_invalid");
    const members = await harness.call("GET", `/v1/cooperatives/${COOP}/members`);
    expect(members.body.members).toEqual([]);
    const right = await harness.call("POST", `/v1/cooperatives/${COOP}/members`, {
      token: null,
      headers: { cookie, "x-csrf-token": csrf },
      body: member,
    });
    expect(right.status).toBe(201);
  });

  it("reads the session back, and sign-out ends it at once", async () => {
    const { cookie, csrf } = await signIn(treasurer.token);
    const read = await harness.call("GET", "/v1/session", { token: null, headers: { cookie } });
    expect(read.status).toBe(200);
    expect(read.body.csrfToken).toBe(csrf);
    const refused = await harness.call("DELETE", "/v1/session", { token: null, headers: { cookie } });
    expect(refused.body.code).toBe("csrf_token_invalid");
    const out = await harness.call("DELETE", "/v1/session", {
      token: null,
      headers: { cookie, "x-csrf-token": csrf },
    });
    expect(out.status).toBe(204);
    expect(out.headers.get("set-cookie")).toMatch(/bb_session=;/);
    const after = await harness.call("GET", `/v1/cooperatives/${COOP}`, { token: null, headers: { cookie } });
    expect(after.status).toBe(401);
  });

  it("keeps a session across a restart, ends it at expiry", async () => {
    const { cookie } = await signIn(treasurer.token);
    harness = await harness.restart();
    expect((await harness.call("GET", "/v1/session", { token: null, headers: { cookie } })).status).toBe(200);
    clock += SESSION_LIFETIME_MS;
    const expired = await harness.call("GET", `/v1/cooperatives/${COOP}`, {
      token: null,
      headers: { cookie },
    });
    expect(expired.status).toBe(401);
    clock -= SESSION_LIFETIME_MS;
  });

  it("ends the sessions of a revoked principal", async () => {
    const approver = (
      await harness.call("POST", "/v1/tokens", { body: { role: "approver", scope: COOP, name: "penyetuju" } })
    ).body;
    const { cookie } = await signIn(approver.token);
    expect((await harness.call("GET", "/v1/session", { token: null, headers: { cookie } })).status).toBe(200);
    await harness.call("DELETE", `/v1/tokens/${approver.principalId}`);
    expect((await harness.call("GET", "/v1/session", { token: null, headers: { cookie } })).status).toBe(401);
  });
});
