/**
 * Canonical JSON (sorted keys, no whitespace) of a request body, hashed to tell an idempotent replay
 * (same body) from a reused key (different body). Key order and spacing in the client's JSON do not matter.
 */
import { createHash } from "node:crypto";

export const canonicalJson = (value: unknown): string => {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record)
    .filter((key) => record[key] !== undefined)
    .sort();
  return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`).join(",")}}`;
};

export const sha256Hex = (text: string): string => createHash("sha256").update(text, "utf8").digest("hex");

export const requestHashOf = (route: string, body: unknown): string =>
  sha256Hex(`${route}\n${canonicalJson(body)}`);
