import { createHash } from "node:crypto";
import { arbJsonValue } from "@bukubesar/ledger-core/testing";
import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { requestHashOf } from "../src/index.js";

/**
 * The straightforward canonical form, the test's own oracle. The fast canonical JSON itself is
 * ledger-core's, property-tested there byte for byte against the `canonicalize` package.
 */
const referenceCanonicalJson = (value: unknown): string => {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) return `[${value.map(referenceCanonicalJson).join(",")}]`;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record)
    .filter((key) => record[key] !== undefined)
    .sort();
  return `{${keys.map((key) => `${JSON.stringify(key)}:${referenceCanonicalJson(record[key])}`).join(",")}}`;
};

const referenceRequestHash = (route: string, body: unknown): string =>
  createHash("sha256")
    .update(`${route}\n${referenceCanonicalJson(body)}`, "utf8")
    .digest("hex");

const anyString = fc.oneof(
  fc.string(),
  fc.string({ unit: "binary" }),
  fc.constantFrom("", '"', "\\", "\u0000", "\u001f", "\u007f", "\ud800", "é", "😀"),
);
/** What a request body can hold once parsed: JSON values (no undefined, NaN or infinities). */
const anyJson = arbJsonValue(anyString);

describe("request hash", () => {
  it("hashes the route and the canonical body with SHA-256", () => {
    const body = { memo: "Penjualan", date: "2025-01-02", lines: [{ debit: "1000", account: "1101" }] };
    expect(requestHashOf("journal-entries", body)).toBe(referenceRequestHash("journal-entries", body));
  });

  test.prop([anyJson], { numRuns: 3_000 })("hashes what the straightforward form hashes", (body) => {
    expect(requestHashOf("journal-entries", body)).toBe(referenceRequestHash("journal-entries", body));
  });
});
