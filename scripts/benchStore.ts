/**
 * Event store append benchmark (not a test): durable one-event appends with exact expected revisions,
 * spread over 1,000 cooperative streams, by 1, 16 and 256 concurrent writers; appends/s and p50/p99 latency.
 *
 *   pnpm exec tsx --conditions=source scripts/benchStore.ts [sqlite|postgres|all] [appends per run]
 *
 * SQLite writes a temporary file (WAL, synchronous=FULL, group commit). PostgreSQL uses a fresh database
 * on TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres), dropped afterwards. In the same
 * run, side by side, the PostgreSQL ceiling: the same rows inserted into a plain table of the same columns
 * by multi-row INSERTs of CEILING_BATCH rows, each its own durable transaction, from CEILING_CONNECTIONS
 * connections: what this server commits with no checks, no locks and no stream rows at all.
 */
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type EventStore, openEventStore } from "../packages/event-store/src/index.js";

const COOPERATIVES = 1_000;
const WRITER_COUNTS = [1, 16, 256];
/** Rows per INSERT and connections of the plain-insert ceiling. */
const CEILING_BATCH = 100;
const CEILING_CONNECTIONS = 4;
const which = process.argv[2] ?? "all";
const appendsPerRun = Number(process.argv[3] ?? "20000");

const run = async (store: EventStore, writers: number, label: string): Promise<void> => {
  const revisions = new Map<string, number>();
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: writers }, async (_, writer) => {
      for (;;) {
        const index = next;
        next += 1;
        if (index >= appendsPerRun) return;
        // Each writer owns the cooperatives congruent to it, so its expected revisions are exact.
        const cooperative = writer + writers * (index % Math.max(1, Math.floor(COOPERATIVES / writers)));
        const stream = `bench-${label}-coop-${cooperative}`;
        const expected = revisions.get(stream) ?? "no_stream";
        const begin = performance.now();
        const result = await store.append(stream, expected, [
          {
            eventId: randomUUID(),
            type: "EntryPosted",
            data: {
              entryId: randomUUID(),
              lines: [
                { account: "1101", debit: "150000.00" },
                { account: "3101", credit: "150000.00" },
              ],
            },
            metadata: { actor: "bench" },
          },
        ]);
        latencies.push(performance.now() - begin);
        revisions.set(stream, result.nextExpectedRevision);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const percentile = (p: number): string =>
    (latencies[Math.floor((latencies.length - 1) * p)] ?? 0).toFixed(2);
  console.log(
    `${label.padEnd(8)} writers=${String(writers).padStart(3)} appends=${appendsPerRun} ` +
      `${Math.round(appendsPerRun / seconds)} appends/s p50=${percentile(0.5)} ms p99=${percentile(0.99)} ms`,
  );
};

/** The plain multi-row insert ceiling (see the header): rows/s and latency per batch. */
const plainInsertCeiling = async (url: string, Client: typeof import("pg").Client): Promise<void> => {
  const clients = await Promise.all(
    Array.from({ length: CEILING_CONNECTIONS }, async () => {
      const client = new Client({ connectionString: url });
      await client.connect();
      return client;
    }),
  );
  const setup = clients[0] as InstanceType<typeof Client>;
  await setup.query(`CREATE TABLE ceiling (position bigint PRIMARY KEY, stream_id bigint NOT NULL,
    revision bigint NOT NULL, event_id text NOT NULL UNIQUE, type text NOT NULL, data text NOT NULL,
    metadata text NOT NULL, recorded_at timestamptz NOT NULL, UNIQUE (stream_id, revision))`);
  let next = 0;
  const latencies: number[] = [];
  const started = performance.now();
  await Promise.all(
    clients.map(async (client) => {
      for (;;) {
        const first = next;
        next += CEILING_BATCH;
        if (first >= appendsPerRun) return;
        const rows = Array.from(
          { length: Math.min(CEILING_BATCH, appendsPerRun - first) },
          (_, i) => first + i,
        );
        const begin = performance.now();
        await client.query(
          `INSERT INTO ceiling SELECT p, p % ${COOPERATIVES}, p / ${COOPERATIVES}, i, 'EntryPosted', d, m, now()
             FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[]) AS u (p, i, d, m)`,
          [
            rows,
            rows.map(() => randomUUID()),
            rows.map(() =>
              JSON.stringify({
                entryId: randomUUID(),
                lines: [
                  { account: "1101", debit: "150000.00" },
                  { account: "3101", credit: "150000.00" },
                ],
              }),
            ),
            rows.map(() => JSON.stringify({ actor: "bench" })),
          ],
        );
        latencies.push(performance.now() - begin);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const percentile = (p: number): string =>
    (latencies[Math.floor((latencies.length - 1) * p)] ?? 0).toFixed(2);
  console.log(
    `pg-ceiling batch=${CEILING_BATCH} connections=${CEILING_CONNECTIONS} rows=${appendsPerRun} ` +
      `${Math.round(appendsPerRun / seconds)} rows/s batch p50=${percentile(0.5)} ms p99=${percentile(0.99)} ms`,
  );
  await Promise.all(clients.map((client) => client.end()));
};

if (which === "sqlite" || which === "all") {
  const directory = mkdtempSync(join(tmpdir(), "bukubesar-bench-"));
  const store = await openEventStore(`sqlite:${join(directory, "bench.db")}`);
  for (const writers of WRITER_COUNTS) await run(store, writers, `sqlite${writers}`);
  await store.close();
  rmSync(directory, { recursive: true, force: true });
}

if (which === "postgres" || which === "all") {
  // pg is a dependency of the event-store package, not of the workspace root: load it from there.
  const { Client } = createRequire(new URL("../packages/event-store/package.json", import.meta.url))(
    "pg",
  ) as typeof import("pg");
  const admin = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
  const name = `bb_bench_${randomUUID().replaceAll("-", "").slice(0, 12)}`;
  const client = new Client({ connectionString: admin });
  await client.connect();
  await client.query(`CREATE DATABASE ${name}`);
  const url = new URL(admin);
  url.pathname = `/${name}`;
  try {
    const store = await openEventStore(url.toString());
    for (const writers of WRITER_COUNTS) await run(store, writers, `pg${writers}`);
    await store.close();
    await plainInsertCeiling(url.toString(), Client);
  } finally {
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await client.end();
  }
}
