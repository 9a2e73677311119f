/**
 * Alert latency (docs/benchmarks.md, "Supervision"): from the moment an append of a large-cash posting
 * resolves (what the API answers with 201) to a NATS subscriber's receipt of its alert, p50/p99, under a
 * background load of ordinary postings. Target: p99 < 100 ms under 1,000 entries/s. Run from the repository root with the
 * local nats-server up:
 *
 *     pnpm exec tsx --conditions=source services/supervisor/bench/alertLatency.bench.ts [seconds] [entries/s]
 *
 * The store is a fresh SQLite file in the temporary directory; the stream and subjects are this run's own
 * and are deleted at the end. TEST_NATS_URL overrides the server (default nats://127.0.0.1:4222).
 */
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AlertBus } from "@bukubesar/bus";
import { openNatsAlertBus } from "@bukubesar/bus";
import { openEventStore } from "@bukubesar/event-store";
import { LARGE_CASH_RULE } from "@bukubesar/supervision";
import { startSupervisor } from "../src/index.js";
import { LedgerWriter } from "../test/ledgerWriter.js";

const SECONDS = Number(process.argv[2] ?? 20);
const BACKGROUND_ENTRIES_PER_SECOND = Number(process.argv[3] ?? 1_000);
/** Background cooperatives, each appending in its own sequential loop (one stream, one writer). */
const BACKGROUND_COOPERATIVES = 10;
/** One large-cash posting (the measured one) every this many milliseconds. */
const PROBE_INTERVAL_MS = 100;
const NATS_URL = process.env.TEST_NATS_URL ?? "nats://127.0.0.1:4222";
const RUN = randomUUID().replaceAll("-", "").slice(0, 12);

/** Log-uniform amounts from Rp10,000 to Rp10 million with random sen: first digits follow Benford, none round. */
const backgroundAmount = (): string => {
  const sen = Math.floor(1_000_000 * 1_000 ** Math.random());
  return `${Math.floor(sen / 100)}.${String(sen % 100).padStart(2, "0")}`;
};

const sleep = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));

const percentile = (sorted: readonly number[], fraction: number): number => {
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))] ?? Number.NaN;
};

const directory = mkdtempSync(join(tmpdir(), "alert-latency-"));
const store = await openEventStore(`sqlite:${join(directory, "ledger.db")}`);
const streamName = `BENCH_ALERTS_${RUN}`;
const subjectPrefix = `bench${RUN}.alerts`;
const publisher = await openNatsAlertBus({ servers: NATS_URL, streamName, subjectPrefix });
const subscriberBus = await openNatsAlertBus({
  servers: NATS_URL,
  streamName,
  subjectPrefix,
  createStream: false,
});

