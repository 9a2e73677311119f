/**
 * Alerts end to end: the supervisor runs in the API process against the same store; a large cash entry
 * posted over HTTP appears in GET /v1/alerts and on the SSE stream of a supervisor of its region, on the
 * bus, and never for another region or another cooperative's treasurer.
 */
import { createInProcessAlertBus } from "@bukubesar/bus";
import { type Alert, LARGE_CASH_RULE } from "@bukubesar/supervision";
import { startSupervisor } from "@bukubesar/supervisor";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Backend, freshStore, type Harness, startHarness } from "./harness.js";

const COOP = "kkmp-alerts";
const OTHER = "kkmp-alerts-lain";
const backends: Backend[] = ["sqlite", "postgres"];

/** Reads Server-Sent Events from a stream until `until` holds or the time is up. */
const openSse = async (url: string, token: string) => {
  const controller = new AbortController();
  const response = await fetch(url, {
    headers: { authorization: `Bearer ${token}` },
    signal: controller.signal,
  });
  const events: { event: string; data: unknown }[] = [];
  let buffer = "";
  const reader = response.body?.getReader();
  const decoder = new TextDecoder();
  const pump = (async () => {
    try {
      for (;;) {
        const chunk = await reader?.read();
        if (chunk === undefined || chunk.done) return;
        buffer += decoder.decode(chunk.value, { stream: true });
        let boundary = buffer.indexOf("\n\n");
        while (boundary >= 0) {
          const block = buffer.slice(0, boundary);
          buffer = buffer.slice(boundary + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event !== undefined && data !== undefined) events.push({ event, data: JSON.parse(data) });
          boundary = buffer.indexOf("\n\n");
        }
      }
    } catch {
      // Aborted at the end of the test.
    }
  })();
  return {
    status: response.status,
    contentType: response.headers.get("content-type"),
    events,
    close: async () => {
      controller.abort();
      await pump;
    },
  };
};

const eventually = async <T>(probe: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};

