import { hash as oneShotHash } from "node:crypto";
import { canonicalJson, canonicalMembers } from "./canonical-json.js";

/** `prevHash` of revision 0: sixty-four zeros (api.md, History and verification). */
export const GENESIS_PREVIOUS_HASH = "0".repeat(64);

/** What the chain hash covers of one event. */
export interface HashableEvent {
  readonly type: string;
  readonly revision: number;
  readonly data: unknown;
  readonly metadata: unknown;
}

/** The metadata fields the hash does not cover: the chain fields themselves. */
const CHAIN_FIELDS: ReadonlySet<string> = new Set(["prevHash", "hash"]);

/**
 * The canonical JSON of {type, revision, data, meta}, where `meta` is the metadata without `prevHash` and
 * `hash`, written in key order (data < meta < revision < type) without building the object or copying
 * the metadata.
 */
export const canonicalHashedJson = (event: HashableEvent): string => {
  const metadata = event.metadata;
  let meta: string;
  if (typeof metadata !== "object" || metadata === null) meta = "{}";
  else if (Array.isArray(metadata)) {
    const { prevHash: _previous, hash: _hash, ...rest } = metadata as unknown as Record<string, unknown>;
    meta = canonicalJson(rest);
  } else meta = `{${canonicalMembers(metadata, CHAIN_FIELDS)}}`;
  const data = event.data === undefined ? "" : `"data":${canonicalJson(event.data)},`;
  return `{${data}"meta":${meta},"revision":${canonicalJson(event.revision)},"type":${canonicalJson(event.type)}}`;
};

/**
 * The chain hash of an event, computed from the rule in api.md alone: lowercase hex SHA-256 of the
 * UTF-8 bytes of `prevHash` followed by the canonical JSON of {type, revision, data, meta}, where
 * `meta` is the metadata without `prevHash` and `hash`. It is deliberately independent of
 * ledger-core's own implementation, so a bug there cannot hide itself from the verifier.
 */
export const chainHash = (previousHash: string, event: HashableEvent): string =>
  oneShotHash("sha256", previousHash + canonicalHashedJson(event), "hex");
