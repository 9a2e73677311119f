/** The bytes of a request hash (SHA-256, written as 64 lowercase hexadecimal characters). */
const REQUEST_HASH_BYTES = 32;
const REQUEST_HASH_HEX = /^[0-9a-f]{64}$/;
/** Keys the digest buffer holds before it first grows (it doubles each time it is full). */
const INITIAL_KEYS = 1024;

/** Only a lowercase SHA-256 text comes back exactly from its bytes; anything else is a caller's bug. */
const checkRequestHash = (requestHash: string): void => {
  if (!REQUEST_HASH_HEX.test(requestHash))
    throw new Error(`not a request hash: ${JSON.stringify(requestHash)}`);
};

/**
 * The request hash of every idempotency key an import has met in its file, by key, so a key used again
 * with another body is refused. An import holds one per line of the file, so each hash is kept as its 32
 * bytes in one growing buffer, the map giving only the key's slot: measured with 13-character keys, 69
 * bytes of heap a key against 149 for a map from the key to the 64-character text (80 MB less at a
 * million lines).
 */
export class SeenRequests {
  private readonly slots = new Map<string, number>();
  private digests = Buffer.alloc(INITIAL_KEYS * REQUEST_HASH_BYTES);

  /** The request hash met with `key`, as the text it was given in, or undefined. */
  get(key: string): string | undefined {
    const slot = this.slots.get(key);
    if (slot === undefined) return undefined;
    const start = slot * REQUEST_HASH_BYTES;
    return this.digests.toString("hex", start, start + REQUEST_HASH_BYTES);
  }

  /** Notes `requestHash` for `key` (replacing an earlier one). */
  set(key: string, requestHash: string): void {
    const slot = this.slots.get(key);
    if (slot === undefined) this.noteNew(key, requestHash);
    else {
      checkRequestHash(requestHash);
      this.write(slot, requestHash);
    }
  }

  /**
   * The request hash met earlier with `key`, or undefined after noting `requestHash` as the key's: one
   * lookup of the key for the import's question about each line (a get and then a set took three).
   */
  firstMet(key: string, requestHash: string): string | undefined {
    const earlier = this.get(key);
    if (earlier === undefined) this.noteNew(key, requestHash);
    return earlier;
  }

  private noteNew(key: string, requestHash: string): void {
    checkRequestHash(requestHash);
    const slot = this.slots.size;
    this.slots.set(key, slot);
    this.write(slot, requestHash);
  }

  private write(slot: number, requestHash: string): void {
    const start = slot * REQUEST_HASH_BYTES;
    if (start + REQUEST_HASH_BYTES > this.digests.length) this.grow();
    this.digests.write(requestHash, start, REQUEST_HASH_BYTES, "hex");
  }

  private grow(): void {
    const larger = Buffer.alloc(this.digests.length * 2);
    this.digests.copy(larger);
    this.digests = larger;
  }
}
