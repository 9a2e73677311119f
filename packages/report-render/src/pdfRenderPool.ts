/**
 * PDFs are rendered on a worker thread, never on the thread that serves requests: a 30,000-line general
 * ledger takes many seconds of pdfkit's time, during which the event loop would answer nothing, not even
 * `/health` (docs/reliability.md, "The service protects itself"). One worker renders one document at a
 * time; at most `pendingMax` jobs (the one rendering included) are accepted, and one more is refused at
 * once with `PdfRendererBusy`, which the API answers 503 with Retry-After instead of queueing without
 * bound. The worker starts with the first job and does not keep the process alive when idle.
 */
import { Worker } from "node:worker_threads";
import type { DocumentSetting, ReportDocument } from "./reportDocument.js";

/** What the worker is sent: one PDF of one or more documents. */
export interface PdfJob {
  readonly id: number;
  readonly documents: readonly ReportDocument[];
  readonly setting: DocumentSetting;
}

export type PdfJobAnswer =
  | { readonly id: number; readonly pdf: Uint8Array }
  | { readonly id: number; readonly error: string };

/** Every place the renderer holds is taken: the caller is to try again later. */
export class PdfRendererBusy extends Error {
  constructor(readonly pendingMax: number) {
    super(`${pendingMax} PDFs are being rendered or waiting; try again shortly`);
    this.name = "PdfRendererBusy";
  }
}

export interface PdfRenderPool {
  render(documents: readonly ReportDocument[], setting: DocumentSetting): Promise<Buffer>;
  /** Stops the worker; jobs still pending fail. */
  close(): Promise<void>;
}

/**
 * Starts a worker thread on one of this package's modules. When run from the TypeScript sources (tsx,
 * vitest), the worker registers tsx first: a worker does not inherit the loader hooks of its parent.
 */
const startPackageWorker = (modulePath: string): Worker => {
  const fromSources = import.meta.url.endsWith(".ts");
  const workerUrl = new URL(`${modulePath}${fromSources ? ".ts" : ".js"}`, import.meta.url).href;
  let source = `import(${JSON.stringify(workerUrl)});`;
  if (fromSources) {
    const tsxApi = import.meta.resolve("tsx/esm/api");
    source = `import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(workerUrl)}); });`;
  }
  return new Worker(source, { eval: true });
};

interface Waiting {
  readonly resolve: (pdf: Buffer) => void;
  readonly reject: (error: Error) => void;
}

export const createPdfRenderPool = (pendingMax: number): PdfRenderPool => {
  let worker: Worker | null = null;
  let nextId = 0;
  const waiting = new Map<number, Waiting>();

  const failAll = (error: Error): void => {
    for (const job of waiting.values()) job.reject(error);
    waiting.clear();
  };
  const started = (): Worker => {
    if (worker !== null) return worker;
    const fresh = startPackageWorker("./pdfRenderWorker");
    fresh.on("message", (answer: PdfJobAnswer) => {
      const job = waiting.get(answer.id);
      if (job === undefined) return;
      waiting.delete(answer.id);
      if ("pdf" in answer)
        job.resolve(Buffer.from(answer.pdf.buffer, answer.pdf.byteOffset, answer.pdf.byteLength));
      else job.reject(new Error(answer.error));
      if (waiting.size === 0) fresh.unref();
    });
    fresh.on("error", (error) => {
      worker = null;
      failAll(error);
    });
    fresh.on("exit", (code) => {
      if (worker === fresh) worker = null;
      failAll(new Error(`the PDF worker stopped (exit code ${code})`));
    });
    worker = fresh;
    return fresh;
  };

  return {
    render(documents, setting) {
      if (waiting.size >= pendingMax) return Promise.reject(new PdfRendererBusy(pendingMax));
      const id = nextId++;
      const running = started();
      running.ref();
      return new Promise<Buffer>((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        running.postMessage({ id, documents, setting } satisfies PdfJob);
      });
    },
    async close() {
      const running = worker;
      worker = null;
      if (running !== null) await running.terminate();
      failAll(new Error("the PDF renderer was closed"));
    },
  };
};
