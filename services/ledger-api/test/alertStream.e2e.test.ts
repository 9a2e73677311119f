/**
 * The SSE alert stream protects the server from its clients: a client that stops reading is dropped once
 * it is a bounded number of alerts behind (the server never buffers without limit), a reading client
 * gets every alert, a stream ends when its token is revoked, and one principal holds a bounded number of
 * streams. Alerts are recorded straight into the store's `alerts-*` stream, as a supervisor would.
 */
import { randomUUID } from "node:crypto";
import { connect, type Socket } from "node:net";
import { ALERT_RAISED, alertsStreamId } from "@bukubesar/alerts";
import type { Alert } from "@bukubesar/supervision";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SSE_ALERTS_BEHIND_MAX, SSE_STREAMS_PER_PRINCIPAL_MAX } from "../src/index.js";
import { freshStore, type Harness, startHarness } from "./harness.js";

const COOP = "kkmp-sse";
const REGION = "35.74.03.1002";
/** Alerts recorded while one client does not read: far more than the kernel's socket buffers hold. */
const ALERTS_RECORDED = 4_000;
/** Each alert carries a summary this long, so the burst is about 32 MB. */
const SUMMARY_LENGTH = 8_000;
const APPEND_BATCH = 250;

let harness: Harness;
let cleanup: () => Promise<void>;

const issue = async (name: string): Promise<{ token: string; principalId: string }> => {
  const issued = await harness.call("POST", "/v1/tokens", {
    body: { role: "supervisor", scope: "35.74", name },
  });
  expect(issued.status).toBe(201);
  return { token: issued.body.token, principalId: issued.body.principalId };
};

interface RawStream {
  readonly socket: Socket;
  /** Ids of the alert events received so far, in order. */
  readonly alertIds: string[];
  readonly ended: Promise<void>;
}

/** A raw HTTP client of the stream: it can stop reading, and it sees when the server ends the connection. */
const rawStream = async (token: string): Promise<RawStream> => {
  const url = new URL(harness.base);
  const socket = connect(Number(url.port), url.hostname);
  await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
  socket.write(
    `GET /v1/alerts/stream HTTP/1.1\r\nHost: ${url.host}\r\nAuthorization: Bearer ${token}\r\n\r\n`,
  );
  let buffer = "";
  let opened = false;
  const alertIds: string[] = [];
  socket.on("data", (chunk: Buffer) => {
    buffer += chunk.toString("latin1");
    let boundary = buffer.indexOf("\n\n");
    while (boundary >= 0) {
      const block = buffer.slice(0, boundary);
      buffer = buffer.slice(boundary + 2);
      if (block.includes(": bukubesar alerts")) opened = true;
      const id = /^event: alert\nid: (\S+)$/m.exec(block)?.[1];
      if (id !== undefined) alertIds.push(id);
      boundary = buffer.indexOf("\n\n");
    }
  });
  const ended = new Promise<void>((resolve) => {
    socket.once("close", () => resolve());
    socket.once("end", () => resolve());
  });
  socket.on("error", () => undefined);
  await expect.poll(() => opened, { timeout: 5_000 }).toBe(true);
  return { socket, alertIds, ended };
};

const recordAlerts = async (count: number, label: string): Promise<string[]> => {
  const ids: string[] = [];
  for (let start = 0; start < count; start += APPEND_BATCH) {
    const events = [];
    for (let index = start; index < Math.min(count, start + APPEND_BATCH); index += 1) {
      const alert: Alert = {
        alertId: randomUUID(),
        rule: "large-cash",
        severity: "warning",
        coopId: COOP,
        regionCode: REGION,
        entryIds: [],
        summary: `${label} ${index} ${"x".repeat(SUMMARY_LENGTH)}`,
        raisedAt: new Date().toISOString(),
        details: {},
      };
      ids.push(alert.alertId);
      events.push({
        eventId: alert.alertId,
        type: ALERT_RAISED,
        data: { ...alert, triggerPosition: null, triggerEventId: null },
        metadata: { principalId: "supervisor", role: "system", recordedAt: alert.raisedAt },
      });
    }
    await harness.store.append(alertsStreamId(COOP), "any", events);
  }
  return ids;
};

