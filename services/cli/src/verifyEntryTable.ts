import { EntryIdSet, mixIdWords } from "./entryIdSet.js";
import { LINES_KEY_WORDS } from "./linesKey.js";

/**
 * The entries one ledger's verification has met, by id: whether each was proposed, posted and reversed,
 * and for each posted entry the key of its lines (linesKey.ts), which a later reversal must mirror. One
 * open-addressing table holds all of it, 32 bytes a slot (the id's 128 bits, then its lines key) and a
 * byte of flags, no object per entry: a posting costs one probe of one table. Four sets (posted,
 * proposed, reversed, and the posted entries' keys) cost four probes, two of them missing the cache in
 * tables of 32 MB each at a million entries, and were a quarter of verify's fold thread. An id that is
 * not a canonical UUID is kept in a Map by its text, so the table answers exactly as a map of strings
 * would.
 */

/** The entry was proposed (JournalEntryProposed). */
export const ENTRY_PROPOSED = 1;
/** The entry was posted (JournalEntryPosted); its lines key is held. */
export const ENTRY_POSTED = 2;
/** The entry was reversed (JournalEntryReversed). */
export const ENTRY_REVERSED = 4;

/** Slots in a new table; a power of two, so a hash is reduced to a slot with a mask. */
const INITIAL_SLOTS = 1024;
/** 32-bit words of an id: 128 bits, as EntryIdSet packs a canonical UUID. */
const ID_WORDS = 4;
/** Words per slot: the id, then the lines key. */
const WORDS_PER_SLOT = ID_WORDS + LINES_KEY_WORDS;
/** The table doubles before more than this share of its slots is used, which keeps probes short. */
const LOAD_FACTOR_MAX = 0.5;

/** An entry whose id is not a canonical UUID. */
interface OtherEntry {
  flags: number;
  readonly linesKey: Uint32Array;
}

/** The slots for `entries` ids without growing: a power of two, at least INITIAL_SLOTS. */
const slotsFor = (entries: number): number => {
  let slots = INITIAL_SLOTS;
  while (slots * LOAD_FACTOR_MAX < entries) slots *= 2;
  return slots;
};

export class EntryTable {
  private slots: number;
  private words: Uint32Array;
  /** Each slot's flags; 0 for a free slot (every entry held has at least one flag). */
  private flags: Uint8Array;
  private packedCount = 0;
  private postedCount = 0;
  private readonly others = new Map<string, OtherEntry>();
  /** Packs canonical UUIDs into words (EntryIdSet.uuidWords): one way to read an id as 128 bits. */
  private readonly packer = new EntryIdSet();
  /** The last id looked up, its words and whether it is a canonical UUID: an event asks about one id several times. */
  private lastId = "";
  private lastIsUuid = false;
  private readonly id = new Uint32Array(ID_WORDS);

  /**
   * `expectedEntries`, when known, sizes the table so that it need not grow: at a million entries the
   * moves of its last doublings cost more than all the lookups (they miss the cache and fault in the
   * pages of arrays of 64 MB). The table still grows past it.
   */
  constructor(expectedEntries = 0) {
    this.slots = slotsFor(expectedEntries);
    this.words = new Uint32Array(this.slots * WORDS_PER_SLOT);
    this.flags = new Uint8Array(this.slots);
  }

  /** Entries posted so far. */
  get posted(): number {
    return this.postedCount;
  }

  /** Ids held as strings (not canonical UUIDs): the only objects this table keeps per entry. */
  get heldStrings(): number {
    return this.others.size;
  }

  /** The flags of `entryId` (ENTRY_PROPOSED, ENTRY_POSTED, ENTRY_REVERSED), 0 when never met. */
  flagsOf(entryId: string): number {
    if (!this.pack(entryId)) return this.others.get(entryId)?.flags ?? 0;
    return this.flags[this.slotOf()] as number;
  }

  /** Adds `flag` to the flags of `entryId`; ENTRY_POSTED goes through `post`, with the lines key. */
  mark(entryId: string, flag: number): void {
    if (!this.pack(entryId)) {
      this.other(entryId).flags |= flag;
      return;
    }
    const slot = this.insert();
    this.flags[slot] = (this.flags[slot] as number) | flag;
  }

  /** Marks `entryId` posted, with the key of its lines. */
  post(entryId: string, linesKey: Uint32Array): void {
    if (!this.pack(entryId)) {
      const other = this.other(entryId);
      other.flags |= ENTRY_POSTED;
      other.linesKey.set(linesKey);
    } else {
      const slot = this.insert();
      const base = slot * WORDS_PER_SLOT + ID_WORDS;
      for (let word = 0; word < LINES_KEY_WORDS; word += 1)
        this.words[base + word] = linesKey[word] as number;
      this.flags[slot] = (this.flags[slot] as number) | ENTRY_POSTED;
    }
    this.postedCount += 1;
  }

