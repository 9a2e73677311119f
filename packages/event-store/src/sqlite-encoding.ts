import { canonicalJson } from "@bukubesar/ledger-core";
import { EVENT_SIZE_MAX_BYTES } from "./event-size.js";
import type { NewEvent } from "./port.js";
import { StoreFailure } from "./port.js";

/**
 * How the SQLite store writes an event (schema version 2), made for reading:
 *
 * - `data` is the RFC 8785 canonical JSON of the event's data, and `metadata` the canonical JSON of its
 *   metadata WITHOUT the chain fields `prevHash` and `hash` when both are 64 lowercase hex digits. Those
 *   two go to their own columns as 32 raw bytes each. The chain hash (docs/hash-chain.md) is the SHA-256
 *   of prevHash followed by the canonical JSON of {data, meta, revision, type}, whose keys sort in exactly
 *   that order, so a verifier concatenates the stored texts and hashes them without parsing anything.
 * - Event ids that are lowercase UUIDs (every id the ledger makes) are stored as their 16 bytes; any
 *   other id stays text. The two forms never collide: a UUID string is always converted first.
 * - `recorded_at` is milliseconds since the epoch, which gives back the same RFC 3339 text.
 *
 * Canonical JSON is JSON, so reading back is one JSON.parse per column, and values come back equal
 * (object keys in sorted order, the chain fields last): every hash over them is unchanged.
 */

/** The chain fields kept in their own columns. */
const PREVIOUS_HASH_FIELD = "prevHash";
const HASH_FIELD = "hash";
const HEX_HASH = /^[0-9a-f]{64}$/;
const LOWERCASE_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** An event as the SQLite store writes it. */
export interface EncodedEvent {
  readonly eventId: string;
  readonly eventKey: Buffer | string;
  readonly type: string;
  /** Canonical JSON of the data, also what the idempotent-retry comparison reads. */
  readonly data: string;
  /** Canonical JSON of the metadata, without the chain fields when they have their own columns. */
  readonly metadata: string;
  readonly prevHash: Buffer | null;
  readonly hash: Buffer | null;
}

/**
 * Canonical JSON of a value the way JSON.stringify would see it: values JSON has no form for (NaN, the
 * infinities) become null as JSON.stringify writes them, instead of the canonical writer's refusal.
 */
export const canonicalText = (value: unknown): string => {
  try {
    return canonicalJson(value ?? null);
  } catch {
    return canonicalJson(JSON.parse(JSON.stringify(value ?? null)));
  }
};

/** The stored key of an event id: 16 bytes for a lowercase UUID, the text otherwise. */
export const eventKeyOf = (eventId: string): Buffer | string =>
  LOWERCASE_UUID.test(eventId) ? Buffer.from(eventId.replaceAll("-", ""), "hex") : eventId;

const HEX_DIGITS = "0123456789abcdef";
const UUID_BYTES = 16;
const UUID_TEXT_LENGTH = 36;
const HYPHEN = 0x2d;

/**
 * The event id of a stored key. The text is written into a buffer and read back as one flat string:
 * joining slices of the hex text gives a rope of nine strings, which costs about 370 bytes per id kept
 * in memory instead of about 70 (measured on a million ids; the replay of a million events through the
 * port peaked 200 MB higher with the rope).
 */
export const eventIdOfKey = (key: Buffer | string): string => {
  if (typeof key === "string") return key;
  if (key.length !== UUID_BYTES) return key.toString("hex");
  const text = Buffer.allocUnsafe(UUID_TEXT_LENGTH);
  let at = 0;
  for (let index = 0; index < UUID_BYTES; index += 1) {
    if (index === 4 || index === 6 || index === 8 || index === 10) text[at++] = HYPHEN;
    const byte = key[index] as number;
    text[at++] = HEX_DIGITS.charCodeAt(byte >> 4);
    text[at++] = HEX_DIGITS.charCodeAt(byte & 15);
  }
  return text.toString("latin1");
};

const isChainedMetadata = (metadata: unknown): metadata is Record<string, unknown> => {
  if (typeof metadata !== "object" || metadata === null || Array.isArray(metadata)) return false;
  const record = metadata as Record<string, unknown>;
  const previous = record[PREVIOUS_HASH_FIELD];
  const hash = record[HASH_FIELD];
  return (
    typeof previous === "string" && typeof hash === "string" && HEX_HASH.test(previous) && HEX_HASH.test(hash)
  );
};

/** Encodes one event's data and metadata (both already plain JSON values or objects). */
export const encodeEventBody = (
  data: unknown,
  metadata: unknown,
): { data: string; metadata: string; prevHash: Buffer | null; hash: Buffer | null } => {
  const dataText = canonicalText(data);
  if (!isChainedMetadata(metadata)) {
    return { data: dataText, metadata: canonicalText(metadata), prevHash: null, hash: null };
  }
  const meta = { ...metadata, [PREVIOUS_HASH_FIELD]: undefined, [HASH_FIELD]: undefined };
  return {
    data: dataText,
    metadata: canonicalText(meta),
    prevHash: Buffer.from(metadata[PREVIOUS_HASH_FIELD] as string, "hex"),
    hash: Buffer.from(metadata[HASH_FIELD] as string, "hex"),
  };
};

/**
 * Encodes every event of an append and refuses the whole append with EventTooLarge when one of them is
 * over EVENT_SIZE_MAX_BYTES (data plus metadata, as the other adapters count it), so nothing is written.
 */
export const encodeEvents = (events: readonly NewEvent[]): EncodedEvent[] =>
  events.map((event) => {
    const body = encodeEventBody(event.data, event.metadata);
    const chainBytes = body.hash === null ? 0 : 2 * 64;
    const bytes =
      Buffer.byteLength(body.data, "utf8") + Buffer.byteLength(body.metadata, "utf8") + chainBytes;
    if (bytes > EVENT_SIZE_MAX_BYTES) {
      throw new StoreFailure({
        _tag: "EventTooLarge",
        eventId: event.eventId,
        bytes,
        limitBytes: EVENT_SIZE_MAX_BYTES,
      });
    }
    return { eventId: event.eventId, eventKey: eventKeyOf(event.eventId), type: event.type, ...body };
  });

/** The metadata value of stored columns: the parsed text, with the chain fields put back when stored. */
export const decodeMetadata = (metadata: string, prevHash: Buffer | null, hash: Buffer | null): unknown => {
  const value = JSON.parse(metadata) as unknown;
  if (prevHash === null || hash === null) return value;
  const record = value as Record<string, unknown>;
  record[PREVIOUS_HASH_FIELD] = prevHash.toString("hex");
  record[HASH_FIELD] = hash.toString("hex");
  return record;
};

/** RFC 3339 UTC text of a stored `recorded_at` (milliseconds since the epoch). */
export const recordedAtText = (milliseconds: number): string => new Date(milliseconds).toISOString();
