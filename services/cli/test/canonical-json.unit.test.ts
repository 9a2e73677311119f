import { createHash } from "node:crypto";
import { fc, test } from "@fast-check/vitest";
import { describe, expect } from "vitest";
import { canonicalJson } from "../src/canonical-json.js";
import { chainHash } from "../src/chain-hash.js";

/** The straightforward RFC 8785 form the verifier used before; the fast one must write the same text. */
const referenceCanonicalJson = (value: unknown): string => {
  if (value === null) return "null";
  switch (typeof value) {
    case "boolean":
      return value ? "true" : "false";
    case "string":
      return JSON.stringify(value);
    case "number":
      if (!Number.isFinite(value)) throw new TypeError(`Cannot canonicalise the number ${value}`);
      return JSON.stringify(value);
    case "object": {
      if (Array.isArray(value)) {
        return `[${value.map((item) => (item === undefined ? "null" : referenceCanonicalJson(item))).join(",")}]`;
      }
      const record = value as Record<string, unknown>;
      const keys = Object.keys(record)
        .filter((key) => record[key] !== undefined)
        .sort();
      return `{${keys.map((key) => `${JSON.stringify(key)}:${referenceCanonicalJson(record[key])}`).join(",")}}`;
    }
    default:
      throw new TypeError(`Cannot canonicalise a value of type ${typeof value}`);
  }
};

const anyString = fc.oneof(
  fc.string(),
  fc.string({ unit: "binary" }),
  fc.constantFrom("", '"', "\\", "\u0000", "\u001f", "\u007f", "\ud800", "é", "😀", "prevHash", "hash"),
);
const anyJson = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    fc.constant(null),
    fc.boolean(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.integer(),
    anyString,
    fc.array(tie("value"), { maxLength: 5 }),
    fc.dictionary(anyString, tie("value"), { maxKeys: 6 }),
  ),
})).value;

describe("verifier canonical JSON", () => {
  test.prop([anyJson], { numRuns: 3_000 })("writes what the straightforward form writes", (value) => {
    expect(canonicalJson(value)).toBe(referenceCanonicalJson(value));
  });

  test.prop([fc.string(), fc.nat(), anyJson, fc.dictionary(anyString, anyJson, { maxKeys: 8 })], {
    numRuns: 1_000,
  })(
    "hashes {type, revision, data, meta} with the chain fields left out",
    (type, revision, data, metadata) => {
      const { prevHash: _previous, hash: _hash, ...meta } = metadata;
      const expected = createHash("sha256")
        .update("0".repeat(64), "utf8")
        .update(referenceCanonicalJson({ type, revision, data, meta }), "utf8")
        .digest("hex");
      expect(chainHash("0".repeat(64), { type, revision, data, metadata })).toBe(expected);
    },
  );
});
