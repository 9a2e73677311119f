/**
 * The worker side of `verify`'s parallel hash check: opens the same store, reads the same ledger events
 * (positions up to the bound the main thread fixed), recomputes each event's chain hash from the stored
 * hash of the event before it, and reports the first event of each stream whose stored hash differs.
 * Only that one result per stream travels back, so the check costs the main thread nothing but the wait.
 */
import { parentPort, workerData } from "node:worker_threads";
import { openEventStore } from "@bukubesar/event-store";
import { GENESIS_PREV_HASH } from "@bukubesar/ledger-core";
import { chainHash } from "./chain-hash.js";
import type { ChainHashRequest, ChainHashResponse, HashMismatch } from "./chain-hash-check.js";
import { LEDGER_STREAM_PREFIX, ledgerStreamOf, readAllPages, readStreamPages } from "./store-access.js";

const run = async (request: ChainHashRequest): Promise<ChainHashResponse> => {
  const upToPosition = BigInt(request.upToPosition);
  const store = await openEventStore(request.storeUrl);
  const previousHashes = new Map<string, string>();
  // The position of each event within its stream as read (0, 1, 2, …): the revision the main thread
  // expects there, so a duplicated or missing revision is ordered exactly as verifying in order would.
  const ordinals = new Map<string, number>();
  const mismatches = new Map<string, HashMismatch>();
  try {
    const pages =
      request.coopId === null
        ? readAllPages(store, LEDGER_STREAM_PREFIX)
        : readStreamPages(store, ledgerStreamOf(request.coopId));
    for await (const page of pages) {
      for (const event of page) {
        if (event.position > upToPosition) continue;
        if (mismatches.has(event.streamId)) continue;
        const ordinal = ordinals.get(event.streamId) ?? 0;
        ordinals.set(event.streamId, ordinal + 1);
        const previousHash = previousHashes.get(event.streamId) ?? GENESIS_PREV_HASH;
        const metadata = event.metadata as { hash?: unknown } | null;
        const stored = typeof metadata === "object" && metadata !== null ? metadata.hash : undefined;
        let recomputed: string;
        try {
          recomputed = chainHash(previousHash, event);
        } catch (error) {
          mismatches.set(event.streamId, {
            streamId: event.streamId,
            revision: ordinal,
            stored: String(stored),
            recomputed: null,
            error: (error as Error).message,
          });
          continue;
        }
        if (stored !== recomputed) {
          mismatches.set(event.streamId, {
            streamId: event.streamId,
            revision: ordinal,
            stored: String(stored),
            recomputed,
            error: null,
          });
          continue;
        }
        previousHashes.set(event.streamId, recomputed);
      }
    }
  } finally {
    await store.close();
  }
  return { ok: true, mismatches: [...mismatches.values()] };
};

run(workerData as ChainHashRequest).then(
  (response) => parentPort?.postMessage(response),
  (error: unknown) =>
    parentPort?.postMessage({
      ok: false,
      reason: error instanceof Error ? error.message : String(error),
    } satisfies ChainHashResponse),
);
