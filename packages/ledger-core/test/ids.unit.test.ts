import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { ENTRY_ID_NAMESPACE, EVENT_ID_NAMESPACE, entryIdFor, eventIdFor, uuidV5 } from "../src/index.js";

/** RFC 9562's construction written out byte by byte, as ids were derived before: every stored id stays. */
const referenceUuidV5 = (namespace: string, name: string): string => {
  const digest = createHash("sha1")
    .update(Buffer.from(namespace.replaceAll("-", ""), "hex"))
    .update(Buffer.from(name, "utf8"))
    .digest()
    .subarray(0, 16);
  digest[6] = ((digest[6] ?? 0) & 0x0f) | 0x50;
  digest[8] = ((digest[8] ?? 0) & 0x3f) | 0x80;
  const hex = digest.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
};

describe("uuidV5", () => {
  it("gives RFC 9562's example (the DNS namespace, www.example.com)", () => {
    expect(uuidV5("6ba7b810-9dad-11d1-80b4-00c04fd430c8", "www.example.com")).toBe(
      "2ed6657d-e927-568b-95e1-2665a8aea6a2",
    );
  });

  it("gives the id the byte-wise construction gives, for short, non-ASCII and long names", () => {
    const names = [
      "",
      "bench-1",
      "kkmp\u0000journal-entries\u0000Penjualan 1",
      "é 中文 \u{1F600}",
      "lone \uD800 surrogate",
      "x".repeat(1_008),
      "y".repeat(1_009),
      "中".repeat(400),
      ...Array.from({ length: 500 }, (_, index) => `key-${index * 7919}`),
    ];
    for (const namespace of [ENTRY_ID_NAMESPACE, EVENT_ID_NAMESPACE])
      for (const name of names) expect(uuidV5(namespace, name)).toBe(referenceUuidV5(namespace, name));
  });

  it("is unchanged after a long name used a buffer of its own", () => {
    const before = entryIdFor("kkmp", "journal-entries", "k-1");
    uuidV5(ENTRY_ID_NAMESPACE, "z".repeat(5_000));
    expect(entryIdFor("kkmp", "journal-entries", "k-1")).toBe(before);
    expect(eventIdFor(before, 0)).toBe(referenceUuidV5(EVENT_ID_NAMESPACE, `${before}\u00000`));
  });
});
