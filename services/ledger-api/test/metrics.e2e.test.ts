/** GET /metrics scraped and parsed; who may read it; request ids taken from the caller. */
import { randomUUID } from "node:crypto";
import { openNatsAlertBus } from "@bukubesar/bus";
import { startSupervisor } from "@bukubesar/supervisor";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshStore, type Harness, startHarness } from "./harness.js";

interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/** Parses the Prometheus text exposition format (the sample lines; comments only checked for TYPE). */
const parseExposition = (text: string): { samples: Sample[]; types: Map<string, string> } => {
  const samples: Sample[] = [];
  const types = new Map<string, string>();
  for (const line of text.split("\n")) {
    const type = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (type?.[1] !== undefined && type[2] !== undefined) types.set(type[1], type[2]);
    if (line === "" || line.startsWith("#")) continue;
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (sample === null) throw new Error(`not an exposition line: ${line}`);
    const labels = Object.fromEntries(
      [...(sample[2] ?? "").matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)].map((label) => [
        label[1],
        label[2],
      ]),
    );
    samples.push({ name: sample[1] ?? "", labels, value: Number(sample[3]) });
  }
  return { samples, types };
};

const COOP = "kkmp-metrics";
const NATS_URL = process.env.TEST_NATS_URL ?? "nats://127.0.0.1:4222";

const scrape = async (harness: Harness) => {
  const scraped = await harness.call("GET", "/metrics");
  expect(scraped.status).toBe(200);
  const { samples, types } = parseExposition(scraped.body as string);
  const find = (name: string, labels: Record<string, string> = {}) =>
    samples.find(
      (sample) =>
        sample.name === name && Object.entries(labels).every(([key, value]) => sample.labels[key] === value),
    );
  return { find, types };
};

