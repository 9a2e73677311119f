/** The strict JSON reader's refusals as values (the API answers them as problems, the import per line). */
import { describe, expect, it } from "vitest";
import { checkStrictJson, JSON_DEPTH_MAX } from "../src/index.js";

const read = (text: string) => checkStrictJson(Buffer.from(text, "utf8"));

describe("checkStrictJson", () => {
  it("reads JSON, and an empty body as undefined", () => {
    expect(read('{"a":[1,"b",null]}')).toEqual({ ok: true, value: { a: [1, "b", null] } });
    expect(read("  ")).toEqual({ ok: true, value: undefined });
  });
  it("refuses a duplicate key as duplicate_key at the key's JSON pointer", () => {
    expect(read('{"a":{"b":1,"b":2}}')).toEqual({
      ok: false,
      refusal: {
        code: "duplicate_key",
        path: "/a/b",
        message: "this key appears more than once",
        detail: 'The key "b" appears twice in one object.',
      },
    });
  });
  it("refuses nesting deeper than JSON_DEPTH_MAX, invalid UTF-8 and trailing text as malformed_json", () => {
    const deep = read(`${"[".repeat(JSON_DEPTH_MAX + 1)}${"]".repeat(JSON_DEPTH_MAX + 1)}`);
    expect(deep.ok === false && deep.refusal.code).toBe("malformed_json");
    const bytes = checkStrictJson(Buffer.from([0x22, 0xff, 0x22]));
    expect(bytes.ok === false && bytes.refusal.message).toBe("The body is not valid UTF-8.");
    const trailing = read("{} x");
    expect(trailing.ok === false && trailing.refusal.path).toBeUndefined();
  });
  it("keeps a __proto__ key as an own property", () => {
    const parsed = read('{"__proto__":1}');
    expect(parsed.ok && Object.hasOwn(parsed.value as object, "__proto__")).toBe(true);
  });
});
