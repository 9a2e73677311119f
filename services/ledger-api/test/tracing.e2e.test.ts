/** OpenTelemetry traces: a request's span reaches an OTLP/HTTP collector (a tiny server on loopback). */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tracesUrlOf, tracingConfigFromEnvironment } from "../src/tracing.js";
import { freshStore, type Harness, startHarness } from "./harness.js";

interface OtlpSpan {
  readonly name: string;
  readonly traceId: string;
  readonly attributes: readonly { key: string; value: { stringValue?: string; intValue?: number } }[];
}
interface OtlpExport {
  readonly resourceSpans: readonly { scopeSpans: readonly { spans: readonly OtlpSpan[] }[] }[];
}

const COOP = "kkmp-traced";
const TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

describe("OpenTelemetry traces", () => {
  let collector: Server;
  const received: { path: string; body: OtlpExport }[] = [];
  let endpoint = "";
  beforeAll(async () => {
    collector = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on("data", (chunk: Buffer) => chunks.push(chunk));
      request.on("end", () => {
        received.push({
          path: request.url ?? "",
          body: JSON.parse(Buffer.concat(chunks).toString("utf8")) as OtlpExport,
        });
        response.writeHead(200, { "content-type": "application/json" }).end("{}");
      });
    });
    await new Promise<void>((resolve) => collector.listen(0, "127.0.0.1", resolve));
    endpoint = `http://127.0.0.1:${(collector.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => collector.close(resolve));
  });

  it("reads OTEL_EXPORTER_OTLP_ENDPOINT and OTEL_SERVICE_NAME, and is off without the endpoint", () => {
    expect(tracingConfigFromEnvironment({})).toBeNull();
    expect(tracingConfigFromEnvironment({ OTEL_EXPORTER_OTLP_ENDPOINT: " " })).toBeNull();
    expect(
      tracingConfigFromEnvironment({
        OTEL_EXPORTER_OTLP_ENDPOINT: "http://otel:4318",
        OTEL_SERVICE_NAME: "kas",
      }),
    ).toEqual({ endpoint: "http://otel:4318", serviceName: "kas" });
    expect(tracesUrlOf("http://otel:4318/")).toBe("http://otel:4318/v1/traces");
  });

  it("sends a span of a request, with its route pattern, continuing the caller's traceparent", async () => {
    const store = await freshStore("sqlite");
    let harness: Harness | null = await startHarness(store.url, { tracing: { endpoint } });
    try {
      const created = await harness.call("POST", "/v1/cooperatives", {
        body: { id: COOP, name: "KKMP Traced", regionCode: "35.74.03.1002", chart: "kkmp" },
      });
      expect(created.status).toBe(201);
      const read = await harness.call("GET", `/v1/cooperatives/${COOP}/trial-balance`, {
        headers: { traceparent: `00-${TRACE_ID}-00f067aa0ba902b7-01` },
      });
      expect(read.status).toBe(200);
      // Closing the server flushes the spans still buffered to the collector.
      await harness.stop();
      harness = null;
    } finally {
      await harness?.stop();
      await store.cleanup();
    }
    expect(received.length).toBeGreaterThan(0);
    expect(received.every((request) => request.path === "/v1/traces")).toBe(true);
    const spans = received.flatMap((request) =>
      request.body.resourceSpans.flatMap((resource) => resource.scopeSpans.flatMap((scope) => scope.spans)),
    );
    const routeOf = (span: OtlpSpan) =>
      span.attributes.find((attribute) => attribute.key === "http.route")?.value.stringValue;
    const traced = spans.find(
      (span) => routeOf(span) === "/v1/cooperatives/:coopId/trial-balance" && span.traceId === TRACE_ID,
    );
    expect(traced).toBeDefined();
    expect(spans.some((span) => routeOf(span) === "/v1/cooperatives")).toBe(true);
  });
});
