import { hashEvent } from "@bukubesar/ledger-core";

/** What the chain hash covers of one stored event, its metadata as stored (chain fields and all). */
export interface HashableEvent {
  readonly type: string;
  readonly revision: number;
  readonly data: unknown;
  readonly metadata: unknown;
}

/**
 * The chain hash of a stored event by the rule in api.md (History and verification), computed by
 * ledger-core's `hashEvent`: there is one implementation of the rule, tested against the api.md test
 * vector and property-tested against the `canonicalize` package. What the verifier checks stays its own
 * (it compares the stored hashes with these and recomputes balances by its own fold).
 *
 * `meta` is the metadata without `prevHash` and `hash`. Setting them to undefined in a spread copy leaves
 * them out of the canonical JSON (undefined properties have no JSON form) and keeps the metadata's key
 * order, so the copy is cheap and the canonical writer's cache of object shapes still applies; leaving
 * them out with an object rest is a slow path in V8, paid on every event `verify` reads. Metadata that
 * is not an object (a damaged store) hashes as `{}`, so the verifier reports a mismatch, not a crash.
 */
export const chainHash = (previousHash: string, event: HashableEvent): string => {
  const metadata = event.metadata;
  const meta =
    typeof metadata === "object" && metadata !== null
      ? { ...metadata, prevHash: undefined, hash: undefined }
      : {};
  return hashEvent(previousHash, { type: event.type, revision: event.revision, data: event.data, meta });
};
