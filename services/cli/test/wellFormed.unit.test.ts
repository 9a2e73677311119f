import { describe, expect, it } from "vitest";
import { firstIllFormedString, jsonTextIsWellFormed } from "../src/wellFormed.js";

describe("jsonTextIsWellFormed", () => {
  it("vouches for a text only when no parsed string can hold a lone surrogate", () => {
    expect(jsonTextIsWellFormed('{"memo":"gula 5 kg","lines":[{"amount":"1500.25"}]}')).toBe(true);
    expect(jsonTextIsWellFormed('{"memo":"caf\\u00e9 \\n"}')).toBe(true);
    // A lone surrogate written as an escape, in either case, and one in the text itself.
    expect(jsonTextIsWellFormed('{"memo":"a\\ud800"}')).toBe(false);
    expect(jsonTextIsWellFormed('{"memo":"a\\uDC00"}')).toBe(false);
    expect(jsonTextIsWellFormed(`{"memo":"a${"\ud800"}"}`)).toBe(false);
    expect(jsonTextIsWellFormed(`{"${"\udc00"}":1}`)).toBe(false);
  });

  it("errs only towards a walk of the parsed value, which then decides", () => {
    const pair = '{"memo":"\\ud83d\\ude00"}';
    expect(jsonTextIsWellFormed(pair)).toBe(false);
    expect(firstIllFormedString(JSON.parse(pair))).toBeNull();
    const lone = '{"memo":"x\\ud800"}';
    expect(firstIllFormedString(JSON.parse(lone))).toBe("/memo");
  });
});
