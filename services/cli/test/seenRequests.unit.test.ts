/** The import's record of the request hash met with each idempotency key (a key reused with another body is refused). */
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { SeenRequests } from "../src/seenRequests.js";

const hashOf = (text: string): string => createHash("sha256").update(text).digest("hex");

describe("SeenRequests", () => {
  it("gives back each key's request hash exactly, past the buffer's first growths", () => {
    const seen = new SeenRequests();
    const count = 5_000;
    for (let index = 0; index < count; index++) seen.set(`key-${index}`, hashOf(`body-${index}`));
    for (let index = 0; index < count; index++)
      expect(seen.get(`key-${index}`)).toBe(hashOf(`body-${index}`));
    expect(seen.get("key-5000")).toBeUndefined();
  });

  it("replaces a key's hash, keeping the others", () => {
    const seen = new SeenRequests();
    seen.set("a", hashOf("1"));
    seen.set("b", hashOf("2"));
    seen.set("a", hashOf("3"));
    expect(seen.get("a")).toBe(hashOf("3"));
    expect(seen.get("b")).toBe(hashOf("2"));
  });

  it("refuses a text that is not a lowercase SHA-256, which its bytes would not give back", () => {
    const seen = new SeenRequests();
    expect(() => seen.set("a", hashOf("1").toUpperCase())).toThrow(/not a request hash/);
    expect(() => seen.set("a", "abc")).toThrow(/not a request hash/);
    expect(seen.get("a")).toBeUndefined();
  });
});

describe("SeenRequests.firstMet", () => {
  it("answers undefined for a new key and notes it; the earlier hash for a key met before, unchanged", () => {
    const seen = new SeenRequests();
    expect(seen.firstMet("a", hashOf("1"))).toBeUndefined();
    expect(seen.get("a")).toBe(hashOf("1"));
    expect(seen.firstMet("a", hashOf("2"))).toBe(hashOf("1"));
    expect(seen.get("a")).toBe(hashOf("1"));
    for (let index = 0; index < 3_000; index++)
      expect(seen.firstMet(`k-${index}`, hashOf(`${index}`))).toBeUndefined();
    expect(seen.firstMet("k-2999", hashOf("x"))).toBe(hashOf("2999"));
  });

  it("refuses a text that is not a lowercase SHA-256 and notes nothing", () => {
    const seen = new SeenRequests();
    expect(() => seen.firstMet("a", "ABC")).toThrow(/not a request hash/);
    expect(seen.get("a")).toBeUndefined();
  });
});
