/** The contract-smoke flow over HTTP, on SQLite and PostgreSQL, with the same numbers. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Backend, freshStore, type Harness, startHarness } from "./harness.js";

const backends: Backend[] = ["sqlite", "postgres"];

describe.each(backends)("the contract flow on %s", (backend) => {
  let harness: Harness;
  let cleanup: () => Promise<void>;
  const coop = "kkmp-wiroborang";
  let treasurer = "";
  let other = "";
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    const store = await freshStore(backend);
    cleanup = store.cleanup;
    harness = await startHarness(store.url);
  });
  afterAll(async () => {
    await harness?.stop();
    await cleanup?.();
  });

  it("serves the public routes", async () => {
    for (const path of ["/health", "/ready", "/openapi.json", "/docs"]) {
      const answer = await harness.call("GET", path, { token: null });
      expect(answer.status, path).toBe(200);
    }
    const spec = await harness.call("GET", "/openapi.json", { token: null });
    expect(spec.body.openapi).toBe("3.1.0");
  });

  it("creates cooperatives with and without a chart", async () => {
    const jati = await harness.call("POST", "/v1/cooperatives", {
      body: { id: "kkmp-jati", name: "KKMP Jati", regionCode: "35.74.03.1004", chart: "kkmp" },
    });
    expect(jati.status).toBe(201);
    const codes = new Set(jati.body.accounts.map((a: { code: string }) => a.code));
    expect(["1101", "3100", "3200"].every((c) => codes.has(c))).toBe(true);
    const again = await harness.call("POST", "/v1/cooperatives", {
      body: { id: "kkmp-jati", name: "again", regionCode: "35.74.03.1004" },
    });
    expect([again.status, again.body.code]).toEqual([409, "cooperative_exists"]);
    expect(again.headers.get("content-type")).toContain("application/problem+json");
    const created = await harness.call("POST", "/v1/cooperatives", {
      body: { id: coop, name: "KKMP Wiroborang", regionCode: "35.74.03.1010" },
    });
    expect(created.status).toBe(201);
    expect(created.body.settings.approvalThreshold).toBeNull();
    const chart = [
      ["1101", "Kas Besar", "asset"],
      ["1301", "Persediaan Sembako", "asset"],
      ["3100", "Simpanan Pokok", "equity"],
      ["3200", "Simpanan Wajib", "equity"],
      ["4101", "Penjualan Sembako", "income"],
      ["5101", "HPP Sembako", "expense"],
    ];
    for (const [code, name, type] of chart) {
      const opened = await harness.call("POST", `/v1/cooperatives/${coop}/accounts`, {
        body: { code, name, type },
      });
      expect(opened.status, `${code} ${JSON.stringify(opened.body)}`).toBe(201);
    }
  });

  it("issues tokens and registers a member", async () => {
    const issued = await harness.call("POST", "/v1/tokens", {
      body: { role: "treasurer", scope: coop, name: "bendahara" },
    });
    expect(issued.status).toBe(201);
    treasurer = issued.body.token;
    expect(treasurer).toMatch(/^bb_/);
    other = (
      await harness.call("POST", "/v1/tokens", {
        body: { role: "treasurer", scope: "kkmp-jati", name: "lain" },
      })
    ).body.token;
    const member = await harness.call("POST", `/v1/cooperatives/${coop}/members`, {
      token: treasurer,
      body: { memberId: "A-0001", name: "Siti Aminah", joinedOn: "2026-01-02", role: "member" },
    });
    expect(member.status).toBe(201);
  });

  it("posts, replays, reverses and refuses bad entries", async () => {
    const entries: [string, unknown][] = [
      [
        "s1",
        {
          date: "2026-01-02",
          memo: "Simpanan pokok Siti",
          lines: [
            { account: "1101", debit: "100000" },
            { account: "3100", credit: "100000", memberId: "A-0001" },
          ],
        },
      ],
      [
        "s2",
        {
          date: "2026-01-31",
          memo: "Simpanan wajib Januari",
          lines: [
            { account: "1101", debit: "25000" },
            { account: "3200", credit: "25000", memberId: "A-0001" },
          ],
        },
      ],
      [
        "b1",
        {
          date: "2026-01-10",
          memo: "Beli beras 10 karung",
          lines: [
            { account: "1301", debit: "1250000.50" },
            { account: "1101", credit: "1250000.50" },
          ],
        },
      ],
      [
        "j1",
        {
          date: "2026-01-15",
          memo: "Jual beras",
          lines: [
            { account: "1101", debit: "400000" },
            { account: "4101", credit: "400000", unit: "sembako" },
            { account: "5101", debit: "312500.13", unit: "sembako" },
            { account: "1301", credit: "312500.13" },
          ],
        },
      ],
    ];
    for (const [key, body] of entries) {
      const posted = await harness.call("POST", `/v1/cooperatives/${coop}/journal-entries`, {
        token: treasurer,
        body,
        headers: { "idempotency-key": key },
      });
      expect(posted.status, JSON.stringify(posted.body)).toBe(201);
      expect(posted.body.status).toBe("posted");
      expect(posted.body.hash).toMatch(/^[0-9a-f]{64}$/);
      ids[key] = posted.body.entryId;
    }
    const replay = await harness.call("POST", `/v1/cooperatives/${coop}/journal-entries`, {
      token: treasurer,
      body: entries[0]?.[1],
      headers: { "idempotency-key": "s1" },
    });
    expect([replay.status, replay.body.entryId, replay.headers.get("idempotent-replayed")]).toEqual([
      201,
      ids.s1,
      "true",
    ]);
    const reused = await harness.call("POST", `/v1/cooperatives/${coop}/journal-entries`, {
      token: treasurer,
      body: entries[1]?.[1],
      headers: { "idempotency-key": "s1" },
    });
    expect([reused.status, reused.body.code]).toEqual([422, "idempotency_key_reused"]);

    const reversed = await harness.call(
      "POST",
      `/v1/cooperatives/${coop}/journal-entries/${ids.b1}/reverse`,
      {
        token: treasurer,
        body: { date: "2026-01-11", reason: "salah input" },
        headers: { "idempotency-key": "rev-b1" },
      },
    );
    expect(reversed.status, JSON.stringify(reversed.body)).toBe(201);
    const again = await harness.call("POST", `/v1/cooperatives/${coop}/journal-entries/${ids.b1}/reverse`, {
      token: treasurer,
      body: { date: "2026-01-12", reason: "lagi" },
      headers: { "idempotency-key": "rev-b1-2" },
    });
    expect([again.status, again.body.code]).toEqual([422, "already_reversed"]);
    const original = await harness.call("GET", `/v1/cooperatives/${coop}/journal-entries/${ids.b1}`, {
      token: treasurer,
    });
    expect(original.body.reversedBy).toBe(reversed.body.entryId);

    const bad: [string, unknown, number, string][] = [
      [
        "float",
        {
          date: "2026-02-01",
          memo: "x",
          lines: [
            { account: "1101", debit: 10.5 },
            { account: "3200", credit: 10.5 },
          ],
        },
        422,
        "amount_must_be_string",
      ],
      [
        "unbalanced",
        {
          date: "2026-02-01",
          memo: "x",
          lines: [
            { account: "1101", debit: "10" },
            { account: "3200", credit: "9" },
          ],
        },
        422,
        "unbalanced_entry",
      ],
      [
        "unknown account",
        {
          date: "2026-02-01",
          memo: "x",
          lines: [
            { account: "1101", debit: "10" },
            { account: "9999", credit: "10" },
          ],
        },
        422,
        "unknown_account",
      ],
      [
        "unknown field",
        {
          date: "2026-02-01",
          memo: "x",
          status: "posted",
          lines: [
            { account: "1101", debit: "10" },
            { account: "3200", credit: "10" },
          ],
        },
        400,
        "unknown_field",
      ],
    ];
    for (const [label, body, status, code] of bad) {
      const refused = await harness.call("POST", `/v1/cooperatives/${coop}/journal-entries`, {
        token: treasurer,
        body,
        headers: { "idempotency-key": `bad-${label}` },
      });
      expect([refused.status, refused.body.code], label).toEqual([status, code]);
    }
    const foreign = await harness.call("POST", `/v1/cooperatives/${coop}/journal-entries`, {
      token: other,
      body: entries[1]?.[1],
      headers: { "idempotency-key": "x" },
    });
    expect(foreign.status).toBe(404);
    const anonymous = await harness.call("POST", `/v1/cooperatives/${coop}/journal-entries`, {
      token: null,
      body: entries[1]?.[1],
      headers: { "idempotency-key": "x" },
    });
    expect(anonymous.status).toBe(401);
  });

  it("reports the contract's trial balance, export and a sound chain", async () => {
    const tb = await harness.call("GET", `/v1/cooperatives/${coop}/trial-balance?asOf=2026-01-31`, {
      token: treasurer,
    });
    expect(tb.status).toBe(200);
    const got = Object.fromEntries(
      tb.body.accounts.map((a: { code: string; debit: string; credit: string; balance: string }) => [
        a.code,
        [a.debit, a.credit, a.balance],
      ]),
    );
    expect(got).toMatchObject({
      "1101": ["1775000.50", "1250000.50", "525000.00"],
      "1301": ["1250000.50", "1562500.63", "-312500.13"],
      "3100": ["0.00", "100000.00", "100000.00"],
      "3200": ["0.00", "25000.00", "25000.00"],
      "4101": ["0.00", "400000.00", "400000.00"],
      "5101": ["312500.13", "0.00", "312500.13"],
    });
    expect(tb.body.totals).toMatchObject({ debit: "3337501.13", credit: "3337501.13" });
    expect(tb.body.totals.debitBalance).toBe(tb.body.totals.creditBalance);
    const exported = await harness.call("GET", `/v1/cooperatives/${coop}/export?format=ledger`, {
      token: treasurer,
    });
    expect(exported.status).toBe(200);
    expect(exported.body).toContain("IDR");
    const verified = await harness.call("GET", `/v1/cooperatives/${coop}/verify`);
    expect(verified.body.ok).toBe(true);
    const forbidden = await harness.call("GET", `/v1/cooperatives/${coop}/verify`, { token: treasurer });
    expect([forbidden.status, forbidden.body.code]).toEqual([403, "forbidden"]);
  });

  it("deduplicates a retry after a restart on the same store", async () => {
    harness = await harness.restart();
    const replay = await harness.call("POST", `/v1/cooperatives/${coop}/journal-entries`, {
      token: treasurer,
      body: {
        date: "2026-01-02",
        memo: "Simpanan pokok Siti",
        lines: [
          { account: "1101", debit: "100000" },
          { account: "3100", credit: "100000", memberId: "A-0001" },
        ],
      },
      headers: { "idempotency-key": "s1" },
    });
    expect([replay.status, replay.body.entryId, replay.headers.get("idempotent-replayed")]).toEqual([
      201,
      ids.s1,
      "true",
    ]);
  });
});
