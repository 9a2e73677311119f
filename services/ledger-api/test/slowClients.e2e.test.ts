/**
 * A client that sends its headers or its body too slowly is cut off instead of holding a connection for
 * ever (before, 484 such senders locked every client out). The limits are shortened here so the test
 * runs in seconds; the service's own are HEADERS_TIMEOUT_MS and REQUEST_TIMEOUT_MS.
 */
import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshStore, type Harness, startHarness } from "./harness.js";

const HEADERS_MS = 1_000;
const REQUEST_MS = 2_000;
/** The server looks at its connections' clocks every second; a cut comes within the limit plus that. */
const CUT_WITHIN_MS = REQUEST_MS + 3_000;

let harness: Harness;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  const store = await freshStore("sqlite");
  cleanup = store.cleanup;
  harness = await startHarness(store.url, { httpTimeouts: { headersMs: HEADERS_MS, requestMs: REQUEST_MS } });
});
afterAll(async () => {
  await harness?.stop();
  await cleanup?.();
});

/** Sends `text` and then nothing; resolves with how long the server kept the connection and what it said. */
const stallAfter = (text: string): Promise<{ heldMs: number; answer: string }> =>
  new Promise((resolve) => {
    const url = new URL(harness.base);
    const started = Date.now();
    const socket = connect(Number(url.port), url.hostname, () => socket.write(text));
    let answer = "";
    socket.on("data", (chunk: Buffer) => {
      answer += chunk.toString("latin1");
    });
    socket.on("error", () => undefined);
    socket.on("close", () => resolve({ heldMs: Date.now() - started, answer }));
    setTimeout(() => socket.destroy(), CUT_WITHIN_MS + 5_000).unref();
  });

describe("slow senders", () => {
  it("cuts a client that never finishes its headers", async () => {
    const { heldMs, answer } = await stallAfter("GET /health HTTP/1.1\r\nHost: localhost\r\nX-Slow: ");
    expect(heldMs).toBeLessThan(CUT_WITHIN_MS);
    expect(answer === "" || answer.startsWith("HTTP/1.1 408")).toBe(true);
  }, 20_000);

  it("cuts a client that never finishes its body", async () => {
    const { heldMs, answer } = await stallAfter(
      `POST /v1/cooperatives HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer ${harness.admin}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"id":`,
    );
    expect(heldMs).toBeLessThan(CUT_WITHIN_MS);
    // Authenticated, so the server waits for the body: it answers 408 (or just closes), never 201.
    expect(answer === "" || answer.startsWith("HTTP/1.1 408")).toBe(true);
  }, 20_000);

  it("still serves a client that sends at a normal pace", async () => {
    expect((await harness.call("GET", "/health", { token: null })).status).toBe(200);
  });
});