try {
  const probe = new LedgerWriter(store, `probe-${RUN}`);
  await probe.open();
  const background: LedgerWriter[] = [];
  for (let index = 0; index < BACKGROUND_COOPERATIVES; index += 1) {
    const writer = new LedgerWriter(store, `load-${index}-${RUN}`, "35.13.01.2001");
    await writer.open();
    background.push(writer);
  }

  const appendedAt = new Map<string, number>();
  /**
   * Where the time goes, per probe: when the supervisor's subscription delivers the posting, when the
   * outbox starts publishing its alert, and when the subscriber has it (the store and the bus are
   * wrapped here, so the supervisor itself is measured as it is).
   */
  const seenAt = new Map<string, number>();
  const publishStartedAt = new Map<string, number>();
  const timing = { append: [] as number[], readById: [] as number[] };
  const measuredStore: typeof store = Object.create(store, {
    append: {
      value: async (...args: Parameters<typeof store.append>) => {
        const started = performance.now();
        try {
          return await store.append(...args);
        } finally {
          if (args[0].startsWith("alerts-")) timing.append.push(performance.now() - started);
        }
      },
    },
    readEventById: {
      value: async (eventId: string) => {
        const started = performance.now();
        try {
          return await store.readEventById(eventId);
        } finally {
          timing.readById.push(performance.now() - started);
        }
      },
    },
    subscribeToAll: {
      value: (
        options: Parameters<typeof store.subscribeToAll>[0],
        handler: Parameters<typeof store.subscribeToAll>[1],
      ) =>
        store.subscribeToAll(options, (event) => {
          const entryId = (event.data as { entryId?: unknown } | null)?.entryId;
          if (typeof entryId === "string" && entryId.startsWith("probe-"))
            seenAt.set(entryId, performance.now());
          return handler(event);
        }),
    },
  });
  const measuredBus: AlertBus = {
    async publish(alert) {
      const entryId = alert.entryIds[0] ?? "";
      publishStartedAt.set(entryId, performance.now());
      return publisher.publish(alert);
    },
    subscribe: (filter, handler) => publisher.subscribe(filter, handler),
    close: () => publisher.close(),
  };
  const supervisor = await startSupervisor({
    store: measuredStore,
    bus: measuredBus,
    tickIntervalMs: 0,
  });
  await supervisor.idle();

  const stages = {
    seen: [] as number[],
    published: [] as number[],
    received: [] as number[],
  };
  const latencies: number[] = [];
  const subscription = await subscriberBus.subscribe({ regionPrefix: "35.74" }, (alert) => {
    if (alert.rule !== LARGE_CASH_RULE) return;
    const entryId = alert.entryIds[0] ?? "";
    const started = appendedAt.get(entryId);
    const now = performance.now();
    if (started !== undefined) {
      latencies.push(now - started);
      const seen = seenAt.get(entryId) ?? Number.NaN;
      const publishing = publishStartedAt.get(entryId) ?? Number.NaN;
      stages.seen.push(seen - started);
      stages.published.push(publishing - seen);
      stages.received.push(now - publishing);
    }
    if (started !== undefined && process.env.BENCH_VERBOSE)
      console.log(entryId, (performance.now() - started).toFixed(1));
  });

  const endAt = performance.now() + SECONDS * 1000;
  let backgroundEntries = 0;
  const perCooperativeInterval = (1000 * BACKGROUND_COOPERATIVES) / BACKGROUND_ENTRIES_PER_SECOND;
  const loads = background.map(async (writer) => {
    let next = performance.now();
    while (performance.now() < endAt) {
      // Small deposits of varied amounts: no rule fires on them. (Repeating one amount would make every
      // deposit a duplicate entry of the one before it, hundreds of alerts per second; BENCH_SAME_AMOUNT=1
      // measures that load.)
      await writer.deposit(process.env.BENCH_SAME_AMOUNT ? "150000.00" : backgroundAmount());
      backgroundEntries += 1;
      next += perCooperativeInterval;
      const wait = next - performance.now();
      if (wait > 0) await sleep(wait);
    }
  });
  let probes = 0;
  const probing = (async () => {
    while (performance.now() < endAt) {
      const entryId = await probe.deposit("150000000.00");
      appendedAt.set(entryId, performance.now());
      probes += 1;
      await sleep(PROBE_INTERVAL_MS);
    }
  })();
  const loadStarted = performance.now();
  await Promise.all([...loads, probing]);
  const loadSeconds = (performance.now() - loadStarted) / 1000;
  const deadline = performance.now() + 5_000;
  while (latencies.length < probes && performance.now() < deadline) await sleep(20);

  await subscription.close();
  await supervisor.stop();
  const sorted = [...latencies].sort((first, second) => first - second);
  console.log(
    `background load: ${backgroundEntries} entries in ${loadSeconds.toFixed(1)} s = ${Math.round(backgroundEntries / loadSeconds)} entries/s (target ${BACKGROUND_ENTRIES_PER_SECOND})`,
  );
  console.log(
    `alerts: ${latencies.length} of ${probes} large-cash postings received; latency append → NATS subscriber: p50 ${percentile(sorted, 0.5).toFixed(1)} ms, p99 ${percentile(sorted, 0.99).toFixed(1)} ms, max ${(sorted.at(-1) ?? Number.NaN).toFixed(1)} ms`,
  );
  const stageFigures = Object.entries(stages).map(([stage, values]) => {
    const ordered = [...values].sort((first, second) => first - second);
    return `${stage} p50 ${percentile(ordered, 0.5).toFixed(1)} / p99 ${percentile(ordered, 0.99).toFixed(1)} ms`;
  });
  for (const [name, values] of Object.entries(timing)) {
    const ordered = [...values].sort((first, second) => first - second);
    console.log(
      `store ${name} by the supervisor: ${values.length} calls, p50 ${percentile(ordered, 0.5).toFixed(1)} p99 ${percentile(ordered, 0.99).toFixed(1)} max ${(ordered.at(-1) ?? 0).toFixed(1)} ms`,
    );
  }
  console.log(
    `stages (append → seen by the supervisor → outbox publishes → subscriber): ${stageFigures.join("; ")}`,
  );
} finally {
  await publisher.deleteStream().catch(() => undefined);
  await publisher.close();
  await subscriberBus.close();
  await store.close();
  rmSync(directory, { recursive: true, force: true });
}
