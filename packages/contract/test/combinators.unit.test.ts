/** The combinators the bodies are made of, each on its own: what it accepts, and the code of each refusal. */
import * as E from "fp-ts/lib/Either.js";
import type * as t from "io-ts";
import { describe, expect, it } from "vitest";
import {
  BooleanCodec,
  boundedArray,
  boundedRecord,
  checkBody,
  type FieldRefusal,
  jsonSchemaOf,
  literals,
  nullable,
  queryObject,
  refinedString,
  strictObject,
  text,
} from "../src/index.js";

/** The field errors of a refused value (an accepted one fails the test). */
const refusalsOf = <A>(codec: t.Type<A, unknown, unknown>, value: unknown): readonly FieldRefusal[] => {
  const checked = checkBody(codec, value);
  if (E.isRight(checked)) throw new Error(`accepted ${JSON.stringify(value)}`);
  return checked.left.errors;
};

const decoded = <A>(codec: t.Type<A, unknown, unknown>, value: unknown): A => {
  const checked = checkBody(codec, value);
  if (E.isLeft(checked)) throw new Error(`refused ${JSON.stringify(checked.left)}`);
  return checked.right;
};

const Code = refinedString("Code", /^[a-z]{2,4}$/, "must be 2-4 letters", "invalid_header");

describe("refinedString", () => {
  it("accepts a match, refuses a mismatch with its own code and a non-string as validation_failed", () => {
    expect(decoded(Code, "abc")).toBe("abc");
    expect(refusalsOf(Code, "abcdef")).toEqual([
      { path: "", code: "invalid_header", message: "must be 2-4 letters" },
    ]);
    expect(refusalsOf(Code, 12)[0]?.code).toBe("validation_failed");
    expect(jsonSchemaOf(Code)).toMatchObject({ type: "string", pattern: "^[a-z]{2,4}$" });
  });
});

describe("text", () => {
  const Note = text("Note", 1, 5);
  it("normalises to NFC and bounds the length after normalising", () => {
    expect(decoded(Note, "e\u0301")).toBe("\u00e9");
    expect(refusalsOf(Note, "123456")[0]?.message).toBe("must be 1-5 characters");
  });
  it("refuses control and bidi characters, and blank text when text is required", () => {
    expect(refusalsOf(Note, "a\u202eb")[0]?.message).toBe("contains control or bidi characters");
    expect(refusalsOf(Note, "   ")[0]?.message).toBe("must not be blank");
    expect(decoded(text("Memo", 0, 5), "")).toBe("");
  });
});

describe("literals, BooleanCodec and nullable", () => {
  const Colour = literals("Colour", ["red", "blue"] as const);
  it("accept their values only", () => {
    expect(decoded(Colour, "red")).toBe("red");
    expect(refusalsOf(Colour, "green")[0]?.message).toBe("must be one of red, blue");
    expect(decoded(BooleanCodec, false)).toBe(false);
    expect(refusalsOf(BooleanCodec, "true")[0]?.code).toBe("validation_failed");
    expect(decoded(nullable(Colour), null)).toBeNull();
    expect(refusalsOf(nullable(Colour), "green")[0]?.code).toBe("validation_failed");
  });
});

describe("strictObject", () => {
  const Pair = strictObject("Pair", { left: Code }, { right: Code });
  it("keeps the declared keys, and leaves an optional key out when it is not given", () => {
    expect(decoded(Pair, { left: "ab" })).toEqual({ left: "ab" });
    expect(decoded(Pair, { left: "ab", right: "cd" })).toEqual({ left: "ab", right: "cd" });
  });
  it("refuses an unknown key as unknown_field and a missing one as validation_failed, naming each", () => {
    expect(refusalsOf(Pair, { left: "ab", extra: 1 })).toEqual([
      { path: "extra", code: "unknown_field", message: "this route does not take this field" },
    ]);
    expect(refusalsOf(Pair, {})).toEqual([
      { path: "left", code: "validation_failed", message: "is required" },
    ]);
    expect(refusalsOf(Pair, [])[0]?.message).toBe("must be a JSON object");
  });
  it("describes itself as a closed JSON Schema object", () => {
    expect(jsonSchemaOf(Pair)).toMatchObject({
      type: "object",
      required: ["left"],
      additionalProperties: false,
    });
  });
});

describe("boundedArray", () => {
  const Pairs = boundedArray("Codes", Code, 2, 3, "too_few_lines", "too_many_lines");
  it("answers each end of its range with its own code and names the bad item by index", () => {
    expect(decoded(Pairs, ["ab", "cd"])).toEqual(["ab", "cd"]);
    expect(refusalsOf(Pairs, ["ab"])[0]?.code).toBe("too_few_lines");
    expect(refusalsOf(Pairs, ["ab", "ab", "ab", "ab"])[0]?.code).toBe("too_many_lines");
    expect(refusalsOf(Pairs, ["ab", "X"])[0]?.path).toBe("[1]");
  });
});

describe("boundedRecord", () => {
  const Weights = boundedRecord("Weights", Code, /^[a-z]+$/, 2);
  it("bounds the number of keys and checks each key and value", () => {
    expect(decoded(Weights, { a: "ab" })).toEqual({ a: "ab" });
    expect(refusalsOf(Weights, { a: "ab", b: "ab", c: "ab" })[0]?.message).toBe("takes at most 2 keys");
    expect(refusalsOf(Weights, { A: "ab" })[0]).toEqual({
      path: "A",
      code: "validation_failed",
      message: "is not an allowed key",
    });
  });
});

describe("queryObject", () => {
  const Query = queryObject("Query", { code: Code });
  it("ignores parameters it does not know but decodes those it does", () => {
    expect(decoded(Query, { code: "ab", utm_source: "x" })).toEqual({ code: "ab" });
    expect(refusalsOf(Query, { code: "X" })[0]?.path).toBe("code");
  });
});

describe("checkBody", () => {
  const Body = strictObject("Body", { lines: boundedArray("Lines", Code, 2, 3, "too_few_lines") });
  it("answers with the code a client most needs: unknown_field before too_few_lines before validation_failed", () => {
    const checked = checkBody(Body, { lines: ["X"], extra: true });
    expect(E.isLeft(checked) && checked.left.code).toBe("unknown_field");
    const fewer = checkBody(Body, { lines: ["ab"] });
    expect(E.isLeft(fewer) && fewer.left.code).toBe("too_few_lines");
  });
  it("decodes an absent body as an empty object", () => {
    expect(E.isRight(checkBody(strictObject("Empty", {}), undefined))).toBe(true);
  });
});