describe("GET /metrics", () => {
  let harness: Harness;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    const store = await freshStore("sqlite");
    cleanup = store.cleanup;
    harness = await startHarness(store.url);
    const created = await harness.call("POST", "/v1/cooperatives", {
      body: { id: COOP, name: "KKMP Metrics", regionCode: "35.74.03.1002", chart: "kkmp" },
    });
    expect(created.status).toBe(201);
  });
  afterAll(async () => {
    await harness.stop();
    await cleanup();
  });

  it("gives an admin requests by route and status, latency histograms and the lags, in Prometheus text", async () => {
    expect((await harness.call("GET", `/v1/cooperatives/${COOP}/trial-balance`)).status).toBe(200);
    expect((await harness.call("GET", "/v1/cooperatives/kkmp-nowhere")).status).toBe(404);
    const scraped = await harness.call("GET", "/metrics");
    expect(scraped.status).toBe(200);
    expect(scraped.headers.get("content-type")).toContain("text/plain");
    const { samples, types } = parseExposition(scraped.body as string);
    const find = (name: string, labels: Record<string, string> = {}) =>
      samples.find(
        (sample) =>
          sample.name === name &&
          Object.entries(labels).every(([key, value]) => sample.labels[key] === value),
      );
    expect(types.get("bukubesar_http_requests_total")).toBe("counter");
    expect(types.get("bukubesar_http_request_duration_seconds")).toBe("histogram");
    const trialBalance = { method: "GET", route: "/v1/cooperatives/:coopId/trial-balance", status: "200" };
    expect(find("bukubesar_http_requests_total", trialBalance)?.value).toBe(1);
    expect(
      find("bukubesar_http_requests_total", { route: "/v1/cooperatives/:coopId", status: "404" })?.value,
    ).toBe(1);
    const count = find("bukubesar_http_request_duration_seconds_count", {
      route: "/v1/cooperatives/:coopId/trial-balance",
    });
    expect(count?.value).toBe(1);
    expect(find("bukubesar_projection_lag_events")?.value).toBeGreaterThanOrEqual(0);
    expect(find("bukubesar_supervisor_lag_events")).toBeDefined();
    expect(find("bukubesar_alert_outbox_depth")?.value).toBe(0);
    expect(find("bukubesar_process_resident_memory_bytes")?.value).toBeGreaterThan(0);
  });

  it("counts the store's appends and observes each group commit's size; no NATS gauge without NATS", async () => {
    const before = await scrape(harness);
    expect(before.types.get("bukubesar_store_appends_total")).toBe("counter");
    expect(before.types.get("bukubesar_store_group_commit_size")).toBe("histogram");
    const appendsBefore = before.find("bukubesar_store_appends_total")?.value ?? Number.NaN;
    const groupsBefore = before.find("bukubesar_store_group_commit_size_count")?.value ?? Number.NaN;
    // The cooperative created before the first scrape was committed after the metrics existed.
    expect(appendsBefore).toBeGreaterThanOrEqual(1);
    expect(groupsBefore).toBeGreaterThanOrEqual(1);

    const created = await harness.call("POST", "/v1/cooperatives", {
      body: { id: "kkmp-metrics-two", name: "KKMP Metrics Dua", regionCode: "35.74.03.1002", chart: "kkmp" },
    });
    expect(created.status).toBe(201);
    const after = await scrape(harness);
    expect(after.find("bukubesar_store_appends_total")?.value).toBeGreaterThan(appendsBefore);
    expect(after.find("bukubesar_store_appended_events_total")?.value).toBeGreaterThan(appendsBefore - 1);
    const groups = after.find("bukubesar_store_group_commit_size_count")?.value ?? 0;
    expect(groups).toBeGreaterThan(groupsBefore);
    expect(after.find("bukubesar_store_group_commit_size_sum")?.value).toBeGreaterThanOrEqual(groups);
    expect(after.find("bukubesar_store_group_commit_size_bucket", { le: "+Inf" })?.value).toBe(groups);
    expect(after.types.has("bukubesar_nats_connected")).toBe(false);
  });

  it("is read with a token of role metrics, which reads no cooperative; a treasurer is 403, no token 401", async () => {
    const issued = await harness.call("POST", "/v1/tokens", {
      body: { role: "metrics", scope: "*", name: "prometheus" },
    });
    expect(issued.status).toBe(201);
    const scraper = issued.body.token as string;
    expect((await harness.call("GET", "/metrics", { token: scraper })).status).toBe(200);
    expect((await harness.call("GET", `/v1/cooperatives/${COOP}`, { token: scraper })).status).toBe(404);
    const wrongScope = await harness.call("POST", "/v1/tokens", {
      body: { role: "metrics", scope: COOP, name: "scoped" },
    });
    expect(wrongScope.status).toBe(422);

    const treasurer = await harness.call("POST", "/v1/tokens", {
      body: { role: "treasurer", scope: COOP, name: "bendahara" },
    });
    expect((await harness.call("GET", "/metrics", { token: treasurer.body.token })).status).toBe(403);
    expect((await harness.call("GET", "/metrics", { token: null })).status).toBe(401);
  });

  it("takes the request id from X-Request-Id, else from a traceparent's trace id", async () => {
    const given = await harness.call("GET", "/health", { headers: { "x-request-id": "kasir-7f3a" } });
    expect(given.headers.get("x-request-id")).toBe("kasir-7f3a");
    const traced = await harness.call("GET", "/health", {
      headers: { traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01" },
    });
    expect(traced.headers.get("x-request-id")).toBe("4bf92f3577b34da6a3ce929d0e0e4736");
    const generated = await harness.call("GET", "/health", {
      headers: { "x-request-id": "bad id with spaces" },
    });
    expect(generated.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe("GET /metrics with the alert bus on NATS", () => {
  it("reports the NATS connection as 1 while connected", async () => {
    const run = randomUUID().replaceAll("-", "").slice(0, 12);
    const bus = await openNatsAlertBus({
      servers: NATS_URL,
      streamName: `TEST_METRICS_${run}`,
      subjectPrefix: `test${run}.alerts`,
    });
    const store = await freshStore("sqlite");
    const harness = await startHarness(store.url, { supervise: { bus, start: startSupervisor } });
    try {
      const { find, types } = await scrape(harness);
      expect(types.get("bukubesar_nats_connected")).toBe("gauge");
      expect(find("bukubesar_nats_connected")?.value).toBe(1);
    } finally {
      await harness.stop();
      await bus.deleteStream().catch(() => undefined);
      await bus.close();
      await store.cleanup();
    }
  });
});
