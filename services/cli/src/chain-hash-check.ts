import { Worker } from "node:worker_threads";

/**
 * `verify` checks every event's chain hash on a second thread while the main thread reads the same
 * events and checks everything else (revisions, links, invariants, balances): on a two-core machine the
 * canonical JSON and SHA-256 of a million events, the largest single cost, then runs beside the rest.
 * Each event's hash can be recomputed independently from the stored hash of the event before it; the
 * main thread checks that every stored prevHash is that stored hash, so together the two checks prove
 * exactly what recomputing the chain in order proves, and the first bad revision named is the same.
 */

/** What the worker checks: the same store, the same streams, the events up to a fixed position. */
export interface ChainHashRequest {
  readonly storeUrl: string;
  readonly coopId: string | null;
  /** The store's head position when verify began (a decimal string: bigint does not cross threads). */
  readonly upToPosition: string;
}

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

export type ChainHashResponse =
  | { readonly ok: true; readonly mismatches: readonly HashMismatch[] }
  | { readonly ok: false; readonly reason: string };

/** Stores whose events a second thread can read by opening the same URL (a file on this machine). */
export const canCheckHashesInWorker = (storeUrl: string): boolean => storeUrl.startsWith("sqlite:");

/**
 * Starts the hash check on a worker thread. When the command runs from its TypeScript sources (tsx),
 * the worker registers tsx first, since a worker does not inherit the loader hooks of its parent.
 */
export const startChainHashCheck = (
  request: ChainHashRequest,
): Promise<ReadonlyMap<string, HashMismatch>> => {
  const fromSources = import.meta.url.endsWith(".ts");
  const workerUrl = new URL(`./chain-hash-worker${fromSources ? ".ts" : ".js"}`, import.meta.url).href;
  let source = `import(${JSON.stringify(workerUrl)});`;
  if (fromSources) {
    const tsxApi = import.meta.resolve("tsx/esm/api");
    source = `import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(workerUrl)}); });`;
  }
  return new Promise((resolve, reject) => {
    const worker = new Worker(source, { eval: true, workerData: request });
    let settled = false;
    worker.once("message", (response: ChainHashResponse) => {
      settled = true;
      void worker.terminate();
      if (response.ok) resolve(new Map(response.mismatches.map((mismatch) => [mismatch.streamId, mismatch])));
      else reject(new Error(`the hash check failed: ${response.reason}`));
    });
    worker.once("error", (error) => {
      settled = true;
      reject(error);
    });
    worker.once("exit", (code) => {
      if (!settled) reject(new Error(`the hash check stopped (exit ${code}) before it answered`));
    });
  });
};
