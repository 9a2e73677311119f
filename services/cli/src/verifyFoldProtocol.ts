import { Worker } from "node:worker_threads";
import type { HashMismatch } from "./chainHashCheck.js";
import type { CheckpointHead } from "./checkpoint.js";
import type { LedgerReport } from "./verifyLedgers.js";

/** What the fold worker is started with. */
export interface FoldRequest {
  readonly checkpointHeads: readonly CheckpointHead[];
  readonly checkpointTime: string | null;
}

/**
 * One page of stored rows, column by column (arrays of strings and numbers cross threads cheaply): the
 * data and metadata as stored, the values of their shapes (sqliteShapes.ts), which the worker decodes
 * with the shapes it has been sent. The values are about half the canonical texts, and the worker builds
 * each value from its parsed values instead of parsing the canonical text. Stream names and types, the
 * same for most rows, cross once a page with an index per row.
 */
export interface FoldPage {
  /** The stream names of the page's rows, each once: row i is of stream `streams[streamOf[i]]`. */
  readonly streams: string[];
  readonly streamOf: number[];
  /** The length of each stream this page is the first to name, as it was when verify began. */
  readonly streamLengths: [string, number][];
  /** The event types of the page's rows, each once: row i is of type `types[typeOf[i]]`. */
  readonly types: string[];
  readonly typeOf: number[];
  readonly revisions: number[];
  readonly dataShapes: number[];
  readonly data: string[];
  readonly metadataShapes: number[];
  /**
   * The metadata as stored, or null where the fold needs none of it: its chain fields have their own
   * columns and its texts prove every string of it well-formed. The hash, checked on the reading thread,
   * covers the rest of it, and the projections' trial balance does not read it (see verifyFoldWorker.ts).
   */
  readonly metadata: (string | null)[];
  /** The chain fields in hex, or null where the metadata text still holds them. */
  readonly prevHashes: (string | null)[];
  readonly hashes: (string | null)[];
  /** The shapes this page names for the first time: id and stored text (null when no row has that id). */
  readonly shapes: [number, string | null][];
}

export type FoldWorkerMessage =
  | { readonly kind: "page"; readonly page: FoldPage }
  | { readonly kind: "finish"; readonly mismatches: readonly HashMismatch[] };

export type FoldWorkerAnswer =
  | { readonly kind: "folded" }
  | { readonly kind: "reports"; readonly reports: readonly LedgerReport[] }
  | { readonly kind: "failed"; readonly reason: string };

/**
 * Pages sent ahead of the worker at most: bounds the memory of rows waiting to be folded (about 2 MB a
 * page as sent). Sixteen rather than four, so that neither thread waits when the other is slowed for a
 * moment on a shared machine: both were idle a tenth of the time with four.
 */
export const FOLD_PAGES_IN_FLIGHT_MAX = 16;

/**
 * The fold worker as seen from the main thread: `send` waits while FOLD_PAGES_IN_FLIGHT_MAX pages are
 * unanswered, `finish` hands over the hash mismatches and answers the reports.
 */
export class FoldWorker {
  private readonly worker: Worker;
  private inFlight = 0;
  private waitingForRoom: (() => void) | null = null;
  private waitingForReports: {
    resolve: (reports: readonly LedgerReport[]) => void;
    reject: (error: Error) => void;
  } | null = null;
  private failure: Error | null = null;

  constructor(request: FoldRequest) {
    this.worker = startSourceWorker("./verifyFoldWorker", request);
    this.worker.on("message", (answer: FoldWorkerAnswer) => this.onAnswer(answer));
    this.worker.once("error", (error) => this.fail(error));
    this.worker.once("exit", (code) => this.fail(new Error(`the verify worker stopped (exit ${code})`)));
  }

  async send(page: FoldPage): Promise<void> {
    if (this.failure !== null) throw this.failure;
    if (this.inFlight >= FOLD_PAGES_IN_FLIGHT_MAX) {
      await new Promise<void>((resolve) => {
        this.waitingForRoom = resolve;
      });
      if (this.failure !== null) throw this.failure;
    }
    this.inFlight += 1;
    this.worker.postMessage({ kind: "page", page } satisfies FoldWorkerMessage);
  }

  finish(mismatches: readonly HashMismatch[]): Promise<readonly LedgerReport[]> {
    if (this.failure !== null) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.waitingForReports = { resolve, reject };
      this.worker.postMessage({ kind: "finish", mismatches } satisfies FoldWorkerMessage);
    });
  }

  async close(): Promise<void> {
    this.worker.removeAllListeners("exit");
    await this.worker.terminate();
  }

  private onAnswer(answer: FoldWorkerAnswer): void {
    if (answer.kind === "folded") {
      this.inFlight -= 1;
      const wake = this.waitingForRoom;
      this.waitingForRoom = null;
      wake?.();
    } else if (answer.kind === "reports") {
      this.waitingForReports?.resolve(answer.reports);
      this.waitingForReports = null;
    } else this.fail(new Error(`verify failed on its second thread: ${answer.reason}`));
  }

  private fail(error: Error): void {
    if (this.failure !== null) return;
    this.failure = error;
    const wake = this.waitingForRoom;
    this.waitingForRoom = null;
    wake?.();
    this.waitingForReports?.reject(error);
    this.waitingForReports = null;
  }
}

/**
 * Starts a worker thread on one of this package's modules. When the command runs from its TypeScript
 * sources (tsx), the worker registers tsx first, since a worker does not inherit the loader hooks of its
 * parent.
 */
const startSourceWorker = (modulePath: string, data: unknown): Worker => {
  const fromSources = import.meta.url.endsWith(".ts");
  const workerUrl = new URL(`${modulePath}${fromSources ? ".ts" : ".js"}`, import.meta.url).href;
  let source = `import(${JSON.stringify(workerUrl)});`;
  if (fromSources) {
    const tsxApi = import.meta.resolve("tsx/esm/api");
    source = `import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(workerUrl)}); });`;
  }
  return new Worker(source, { eval: true, workerData: data });
};