describe.each(backends)("alerts on %s", (backend) => {
  let harness: Harness;
  let cleanup: () => Promise<void>;
  const bus = createInProcessAlertBus();
  const published: Alert[] = [];
  const tokens = {} as Record<
    "supervisor" | "foreignSupervisor" | "auditor" | "treasurer" | "foreignTreasurer",
    string
  >;

  beforeAll(async () => {
    const store = await freshStore(backend);
    cleanup = store.cleanup;
    harness = await startHarness(store.url, { supervise: { bus, start: startSupervisor } });
    await bus.subscribe({ regionPrefix: "*" }, (alert) => {
      published.push(alert);
    });
    for (const [id, regionCode] of [
      [COOP, "35.74.03.1002"],
      [OTHER, "35.13.01.2001"],
    ] as const) {
      const created = await harness.call("POST", "/v1/cooperatives", {
        body: { id, name: `KKMP ${id}`, regionCode, chart: "kkmp" },
      });
      expect(created.status).toBe(201);
      const settings = await harness.call("PATCH", `/v1/cooperatives/${id}/settings`, {
        body: { largeCashThreshold: "5000000" },
      });
      expect(settings.status).toBe(200);
    }
    for (const [name, role, scope] of [
      ["supervisor", "supervisor", "35.74"],
      ["foreignSupervisor", "supervisor", "35.13"],
      ["auditor", "auditor", "35.74"],
      ["treasurer", "treasurer", COOP],
      ["foreignTreasurer", "treasurer", OTHER],
    ] as const) {
      const issued = await harness.call("POST", "/v1/tokens", { body: { role, scope, name } });
      expect(issued.status).toBe(201);
      tokens[name] = issued.body.token;
    }
  });
  let stopped = false;
  afterAll(async () => {
    if (!stopped) await harness?.stop();
    await bus.close();
    await cleanup?.();
  });

  it("shows a large cash entry to its region's supervisor, on the stream, and nowhere else", async () => {
    const stream = await openSse(`${harness.base}/v1/alerts/stream`, tokens.supervisor);
    const foreignStream = await openSse(`${harness.base}/v1/alerts/stream`, tokens.foreignSupervisor);
    expect([stream.status, stream.contentType]).toEqual([200, "text/event-stream"]);
    try {
      const posted = await harness.call("POST", `/v1/cooperatives/${COOP}/journal-entries`, {
        token: tokens.treasurer,
        body: {
          date: "2026-02-02",
          memo: "Setoran tunai besar",
          lines: [
            { account: "1101", debit: "7500000" },
            { account: "3300", credit: "7500000" },
          ],
        },
        headers: { "idempotency-key": "large-cash" },
      });
      expect(posted.status).toBe(201);
      const entryId = posted.body.entryId as string;

      const listed = await eventually(async () => {
        const page = await harness.call("GET", "/v1/alerts", { token: tokens.supervisor });
        expect(page.status).toBe(200);
        return page.body.alerts.find((alert: Alert) => alert.rule === LARGE_CASH_RULE) as Alert | undefined;
      });
      expect(listed).toMatchObject({ coopId: COOP, regionCode: "35.74.03.1002", entryIds: [entryId] });
      const streamed = await eventually(async () =>
        stream.events.find(
          (event) => event.event === "alert" && (event.data as Alert).alertId === listed.alertId,
        ),
      );
      expect((streamed.data as Alert).rule).toBe(LARGE_CASH_RULE);
      await eventually(async () => published.find((alert) => alert.alertId === listed.alertId));

      for (const name of ["auditor", "treasurer"] as const) {
        const page = await harness.call("GET", "/v1/alerts", { token: tokens[name] });
        expect(
          page.body.alerts.some((alert: Alert) => alert.alertId === listed.alertId),
          name,
        ).toBe(true);
      }
      for (const name of ["foreignSupervisor", "foreignTreasurer"] as const) {
        const page = await harness.call("GET", "/v1/alerts", { token: tokens[name] });
        expect(page.status).toBe(200);
        expect(page.body.alerts, name).toEqual([]);
      }
      const outside = await harness.call("GET", "/v1/alerts?region=35.13", { token: tokens.supervisor });
      expect([outside.status, outside.body.code]).toEqual([403, "forbidden"]);
      const narrowed = await harness.call("GET", "/v1/alerts?region=35.74.03&severity=info", {
        token: tokens.supervisor,
      });
      expect(narrowed.body.alerts.some((alert: Alert) => alert.alertId === listed.alertId)).toBe(true);
      const later = await harness.call("GET", "/v1/alerts?since=2999-01-01T00:00:00Z", {
        token: tokens.supervisor,
      });
      expect(later.body.alerts).toEqual([]);
      expect(foreignStream.events).toEqual([]);

      const acknowledge = (name: keyof typeof tokens) =>
        harness.call("POST", `/v1/alerts/${listed.alertId}/acknowledge`, {
          token: tokens[name],
          body: { note: "sudah dicek" },
        });
      expect((await acknowledge("foreignSupervisor")).status).toBe(404);
      expect((await acknowledge("foreignTreasurer")).status).toBe(404);
      const byAuditor = await acknowledge("auditor");
      expect([byAuditor.status, byAuditor.body.code]).toEqual([403, "forbidden"]);
      const acknowledged = await acknowledge("supervisor");
      expect(acknowledged.status).toBe(200);
      expect(acknowledged.body.acknowledgements).toHaveLength(1);
      expect(acknowledged.body.acknowledgements[0].note).toBe("sudah dicek");
      const missing = await harness.call("POST", "/v1/alerts/no-such-alert/acknowledge", {
        token: tokens.supervisor,
        body: {},
      });
      expect(missing.status).toBe(404);
    } finally {
      await stream.close();
      await foreignStream.close();
    }
  });

  it("pages alerts with an opaque cursor", async () => {
    for (let index = 0; index < 3; index++) {
      const posted = await harness.call("POST", `/v1/cooperatives/${COOP}/journal-entries`, {
        token: tokens.treasurer,
        body: {
          date: "2026-02-03",
          memo: `Setoran ${index}`,
          lines: [
            { account: "1101", debit: String(6_000_000 + index) },
            { account: "3300", credit: String(6_000_000 + index) },
          ],
        },
        headers: { "idempotency-key": `page-${index}` },
      });
      expect(posted.status).toBe(201);
    }
    const all = await eventually(async () => {
      const page = await harness.call("GET", "/v1/alerts?limit=1000", { token: tokens.supervisor });
      const large = page.body.alerts.filter((alert: Alert) => alert.rule === LARGE_CASH_RULE);
      return large.length >= 4 ? (page.body.alerts as Alert[]) : undefined;
    });
    const paged: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor === null ? "?limit=2" : `?limit=2&cursor=${cursor}`;
      const page = await harness.call("GET", `/v1/alerts${query}`, { token: tokens.supervisor });
      expect(page.body.alerts.length).toBeLessThanOrEqual(2);
      paged.push(...page.body.alerts.map((alert: Alert) => alert.alertId));
      cursor = page.body.nextCursor;
    } while (cursor !== null);
    expect(paged).toEqual(all.map((alert) => alert.alertId));
    const bad = await harness.call("GET", "/v1/alerts?cursor=abc", { token: tokens.supervisor });
    expect(bad.status).toBe(422);
  });

  it("ends open streams when the server shuts down, so a graceful stop does not wait for them", async () => {
    const stream = await openSse(`${harness.base}/v1/alerts/stream`, tokens.supervisor);
    expect(stream.status).toBe(200);
    const started = Date.now();
    stopped = true;
    await harness.stop();
    expect(Date.now() - started).toBeLessThan(3_000);
    await stream.close();
  });
});
