/**
 * The hash chain exactly as api.md (History and verification) defines it, so an auditor can check it
 * with their own tools:
 *
 *   hash = lowercase hex SHA-256 of the UTF-8 bytes of prevHash followed by the RFC 8785 canonical
 *          JSON of {"type","revision","data","meta"}, where meta is the event's metadata without
 *          prevHash and hash; prevHash of revision 0 is 64 zeros.
 */
import { hash as oneShotHash } from "node:crypto";
import { canonicalEventJson } from "./canonicalJson.js";
import type { EventMetadata, LedgerEvent, RecordedLedgerEvent } from "./events.js";

/** `prevHash` of revision 0. */
export const GENESIS_PREV_HASH = "0".repeat(64);

const HASH_PATTERN = /^[0-9a-f]{64}$/;

/** The metadata keys the hash does not cover: the chain fields themselves. */
const CHAIN_FIELDS: ReadonlySet<string> = new Set(["prevHash", "hash"]);
const NO_FIELDS: ReadonlySet<string> = new Set();

/** Metadata as the handler fills it in, before the chain fields are added. */
export type BaseMetadata = Omit<EventMetadata, "prevHash" | "hash">;

export interface HashableEvent {
  readonly type: string;
  readonly revision: number;
  readonly data: unknown;
  /** The metadata without `prevHash` and `hash`. */
  readonly meta: object;
}

/**
 * One SHA-256 over the UTF-8 bytes of prevHash followed by the canonical JSON, as api.md defines the hash.
 * `crypto.hash` (one call, no Hash object) costs about half of createHash/update/digest.
 */
const sha256Hex = (prevHash: string, canonical: string): string =>
  oneShotHash("sha256", prevHash + canonical, "hex");

export const hashEvent = (prevHash: string, event: HashableEvent): string =>
  sha256Hex(prevHash, canonicalEventJson(event.type, event.revision, event.data, event.meta, NO_FIELDS));

/** The hash of a recorded event from its full metadata, leaving out the chain fields without copying it. */
const hashRecorded = (prevHash: string, type: string, revision: number, data: unknown, metadata: object) =>
  sha256Hex(prevHash, canonicalEventJson(type, revision, data, metadata, CHAIN_FIELDS));

/** The metadata of a new event at `revision`, chained to `prevHash`. */
export const chainMetadata = (
  prevHash: string,
  revision: number,
  event: LedgerEvent,
  base: BaseMetadata,
): EventMetadata => {
  const hash = hashRecorded(prevHash, event.type, revision, event.data, base);
  // The usual base has no chain fields, so one spread gives the same keys in the same order as leaving
  // them out first (an object rest with excluded keys is a slow path in V8, paid once per event).
  if (!Object.hasOwn(base, "prevHash") && !Object.hasOwn(base, "hash")) return { ...base, prevHash, hash };
  return { ...withoutChainFields(base as EventMetadata), prevHash, hash };
};

/**
 * Chains events of any stream (alerts, audit, principals) by the same rule as the ledger: the metadata of
 * each gets `prevHash` and `hash`, numbered from `head.nextRevision` and chained from `head.headHash`.
 */
export const chainEvents = <
  Event extends { readonly type: string; readonly data: unknown; readonly metadata: object },
>(
  events: readonly Event[],
  head: { readonly nextRevision: number; readonly headHash: string },
): Event[] => {
  let prevHash = head.headHash;
  return events.map((event, index) => {
    const hash = hashRecorded(prevHash, event.type, head.nextRevision + index, event.data, event.metadata);
    const chained = { ...event, metadata: { ...event.metadata, prevHash, hash } };
    prevHash = hash;
    return chained;
  });
};

/**
 * Records freshly decided events after a stream's head: numbers them from `nextRevision`, chains them
 * from `headHash` and gives each the metadata `baseFor` returns.
 */
export const recordEvents = (
  events: readonly LedgerEvent[],
  head: { readonly nextRevision: number; readonly headHash: string },
  baseFor: (event: LedgerEvent, index: number) => BaseMetadata,
): RecordedLedgerEvent[] => {
  const recorded: RecordedLedgerEvent[] = [];
  let prevHash = head.headHash;
  events.forEach((event, index) => {
    const revision = head.nextRevision + index;
    const metadata = chainMetadata(prevHash, revision, event, baseFor(event, index));
    recorded.push({ ...event, revision, metadata } as RecordedLedgerEvent);
    prevHash = metadata.hash;
  });
  return recorded;
};

export type ChainVerification =
  | { readonly ok: true; readonly events: number; readonly headHash: string }
  | { readonly ok: false; readonly firstBadRevision: number; readonly reason: string };

/** The last event of a chain as far as it was checked: the revision and hash the next event must follow. */
export interface CheckedHead {
  readonly revision: number;
  readonly headHash: string;
}

/**
 * Why `event` cannot follow `head` on the chain (wrong revision, prevHash not the head's hash, a hash
 * that is not the hash of its contents), or null when it follows. One event at a time, so the running
 * service checks a tail with the same rule `verifyChain` applies to a whole stream.
 */
export const chainBreakAfter = (head: CheckedHead, event: RecordedLedgerEvent): string | null => {
  const expectedRevision = head.revision + 1;
  if (event.revision !== expectedRevision)
    return `expected revision ${expectedRevision}, found ${String(event.revision)}`;
  const metadata = event.metadata;
  if (metadata.prevHash !== head.headHash)
    return `prevHash does not match the hash of revision ${head.revision}`;
  if (typeof metadata.hash !== "string" || !HASH_PATTERN.test(metadata.hash))
    return "hash is not 64 lowercase hex digits";
  let expected: string;
  try {
    expected = hashRecorded(head.headHash, event.type, event.revision, event.data, metadata);
  } catch (error) {
    return `the event cannot be canonicalised: ${(error as Error).message}`;
  }
  return expected === metadata.hash ? null : "hash does not match the event's contents";
};

/** Checks that revisions run 0, 1, 2, … , that each prevHash is the previous hash, and every hash. */
export const verifyChain = (events: readonly RecordedLedgerEvent[]): ChainVerification => {
  let head: CheckedHead = { revision: -1, headHash: GENESIS_PREV_HASH };
  for (let index = 0; index < events.length; index += 1) {
    const event = events[index] as RecordedLedgerEvent;
    const reason = chainBreakAfter(head, event);
    if (reason !== null) return { ok: false, firstBadRevision: index, reason };
    head = { revision: index, headHash: event.metadata.hash };
  }
  return { ok: true, events: events.length, headHash: head.headHash };
};

const withoutChainFields = (metadata: EventMetadata): BaseMetadata => {
  const { prevHash: _prevHash, hash: _hash, ...meta } = metadata;
  return meta;
};
