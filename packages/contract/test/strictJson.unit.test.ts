/** The strict JSON reader's refusals as values (the API answers them as problems, the import per line). */
import { describe, expect, it } from "vitest";
import { checkStrictJson, checkStrictJsonText, JSON_DEPTH_MAX } from "../src/index.js";

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
  it("reads strings with and without escapes as JSON.parse does, and refuses lone surrogates either way", () => {
    const texts = [
      '{"a":"plain","b":"q\\"\\\\\\n\\u00e9","c":"😀 é","d":"\\ud83d\\ude00","e":[""]}',
      '["0","","x y","twelve chars","thirteen char","Penjualan 123456 di toko sembako"]',
    ];
    for (const text of texts) expect(read(text)).toEqual({ ok: true, value: JSON.parse(text) });
    for (const text of ['"\\ud800"', '"x\ud800"', '"\udc00y"', '{"k\ud800":1}']) {
      // The text form: a raw lone surrogate has no UTF-8 bytes (Buffer.from would write U+FFFD instead).
      const refused = checkStrictJsonText(text);
      expect(refused.ok === false && refused.refusal.message, text).toMatch(/lone surrogate/);
    }
  });
  it("refuses a repeated __proto__ key, and keeps integer-like and ordinary keys as JSON.parse does", () => {
    const repeated = read('{"__proto__":1,"__proto__":2}');
    expect(repeated.ok === false && repeated.refusal.code).toBe("duplicate_key");
    const parsed = read('{"b":1,"10":2,"a":{"9":3}}');
    expect(parsed.ok && Object.keys(parsed.value as object)).toEqual(["10", "b", "a"]);
    expect(parsed.ok && Object.getPrototypeOf(parsed.value)).toBe(Object.prototype);
  });
  it("gives the same answer for a decoded text as for its bytes", () => {
    for (const text of ['{"a":1}', "  ", '{"a":1,"a":2}', "{} x", '"\\ud800"', '{"m":"é😀"}'])
      expect(checkStrictJsonText(text)).toEqual(read(text));
  });
});
