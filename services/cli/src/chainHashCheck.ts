import { hash as oneShotHash } from "node:crypto";
import type { EncodedEventRow } from "@bukubesar/event-store";
import { GENESIS_PREV_HASH } from "@bukubesar/ledger-core";
import { chainHash } from "./chainHash.js";

/**
 * `verify` on a SQLite store checks every chain hash on the thread that reads the rows, straight from
 * the stored texts: the store keeps the canonical JSON of data and of the metadata without its chain
 * fields (packages/event-store/src/sqliteEncoding.ts), and the hash rule of docs/hash-chain.md is the
 * SHA-256 of prevHash followed by the canonical JSON of {data, meta, revision, type}, whose keys sort in
 * exactly that order. So the hash input is the stored texts put together, nothing is parsed. Everything
 * else (revisions, links, invariants, balances) runs on a second thread (verifyFoldWorker.ts) from the
 * same rows. Each event's hash is recomputed from the recomputed hash of the event before it; the other
 * thread checks that every stored prevHash is the stored hash before it, so together the two prove what
 * recomputing the chain in order proves, and the first bad revision named is the same.
 */

/** The first event of a stream whose stored hash is not the hash of its contents. */
export interface HashMismatch {
  readonly streamId: string;
  /** The event's place in its stream as read (0, 1, 2, …), which is its revision when none is missing. */
  readonly revision: number;
  readonly stored: string;
  /** Null when the event could not be canonicalised at all (`error` says why). */
  readonly recomputed: string | null;
  readonly error: string | null;
}

interface StreamHashState {
  ordinal: number;
  previousHash: string;
}

/** Recomputes the chain hash of each stored row and keeps the first mismatch of each stream. */
export class StoredChainHashCheck {
  private readonly streams = new Map<string, StreamHashState>();
  private readonly found = new Map<string, HashMismatch>();

  accept(row: EncodedEventRow): void {
    const streamId = row[1];
    if (this.found.has(streamId)) return;
    let state = this.streams.get(streamId);
    if (state === undefined) {
      state = { ordinal: 0, previousHash: GENESIS_PREV_HASH };
      this.streams.set(streamId, state);
    }
    const ordinal = state.ordinal;
    state.ordinal += 1;
    const storedHash = row[7];
    if (storedHash !== null) {
      const input = `${state.previousHash}{"data":${row[4]},"meta":${row[5]},"revision":${row[2]},"type":${JSON.stringify(row[3])}}`;
      const recomputed = oneShotHash("sha256", input, "hex");
      if (recomputed === storedHash) {
        state.previousHash = recomputed;
        return;
      }
    }
    // A stored text that is not canonical (edited behind the store's back) hashes by value, as the rule
    // says; so do events whose metadata kept its chain fields (not 64 hex digits when written).
    this.checkByValue(streamId, ordinal, state, row);
  }

  /** The first mismatch of each stream that has one. */
  get mismatches(): ReadonlyMap<string, HashMismatch> {
    return this.found;
  }

  private checkByValue(
    streamId: string,
    ordinal: number,
    state: StreamHashState,
    row: EncodedEventRow,
  ): void {
    let stored = "undefined";
    try {
      const data = JSON.parse(row[4]) as unknown;
      const metadata = JSON.parse(row[5]) as unknown;
      const record =
        typeof metadata === "object" && metadata !== null ? (metadata as Record<string, unknown>) : null;
      stored = row[7] !== null ? row[7] : String(record?.hash);
      const recomputed = chainHash(state.previousHash, { type: row[3], revision: row[2], data, metadata });
      if (recomputed === stored) {
        state.previousHash = recomputed;
        return;
      }
      this.found.set(streamId, { streamId, revision: ordinal, stored, recomputed, error: null });
    } catch (error) {
      this.found.set(streamId, {
        streamId,
        revision: ordinal,
        stored,
        recomputed: null,
        error: (error as Error).message,
      });
    }
  }
}
