/**
 * Deterministic identifiers. An entry id is derived from (cooperative, route, idempotency key), so a
 * retried request produces the same id and every store recognises the retried append. Hashing is
 * pure, so this stays inside the core.
 */
import { hash as oneShotHash } from "node:crypto";

/**
 * The prefix of every ledger stream: one stream per cooperative, `ledger-<coopId>` (docs/design.md, Event
 * model). Written here once; every reader and writer of ledger streams imports it.
 */
export const LEDGER_STREAM_PREFIX = "ledger-";

/** The stream that holds one cooperative's ledger. */
export const ledgerStreamId = (coopId: string): string => `${LEDGER_STREAM_PREFIX}${coopId}`;

/** The cooperative whose ledger a stream holds, or null when the stream is not a ledger stream. */
export const coopIdOfLedgerStream = (streamId: string): string | null =>
  streamId.startsWith(LEDGER_STREAM_PREFIX) ? streamId.slice(LEDGER_STREAM_PREFIX.length) : null;

/** Our own UUID namespaces (fixed forever: changing them changes every id). */
export const ENTRY_ID_NAMESPACE = "6f1c1d2e-4b5a-5c8d-9e0f-1a2b3c4d5e6f";
export const EVENT_ID_NAMESPACE = "0b8e4a7c-2d3f-5e6a-8b9c-7d6e5f4a3b2c";

/**
 * The bytes of each namespace, parsed once: an import derives two or three ids per line, and parsing the
 * namespace's hex every time cost as much as the hash itself. Only our two fixed namespaces (and the few
 * a test may use) are ever kept, so the cache stays tiny.
 */
const namespaceBytesCache = new Map<string, Buffer>();
const NAMESPACE_CACHE_MAX = 16;
const namespaceBytesOf = (namespace: string): Buffer => {
  let bytes = namespaceBytesCache.get(namespace);
  if (bytes === undefined) {
    bytes = Buffer.from(namespace.replaceAll("-", ""), "hex");
    if (namespaceBytesCache.size < NAMESPACE_CACHE_MAX) namespaceBytesCache.set(namespace, bytes);
  }
  return bytes;
};

/**
 * The buffer a name is written into after its namespace's 16 bytes, reused: hashing is synchronous, so
 * one buffer serves every call. Names longer than it fits (ids are derived from short keys) get their own.
 */
const NAME_SCRATCH_BYTES = 1024;
const scratch = Buffer.allocUnsafe(NAME_SCRATCH_BYTES);
/** The most UTF-8 bytes one UTF-16 code unit of a JavaScript string takes. */
export const UTF8_BYTES_PER_CODE_UNIT_MAX = 3;
/** The hex digit of byte 8's high nibble under RFC 9562's variant (10xx), by the hash's two low bits. */
const VARIANT_DIGITS = "89ab";
const HEX_RADIX = 16;
/** The two low bits of a nibble: what the variant keeps of it. */
const VARIANT_KEPT_BITS = 0b11;

/** The namespace's bytes followed by the name's UTF-8 bytes, in the scratch buffer when they fit. */
const hashInput = (namespaceBytes: Buffer, name: string): Buffer => {
  if (namespaceBytes.length + name.length * UTF8_BYTES_PER_CODE_UNIT_MAX <= NAME_SCRATCH_BYTES) {
    namespaceBytes.copy(scratch, 0);
    const written = scratch.write(name, namespaceBytes.length, "utf8");
    return scratch.subarray(0, namespaceBytes.length + written);
  }
  return Buffer.concat([namespaceBytes, Buffer.from(name, "utf8")]);
};

/**
 * A name-based UUID, version 5 (RFC 9562 §5.5): SHA-1 of the namespace's bytes and the name. The hash
 * comes back as hex in one call (no Hash object, no buffer of its bytes), and the version (5, the
 * thirteenth digit) and variant (10xx, the seventeenth) are set on the digits: an import derives two or
 * three ids per line, and the buffers of the byte-wise way cost twice the hash itself.
 */
export const uuidV5 = (namespace: string, name: string): string => {
  const hex = oneShotHash("sha1", hashInput(namespaceBytesOf(namespace), name), "hex");
  const variant = VARIANT_DIGITS[Number.parseInt(hex.charAt(16), HEX_RADIX) & VARIANT_KEPT_BITS];
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
};

/**
 * The entry id for a request. The parts are joined with a NUL, which none of them may contain, so
 * ("a", "b/c") and ("a/b", "c") cannot collide.
 */
export const entryIdFor = (coopId: string, route: string, idempotencyKey: string): string =>
  uuidV5(ENTRY_ID_NAMESPACE, `${coopId}\u0000${route}\u0000${idempotencyKey}`);

/** The id of the `index`-th event (from 0) that one command produced, derived from its entry id or base. */
export const eventIdFor = (entryIdOrBase: string, index: number): string =>
  uuidV5(EVENT_ID_NAMESPACE, `${entryIdOrBase}\u0000${index}`);
