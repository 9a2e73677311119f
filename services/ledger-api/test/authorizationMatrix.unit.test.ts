/**
 * docs/reliability.md section 6 G and OWASP API1/API5: every route × every role × own/foreign cooperative. Outside
 * the scope the answer is 404 exactly as for a cooperative that does not exist; inside it, a role that
 * may not act gets 403; a role that may act never gets 401/403/404 (it may get a domain 4xx such as
 * `not_pending`, because the matrix replays the same write under every role). The expected roles are
 * written out here from api.md's table, not taken from the implementation.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, startInjectedHarness } from "./harness.js";

type Role = "admin" | "treasurer" | "approver" | "supervisor" | "auditor";
const ROLES: readonly Role[] = ["admin", "treasurer", "approver", "supervisor", "auditor"];
const EVERYONE = ROLES;

const OWN = "kkmp-own";
const FOREIGN = "kkmp-foreign";
const OWN_REGION = "35.74.03.1002";
const FOREIGN_REGION = "35.13.01.2001";

interface RouteCase {
  readonly name: string;
  readonly method: "GET" | "POST" | "PATCH";
  readonly path: (coop: string, entryId: string, memberId: string) => string;
  readonly body?: (unique: string) => unknown;
  readonly may: readonly Role[];
}

const entryBody = (unique: string) => ({
  date: "2026-01-20",
  memo: `matrix ${unique}`,
  lines: [
    { account: "1101", debit: "1000" },
    { account: "3200", credit: "1000" },
  ],
});

const routes: readonly RouteCase[] = [
  { name: "get cooperative", method: "GET", path: (c) => `/v1/cooperatives/${c}`, may: EVERYONE },
  {
    name: "patch settings",
    method: "PATCH",
    path: (c) => `/v1/cooperatives/${c}/settings`,
    body: () => ({}),
    may: ["admin"],
  },
  {
    name: "open account",
    method: "POST",
    path: (c) => `/v1/cooperatives/${c}/accounts`,
    body: (u) => ({ code: `X${u}`, name: "Akun uji", type: "asset" }),
    may: ["admin", "treasurer"],
  },
  {
    name: "close account",
    method: "POST",
    path: (c) => `/v1/cooperatives/${c}/accounts/1101/close`,
    body: () => ({}),
    may: ["admin", "treasurer"],
  },
  { name: "list accounts", method: "GET", path: (c) => `/v1/cooperatives/${c}/accounts`, may: EVERYONE },
  {
    name: "register member",
    method: "POST",
    path: (c) => `/v1/cooperatives/${c}/members`,
    body: (u) => ({ memberId: `M-${u}`, name: "Anggota Uji", joinedOn: "2026-01-02" }),
    may: ["admin", "treasurer"],
  },
  { name: "list members", method: "GET", path: (c) => `/v1/cooperatives/${c}/members`, may: EVERYONE },
  {
    name: "post entry",
    method: "POST",
    path: (c) => `/v1/cooperatives/${c}/journal-entries`,
    body: entryBody,
    may: ["admin", "treasurer"],
  },
  {
    name: "approve entry",
    method: "POST",
    path: (c, e) => `/v1/cooperatives/${c}/journal-entries/${e}/approve`,
    body: () => ({}),
    may: ["admin", "approver"],
  },
  {
    name: "reject entry",
    method: "POST",
    path: (c, e) => `/v1/cooperatives/${c}/journal-entries/${e}/reject`,
    body: () => ({ reason: "tidak sesuai" }),
    may: ["admin", "approver"],
  },
  {
    name: "reverse entry",
    method: "POST",
    path: (c, e) => `/v1/cooperatives/${c}/journal-entries/${e}/reverse`,
    body: () => ({ date: "2026-01-21", reason: "salah akun" }),
    may: ["admin", "treasurer"],
  },
  {
    name: "list entries",
    method: "GET",
    path: (c) => `/v1/cooperatives/${c}/journal-entries`,
    may: EVERYONE,
  },
  {
    name: "get entry",
    method: "GET",
    path: (c, e) => `/v1/cooperatives/${c}/journal-entries/${e}`,
    may: EVERYONE,
  },
  {
    name: "close period",
    method: "POST",
    path: (c) => `/v1/cooperatives/${c}/periods/2020-01/close`,
    body: () => ({}),
    may: ["admin", "treasurer"],
  },
  {
    name: "reopen period",
    method: "POST",
    path: (c) => `/v1/cooperatives/${c}/periods/2020-01/reopen`,
    body: () => ({ reason: "koreksi" }),
    may: ["admin"],
  },
  {
    name: "close fiscal year",
    method: "POST",
    path: (c) => `/v1/cooperatives/${c}/fiscal-years/2020/close`,
    body: () => ({}),
    may: ["admin", "treasurer"],
  },
  {
    name: "RAT decision",
    method: "POST",
    path: (c) => `/v1/cooperatives/${c}/fiscal-years/2020/rat-decision`,
    body: () => ({
      decidedOn: "2021-03-15",
      allocation: {
        cadangan: "30",
        jasaUsaha: "30",
        jasaModal: "20",
        pengurusPengawas: "5",
        karyawan: "5",
        pendidikan: "5",
        sosial: "2.5",
        pembangunanDaerahKerja: "2.5",
      },
    }),
    may: ["admin", "treasurer"],
  },
  // Year 2019, where nothing waits: the admin's own request for 2020 above would make its approval a 403
  // self_approval, which is a four-eyes refusal, not an authorization one.
  ...(["close", "rat-decision"] as const).flatMap((step): RouteCase[] => [
    {
      name: `approve ${step}`,
      method: "POST",
      path: (c) => `/v1/cooperatives/${c}/fiscal-years/2019/${step}/approve`,
      body: () => ({}),
      may: ["admin", "approver"],
    },
    {
      name: `reject ${step}`,
      method: "POST",
      path: (c) => `/v1/cooperatives/${c}/fiscal-years/2019/${step}/reject`,
      body: () => ({ reason: "belum diperiksa" }),
      may: ["admin", "approver"],
    },
  ]),
  {
    name: "reopen fiscal year",
    method: "POST",
    path: (c) => `/v1/cooperatives/${c}/fiscal-years/2019/reopen`,
    body: () => ({ reason: "koreksi" }),
    may: ["admin"],
  },
  {
    name: "fiscal year",
    method: "GET",
    path: (c) => `/v1/cooperatives/${c}/fiscal-years/2020`,
    may: EVERYONE,
  },
  ...(
    [
      "trial-balance",
      "balance-sheet",
      "income-statement",
      "equity-changes",
      "cash-flow",
      "ledger/1101",
      "shu?year=2026",
      "export?format=ledger",
      "events",
    ] as const
  ).map(
    (report): RouteCase => ({
      name: `GET ${report}`,
      method: "GET",
      path: (c) => `/v1/cooperatives/${c}/${report}`,
      may: EVERYONE,
    }),
  ),
  {
    name: "member statement",
    method: "GET",
    path: (c, _e, m) => `/v1/cooperatives/${c}/members/${m}/statement`,
    may: EVERYONE,
  },
  { name: "verify", method: "GET", path: (c) => `/v1/cooperatives/${c}/verify`, may: ["admin", "auditor"] },
];

describe("the authorization matrix (routes through app.inject over the memory store)", () => {
  let harness: Harness;
  const tokens = {} as Record<Role | "foreignTreasurer", string>;
  const principalIds = {} as Record<Role, string>;
  const entries = { own: "", foreign: "" };
  let counter = 0;

  const issue = async (role: Role, scope: string) => {
    const issued = await harness.call("POST", "/v1/tokens", { body: { role, scope, name: `${role} uji` } });
    expect(issued.status).toBe(201);
    return issued.body as { token: string; principalId: string };
  };

  beforeAll(async () => {
    harness = await startInjectedHarness();
    for (const [id, regionCode, member] of [
      [OWN, OWN_REGION, "A-0001"],
      [FOREIGN, FOREIGN_REGION, "B-0001"],
    ] as const) {
      const created = await harness.call("POST", "/v1/cooperatives", {
        body: { id, name: `KKMP ${id}`, regionCode, chart: "kkmp" },
      });
      expect(created.status).toBe(201);
      const registered = await harness.call("POST", `/v1/cooperatives/${id}/members`, {
        body: { memberId: member, name: "Siti Aminah", joinedOn: "2026-01-02" },
      });
      expect(registered.status).toBe(201);
      const posted = await harness.call("POST", `/v1/cooperatives/${id}/journal-entries`, {
        body: {
          date: "2026-01-05",
          memo: "Simpanan pokok",
          lines: [
            { account: "1101", debit: "100000" },
            { account: "3100", credit: "100000", memberId: member },
          ],
        },
        headers: { "idempotency-key": `seed-${id}` },
      });
      expect(posted.status).toBe(201);
      entries[id === OWN ? "own" : "foreign"] = posted.body.entryId;
    }
    tokens.admin = harness.admin;
    for (const [role, scope] of [
      ["treasurer", OWN],
      ["approver", OWN],
      ["supervisor", "35.74"],
      ["auditor", "35.74"],
    ] as const) {
      const issued = await issue(role, scope);
      tokens[role] = issued.token;
      principalIds[role] = issued.principalId;
    }
    tokens.foreignTreasurer = (await issue("treasurer", FOREIGN)).token;
  });
  afterAll(async () => {
    await harness?.stop();
  });

  const callAs = (role: Role, route: RouteCase, coop: string) => {
    counter++;
    const unique = `${role.slice(0, 3)}${counter}`;
    const entryId = coop === OWN ? entries.own : entries.foreign;
    const memberId = coop === OWN ? "A-0001" : "B-0001";
    return harness.call(route.method, route.path(coop, entryId, memberId), {
      token: tokens[role],
      ...(route.body !== undefined ? { body: route.body(unique) } : {}),
      headers: { "idempotency-key": `matrix-${unique}` },
    });
  };

  for (const route of routes) {
    it(`${route.name}: allowed roles act, other roles get 403, foreign scope gets 404`, async () => {
      for (const role of ROLES) {
        const answer = await callAs(role, route, OWN);
        const label = `${role} ${route.name} ${JSON.stringify(answer.body).slice(0, 200)}`;
        if (route.may.includes(role)) {
          expect([401, 403, 404], label).not.toContain(answer.status);
          expect(answer.status, label).toBeLessThan(500);
        } else {
          expect([answer.status, answer.body.code], label).toEqual([403, "forbidden"]);
        }
        if (role === "admin") continue; // The admin's scope is everything: there is no foreign cooperative.
        const foreign = await callAs(role, route, FOREIGN);
        expect([foreign.status, foreign.body.code], `${role} ${route.name} foreign`).toEqual([
          404,
          "not_found",
        ]);
      }
    });
  }

  it("answers a cooperative that does not exist exactly like a foreign one", async () => {
    for (const role of ROLES) {
      const missing = await harness.call("GET", "/v1/cooperatives/kkmp-nowhere/trial-balance", {
        token: tokens[role],
      });
      expect([missing.status, missing.body.code]).toEqual([404, "not_found"]);
    }
    const foreign = await harness.call("GET", `/v1/cooperatives/${FOREIGN}/trial-balance`, {
      token: tokens.treasurer,
    });
    const missing = await harness.call("GET", "/v1/cooperatives/kkmp-nowhere/trial-balance", {
      token: tokens.treasurer,
    });
    expect(foreign.body.detail).toBe(missing.body.detail);
  });

  it("refuses ids of another cooperative swapped into paths and bodies", async () => {
    const coop = `/v1/cooperatives/${OWN}`;
    const asTreasurer = { token: tokens.treasurer };
    // A foreign entry id under the own cooperative's path.
    for (const [method, suffix, body] of [
      ["GET", "", undefined],
      ["POST", "/approve", {}],
      ["POST", "/reject", { reason: "x" }],
      ["POST", "/reverse", { date: "2026-01-21" }],
    ] as const) {
      const answer = await harness.call(method, `${coop}/journal-entries/${entries.foreign}${suffix}`, {
        token: suffix === "/approve" || suffix === "/reject" ? tokens.approver : tokens.treasurer,
        ...(body !== undefined ? { body } : {}),
        headers: { "idempotency-key": `swap-${suffix}` },
      });
      expect([answer.status, answer.body.code], `entry ${suffix}`).toEqual([404, "not_found"]);
    }
    // A foreign member in a line, in a member statement.
    const foreignMember = await harness.call("POST", `${coop}/journal-entries`, {
      ...asTreasurer,
      body: {
        date: "2026-01-20",
        memo: "swap",
        lines: [
          { account: "1101", debit: "1000" },
          { account: "3200", credit: "1000", memberId: "B-0001" },
        ],
      },
      headers: { "idempotency-key": "swap-member" },
    });
    expect([foreignMember.status, foreignMember.body.code]).toEqual([422, "unknown_member"]);
    const statement = await harness.call("GET", `${coop}/members/B-0001/statement`, asTreasurer);
    expect([statement.status, statement.body.code]).toEqual([404, "not_found"]);
    // The foreign treasurer posting into the own cooperative with its own ids.
    const intruder = await harness.call("POST", `${coop}/journal-entries`, {
      token: tokens.foreignTreasurer,
      body: entryBody("intruder"),
      headers: { "idempotency-key": "intruder" },
    });
    expect(intruder.status).toBe(404);
    // Nothing of the refused requests was recorded.
    const own = await harness.call("GET", `${coop}/journal-entries?limit=1000`, asTreasurer);
    expect(
      own.body.entries.some(
        (entry: { memo: string }) => entry.memo === "swap" || entry.memo.includes("intruder"),
      ),
    ).toBe(false);
  });

  it("scopes supervisors and auditors by region, and a region outside the scope is 403", async () => {
    for (const role of ["supervisor", "auditor"] as const) {
      const listed = await harness.call("GET", "/v1/cooperatives", { token: tokens[role] });
      expect(listed.status).toBe(200);
      expect(listed.body.cooperatives.map((coop: { id: string }) => coop.id)).toEqual([OWN]);
      const inside = await harness.call("GET", "/v1/cooperatives?region=35.74.03", { token: tokens[role] });
      expect(inside.body.cooperatives.map((coop: { id: string }) => coop.id)).toEqual([OWN]);
      const outside = await harness.call("GET", "/v1/cooperatives?region=35.13", { token: tokens[role] });
      expect([outside.status, outside.body.code]).toEqual([403, "forbidden"]);
      const alerts = await harness.call("GET", "/v1/alerts?region=35.13", { token: tokens[role] });
      expect([alerts.status, alerts.body.code]).toEqual([403, "forbidden"]);
      const foreign = await harness.call("GET", `/v1/cooperatives/${FOREIGN}`, { token: tokens[role] });
      expect(foreign.status).toBe(404);
    }
    const all = await harness.call("GET", "/v1/cooperatives");
    expect(all.body.cooperatives.map((coop: { id: string }) => coop.id).sort()).toEqual([FOREIGN, OWN]);
    const treasurerList = await harness.call("GET", "/v1/cooperatives", { token: tokens.treasurer });
    expect(treasurerList.body.cooperatives.map((coop: { id: string }) => coop.id)).toEqual([OWN]);
  });

  it("lets only the admin create cooperatives and issue or revoke tokens", async () => {
    for (const role of ROLES.filter((candidate) => candidate !== "admin")) {
      const created = await harness.call("POST", "/v1/cooperatives", {
        token: tokens[role],
        body: { id: `kkmp-by-${role}`, name: "x", regionCode: OWN_REGION },
      });
      expect([created.status, created.body.code], role).toEqual([403, "forbidden"]);
      const issued = await harness.call("POST", "/v1/tokens", {
        token: tokens[role],
        body: { role: "admin", scope: "*", name: "escalation" },
      });
      expect([issued.status, issued.body.code], role).toEqual([403, "forbidden"]);
      const revoked = await harness.call("DELETE", `/v1/tokens/${principalIds.treasurer}`, {
        token: tokens[role],
      });
      expect([revoked.status, revoked.body.code], role).toEqual([403, "forbidden"]);
    }
  });

  it("refuses a revoked token at once, and unknown or malformed tokens", async () => {
    const issued = await issue("auditor", "35.74");
    expect((await harness.call("GET", `/v1/cooperatives/${OWN}`, { token: issued.token })).status).toBe(200);
    const revoked = await harness.call("DELETE", `/v1/tokens/${issued.principalId}`);
    expect(revoked.status).toBe(204);
    const after = await harness.call("GET", `/v1/cooperatives/${OWN}`, { token: issued.token });
    expect([after.status, after.body.code]).toEqual([401, "unauthenticated"]);
    const again = await harness.call("DELETE", `/v1/tokens/${issued.principalId}`);
    expect(again.status).toBe(404);
    for (const token of ["bb_unknown", "", "a b"]) {
      const answer = await harness.call("GET", `/v1/cooperatives/${OWN}`, { token });
      expect(answer.status, token).toBe(401);
    }
    const none = await harness.call("GET", `/v1/cooperatives/${OWN}`, { token: null });
    expect([none.status, none.headers.get("www-authenticate")]).toEqual([401, 'Bearer realm="bukubesar"']);
  });
});
