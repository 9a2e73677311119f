import type { ReadModelSnapshotRecord } from "./readModelSnapshotTable.js";

/**
 * One stored part of a snapshot: text, or bytes kept as bytes (a BLOB in SQLite, bytea in PostgreSQL), so
 * that a binary body is neither inflated by a third as base64 nor encoded and decoded on every save and load.
 */
export type SnapshotPart = string | Uint8Array;

/**
 * The record with text parts only, or null when one of its parts is bytes: a reader of text snapshots
 * did not write it, and a snapshot is a cache, so it is treated as absent (the log rebuilds it).
 */
export const textPartsOnly = (
  record: ReadModelSnapshotRecord<SnapshotPart> | null,
): ReadModelSnapshotRecord | null =>
  record === null || record.parts.some((part) => typeof part !== "string")
    ? null
    : (record as ReadModelSnapshotRecord);

/** A part as the drivers bind it: text as text, bytes as a Buffer (a BLOB, a bytea), without copying them. */
export const asStored = (part: SnapshotPart): string | Buffer =>
  typeof part === "string" || Buffer.isBuffer(part)
    ? part
    : Buffer.from(part.buffer, part.byteOffset, part.byteLength);
