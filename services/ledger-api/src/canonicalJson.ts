/**
 * Canonical JSON (sorted keys, no whitespace) of a request body, hashed to tell an idempotent replay
 * (same body) from a reused key (different body). Key order and spacing in the client's JSON do not matter.
 *
 * Written with loops and string concatenation, and with plain ASCII strings written without calling
 * JSON.stringify, because a bulk import hashes a million bodies: the output is byte for byte that of the
 * straightforward map/sort/join form (test/canonicalJson.unit.test.ts compares the two on random values).
 */
import { hash as oneShotHash } from "node:crypto";

/** Strings made only of these characters need no escaping: printable ASCII without `"` and `\`. */
const PLAIN_STRING = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

const writeString = (text: string): string => (PLAIN_STRING.test(text) ? `"${text}"` : JSON.stringify(text));

export const canonicalJson = (value: unknown): string => {
  if (typeof value === "string") return writeString(value);
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) {
    let out = "[";
    for (let index = 0; index < value.length; index += 1) {
      if (index > 0) out += ",";
      out += canonicalJson(value[index]);
    }
    return `${out}]`;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  let out = "{";
  for (const key of keys) {
    const item = record[key];
    if (item === undefined) continue;
    if (out.length > 1) out += ",";
    out += `${writeString(key)}:${canonicalJson(item)}`;
  }
  return `${out}}`;
};

/** `crypto.hash` (one call, no Hash object) costs about half of createHash/update/digest. */
export const sha256Hex = (text: string): string => oneShotHash("sha256", text, "hex");

export const requestHashOf = (route: string, body: unknown): string =>
  sha256Hex(`${route}\n${canonicalJson(body)}`);
