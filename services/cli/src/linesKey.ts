/**
 * A 128-bit key of an entry's id and lines, so that `verify` can check a reversal against its original
 * without keeping the original's lines (ledgerVerifier.ts): the decider builds a reversal from its
 * original's lines with debit and credit swapped, keeping their accounts, members and amounts
 * (ledger-core's reverseJournalEntry and reverseMemberExit through `mirror`, and reopenYear's undoing of a
 * closing entry), so the key of a reversal's lines, mirrored, under its original's id is the original's
 * own key. Units, counterparties and memos are left out: the decider may fill in a counterparty the
 * original did not name, and a line's order is left out too, so the check asks no more than the decider
 * guarantees.
 *
 * Each of the four 32-bit words is a sum over the lines of a hash keyed by a random seed drawn for each
 * verification: no one who edits the store can know the seeds, so none can craft a reversal whose other
 * lines give the original's key. It is not a cryptographic hash; SHA-256 per entry doubled verify's CPU
 * (about 2 µs an entry against 3 µs for the rest of its work); this costs about a tenth of that.
 */
import { randomFillSync } from "node:crypto";

/** 32-bit words in a key: 128 bits, the size of an entry id held by EntryIdSet. */
export const LINES_KEY_WORDS = 4;

/** One line as the key reads it: its amount in sen. */
export interface KeyedLine {
  readonly account: string;
  readonly memberId: string | null;
  readonly side: "debit" | "credit";
  readonly sen: bigint;
}

/** FNV-1a's 32-bit prime: each character is XORed in, then the lane multiplied by it. */
const FNV_PRIME = 0x01000193;
/** Above every UTF-16 code unit: ends a string, so "11" + "01" and "110" + "1" hash apart. */
const STRING_END = 0x10000;
const TWO_TO_THE_32 = 2 ** 32;

/** Murmur3's finaliser: spreads every input bit over the word before the lines' hashes are added. */
const finalise = (value: number): number => {
  let hash = value ^ (value >>> 16);
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  return (hash ^ (hash >>> 16)) >>> 0;
};

/** The four lanes of one line's hash while it is built (reused: a line allocates nothing). */
const lanes = new Uint32Array(LINES_KEY_WORDS);

/** Mixes `text` into every lane, one pass over its characters. */
const mixString = (text: string): void => {
  let a = lanes[0] as number;
  let b = lanes[1] as number;
  let c = lanes[2] as number;
  let d = lanes[3] as number;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    a = Math.imul(a ^ code, FNV_PRIME);
    b = Math.imul(b ^ code, FNV_PRIME);
    c = Math.imul(c ^ code, FNV_PRIME);
    d = Math.imul(d ^ code, FNV_PRIME);
  }
  mixNumber(a, b, c, d, STRING_END);
};

/** Sets the lanes to `a`..`d` each with `value` mixed in. */
const mixNumber = (a: number, b: number, c: number, d: number, value: number): void => {
  lanes[0] = Math.imul(a ^ value, FNV_PRIME);
  lanes[1] = Math.imul(b ^ value, FNV_PRIME);
  lanes[2] = Math.imul(c ^ value, FNV_PRIME);
  lanes[3] = Math.imul(d ^ value, FNV_PRIME);
};

const mixInto = (value: number): void =>
  mixNumber(lanes[0] as number, lanes[1] as number, lanes[2] as number, lanes[3] as number, value);

const mixAmount = (sen: bigint): void => {
  const value = Number(sen);
  // Line amounts fit a double exactly up to 2^53 sen; a larger one (a year-end total) is hashed as text.
  if (!Number.isSafeInteger(value)) {
    mixString(sen.toString());
    return;
  }
  const low = value % TWO_TO_THE_32;
  mixInto(low);
  mixInto((value - low) / TWO_TO_THE_32);
};

/** The keys of one verification: its seeds, and the key being built (reused, so a key allocates nothing). */
export class LinesKeys {
  private readonly seeds = randomFillSync(new Uint32Array(LINES_KEY_WORDS));
  /** The last key built by `keyOf`; valid until the next call. */
  readonly key = new Uint32Array(LINES_KEY_WORDS);
  private readonly idWords = new Uint32Array(LINES_KEY_WORDS);
  /** The sum of the lines' hashes, per word (a Uint32Array wraps each sum modulo 2^32). */
  private readonly sums = new Uint32Array(LINES_KEY_WORDS);

  /**
   * The key of `lines` under the entry id whose words `idWords` gives (an EntryIdSet's `uuidWords`, else
   * the id is hashed like a string), with the sides swapped when `mirrored`. Written into `key`.
   */
  keyOf(
    entryId: string,
    lines: readonly KeyedLine[],
    mirrored: boolean,
    uuidWords: (id: string, out: Uint32Array) => boolean,
  ): Uint32Array {
    if (!uuidWords(entryId, this.idWords)) {
      lanes.set(this.seeds);
      mixString(entryId);
      for (let word = 0; word < LINES_KEY_WORDS; word += 1)
        this.idWords[word] = finalise(lanes[word] as number);
    }
    this.sums.fill(0);
    for (const line of lines) {
      lanes.set(this.seeds);
      mixString(line.account);
      mixString(line.memberId ?? "");
      mixInto((line.side === "debit") !== mirrored ? 1 : 2);
      mixAmount(line.sen);
      // Each line's hash is added in, so the lines' order does not count.
      for (let word = 0; word < LINES_KEY_WORDS; word += 1)
        this.sums[word] = (this.sums[word] as number) + finalise(lanes[word] as number);
    }
    for (let word = 0; word < LINES_KEY_WORDS; word += 1)
      this.key[word] = (this.idWords[word] as number) ^ (this.sums[word] as number);
    return this.key;
  }
}
