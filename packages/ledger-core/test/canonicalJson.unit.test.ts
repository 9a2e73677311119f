import { createHash } from "node:crypto";
import { fc, test } from "@fast-check/vitest";
import canonicalizeModule from "canonicalize";
import { describe, expect, it } from "vitest";
import type { LedgerEvent } from "../src/index.js";
import { canonicalJson, GENESIS_PREV_HASH, hashEvent, recordEvents, verifyChain } from "../src/index.js";
import { arbJsonValue } from "../src/testing/index.js";

/** The reference implementation of RFC 8785 the fast one must match byte for byte. */
const canonicalize = canonicalizeModule as unknown as (input: unknown) => string | undefined;

/**
 * Keys and strings of every kind: ASCII, quotes and backslashes, control characters, astral characters.
 * Only well-formed Unicode: the reference (canonicalize 5) refuses lone surrogates, as RFC 8785 requires
 * I-JSON strings; what our serialiser does with them is pinned by its own test below.
 */
const anyString = fc
  .oneof(
    fc.string(),
    fc.string({ unit: "binary" }),
    fc.constantFrom("", '"', "\\", "\u0000", "\u001f", "\u007f", "é", "😀", "\ud83d\ude00", "__proto__x"),
  )
  .filter((text) => text.isWellFormed());
const anyJson = arbJsonValue(anyString);

/** A ledger-shaped event: a journal entry with random amounts, memos and metadata. */
const entryEvent = fc.record({
  type: fc.constantFrom("JournalEntryPosted", "JournalEntryProposed", "AccountOpened"),
  revision: fc.nat(),
  data: fc.record({
    entryId: fc.uuid(),
    date: fc.constant("2025-03-04"),
    memo: anyString,
    kind: fc.constantFrom("regular", "reversal"),
    reverses: fc.option(fc.uuid()),
    lines: fc.array(
      fc.record({
        account: fc.constantFrom("1101", "1111", "4101"),
        side: fc.constantFrom("debit", "credit"),
        amount: fc.stringMatching(/^[0-9]{1,15}\.[0-9]{2}$/),
        memberId: fc.option(anyString),
        unit: fc.option(anyString),
        counterparty: fc.option(fc.constantFrom("member", "public")),
        memo: fc.option(anyString),
      }),
      { minLength: 2, maxLength: 5 },
    ),
  }),
  meta: fc.record({
    eventId: fc.uuid(),
    principalId: anyString,
    role: fc.constantFrom("treasurer", "admin"),
    recordedAt: fc.constant("2025-03-04T01:02:03.000Z"),
    idempotencyKey: fc.option(anyString),
    requestHash: fc.option(fc.stringMatching(/^[0-9a-f]{64}$/)),
    correlationId: fc.constant(null),
  }),
});

const referenceHash = (
  prevHash: string,
  event: { type: string; revision: number; data: unknown; meta: object },
) =>
  createHash("sha256")
    .update(prevHash, "utf8")
    .update(
      canonicalize({ type: event.type, revision: event.revision, data: event.data, meta: event.meta }) ?? "",
    )
    .digest("hex");

describe("canonical JSON (RFC 8785)", () => {
  test.prop([anyJson], { numRuns: 2_000 })("matches the canonicalize package on any JSON value", (value) => {
    expect(canonicalJson(value)).toBe(canonicalize(value));
  });

  test.prop([entryEvent], { numRuns: 1_000 })("matches canonicalize on random ledger events", (event) => {
    expect(canonicalJson(event)).toBe(canonicalize(event));
    expect(hashEvent(GENESIS_PREV_HASH, event)).toBe(referenceHash(GENESIS_PREV_HASH, event));
  });

  test.prop([fc.array(entryEvent, { minLength: 1, maxLength: 5 })])(
    "records a chain whose every hash the reference recomputes",
    (events) => {
      const recorded = recordEvents(
        events.map((event) => ({ type: event.type, data: event.data }) as unknown as LedgerEvent),
        { nextRevision: 0, headHash: GENESIS_PREV_HASH },
        (_event, index) => events[index]?.meta as never,
      );
      let prevHash = GENESIS_PREV_HASH;
      recorded.forEach((event, index) => {
        const expected = referenceHash(prevHash, {
          type: event.type,
          revision: index,
          data: event.data,
          meta: events[index]?.meta ?? {},
        });
        expect(event.metadata.hash).toBe(expected);
        prevHash = expected;
      });
      expect(verifyChain(recorded).ok).toBe(true);
    },
  );

  it("leaves out undefined properties, writes undefined array items as null, honours toJSON", () => {
    const value = { b: undefined, a: [undefined, 1], c: new Date(0), é: -0 };
    expect(canonicalJson(value)).toBe(canonicalize(value));
    expect(canonicalJson(value)).toBe('{"a":[null,1],"c":"1970-01-01T00:00:00.000Z","é":0}');
  });

  it("writes a lone surrogate as its \\u escape, as JSON.stringify does; the reference refuses it", () => {
    expect(canonicalJson({ memo: "a\ud800b", "\udfff": 1 })).toBe('{"memo":"a\\ud800b","\\udfff":1}');
    expect(() => canonicalize({ memo: "a\ud800b" })).toThrow(/surrogate/i);
  });

  it("refuses NaN and the infinities as canonicalize does", () => {
    expect(() => canonicalJson({ a: Number.NaN })).toThrow();
    expect(() => canonicalJson([Number.POSITIVE_INFINITY])).toThrow();
    expect(() => canonicalJson(undefined)).toThrow();
  });
});
