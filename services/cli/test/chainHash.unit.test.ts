import { createHash } from "node:crypto";
import { GENESIS_PREV_HASH } from "@bukubesar/ledger-core";
import { arbJsonValue } from "@bukubesar/ledger-core/testing";
import { fc, test } from "@fast-check/vitest";
import canonicalizeModule from "canonicalize";
import { describe, expect, it } from "vitest";
import { chainHash } from "../src/chainHash.js";

/**
 * The reference RFC 8785 implementation (the `canonicalize` package) is the test's oracle for the chain
 * hash; ledger-core's fast canonical JSON is property-tested byte for byte against the same package.
 */
const referenceCanonicalJson = canonicalizeModule as unknown as (input: unknown) => string;

/** Well-formed Unicode only: the reference (canonicalize 5) refuses lone surrogates, as RFC 8785 does. */
const anyString = fc
  .oneof(
    fc.string(),
    fc.string({ unit: "binary" }),
    fc.constantFrom("", '"', "\\", "\u0000", "\u001f", "\u007f", "é", "😀", "prevHash", "hash"),
  )
  .filter((text) => text.isWellFormed());
const anyJson = arbJsonValue(anyString);

const referenceHash = (
  previousHash: string,
  event: { type: string; revision: number; data: unknown; meta: object },
) =>
  createHash("sha256")
    .update(previousHash, "utf8")
    .update(referenceCanonicalJson(event), "utf8")
    .digest("hex");

describe("verifier chain hash of a stored event", () => {
  test.prop([fc.string(), fc.nat(), anyJson, fc.dictionary(anyString, anyJson, { maxKeys: 8 })], {
    numRuns: 1_000,
  })(
    "hashes {type, revision, data, meta} with the chain fields left out",
    (type, revision, data, metadata) => {
      const { prevHash: _previous, hash: _hash, ...meta } = metadata;
      const expected = referenceHash(GENESIS_PREV_HASH, { type, revision, data, meta });
      expect(chainHash(GENESIS_PREV_HASH, { type, revision, data, metadata })).toBe(expected);
    },
  );

  it("hashes metadata that is not an object (a damaged store) as empty, so verify reports a mismatch", () => {
    const event = { type: "LedgerOpened", revision: 0, data: { coopId: "kkmp-test" } };
    const expected = referenceHash(GENESIS_PREV_HASH, { ...event, meta: {} });
    expect(chainHash(GENESIS_PREV_HASH, { ...event, metadata: null })).toBe(expected);
    expect(chainHash(GENESIS_PREV_HASH, { ...event, metadata: "text" })).toBe(expected);
  });
});
