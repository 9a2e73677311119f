/**
 * One cooperative's snapshot as the store keeps it (docs/operations.md, Memory budget): the ledger state,
 * the entry records and the reports' read model at one revision, so a cooperative not held in memory is
 * loaded from its snapshot plus the events after it instead of its whole history.
 *
 * The body is the structured clone of the held objects (node:v8: Maps, bigints and shared references
 * survive, and reading it is native code). A snapshot records the chain head it was built from (revision
 * and hash) and the SHA-256 of its format, cooperative, revision, head and body: a snapshot whose content
 * or header was edited no longer matches its hash, and one whose head is not the log's event at that
 * revision was not built from this log. Either is refused and the cooperative is rebuilt from the log
 * (docs/reliability.md: integrity checks cover everything served).
 */
import { createHash } from "node:crypto";
import { deserialize, serialize } from "node:v8";
import {
  type EventStore,
  type ReadModelSnapshotTable,
  type SnapshotPart,
  storedChainHash,
} from "@bukubesar/event-store";
import type { LedgerState } from "@bukubesar/ledger-core";
import { ledgerStreamId } from "@bukubesar/ledger-core";
import { type LedgerReadModel, reviveClonedReadModel } from "@bukubesar/projections";
import { type EntriesUnreadableListener, lazySnapshot, pendingPackedText } from "./lazyEntries.js";
import type { EntryRecord, LedgerSnapshot } from "./ledgerSnapshot.js";
import { packEntries } from "./packedEntries.js";

/**
 * A snapshot of another format is not read (the cooperative is rebuilt from the log, without alarm).
 * Format 3: the ledger state also holds each member's balances on the member control accounts, the
 * accounts' control tags and the members' exit dates (docs/accounting.md, section 2); a format-2 state
 * lacks them. Format 4: a noOverdraft account's daily series keeps each day's change and the total
 * instead of the end-of-day balances (ledger-core's dailyBalances.ts); a format-3 series has the old fields.
 * Format 5: the read model's accounts carry their `businessWith` tag (the income statement and the SHU
 * base classify lines by it); a format-4 read model lacks it. Format 6: the body is stored as bytes (a BLOB)
 * instead of base64 text, which was a third larger and cost a decode on every load; a format-5 snapshot is
 * another format's, so a cooperative whose stored snapshot is older is rebuilt from its log once and its
 * snapshot rewritten in format 6. Format 7: a posted entry whose fields are all its decider's entry's and
 * its record's is packed as its id alone (packedEntries.ts); a format-6 reader would not understand it.
 */
export const COOPERATIVE_SNAPSHOT_FORMAT = 7;

/** Snapshot table names of cooperatives: `cooperative/<coopId>`. */
export const COOPERATIVE_SNAPSHOT_PREFIX = "cooperative/";

export const cooperativeSnapshotName = (coopId: string): string => `${COOPERATIVE_SNAPSHOT_PREFIX}${coopId}`;

/** Body bytes per stored part: far below the largest value SQLite and a Node Buffer hold. */
const PART_BYTES_MAX = 48 * 1024 * 1024;

/** The first part: what the snapshot claims to be, in JSON, readable without decoding the body. */
export interface CooperativeSnapshotHeader {
  readonly format: number;
  readonly coopId: string;
  /** The revision of the last event folded in. */
  readonly revision: number;
  /** The chain hash of the event at `revision`: the head the snapshot was built from. */
  readonly headHash: string;
  /** SHA-256 (hex) of the format, cooperative, revision, head hash and body. */
  readonly contentSha256: string;
}

/** The held objects with their per-entry collections left empty: those are in `entries`, as rows. */
interface SnapshotBody {
  readonly state: LedgerState;
  readonly entryRecords: ReadonlyMap<string, EntryRecord>;
  readonly entryOrder: readonly string[];
  readonly model: LedgerReadModel;
  /** JSON of `PackedEntries` (packedEntries.ts). */
  readonly entries: string;
}

const contentHashOf = (header: Omit<CooperativeSnapshotHeader, "contentSha256">, body: Uint8Array): string =>
  createHash("sha256")
    .update(`${header.format}\n${header.coopId}\n${header.revision}\n${header.headHash}\n`, "utf8")
    .update(body)
    .digest("hex");

/** The stored parts of a held cooperative: the JSON header as text, then the body in slices of bytes. */
export const encodeCooperativeSnapshot = (snapshot: LedgerSnapshot): SnapshotPart[] => {
  const { state, model } = snapshot;
  // A snapshot loaded and not used since still holds its collections as this text (lazyEntries.ts); the
  // spreads below do not read them, and these collections are then left unbuilt.
  const entries =
    pendingPackedText(snapshot) ??
    JSON.stringify(packEntries(state.entries, snapshot.entryRecords, model.entries));
  const body = serialize({
    state: { ...state, entries: new Map() },
    entryRecords: new Map(),
    entryOrder: snapshot.entryOrder,
    // The sorted and by-id views are caches, rebuilt on first use.
    model: { ...model, entries: [], sortedCache: null, entryIndex: null },
    entries,
  } satisfies SnapshotBody);
  const claimed = {
    format: COOPERATIVE_SNAPSHOT_FORMAT,
    coopId: snapshot.coopId,
    revision: snapshot.revision,
    headHash: snapshot.headHash,
  };
  const header: CooperativeSnapshotHeader = { ...claimed, contentSha256: contentHashOf(claimed, body) };
  const parts: SnapshotPart[] = [JSON.stringify(header)];
  for (let start = 0; start < body.length; start += PART_BYTES_MAX)
    parts.push(body.subarray(start, start + PART_BYTES_MAX));
  return parts;
};