  /** Whether `entryId` is posted with lines whose key is `linesKey`. */
  postedWithKey(entryId: string, linesKey: Uint32Array): boolean {
    if (!this.pack(entryId)) {
      const other = this.others.get(entryId);
      return (
        other !== undefined && (other.flags & ENTRY_POSTED) !== 0 && sameKey(other.linesKey, 0, linesKey)
      );
    }
    const slot = this.slotOf();
    return (
      ((this.flags[slot] as number) & ENTRY_POSTED) !== 0 &&
      sameKey(this.words, slot * WORDS_PER_SLOT + ID_WORDS, linesKey)
    );
  }

  /** Writes a canonical UUID's 128 bits into `out`, as LinesKeys.keyOf asks; false for any other id. */
  readonly uuidWords = (id: string, out: Uint32Array): boolean => {
    if (!this.pack(id)) return false;
    for (let word = 0; word < ID_WORDS; word += 1) out[word] = this.id[word] as number;
    return true;
  };

  /** The entry of an id that is not a canonical UUID, added if new. */
  private other(entryId: string): OtherEntry {
    let other = this.others.get(entryId);
    if (other === undefined) {
      other = { flags: 0, linesKey: new Uint32Array(LINES_KEY_WORDS) };
      this.others.set(entryId, other);
    }
    return other;
  }

  /** Writes `entryId` into `id` (once for the same id asked again) and answers whether it is a canonical UUID. */
  private pack(entryId: string): boolean {
    if (entryId !== this.lastId) {
      this.lastId = entryId;
      this.lastIsUuid = this.packer.uuidWords(entryId, this.id);
    }
    return this.lastIsUuid;
  }

  /** The slot of the packed id, taken if it was free (the caller sets its flags, which mark it taken). */
  private insert(): number {
    let slot = this.slotOf();
    if (this.flags[slot] !== 0) return slot;
    this.packedCount += 1;
    if (this.packedCount > this.slots * LOAD_FACTOR_MAX) {
      this.grow();
      slot = this.slotOf();
    }
    const base = slot * WORDS_PER_SLOT;
    for (let word = 0; word < ID_WORDS; word += 1) this.words[base + word] = this.id[word] as number;
    return slot;
  }

  /** The slot holding the packed id, or the free slot where it belongs (linear probing). */
  private slotOf(): number {
    const { id, words, flags } = this;
    const mask = this.slots - 1;
    let slot = mixIdWords(id[0] as number, id[1] as number, id[2] as number, id[3] as number) & mask;
    for (;;) {
      if (flags[slot] === 0) return slot;
      const base = slot * WORDS_PER_SLOT;
      if (
        words[base] === id[0] &&
        words[base + 1] === id[1] &&
        words[base + 2] === id[2] &&
        words[base + 3] === id[3]
      )
        return slot;
      slot = (slot + 1) & mask;
    }
  }

  /** Doubles the table, before the id being inserted takes its slot. */
  private grow(): void {
    const oldWords = this.words;
    const oldFlags = this.flags;
    const oldSlots = this.slots;
    const slots = oldSlots * 2;
    const words = new Uint32Array(slots * WORDS_PER_SLOT);
    const flags = new Uint8Array(slots);
    const mask = slots - 1;
    for (let oldSlot = 0; oldSlot < oldSlots; oldSlot += 1) {
      const slotFlags = oldFlags[oldSlot] as number;
      if (slotFlags === 0) continue;
      const from = oldSlot * WORDS_PER_SLOT;
      const first = oldWords[from] as number;
      const second = oldWords[from + 1] as number;
      const third = oldWords[from + 2] as number;
      const fourth = oldWords[from + 3] as number;
      let slot = mixIdWords(first, second, third, fourth) & mask;
      while (flags[slot] !== 0) slot = (slot + 1) & mask;
      // Word by word: a subarray per slot cost more than the rest of the move.
      const to = slot * WORDS_PER_SLOT;
      for (let word = 0; word < WORDS_PER_SLOT; word += 1) words[to + word] = oldWords[from + word] as number;
      flags[slot] = slotFlags;
    }
    this.slots = slots;
    this.words = words;
    this.flags = flags;
  }
}

/** Whether the LINES_KEY_WORDS words of `words` from `base` are `key`'s. */
const sameKey = (words: Uint32Array, base: number, key: Uint32Array): boolean => {
  for (let word = 0; word < LINES_KEY_WORDS; word += 1) if (words[base + word] !== key[word]) return false;
  return true;
};
