import { hash as oneShotHash } from "node:crypto";
import { GENESIS_PREV_HASH } from "@bukubesar/ledger-core";
import { chainHash } from "./chainHash.js";

/**
 * `verify` on a SQLite store checks every chain hash on the thread that reads the rows, from the stored
 * texts: the store gives back the canonical JSON of data and of the metadata without its chain fields
 * (packages/event-store/src/sqliteEncoding.ts), laid into their shapes without parsing them
 * (sqliteShapes.ts), and the hash rule of docs/hash-chain.md is the SHA-256 of prevHash followed by the
 * canonical JSON of {data, meta, revision, type}, whose keys sort in exactly that order. So the hash
 * input is those texts put together, nothing is parsed. Everything
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

/** One stored event's hashed columns: its canonical data and metadata texts (the metadata without the chain fields). */
export interface CanonicalColumns {
  readonly streamId: string;
  readonly revision: number;
  readonly type: string;
  readonly data: string;
  readonly metadata: string;
  /** The stored hash in hex, or null when the metadata text still holds its chain fields. */
  readonly hash: string | null;
}

/** Recomputes the chain hash of each stored row and keeps the first mismatch of each stream. */
export class StoredChainHashCheck {
  private readonly streams = new Map<string, StreamHashState>();
  private readonly found = new Map<string, HashMismatch>();
  /** The last type seen and its JSON text: a ledger's events are of a handful of types, mostly one. */
  private lastType = "";
  private lastTypeJson = '""';

  accept(event: CanonicalColumns): void {
    const streamId = event.streamId;
    if (this.found.has(streamId)) return;
    let state = this.streams.get(streamId);
    if (state === undefined) {
      state = { ordinal: 0, previousHash: GENESIS_PREV_HASH };
      this.streams.set(streamId, state);
    }
    const ordinal = state.ordinal;
    state.ordinal += 1;
    const storedHash = event.hash;
    if (storedHash !== null) {
      if (event.type !== this.lastType) {
        this.lastType = event.type;
        this.lastTypeJson = JSON.stringify(event.type);
      }
      const input = `${state.previousHash}{"data":${event.data},"meta":${event.metadata},"revision":${event.revision},"type":${this.lastTypeJson}}`;
      const recomputed = oneShotHash("sha256", input, "hex");
      if (recomputed === storedHash) {
        state.previousHash = recomputed;
        return;
      }
    }
    // A stored text that is not canonical (edited behind the store's back) hashes by value, as the rule
    // says; so do events whose metadata kept its chain fields (not 64 hex digits when written).
    this.checkByValue(ordinal, state, event);
  }

  /** The first mismatch of each stream that has one. */
  get mismatches(): ReadonlyMap<string, HashMismatch> {
    return this.found;
  }

  private checkByValue(ordinal: number, state: StreamHashState, event: CanonicalColumns): void {
    const streamId = event.streamId;
    let stored = "undefined";
    try {
      const data = JSON.parse(event.data) as unknown;
      const metadata = JSON.parse(event.metadata) as unknown;
      const record =
        typeof metadata === "object" && metadata !== null ? (metadata as Record<string, unknown>) : null;
      stored = event.hash !== null ? event.hash : String(record?.hash);
      const recomputed = chainHash(state.previousHash, {
        type: event.type,
        revision: event.revision,
        data,
        metadata,
      });
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
