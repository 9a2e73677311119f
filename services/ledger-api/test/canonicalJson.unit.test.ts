import { createHash } from "node:crypto";
import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { canonicalJson, requestHashOf } from "../src/canonicalJson.js";

/** The earlier, straightforward form: the fast one must write exactly the same text. */
const referenceCanonicalJson = (value: unknown): string => {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) return `[${value.map(referenceCanonicalJson).join(",")}]`;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record)
    .filter((key) => record[key] !== undefined)
    .sort();
  return `{${keys.map((key) => `${JSON.stringify(key)}:${referenceCanonicalJson(record[key])}`).join(",")}}`;
};

const anyString = fc.oneof(
  fc.string(),
  fc.string({ unit: "binary" }),
  fc.constantFrom("", '"', "\\", "\u0000", "\u001f", "\u007f", "\ud800", "é", "😀"),
);
const anyValue = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    fc.constant(null),
    fc.constant(undefined),
    fc.boolean(),
    fc.double(),
    fc.integer(),
    anyString,
    fc.array(tie("value"), { maxLength: 5 }),
    fc.dictionary(anyString, tie("value"), { maxKeys: 6 }),
  ),
})).value;

describe("request canonical JSON", () => {
  test.prop([anyValue], { numRuns: 3_000 })("writes what the straightforward form writes", (value) => {
    expect(canonicalJson(value)).toBe(referenceCanonicalJson(value));
  });

  it("hashes the route and the canonical body with SHA-256", () => {
    const body = { memo: "Penjualan", date: "2025-01-02", lines: [{ debit: "1000", account: "1101" }] };
    expect(requestHashOf("journal-entries", body)).toBe(
      createHash("sha256")
        .update(`journal-entries\n${referenceCanonicalJson(body)}`, "utf8")
        .digest("hex"),
    );
  });
});
