/**
 * The whole of a stored cooperative snapshot compared with the snapshot the log gives at its revision:
 * the ledger state, the entry order and the read model, and the per-entry collections (the decider's
 * entries, the entry records, the read model's posted entries) that the snapshot keeps as packed JSON
 * text. The service decides commands on these collections (a reversal mirrors the lines its decider reads
 * from the snapshot), so a snapshot whose balances agree with the log but whose entries were edited, with
 * its hash recomputed, is as wrong as one whose balances were.
 *
 * Each part is compared the cheap way first, and field by field only when that fails, so that a sound
 * snapshot costs little and a finding names what differs: the state and read model by deep equality, the
 * packed text as text (a snapshot the service wrote from the same events packs to the same text). When the
 * texts differ the stored rows are unpacked and compared entry by entry, in a form that ignores how the
 * rows were packed (a posted entry written out in full or as its id alone). Pure functions, no I/O.
 */
import { isDeepStrictEqual } from "node:util";
import {
  type LedgerSnapshot,
  type PackedEntries,
  packEntries,
  pendingPackedText,
  unpackEntries,
} from "@bukubesar/snapshots";

/** The codes of what the check of a cooperative's stored snapshot finds (`bukubesar verify --json`). */
export const SNAPSHOT_DIFFERS = "snapshot_differs";
export const SNAPSHOT_DAMAGED = "snapshot_damaged";

/** What is wrong with a stored snapshot, with its code. */
export interface SnapshotFinding {
  readonly code: typeof SNAPSHOT_DIFFERS | typeof SNAPSHOT_DAMAGED;
  readonly reason: string;
}

const differs = (reason: string): SnapshotFinding => ({ code: SNAPSHOT_DIFFERS, reason });

/**
 * A JSON text of a value: Maps and Sets as their entries in order, bigints as text, and a class with its
 * own `toJSON` (the read model's daily totals) as that, which leaves out its caches. Two objects built by
 * the same fold list their fields in the same order, so equal texts are the common, cheap answer.
 */
const plainReplacer = (_key: string, value: unknown): unknown => {
  if (value instanceof Map) return { map: [...value] };
  if (value instanceof Set) return { set: [...value] };
  if (typeof value === "bigint") return `${value}n`;
  return value;
};

/**
 * As `plainReplacer`, with every object's keys sorted: a text that differs exactly when the values do,
 * also where two code paths built an object's fields in another order (an unpacked entry and a folded
 * one). It costs a copy of every object, so it only confirms a difference the plain texts show.
 */
