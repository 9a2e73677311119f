/**
 * The hash of a request body, stored with a keyed request to tell an idempotent replay (same body) from a
 * reused key (different body). It covers the canonical JSON of the body (ledger-core's RFC 8785 writer:
 * sorted keys, no whitespace), so key order and spacing in the client's JSON do not matter. Bodies reach
 * it only after their strict codec has accepted them, so they are plain JSON values.
 */
import { hash as oneShotHash } from "node:crypto";
import { canonicalJson } from "@bukubesar/ledger-core";

/** Lowercase hex SHA-256 of the route, a newline and the canonical JSON of the body as sent. */
export const requestHashOf = (route: string, body: unknown): string =>
  // `crypto.hash` (one call, no Hash object) costs about half of createHash/update/digest.
  oneShotHash("sha256", `${route}\n${canonicalJson(body)}`, "hex");