/** What a stored snapshot turned out to be. */
export type DecodedCooperativeSnapshot =
  | { readonly kind: "usable"; readonly header: CooperativeSnapshotHeader; readonly snapshot: LedgerSnapshot }
  /** Written by another format: not used, and not a sign of tampering. */
  | { readonly kind: "other_format" }
  /** Its content does not match its hash, or it cannot be read: an integrity failure. */
  | { readonly kind: "damaged"; readonly reason: string };

const damaged = (reason: string): DecodedCooperativeSnapshot => ({ kind: "damaged", reason });

/**
 * The header of stored parts: "other_format" when it is another format's, null when it cannot be read
 * (not JSON, or fields missing: damaged).
 */
export const headerOf = (
  parts: readonly SnapshotPart[],
): CooperativeSnapshotHeader | "other_format" | null => {
  const first = parts[0];
  if (typeof first !== "string") return null;
  let header: Partial<CooperativeSnapshotHeader>;
  try {
    header = JSON.parse(first) as Partial<CooperativeSnapshotHeader>;
  } catch {
    return null;
  }
  if (typeof header !== "object" || header === null) return null;
  if (header.format !== COOPERATIVE_SNAPSHOT_FORMAT) return "other_format";
  if (typeof header.coopId !== "string" || typeof header.contentSha256 !== "string") return null;
  if (!Number.isInteger(header.revision) || typeof header.headHash !== "string") return null;
  return header as CooperativeSnapshotHeader;
};

/**
 * The held objects of a decoded body. Its per-entry collections stay as their packed text until first
 * used (lazyEntries.ts): a trial balance needs none of them.
 */
const restore = (
  coopId: string,
  header: CooperativeSnapshotHeader,
  body: SnapshotBody,
  onEntriesUnreadable: EntriesUnreadableListener | null,
): LedgerSnapshot => {
  const { entries: _emptyEntries, ...state } = body.state;
  const { entries: _emptyPosted, ...model } = reviveClonedReadModel(body.model);
  return lazySnapshot(
    {
      coopId,
      state,
      revision: header.revision,
      headHash: header.headHash,
      entryOrder: body.entryOrder,
      model,
      // Not stored: the cache reads the event at the snapshot's revision when it catches up, and notes it.
      lastRecordedAt: "",
    },
    body.entries,
    onEntriesUnreadable,
  );
};

/**
 * Checks the content hash of `coopId`'s stored parts and, when it matches, gives the snapshot back as
 * fresh objects owned by the caller. The chain head is checked by the caller against the log. Its entries
 * are built on first use; `onEntriesUnreadable` is told if they then cannot be (lazyEntries.ts).
 */
export const decodeCooperativeSnapshot = (
  coopId: string,
  parts: readonly SnapshotPart[],
  onEntriesUnreadable: EntriesUnreadableListener | null = null,
): DecodedCooperativeSnapshot => {
  const header = headerOf(parts);
  if (header === "other_format") return { kind: "other_format" };
  if (header === null) return damaged("its header cannot be read");
  if (header.coopId !== coopId) return damaged(`it is the snapshot of ${header.coopId}`);
  const slices = parts.slice(1);
  if (slices.some((part) => typeof part === "string")) return damaged("its body is text, not bytes");
  const body = slices.length === 1 ? (slices[0] as Uint8Array) : Buffer.concat(slices as Uint8Array[]);
  if (contentHashOf(header, body) !== header.contentSha256)
    return damaged("its content does not match the hash it records");
  let decoded: SnapshotBody;
  try {
    decoded = deserialize(body) as SnapshotBody;
  } catch (error) {
    return damaged(`its body cannot be read: ${error instanceof Error ? error.message : String(error)}`);
  }
  return { kind: "usable", header, snapshot: restore(coopId, header, decoded, onEntriesUnreadable) };
};

/** A stored snapshot, checked: none stored, another format, damaged or not built on this log, or usable. */
export type StoredSnapshotCheck =
  | { readonly kind: "none" }
  | { readonly kind: "other_format" }
  | { readonly kind: "damaged"; readonly reason: string }
  | {
      readonly kind: "usable";
      readonly header: CooperativeSnapshotHeader;
      readonly snapshot: LedgerSnapshot;
    };

/**
 * Reads `coopId`'s stored snapshot and checks its content hash and its chain head against the log (the
 * event at its revision must carry the hash it records). The service loads cooperatives through it and
 * `bukubesar verify` checks every stored snapshot with it. `onEntriesUnreadable` is told if the usable
 * snapshot's entries cannot be built when first used.
 */
export const readStoredSnapshot = async (
  store: EventStore,
  table: ReadModelSnapshotTable,
  coopId: string,
  onEntriesUnreadable: EntriesUnreadableListener | null = null,
): Promise<StoredSnapshotCheck> => {
  const record = await table.loadParts(cooperativeSnapshotName(coopId));
  if (record === null) return { kind: "none" };
  const decoded = decodeCooperativeSnapshot(coopId, record.parts, onEntriesUnreadable);
  if (decoded.kind !== "usable") return decoded;
  const { revision, headHash } = decoded.header;
  const [head] = await store.readStream(ledgerStreamId(coopId), {
    direction: "forwards",
    fromRevision: revision,
    limit: 1,
  });
  const logHash = head === undefined ? null : storedChainHash(head.metadata);
  if (head === undefined || head.revision !== revision || logHash !== headHash) {
    const found = head === undefined ? "no event there" : String(logHash);
    return {
      kind: "damaged",
      reason: `was built on chain head ${headHash} at revision ${revision}, the log has ${found}`,
    };
  }
  return decoded;
};
