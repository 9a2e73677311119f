import { createHash } from "node:crypto";
import { canonicalJson } from "./canonical-json.js";

/** `prevHash` of revision 0: sixty-four zeros (api.md, History and verification). */
export const GENESIS_PREVIOUS_HASH = "0".repeat(64);

/** What the chain hash covers of one event. */
export interface HashableEvent {
  readonly type: string;
  readonly revision: number;
  readonly data: unknown;
  readonly metadata: unknown;
}

/**
 * The chain hash of an event, computed from the rule in api.md alone: lowercase hex SHA-256 of the
 * UTF-8 bytes of `prevHash` followed by the canonical JSON of {type, revision, data, meta}, where
 * `meta` is the metadata without `prevHash` and `hash`. It is deliberately independent of
 * ledger-core's own implementation, so a bug there cannot hide itself from the verifier.
 */
export const chainHash = (previousHash: string, event: HashableEvent): string => {
  const metadata =
    typeof event.metadata === "object" && event.metadata !== null
      ? (event.metadata as Record<string, unknown>)
      : {};
  const { prevHash: _previous, hash: _hash, ...meta } = metadata;
  const body = canonicalJson({ type: event.type, revision: event.revision, data: event.data, meta });
  return createHash("sha256").update(previousHash, "utf8").update(body, "utf8").digest("hex");
};