const sortedReplacer = (key: string, value: unknown): unknown => {
  const plain = plainReplacer(key, value);
  if (typeof plain !== "object" || plain === null || Array.isArray(plain)) return plain;
  return Object.fromEntries(Object.entries(plain).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
};

const plainText = (value: unknown): string => JSON.stringify(value, plainReplacer) ?? "undefined";
const canonical = (value: unknown): string => JSON.stringify(value, sortedReplacer) ?? "undefined";

/** Whether two values hold the same: the plain texts first, the sorted ones only when those differ. */
const same = (held: unknown, log: unknown): boolean =>
  plainText(held) === plainText(log) || canonical(held) === canonical(log);

/** The first field of `log` and `held` whose values differ, or null when none does. */
const firstDifferentField = (held: object, log: object): string | null => {
  const heldFields = held as Record<string, unknown>;
  const logFields = log as Record<string, unknown>;
  const keys = [...new Set([...Object.keys(logFields), ...Object.keys(heldFields)])];
  return keys.find((key) => !same(heldFields[key], logFields[key])) ?? null;
};

/**
 * The snapshot's own fields without its per-entry collections and without the read model's caches (the
 * encoder empties those). A spread copies own properties only, so the collections of a snapshot still
 * pending (lazyEntries.ts) are not built by this.
 */
const withoutEntries = (snapshot: LedgerSnapshot) => {
  const { entries: _stateEntries, ...state } = { ...snapshot.state };
  const {
    entries: _postedEntries,
    sortedCache: _sorted,
    entryIndex: _index,
    ...model
  } = { ...snapshot.model };
  return { state, entryOrder: snapshot.entryOrder, model };
};

/** Where the snapshot's state, entry order or read model differ from the log's, or null. */
const heldFieldsDifference = (stored: LedgerSnapshot, folded: LedgerSnapshot): SnapshotFinding | null => {
  const held = withoutEntries(stored);
  const log = withoutEntries(folded);
  // Deep equality is the cheap answer for a sound snapshot (it also takes a Map's entries in any order);
  // only when it fails are the fields compared one by one, as texts that leave the caches out.
  if (isDeepStrictEqual(held, log)) return null;
  const stateField = firstDifferentField(held.state, log.state);
  if (stateField !== null) return differs(`its ledger state's ${stateField} differs from the log's`);
  if (!same(held.entryOrder, log.entryOrder)) return differs("its order of entries differs from the log's");
  const modelField = firstDifferentField(held.model, log.model);
  if (modelField !== null) return differs(`its read model's ${modelField} differs from the log's`);
  return null;
};

/** The first entry of a keyed collection that differs, named with the field, or null. */
const keyedDifference = (
  what: string,
  held: ReadonlyMap<string, object>,
  log: ReadonlyMap<string, object>,
): string | null => {
  for (const [entryId, logged] of log) {
    const kept = held.get(entryId);
    if (kept === undefined) return `it has no ${what} of entry ${entryId}, which the log has`;
    const field = firstDifferentField(kept, logged);
    if (field !== null) return `entry ${entryId}: its ${what}'s ${field} differs from the log's`;
  }
  for (const entryId of held.keys())
    if (!log.has(entryId)) return `it has a ${what} of entry ${entryId}, which the log does not have`;
  return null;
};

/** The stored rows unpacked, or what stops them being read (the service could not build its entries). */
const unpacked = (text: string): ReturnType<typeof unpackEntries> | SnapshotFinding => {
  try {
    return unpackEntries(JSON.parse(text) as PackedEntries);
  } catch (error) {
    return {
      code: SNAPSHOT_DAMAGED,
      reason: `its packed entries cannot be read: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
};

/** Where the stored packed entries differ from the log's, or null. */
const entriesDifference = (storedText: string, folded: LedgerSnapshot): SnapshotFinding | null => {
  const logText = JSON.stringify(
    packEntries(folded.state.entries, folded.entryRecords, folded.model.entries),
  );
  if (storedText === logText) return null;
  const held = unpacked(storedText);
  if ("code" in held) return held;
  const difference =
    keyedDifference("ledger-state entry", held.stateEntries, folded.state.entries) ??
    keyedDifference("entry record", held.records, folded.entryRecords) ??
    keyedDifference(
      "posted entry",
      new Map(held.posted.map((entry) => [entry.entryId, entry])),
      new Map(folded.model.entries.map((entry) => [entry.entryId, entry])),
    );
  if (difference !== null) return differs(difference);
  // The same entries, packed otherwise (a line list written out where the fold shares it): the order of
  // the posted entries is all that is left to compare.
  const heldOrder = held.posted.map((entry) => entry.entryId);
  if (
    !same(
      heldOrder,
      folded.model.entries.map((entry) => entry.entryId),
    )
  )
    return differs("its posted entries are in another order than the log's");
  return null;
};

/**
 * How the stored snapshot differs from `folded`, the snapshot the log gives at the same revision, or null
 * when they hold the same. `stored` is as decoded: its collections still pending, read here as the text.
 */
export const snapshotContentDifference = (
  stored: LedgerSnapshot,
  folded: LedgerSnapshot,
): SnapshotFinding | null => {
  const storedText =
    pendingPackedText(stored) ??
    JSON.stringify(packEntries(stored.state.entries, stored.entryRecords, stored.model.entries));
  return heldFieldsDifference(stored, folded) ?? entriesDifference(storedText, folded);
};
