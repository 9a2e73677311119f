/**
 * A cooperative loaded from its snapshot keeps its per-entry collections (the decider's `state.entries`,
 * the snapshot's `entryRecords`, the read model's `model.entries`) as the snapshot's packed JSON text until
 * something first reads or assigns one of them. Parsing the rows and building the objects is most of a
 * cold load's CPU, and a trial balance or a balance sheet needs none of them: they read the accounts'
 * totals (docs/benchmarks.md, Cold cooperatives).
 *
 * The three collections share their line objects, so the first access to any of them builds all three
 * from one parse. Each lives on its object's PROTOTYPE as an accessor, not on the object itself: an own
 * accessor puts the object into V8's slow dictionary mode for good, and the decider, the fold and the
 * reports read these objects on every command. Once built, each becomes an own data property of its
 * object, so reading, writing, spreading or cloning the object gives what an eagerly restored one gives.
 * The object keeps the shared prototype though: `Object.getPrototypeOf` differs, and so does a comparison
 * that checks prototypes (`assert.deepStrictEqual`, `util.isDeepStrictEqual`) with an eager object.
 *
 * The packed text is only parsed then, after the snapshot passed its hash check, so text that is not
 * JSON or rows that do not unpack (a snapshot edited with its hash recomputed) are found on first use, in
 * whatever request needs the entries. That access throws `PackedEntriesUnreadable`, and does again on
 * every later access, and the snapshot's `onUnreadable` listener is told once: the service's cache then
 * forgets the cooperative, rebuilds it from the log and raises its integrity alert (ledgerCache.ts).
 *
 * Because the pending collections are not own properties, a spread (`{ ...state }`), `Object.keys` or a
 * structured clone of an object still pending leaves them out. `encodeCooperativeSnapshot` knows this and
 * writes the packed text as it is; anything else that copies these objects whole must read the
 * collections first (reading one builds all three).
 */
import type { LedgerState } from "@bukubesar/ledger-core";
import type { LedgerReadModel } from "@bukubesar/projections";
import type { LedgerSnapshot } from "./ledgerSnapshot.js";
import { type PackedEntries, unpackEntries } from "./packedEntries.js";

/** Told once when a snapshot's packed entries cannot be built: not JSON, or rows that do not unpack. */
export type EntriesUnreadableListener = (snapshot: LedgerSnapshot, reason: string) => void;

/** Thrown by every access to the collections of a snapshot whose packed entries cannot be built. */
export class PackedEntriesUnreadable extends Error {
  constructor(readonly reason: string) {
    super(`the snapshot's packed entries cannot be read: ${reason}`);
    this.name = "PackedEntriesUnreadable";
  }
}

/** The three objects whose collections are still the packed text, and that text. */
interface Pending {
  /** JSON of `PackedEntries` (packedEntries.ts), as stored in the snapshot's body. */
  readonly packedText: string;
  readonly state: object;
  readonly snapshot: object;
  readonly model: object;
  readonly onUnreadable: EntriesUnreadableListener | null;
  /** Whether `onUnreadable` was told already. */
  told: boolean;
}

/** Each of a pending trio's three objects → the trio; removed when the collections are built. */
const pendingOf = new WeakMap<object, Pending>();

const ownData = (target: object, key: string, value: unknown): void => {
  Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
};

/** Builds the trio's collections as own data properties of its three objects, once. */
const materialise = (holder: object): void => {
  const pending = pendingOf.get(holder);
  if (pending === undefined) throw new Error("the entries of this object were not left packed");
  let built: ReturnType<typeof unpackEntries>;
  try {
    built = unpackEntries(JSON.parse(pending.packedText) as PackedEntries);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    if (!pending.told) {
      pending.told = true;
      pending.onUnreadable?.(pending.snapshot as LedgerSnapshot, reason);
    }
    throw new PackedEntriesUnreadable(reason);
  }
  const { stateEntries, records, posted } = built;
  ownData(pending.state, "entries", stateEntries);
  ownData(pending.snapshot, "entryRecords", records);
  ownData(pending.model, "entries", posted);
  for (const object of [pending.state, pending.snapshot, pending.model]) pendingOf.delete(object);
};

/**
 * A prototype whose `key` builds the collections on first read or write and then leaves the object's own
 * data property to answer. A write goes through too: code may assign the collection.
 */
const lazyPrototype = (key: string): object =>
  Object.create(Object.prototype, {
    [key]: {
      get(this: object) {
        materialise(this);
        return Reflect.get(this, key);
      },
      set(this: object, value: unknown) {
        materialise(this);
        Reflect.set(this, key, value);
      },
      enumerable: false,
      configurable: false,
    },
  }) as object;

// One prototype per kind of object, shared by every cooperative loaded: their objects share V8's maps.
const STATE_PROTOTYPE = lazyPrototype("entries");
const SNAPSHOT_PROTOTYPE = lazyPrototype("entryRecords");
const MODEL_PROTOTYPE = lazyPrototype("entries");

/** A snapshot as restored from its body: its three per-entry collections not among its properties. */
export type WithoutEntries = Omit<LedgerSnapshot, "state" | "model" | "entryRecords"> & {
  readonly state: Omit<LedgerState, "entries">;
  readonly model: Omit<LedgerReadModel, "entries">;
};

/**
 * The snapshot whose collections are built from `packedText` when first used. The objects given become
 * the snapshot's own (the snapshot, its state and its model get the prototypes that build them); none may
 * carry its collection as an own property. `onUnreadable` is told when the text cannot be built.
 */
export const lazySnapshot = (
  restored: WithoutEntries,
  packedText: string,
  onUnreadable: EntriesUnreadableListener | null = null,
): LedgerSnapshot => {
  const { state, model } = restored;
  Object.setPrototypeOf(state, STATE_PROTOTYPE);
  Object.setPrototypeOf(model, MODEL_PROTOTYPE);
  const snapshot = Object.setPrototypeOf(restored, SNAPSHOT_PROTOTYPE) as LedgerSnapshot;
  const pending: Pending = { packedText, state, snapshot, model, onUnreadable, told: false };
  for (const object of [state, snapshot, model]) pendingOf.set(object, pending);
  return snapshot;
};

/**
 * The packed text of a snapshot's collections while they are not built yet, else null. Nothing can change
 * a collection without reading it first, so while this is not null the text is exactly the collections.
 */
export const pendingPackedText = (snapshot: LedgerSnapshot): string | null =>
  pendingOf.get(snapshot)?.packedText ?? null;
