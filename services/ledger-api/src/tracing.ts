/**
 * Optional OpenTelemetry traces: when OTEL_EXPORTER_OTLP_ENDPOINT is set, every request becomes a span
 * (named by @fastify/otel, with the route pattern in `http.route`, continuing an incoming `traceparent`)
 * sent in batches over OTLP/HTTP to `<endpoint>/v1/traces`. The OpenTelemetry packages are imported only
 * then, so a service without traces (and `bukubesar --help`) never loads them.
 */
import type { FastifyPluginCallback } from "fastify";

/** The service name spans carry unless OTEL_SERVICE_NAME gives another. */
export const TRACING_SERVICE_NAME = "bukubesar";

export interface TracingConfig {
  /** OTEL_EXPORTER_OTLP_ENDPOINT: the collector's base URL (`/v1/traces` is appended, as the spec says). */
  readonly endpoint: string;
  /** OTEL_SERVICE_NAME, else TRACING_SERVICE_NAME. */
  readonly serviceName?: string;
}

export interface Tracing {
  /** Registered on the server before its routes, so every route is traced. */
  readonly plugin: FastifyPluginCallback;
  /** Sends the spans still buffered and stops the exporter. */
  shutdown(): Promise<void>;
}

/** The traces URL of an OTLP/HTTP base endpoint (`http://collector:4318` → `…/v1/traces`). */
export const tracesUrlOf = (endpoint: string): string => `${endpoint.replace(/\/+$/, "")}/v1/traces`;

export const startTracing = async (config: TracingConfig): Promise<Tracing> => {
  const [
    { NodeTracerProvider, BatchSpanProcessor },
    { OTLPTraceExporter },
    { resourceFromAttributes },
    otel,
  ] = await Promise.all([
    import("@opentelemetry/sdk-trace-node"),
    import("@opentelemetry/exporter-trace-otlp-http"),
    import("@opentelemetry/resources"),
    import("@fastify/otel"),
  ]);
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ "service.name": config.serviceName ?? TRACING_SERVICE_NAME }),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: tracesUrlOf(config.endpoint) }))],
  });
  // Registers the W3C trace-context propagator and the async context manager the plugin relies on.
  provider.register();
  const instrumentation = new otel.FastifyOtelInstrumentation();
  instrumentation.setTracerProvider(provider);
  return {
    plugin: instrumentation.plugin() as FastifyPluginCallback,
    shutdown: () => provider.shutdown(),
  };
};

/** The tracing configuration the environment asks for, or null when OTEL_EXPORTER_OTLP_ENDPOINT is unset. */
export const tracingConfigFromEnvironment = (
  env: Readonly<Record<string, string | undefined>>,
): TracingConfig | null => {
  const endpoint = env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim() ?? "";
  if (endpoint === "") return null;
  const serviceName = env.OTEL_SERVICE_NAME?.trim() ?? "";
  return { endpoint, ...(serviceName === "" ? {} : { serviceName }) };
};
