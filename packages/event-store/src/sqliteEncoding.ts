import { canonicalJson } from "@bukubesar/ledger-core";
import { EVENT_SIZE_MAX_BYTES } from "./eventSize.js";
import type { NewEvent } from "./port.js";
import { StoreFailure } from "./port.js";
import { type SplitJson, splitJson } from "./sqliteShapes.js";

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
 * Canonical JSON is JSON, so values come back equal (object keys in sorted order, the chain fields
 * last): every hash over them is unchanged. Schema version 3 stores each of the two canonical texts as
 * a shape and its values (sqliteShapes.ts), which gives back the same text.
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
  /** The data as schema version 3 stores it (sqliteShapes.ts), or null to store `data` raw. */
  readonly dataSplit: SplitJson | null;
  /** The metadata as schema version 3 stores it, or null to store `metadata` raw. */
  readonly metadataSplit: SplitJson | null;
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

/** The bytes of a UUID key. */
const UUID_BYTES = 16;

const isChainedMetadata = (metadata: unknown): metadata is Record<string, unknown> => {
  if (typeof metadata !== "object" || metadata === null || Array.isArray(metadata)) return false;
  const record = metadata as Record<string, unknown>;
  const previous = record[PREVIOUS_HASH_FIELD];
  const hash = record[HASH_FIELD];
  return (
    typeof previous === "string" && typeof hash === "string" && HEX_HASH.test(previous) && HEX_HASH.test(hash)
  );
};

/** One event's data and metadata as the store writes them. */
export type EncodedBody = Pick<
  EncodedEvent,
  "data" | "metadata" | "prevHash" | "hash" | "dataSplit" | "metadataSplit"
>;

/** Encodes one event's data and metadata (both already plain JSON values or objects). */
export const encodeEventBody = (data: unknown, metadata: unknown): EncodedBody => {
  const dataText = canonicalText(data);
  if (!isChainedMetadata(metadata)) {
    const metadataText = canonicalText(metadata);
    return {
      data: dataText,
      metadata: metadataText,
      prevHash: null,
      hash: null,
      dataSplit: splitJson(dataText),
      metadataSplit: splitJson(metadataText),
    };
  }
  const meta = { ...metadata, [PREVIOUS_HASH_FIELD]: undefined, [HASH_FIELD]: undefined };
  const metadataText = canonicalText(meta);
  return {
    data: dataText,
    metadata: metadataText,
    prevHash: Buffer.from(metadata[PREVIOUS_HASH_FIELD] as string, "hex"),
    hash: Buffer.from(metadata[HASH_FIELD] as string, "hex"),
    dataSplit: splitJson(dataText),
    metadataSplit: splitJson(metadataText),
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

/**
 * SQL giving back the event id text of the stored key in `column` (the inverse of `eventKeyOf`): the
 * hyphenated lowercase UUID of a 16-byte key, the text of any other; readers of decoded events select it
 * instead of the key. SQLite's strings arrive as flat V8 strings (a joined id kept in memory would be a
 * rope of several, about five times larger). better-sqlite3 hands every BLOB back as a Node Buffer,
 * which costs far more than a short string: reading a stream's rows with the id and the two hashes as
 * BLOBs ran at about 230,000 rows per CPU-second here, with them made text by SQLite at about 470,000.
 */
export const eventIdTextSql = (column: string): string => {
  const hex = `lower(hex(${column}))`;
  const part = (start: number, length?: number) =>
    length === undefined ? `substr(${hex}, ${start})` : `substr(${hex}, ${start}, ${length})`;
  const uuid = [part(1, 8), part(9, 4), part(13, 4), part(17, 4), part(21)].join(" || '-' || ");
  return `CASE WHEN typeof(${column}) <> 'blob' THEN ${column} WHEN length(${column}) = ${UUID_BYTES} THEN ${uuid} ELSE ${hex} END`;
};

/** SQL giving back a stored chain hash (32 bytes) as the 64 lowercase hex digits of the metadata, or NULL. */
export const hashTextSql = (column: string): string =>
  `CASE WHEN ${column} IS NULL THEN NULL ELSE lower(hex(${column})) END`;

/**
 * The metadata value of stored columns: the decoded value, with the chain fields put back when stored
 * (the hashes as `hashTextSql` reads them).
 */
export const withChainFields = (value: unknown, prevHash: string | null, hash: string | null): unknown => {
  // A value that is no object (a damaged shape's) is given back as it is, for the reader to refuse.
  if (prevHash === null || hash === null || typeof value !== "object" || value === null) return value;
  const record = value as Record<string, unknown>;
  record[PREVIOUS_HASH_FIELD] = prevHash;
  record[HASH_FIELD] = hash;
  return record;
};

/**
 * RFC 3339 UTC text of stored `recorded_at` values (milliseconds since the epoch), remembering the last:
 * the events of one group commit share their time, so a long read formats each time about once.
 */
export const recordedAtTexts = (): ((recordedAtMs: number) => string) => {
  let lastMs = Number.NaN;
  let lastText = "";
  return (recordedAtMs) => {
    if (recordedAtMs !== lastMs) {
      lastMs = recordedAtMs;
      lastText = new Date(recordedAtMs).toISOString();
    }
    return lastText;
  };
};
