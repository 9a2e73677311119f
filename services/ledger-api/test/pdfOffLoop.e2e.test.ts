/**
 * A large PDF is rendered off the event loop (docs/reliability.md, "The service protects itself"): while a
 * 30,000-line general ledger renders, `/health` still answers at once, and beyond the renderer's places a
 * PDF is 503 `renderer_busy` with Retry-After instead of waiting without bound. Before, pdfkit held the
 * event loop for the whole render and `/health` waited behind it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshStore, type Harness, startHarness } from "./harness.js";

const COOP = "kkmp-tebal";
const ENTRIES = 61;
const DEBIT_LINES = 499;
const LINES_ON_CASH = ENTRIES * DEBIT_LINES;
const PENDING_MAX = 2;
/** A health check on a free event loop answers in milliseconds; a blocked one waited for the whole render. */
const HEALTH_WITHIN_MS = 1_000;

let harness: Harness;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  const store = await freshStore("sqlite");
  cleanup = store.cleanup;
  harness = await startHarness(store.url, { pdfRendersPendingMax: PENDING_MAX });
  const created = await harness.call("POST", "/v1/cooperatives", {
    body: { id: COOP, name: "KKMP Tebal", regionCode: "35.74.03.1002", chart: "kkmp" },
  });
  expect(created.status).toBe(201);
  for (let entry = 0; entry < ENTRIES; entry += 1) {
    const lines = [
      ...Array.from({ length: DEBIT_LINES }, (_, line) => ({
        account: "1101",
        debit: "10",
        memo: `setoran ${entry}-${line}`,
      })),
      { account: "3300", credit: String(10 * DEBIT_LINES) },
    ];
    const posted = await harness.call("POST", `/v1/cooperatives/${COOP}/journal-entries`, {
      body: { date: "2026-02-02", memo: `tumpukan ${entry}`, lines },
      headers: { "idempotency-key": `tebal-${entry}` },
    });
    expect(posted.status).toBe(201);
  }
}, 120_000);
afterAll(async () => {
  await harness?.stop();
  await cleanup?.();
});

const ledgerPath = (format: string) =>
  `/v1/cooperatives/${COOP}/ledger/1101?from=2026-01-01&to=2026-12-31${format}`;

/** A PDF asked for and not waited for: whether it answered yet, its answer, and a way to give up on it. */
const askForPdf = () => {
  const controller = new AbortController();
  let settled = false;
  const answer = fetch(`${harness.base}${ledgerPath("&format=pdf")}`, {
    headers: { authorization: `Bearer ${harness.admin}` },
    signal: controller.signal,
  }).then(async (response) => {
    settled = true;
    const body = response.headers.get("content-type")?.includes("json")
      ? ((await response.json()) as { code: string })
      : null;
    return { status: response.status, retryAfter: response.headers.get("retry-after"), code: body?.code };
  });
  answer.catch(() => undefined);
  return { answer, settled: () => settled, abort: () => controller.abort() };
};

const timedHealth = async (): Promise<number> => {
  const started = performance.now();
  const answer = await fetch(`${harness.base}/health`);
  expect(answer.status).toBe(200);
  return performance.now() - started;
};

describe("PDFs off the event loop", () => {
  it("answers /health at once while a 30,000-line general ledger renders", async () => {
    const json = await harness.call("GET", ledgerPath(""));
    expect(json.body.lines.length).toBe(LINES_ON_CASH);
    expect(LINES_ON_CASH).toBeGreaterThanOrEqual(30_000);

    const pdf = askForPdf();
    // Give the request time to reach the renderer, then ask for /health while it renders.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const healthTimes: number[] = [];
    for (let check = 0; check < 5; check += 1) {
      healthTimes.push(await timedHealth());
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    // The checks were made while the PDF was still being rendered (it takes far longer than they did),
    // and each answered at once. The render is then abandoned: the server's close stops the worker.
    expect(pdf.settled()).toBe(false);
    for (const time of healthTimes) expect(time).toBeLessThan(HEALTH_WITHIN_MS);
    pdf.abort();
  }, 60_000);

  it("refuses a PDF beyond the renderer's places with 503 renderer_busy and Retry-After", async () => {
    // The render abandoned above may still hold a place; either way, one more than the places is refused.
    const asked = Array.from({ length: PENDING_MAX + 1 }, askForPdf);
    const refused = await Promise.race(asked.map((one) => one.answer.then((answer) => answer)));
    expect(refused.status).toBe(503);
    expect(refused.retryAfter).toMatch(/^\d+$/);
    expect(refused.code).toBe("renderer_busy");
    for (const one of asked) one.abort();
  }, 60_000);
});
