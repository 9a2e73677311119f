/**
 * The set of entry ids `verify` must remember (posted, proposed, reversed) to check that no entry is
 * posted twice and that every reversal and approval names a real entry. Those checks need every id seen,
 * so this is the one part of verify's memory that grows with the history; it is kept small. An id in the
 * canonical lowercase UUID form (every id the ledger makes) is held as its 128 bits in an open-addressing
 * table of typed arrays, 16 bytes a slot and no object per id, instead of a string in a Set (about
 * 100 bytes an id, and a million objects for the collector to trace). Any other id is kept as a string,
 * so the set answers exactly as a Set<string> would.
 */

/** Slots in a new table; a power of two, so a hash is reduced to a slot with a mask. */
const INITIAL_SLOTS = 1024;
/** 32-bit words per id: 128 bits. */
const WORDS_PER_ID = 4;
/** The table doubles before more than this share of its slots is used, which keeps probes short. */
const LOAD_FACTOR_MAX = 0.5;
/** A canonical UUID is 36 characters with dashes at these places. */
const UUID_LENGTH = 36;
const isDashPlace = (index: number): boolean => index === 8 || index === 13 || index === 18 || index === 23;

/** The value of a lowercase hexadecimal digit's character code, or -1. */
const hexValue = (code: number): number => {
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 97 && code <= 102) return code - 87;
  return -1;
};

export class EntryIdSet {
  private slots = INITIAL_SLOTS;
  private words = new Uint32Array(INITIAL_SLOTS * WORDS_PER_ID);
  private used = new Uint8Array(INITIAL_SLOTS);
  private packedCount = 0;
  private readonly others = new Set<string>();
  /** The id being looked up, as four words (reused, so a lookup allocates nothing). */
  private readonly key = new Uint32Array(WORDS_PER_ID);

  get size(): number {
    return this.packedCount + this.others.size;
  }

  /** Ids held as strings (not canonical UUIDs): the only objects this set keeps per id. */
  get heldStrings(): number {
    return this.others.size;
  }

  has(id: string): boolean {
    if (!this.pack(id)) return this.others.has(id);
    return this.used[this.slotOf()] === 1;
  }

  add(id: string): void {
    if (!this.pack(id)) {
      this.others.add(id);
      return;
    }
    this.insertKey();
  }

  /**
   * Holds a 128-bit key (four 32-bit words) the way a canonical id is held: verify keeps one per posted
   * entry for its lines (linesKey.ts), so it costs a slot, not an object. A set used for keys should hold
   * nothing else.
   */
  addKey(words: Uint32Array): void {
    this.key.set(words);
    this.insertKey();
  }

  hasKey(words: Uint32Array): boolean {
    this.key.set(words);
    return this.used[this.slotOf()] === 1;
  }

  /** Writes a canonical UUID's 128 bits into `out`; false (and `out` untouched) for any other id. */
  uuidWords(id: string, out: Uint32Array): boolean {
    if (!this.pack(id)) return false;
    out.set(this.key);
    return true;
  }

  /** Stores `key` unless held already, growing the table as it fills. */
  private insertKey(): void {
    const slot = this.slotOf();
    if (this.used[slot] === 1) return;
    this.store(slot);
    this.packedCount += 1;
    if (this.packedCount > this.slots * LOAD_FACTOR_MAX) this.grow();
  }

  /** Writes `id` into `key` and answers true when it is a canonical lowercase UUID. */
  private pack(id: string): boolean {
    if (id.length !== UUID_LENGTH) return false;
    const key = this.key;
    let word = 0;
    let nibbles = 0;
    for (let index = 0; index < UUID_LENGTH; index += 1) {
      const code = id.charCodeAt(index);
      if (isDashPlace(index)) {
        if (code !== 45) return false;
        continue;
      }
      const value = hexValue(code);
      if (value < 0) return false;
      word = ((word << 4) | value) >>> 0;
      nibbles += 1;
      if (nibbles % 8 === 0) {
        key[nibbles / 8 - 1] = word;
        word = 0;
      }
    }
    return true;
  }

  /** The slot holding `key`, or the free slot where it belongs (linear probing). */
  private slotOf(): number {
    const key = this.key;
    const mask = this.slots - 1;
    let slot = mix(key) & mask;
    for (;;) {
      if (this.used[slot] === 0) return slot;
      const base = slot * WORDS_PER_ID;
      if (
        this.words[base] === key[0] &&
        this.words[base + 1] === key[1] &&
        this.words[base + 2] === key[2] &&
        this.words[base + 3] === key[3]
      )
        return slot;
      slot = (slot + 1) & mask;
    }
  }

  private store(slot: number): void {
    // Four stores, not TypedArray.set: the call cost more than the rest of an add in verify's profile.
    const base = slot * WORDS_PER_ID;
    this.words[base] = this.key[0] as number;
    this.words[base + 1] = this.key[1] as number;
    this.words[base + 2] = this.key[2] as number;
    this.words[base + 3] = this.key[3] as number;
    this.used[slot] = 1;
  }

  private grow(): void {
    const oldWords = this.words;
    const oldUsed = this.used;
    const oldSlots = this.slots;
    this.slots = oldSlots * 2;
    this.words = new Uint32Array(this.slots * WORDS_PER_ID);
    this.used = new Uint8Array(this.slots);
    for (let slot = 0; slot < oldSlots; slot += 1) {
      if (oldUsed[slot] === 0) continue;
      this.key.set(oldWords.subarray(slot * WORDS_PER_ID, (slot + 1) * WORDS_PER_ID));
      this.store(this.slotOf());
    }
  }
}

/**
 * A 32-bit hash of an id's four words (murmur3's finaliser over their mix): UUID versions fix some bits.
 * verify's entry table (verifyEntryTable.ts) places its ids with it too.
 */
export const mixIdWords = (a: number, b: number, c: number, d: number): number => {
  let hash = a ^ Math.imul(b, 0x9e3779b1) ^ Math.imul(c, 0x85ebca6b) ^ Math.imul(d, 0xc2b2ae35);
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
};

const mix = (key: Uint32Array): number =>
  mixIdWords(key[0] as number, key[1] as number, key[2] as number, key[3] as number);