beforeAll(async () => {
  const store = await freshStore("sqlite");
  cleanup = store.cleanup;
  harness = await startHarness(store.url);
});
afterAll(async () => {
  await harness?.stop();
  await cleanup?.();
});

describe("the SSE alert stream under slow, revoked and greedy clients", () => {
  it("drops a client that stops reading once it is too far behind, and still serves a reading one in full", async () => {
    const stalled = await issue("stalled");
    const reader = await issue("reader");
    const slow = await rawStream(stalled.token);
    slow.socket.pause();
    const fast = await rawStream(reader.token);
    const ids = await recordAlerts(ALERTS_RECORDED, "burst");
    await expect.poll(() => fast.alertIds.length, { timeout: 30_000, interval: 100 }).toBe(ALERTS_RECORDED);
    expect(fast.alertIds).toEqual(ids);

    slow.socket.resume();
    await slow.ended;
    // Whatever the kernel and the response's own buffer held reaches the client; the rest was never queued.
    const delivered = slow.alertIds.length;
    expect(delivered).toBeLessThan(ALERTS_RECORDED);
    expect(delivered).toBeGreaterThanOrEqual(SSE_ALERTS_BEHIND_MAX);
    fast.socket.destroy();
  }, 60_000);

  it("ends a stream when its token is revoked", async () => {
    const revoked = await issue("revoked");
    const stream = await rawStream(revoked.token);
    const deleted = await harness.call("DELETE", `/v1/tokens/${revoked.principalId}`);
    expect(deleted.status).toBe(204);
    const outcome = await Promise.race([
      stream.ended.then(() => "ended"),
      new Promise((resolve) => setTimeout(() => resolve("still open"), 5_000)),
    ]);
    expect(outcome).toBe("ended");
    await recordAlerts(1, "after revocation");
    expect(stream.alertIds).toEqual([]);
  }, 20_000);

  it("limits the streams one principal holds at a time", async () => {
    const greedy = await issue("greedy");
    const streams = [];
    for (let index = 0; index < SSE_STREAMS_PER_PRINCIPAL_MAX; index += 1)
      streams.push(await rawStream(greedy.token));
    const refused = await harness.call("GET", "/v1/alerts/stream", { token: greedy.token });
    expect([refused.status, refused.body.code]).toEqual([429, "rate_limited"]);
    expect(refused.headers.get("retry-after")).not.toBeNull();
    const other = await issue("other");
    const otherStream = await rawStream(other.token);
    streams[0]?.socket.destroy();
    await expect
      .poll(
        async () => {
          const again = await rawStream(greedy.token).catch(() => null);
          if (again === null) return false;
          streams.push(again);
          return true;
        },
        { timeout: 5_000 },
      )
      .toBe(true);
    for (const stream of [...streams, otherStream]) stream.socket.destroy();
  }, 20_000);
});

describe("acknowledging an alert", () => {
  it("records the acknowledging principal's own role: admin for an admin, supervisor for a supervisor", async () => {
    const supervisor = await issue("acknowledging supervisor");
    for (const [token, role] of [
      [harness.admin, "admin"],
      [supervisor.token, "supervisor"],
    ] as const) {
      const [alertId] = await recordAlerts(1, `acknowledged by ${role}`);
      const acknowledged = await harness.call("POST", `/v1/alerts/${alertId}/acknowledge`, {
        token,
        body: { note: "sudah dicek" },
      });
      expect(acknowledged.status).toBe(200);
      const events = await harness.store.readStream(alertsStreamId(COOP), {
        direction: "backwards",
        limit: 1,
      });
      expect(events[0]?.type).toBe("AlertAcknowledged");
      expect((events[0]?.metadata as { role?: string } | undefined)?.role).toBe(role);
    }
  });
});
