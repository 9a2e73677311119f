/**
 * The service's Prometheus metrics (prom-client), one registry per server so several servers in one
 * process (tests) never mix their counts. Request counts and latencies are observed as responses leave;
 * the lags and the outbox depth are read from the projections, the supervisor and the store when scraped.
 */
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";

/** Latency buckets in seconds: from a cached read (a millisecond) to a slow report (ten seconds). */
const LATENCY_BUCKETS_SECONDS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** Group-commit sizes in appends per transaction: one alone up to the stores' largest groups. */
const GROUP_COMMIT_SIZE_BUCKETS = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512];
/** Route label of a request that matched no route, so unknown URLs cannot grow the label set. */
const UNMATCHED_ROUTE = "unmatched";

/** What the scrape reads at the moment it happens. */
export interface MetricsSources {
  /** The position of the store's last committed event, visible to readers yet or not (-1 when empty). */
  readonly headPosition: () => Promise<bigint>;
  /** The last position the projections applied. */
  readonly projectionsPosition: () => bigint;
  /** The supervisor in this process, if any: the position it judged through and alerts not yet published. */
  readonly supervisor: () => { processedThrough(): bigint; pendingPublications(): number } | null;
  /** Whether the alert bus's broker connection is up; absent when the bus has no broker (no NATS). */
  readonly busConnected?: () => boolean;
}

export interface ServiceMetrics {
  readonly registry: Registry;
  observeRequest(method: string, route: string | undefined, status: number, seconds: number): void;
  countRateLimited(keyKind: "principal" | "address"): void;
  /** One committed transaction of the event store (its CommitObserver). */
  observeCommit(appends: number, events: number): void;
}

const eventsBehind = (head: bigint, position: bigint): number =>
  Number(head > position ? head - position : 0n);

/** 1 while the alert bus is connected to NATS, 0 while not; only registered when NATS is configured. */
const registerBusGauge = (registry: Registry, connected: () => boolean): void => {
  new Gauge({
    name: "bukubesar_nats_connected",
    help: "1 while the alert bus is connected to NATS, 0 while it is not (absent without NATS).",
    registers: [registry],
    collect() {
      this.set(connected() ? 1 : 0);
    },
  });
};

export const createMetrics = (sources: MetricsSources): ServiceMetrics => {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "bukubesar_" });
  const requests = new Counter({
    name: "bukubesar_http_requests_total",
    help: "HTTP requests answered, by method, route pattern and status code.",
    labelNames: ["method", "route", "status"] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: "bukubesar_http_request_duration_seconds",
    help: "Time from request to response, by method and route pattern.",
    labelNames: ["method", "route"] as const,
    buckets: LATENCY_BUCKETS_SECONDS,
    registers: [registry],
  });
  const rateLimited = new Counter({
    name: "bukubesar_rate_limited_total",
    help: "Requests refused with 429 by the rate limit, by what it counted (a principal or a client address).",
    labelNames: ["key"] as const,
    registers: [registry],
  });
  const appended = new Counter({
    name: "bukubesar_store_appends_total",
    help: "Appends the event store committed (each one command's events for one stream).",
    registers: [registry],
  });
  const appendedEvents = new Counter({
    name: "bukubesar_store_appended_events_total",
    help: "Events the event store committed.",
    registers: [registry],
  });
  const groupSizes = new Histogram({
    name: "bukubesar_store_group_commit_size",
    help: "Appends written together in one transaction (group commit).",
    buckets: GROUP_COMMIT_SIZE_BUCKETS,
    registers: [registry],
  });
  if (sources.busConnected !== undefined) registerBusGauge(registry, sources.busConnected);
  new Gauge({
    name: "bukubesar_projection_lag_events",
    help: "Global positions between the store's head and the last one the read models applied.",
    registers: [registry],
    async collect() {
      this.set(eventsBehind(await sources.headPosition(), sources.projectionsPosition()));
    },
  });
  new Gauge({
    name: "bukubesar_supervisor_lag_events",
    help: "Global positions between the store's head and the last one the supervisor judged (0 without one).",
    registers: [registry],
    async collect() {
      const supervisor = sources.supervisor();
      this.set(
        supervisor === null ? 0 : eventsBehind(await sources.headPosition(), supervisor.processedThrough()),
      );
    },
  });
  new Gauge({
    name: "bukubesar_alert_outbox_depth",
    help: "Alerts recorded but not yet confirmed published to the bus.",
    registers: [registry],
    collect() {
      this.set(sources.supervisor()?.pendingPublications() ?? 0);
    },
  });
  return {
    registry,
    observeRequest(method, route, status, seconds) {
      const routeLabel = route ?? UNMATCHED_ROUTE;
      requests.inc({ method, route: routeLabel, status: String(status) });
      latency.observe({ method, route: routeLabel }, seconds);
    },
    countRateLimited(keyKind) {
      rateLimited.inc({ key: keyKind });
    },
    observeCommit(appends, events) {
      appended.inc(appends);
      appendedEvents.inc(events);
      groupSizes.observe(appends);
    },
  };
};
