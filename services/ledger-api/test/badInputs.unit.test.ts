/**
 * docs/reliability.md section 6 F: each bad input gets its documented 4xx and the trial balance is unchanged.
 * The routes are called through app.inject over the memory store; a body too large for the service is the
 * HTTP layer's (it is read off the socket before any route), so its 413 is tested on a real socket in
 * httpLayer.e2e.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, startInjectedHarness } from "./harness.js";

const coop = "kkmp-bad-inputs";
const path = `/v1/cooperatives/${coop}/journal-entries`;
const line = (account: string, side: "debit" | "credit", amount: unknown) => ({ account, [side]: amount });
const entry = (lines: unknown[]) => ({ date: "2026-02-01", memo: "x", lines });

describe("bad inputs", () => {
  let harness: Harness;
  let before: unknown;

  beforeAll(async () => {
    harness = await startInjectedHarness();
    await harness.call("POST", "/v1/cooperatives", {
      body: { id: coop, name: "KKMP Uji", regionCode: "35.74.03.1002", chart: "kkmp" },
    });
    const posted = await harness.call("POST", path, {
      body: entry([line("1101", "debit", "1000"), line("3300", "credit", "1000")]),
      headers: { "idempotency-key": "seed" },
    });
    expect(posted.status).toBe(201);
    before = (await harness.call("GET", `/v1/cooperatives/${coop}/trial-balance?asOf=2026-12-31`)).body;
  });
  afterAll(async () => {
    await harness?.stop();
  });

  const cases: [string, { body?: unknown; raw?: string | Buffer }, number, string][] = [
    [
      "float",
      { body: entry([line("1101", "debit", 10.1), line("3300", "credit", 10.1)]) },
      422,
      "amount_must_be_string",
    ],
    [
      "exponent string",
      { body: entry([line("1101", "debit", "1e2"), line("3300", "credit", "1e2")]) },
      422,
      "invalid_amount",
    ],
    [
      "NaN",
      { body: entry([line("1101", "debit", "NaN"), line("3300", "credit", "NaN")]) },
      422,
      "invalid_amount",
    ],
    [
      "big number",
      {
        raw: `{"date":"2026-02-01","memo":"x","lines":[{"account":"1101","debit":9007199254740993},{"account":"3300","credit":"1"}]}`,
      },
      422,
      "amount_must_be_string",
    ],
    [
      "zero",
      { body: entry([line("1101", "debit", "0"), line("3300", "credit", "0")]) },
      422,
      "invalid_amount",
    ],
    [
      "negative",
      { body: entry([line("1101", "debit", "-5"), line("3300", "credit", "-5")]) },
      422,
      "invalid_amount",
    ],
    [
      "unbalanced",
      { body: entry([line("1101", "debit", "10"), line("3300", "credit", "9")]) },
      422,
      "unbalanced_entry",
    ],
    ["one line", { body: entry([line("1101", "debit", "10")]) }, 422, "too_few_lines"],
    [
      "both sides",
      { body: entry([{ account: "1101", debit: "10", credit: "10" }, line("3300", "credit", "10")]) },
      422,
      "debit_and_credit_on_one_line",
    ],
    [
      "unknown account",
      { body: entry([line("1101", "debit", "10"), line("9999", "credit", "10")]) },
      422,
      "unknown_account",
    ],
    [
      "bad date",
      { body: { ...entry([line("1101", "debit", "10"), line("3300", "credit", "10")]), date: "2026-02-30" } },
      422,
      "invalid_date",
    ],
    ["malformed", { raw: `{"date":"2026-02-01",` }, 400, "malformed_json"],
    [
      "BOM",
      {
        raw: Buffer.concat([
          Buffer.from([0xef, 0xbb, 0xbf]),
          Buffer.from(JSON.stringify(entry([line("1101", "debit", "10"), line("3300", "credit", "10")]))),
        ]),
      },
      400,
      "malformed_json",
    ],
    [
      "duplicate keys",
      { raw: `{"date":"2026-02-01","memo":"x","memo":"y","lines":[]}` },
      400,
      "duplicate_key",
    ],
    [
      "nested unknown field",
      { body: entry([{ ...line("1101", "debit", "10"), hash: "x" }, line("3300", "credit", "10")]) },
      400,
      "unknown_field",
    ],
    ["deep nesting", { raw: `${"[".repeat(10_000)}${"]".repeat(10_000)}` }, 400, "malformed_json"],
    [
      "too many lines",
      {
        body: entry(
          Array.from({ length: 501 }, (_, i) => line("1101", i % 2 === 0 ? "debit" : "credit", "1")),
        ),
      },
      422,
      "too_many_lines",
    ],
    [
      "bidi in code",
      { body: entry([line("11\u202e01", "debit", "10"), line("3300", "credit", "10")]) },
      422,
      "validation_failed",
    ],
    [
      "zero-width in code",
      { body: entry([line("11\u200b01", "debit", "10"), line("3300", "credit", "10")]) },
      422,
      "validation_failed",
    ],
  ];

  it.each(cases)("%s is refused", async (label, request, status, code) => {
    const answer = await harness.call("POST", path, {
      ...request,
      headers: { "idempotency-key": `bad-${label}` },
    });
    expect([answer.status, answer.body.code]).toEqual([status, code]);
    expect(answer.headers.get("content-type")).toContain("application/problem+json");
  });

  it("needs an Idempotency-Key", async () => {
    const answer = await harness.call("POST", path, {
      body: entry([line("1101", "debit", "10"), line("3300", "credit", "10")]),
    });
    expect([answer.status, answer.body.code]).toEqual([400, "idempotency_key_required"]);
  });

  it("left the trial balance unchanged", async () => {
    const after = (await harness.call("GET", `/v1/cooperatives/${coop}/trial-balance?asOf=2026-12-31`)).body;
    expect(after).toEqual(before);
  });
});
