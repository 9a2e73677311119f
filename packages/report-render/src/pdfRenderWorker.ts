/**
 * The worker thread of pdfRenderPool.ts: renders the documents it is sent, one job at a time, and answers
 * with the PDF's bytes or the error's message.
 */
import { parentPort } from "node:worker_threads";
import { renderDocumentsPdf } from "./documentPdf.js";
import type { PdfJob, PdfJobAnswer } from "./pdfRenderPool.js";

const port = parentPort;
if (port === null) throw new Error("pdfRenderWorker runs only as a worker thread");
port.on("message", async (job: PdfJob) => {
  let answer: PdfJobAnswer;
  try {
    const pdf = await renderDocumentsPdf(job.documents, job.setting);
    answer = { id: job.id, pdf: new Uint8Array(pdf.buffer, pdf.byteOffset, pdf.byteLength) };
  } catch (error) {
    answer = { id: job.id, error: (error as Error).message };
  }
  port.postMessage(answer);
});
