/**
 * An events page is limited in bytes as well as in count (docs/reliability.md, "The service protects
 * itself"): `events?limit=1000` of fat entries was a 111 MB body. The page stops before the byte limit and
 * `nextAfter` continues from there, so paging still reads every event exactly once.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EVENTS_PAGE_BYTES_MAX } from "../src/limits.js";
import { freshStore, type Harness, startHarness } from "./harness.js";

const COOP = "kkmp-gemuk";
const FAT_ENTRIES = 10;
const LINES = 500;
const MEMO = "m".repeat(1000);

let harness: Harness;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  const store = await freshStore("sqlite");
  cleanup = store.cleanup;
  harness = await startHarness(store.url);
  const created = await harness.call("POST", "/v1/cooperatives", {
    body: { id: COOP, name: "KKMP Gemuk", regionCode: "35.74.03.1002", chart: "kkmp" },
  });
  expect(created.status).toBe(201);
  for (let entry = 0; entry < FAT_ENTRIES; entry += 1) {
    const lines = [
      ...Array.from({ length: LINES - 1 }, () => ({ account: "1101", debit: "1", memo: MEMO })),
      { account: "3300", credit: String(LINES - 1), memo: MEMO },
    ];
    const posted = await harness.call("POST", `/v1/cooperatives/${COOP}/journal-entries`, {
      body: { date: "2026-02-02", memo: MEMO, lines },
      headers: { "idempotency-key": `gemuk-${entry}` },
    });
    expect(posted.status).toBe(201);
  }
}, 60_000);
afterAll(async () => {
  await harness?.stop();
  await cleanup?.();
});

describe("events pages", () => {
  it("stop at the byte limit and page on through every event once", async () => {
    const head = await harness.call("GET", `/v1/cooperatives/${COOP}`);
    const revisions: number[] = [];
    let after: number | null = null;
    let pages = 0;
    do {
      const query: string = after === null ? "?limit=1000" : `?limit=1000&after=${after}`;
      const response = await fetch(`${harness.base}/v1/cooperatives/${COOP}/events${query}`, {
        headers: { authorization: `Bearer ${harness.admin}` },
      });
      const text = await response.text();
      expect(Buffer.byteLength(text)).toBeLessThan(EVENTS_PAGE_BYTES_MAX + 64 * 1024);
      const page = JSON.parse(text) as { events: { revision: number }[]; nextAfter: number | null };
      revisions.push(...page.events.map((event) => event.revision));
      after = page.nextAfter;
      pages += 1;
    } while (after !== null && pages < 100);
    expect(pages).toBeGreaterThan(1);
    const lastRevision = Number(head.headers.get("ledger-revision"));
    expect(revisions).toEqual(Array.from({ length: lastRevision + 1 }, (_, index) => index));
  });
});
