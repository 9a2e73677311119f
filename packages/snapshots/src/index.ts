/**
 * A cooperative at a revision, as the API holds it in memory (ledgerSnapshot.ts: the decider's state, the
 * entries' records and the reports' read model, folded from the same events), and the formats it is
 * stored in (cooperativeSnapshot.ts, packedEntries.ts; a loaded one builds its entries on first use,
 * lazyEntries.ts) with the directory of cooperatives
 * (cooperativeDirectory.ts). The API writes and reads them; `bukubesar verify` checks the stored ones
 * against the log, without importing the HTTP service.
 */
export type { CooperativeDirectory, DirectoryEntry, DirectoryOptions } from "./cooperativeDirectory.js";
export {
  DIRECTORY_SNAPSHOT_NAME,
  decodeDirectory,
  encodeDirectory,
  openCooperativeDirectory,
} from "./cooperativeDirectory.js";
export type {
  CooperativeSnapshotHeader,
  DecodedCooperativeSnapshot,
  StoredSnapshotCheck,
} from "./cooperativeSnapshot.js";
export {
  COOPERATIVE_SNAPSHOT_FORMAT,
  COOPERATIVE_SNAPSHOT_PREFIX,
  cooperativeSnapshotName,
  decodeCooperativeSnapshot,
  encodeCooperativeSnapshot,
  headerOf,
  readStoredSnapshot,
} from "./cooperativeSnapshot.js";
export type { EntriesUnreadableListener } from "./lazyEntries.js";
export { PackedEntriesUnreadable, pendingPackedText } from "./lazyEntries.js";
export type { EntryRecord, LedgerSnapshot } from "./ledgerSnapshot.js";
export {
  advanceSnapshot,
  emptySnapshot,
  noteRecordedAt,
  recordedAtAfter,
} from "./ledgerSnapshot.js";
export type { PackedEntries } from "./packedEntries.js";
export { packEntries, unpackEntries } from "./packedEntries.js";
