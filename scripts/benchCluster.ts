/**
 * Failure drill of the PostgreSQL cluster (not a test; run by `scripts/bench --cluster` after
 * `scripts/cluster up`): writers append to cooperative streams through HAProxy while the PostgreSQL leader
 * is killed with SIGKILL (its Patroni and its postmaster) several times, and the killed node is started
 * again to rejoin as a replica.
 *
 * A failed append is "outcome unknown": the writer retries it with the same event ids and the same
 * expected revision until the store answers, exactly as the API does with an Idempotency-Key. At the end
 * every stream is read back and checked: every acknowledged append is there exactly once, revisions are
 * gap-free, nothing is duplicated, and each stream's total equals a Decimal oracle of the acknowledged
 * appends. Prints one line per kill and a summary (parsed by scripts/bench.d/benchmarks.mjs).
 *
 *   node --import tsx --conditions=source scripts/benchCluster.ts [kills] [writers] [streams]
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import {
  type AppendResult,
  type EventStore,
  type ExpectedRevision,
  isStoreFailureOf,
  type NewEvent,
  openEventStore,
} from "../packages/event-store/src/index.js";

// decimal.js is a dependency of the money package, not of the workspace root: load it from there.
const { Decimal } = createRequire(new URL("../packages/money/package.json", import.meta.url))(
  "decimal.js",
) as typeof import("decimal.js");
type Decimal = import("decimal.js").Decimal;

const KILLS = Number(process.argv[2] ?? "3");
const WRITERS = Number(process.argv[3] ?? "8");
const STREAMS = Number(process.argv[4] ?? "100");
/** Appends run this long before the first kill and between kills (the cluster settles meanwhile). */
const RUN_BETWEEN_KILLS_MS = 20_000;
/** Pause before retrying an append whose outcome is unknown. */
const RETRY_PAUSE_MS = 200;
/** A failover that takes longer than this fails the drill. */
const RECOVERY_LIMIT_MS = 60_000;
/** How often the drill looks whether appends are acknowledged again after a kill. */
const RECOVERY_POLL_MS = 20;
/** How many failures the drill prints; the summary line counts them all. */
const FAILURES_SHOWN = 20;

const clusterDir = process.env.BUKUBESAR_CLUSTER_DIR ?? "/tmp/bukubesar-cluster";
const storeUrl =
  process.env.STORE_URL ?? "postgres://postgres@127.0.0.1:15430/postgres?schema=bukubesar_drill";

interface Writer {
  acknowledged: number;
  unknownOutcomes: number;
  resolvedAsStored: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const amountOf = (writer: number, sequence: number): string =>
  new Decimal(sequence % 997).plus(new Decimal(writer).dividedBy(100)).toFixed(2);

let stopping = false;
/** When the last append acknowledged had started its successful attempt, and when it was acknowledged. */
let lastSuccess = { startedAt: 0, at: 0 };
const oracle = new Map<string, Decimal>();
const acknowledgedIds = new Set<string>();

/** The stream of a writer's append: its own streams in turn, so only it writes them and knows their revision. */
const streamOf = (writer: number, sequence: number): string =>
  `ledger-drill-${writer + WRITERS * (sequence % Math.floor(STREAMS / WRITERS))}`;

/**
 * Appends one event, retrying it with the same event id and expected revision while the store is
 * unavailable: a failed attempt may have been stored, and the retry must then find it rather than add it.
 */
const appendUntilAnswered = async (
  store: EventStore,
  stats: Writer,
  stream: string,
  expected: ExpectedRevision,
  event: NewEvent,
): Promise<AppendResult> => {
  for (let attempt = 0; ; attempt += 1) {
    const startedAt = performance.now();
    try {
      const result = await store.append(stream, expected, [event]);
      if (attempt > 0 && result.alreadyStored) stats.resolvedAsStored += 1;
      lastSuccess = { startedAt, at: performance.now() };
      return result;
    } catch (error) {
      if (!isStoreFailureOf(error, "StoreUnavailable")) throw error;
      if (attempt === 0) stats.unknownOutcomes += 1;
      await sleep(RETRY_PAUSE_MS);
    }
  }
};

/** One writer: its own streams (exact expected revisions), one event per append, retried until answered. */
const write = async (store: EventStore, writer: number, stats: Writer): Promise<void> => {
  const revisions = new Map<string, number>();
  for (let sequence = 0; !stopping; sequence += 1) {
    const stream = streamOf(writer, sequence);
    const eventId = `drill-${writer}-${sequence}`;
    const amount = amountOf(writer, sequence);
    const event = { eventId, type: "DrillPosted", data: { amount, sequence }, metadata: { writer } };
    const expected = revisions.get(stream) ?? "no_stream";
    const result = await appendUntilAnswered(store, stats, stream, expected, event);
    revisions.set(stream, result.nextExpectedRevision);
    stats.acknowledged += 1;
    acknowledgedIds.add(eventId);
    oracle.set(stream, (oracle.get(stream) ?? new Decimal(0)).plus(amount));
  }
};

const cluster = (...args: string[]): string =>
  execFileSync("scripts/cluster", args, { encoding: "utf8" }).trim();

/** The leader's index, or null while there is none (Patroni answers no /primary during an election). */
const leaderOrNull = (): number | null => {
  try {
    return Number(cluster("leader"));
  } catch {
    return null;
  }
};

/** Kills the leader's Patroni and postmaster with SIGKILL; returns the node's index. */
const killLeader = (): number => {
  const leader = leaderOrNull();
  if (leader === null) throw new Error("no PostgreSQL leader to kill");
  const patroni = Number(readFileSync(`${clusterDir}/pids/patroni${leader}`, "utf8"));
  const postmaster = Number(
    readFileSync(`${clusterDir}/pg${leader}/data/postmaster.pid`, "utf8").split("\n")[0],
  );
  // The recorded PID leads the Patroni process group (runuser and patroni); kill the whole group.
  for (const [pid, group] of [
    [patroni, true],
    [postmaster, false],
  ] as const) {
    try {
      process.kill(group ? -pid : pid, "SIGKILL");
    } catch {
      // Already gone.
    }
  }
  return leader;
};

/** One of the writers' counts, summed over all writers. */
const total = (stats: readonly Writer[], count: keyof Writer): number =>
  stats.reduce((sum, writer) => sum + writer[count], 0);

/**
 * Kills the leader once the load has run a while, waits until appends are acknowledged again and starts
 * the killed node again as a replica. Returns how long the writers waited for an acknowledgement.
 */
const killLeaderAndRecover = async (kill: number, stats: readonly Writer[]): Promise<number> => {
  await sleep(RUN_BETWEEN_KILLS_MS);
  const before = total(stats, "acknowledged");
  const killedAt = performance.now();
  const node = killLeader();
  // Recovered: an append whose successful attempt started after the kill was acknowledged (one in
  // flight at the kill and acknowledged just after it does not count).
  const recovered = (): boolean => lastSuccess.startedAt > killedAt;
  while (!recovered() && performance.now() - killedAt < RECOVERY_LIMIT_MS) await sleep(RECOVERY_POLL_MS);
  if (!recovered()) throw new Error(`no append succeeded within ${RECOVERY_LIMIT_MS} ms of kill ${kill}`);
  const recoveredMs = lastSuccess.at - killedAt;
  const newLeader = leaderOrNull();
  if (newLeader === node) throw new Error(`pg${node} is leader again though it was killed`);
  // The killed node rejoins (rewound, as a replica) only once another node leads.
  cluster("start", `pg${node}`);
  console.log(
    `kill ${kill}: leader pg${node} killed; first append acknowledged again after ${(recoveredMs / 1000).toFixed(1)} s ` +
      `(new leader pg${newLeader}); ${before} acknowledged before`,
  );
  return recoveredMs;
};

/** The summary line scripts/bench.d/benchmarks.mjs parses. */
const summaryLine = (
  stats: readonly Writer[],
  seconds: number,
  recoveries: readonly number[],
  failures: number,
): string => {
  const acknowledged = total(stats, "acknowledged");
  return (
    `drill pg-leader kills=${KILLS} writers=${WRITERS} streams=${STREAMS} acknowledged=${acknowledged} ` +
    `seconds=${seconds.toFixed(0)} rate=${Math.round(acknowledged / seconds)}/s ` +
    `unknown=${total(stats, "unknownOutcomes")} resolved-as-stored=${total(stats, "resolvedAsStored")} ` +
    `recovery-max=${(Math.max(...recoveries) / 1000).toFixed(1)} s ` +
    `recovery-mean=${(recoveries.reduce((a, b) => a + b, 0) / recoveries.length / 1000).toFixed(1)} s ` +
    `failures=${failures}`
  );
};

/** Reads every stream back (by revision, no watermark) and checks it against what was acknowledged. */
const verify = async (store: EventStore): Promise<string[]> => {
  const failures: string[] = [];
  const seen = new Set<string>();
  for (let stream = 0; stream < STREAMS; stream += 1) {
    const name = `ledger-drill-${stream}`;
    const events = await store.readStream(name);
    let streamTotal = new Decimal(0);
    events.forEach((event, index) => {
      if (event.revision !== index) failures.push(`${name}: revision ${event.revision} at index ${index}`);
      if (seen.has(event.eventId)) failures.push(`${event.eventId} stored twice`);
      seen.add(event.eventId);
      if (!acknowledgedIds.has(event.eventId))
        failures.push(`${event.eventId} stored but never acknowledged`);
      streamTotal = streamTotal.plus((event.data as { amount: string }).amount);
    });
    const expected = oracle.get(name) ?? new Decimal(0);
    if (!streamTotal.equals(expected))
      failures.push(`${name}: total ${streamTotal.toFixed(2)}, oracle ${expected.toFixed(2)}`);
  }
  for (const id of acknowledgedIds) if (!seen.has(id)) failures.push(`acknowledged ${id} is missing`);
  return failures;
};

const main = async (): Promise<void> => {
  const store = await openEventStore(storeUrl);
  const started = performance.now();
  const stats = Array.from({ length: WRITERS }, () => ({
    acknowledged: 0,
    unknownOutcomes: 0,
    resolvedAsStored: 0,
  }));
  const writing = Promise.all(stats.map((writerStats, writer) => write(store, writer, writerStats)));
  const recoveries: number[] = [];
  for (let kill = 1; kill <= KILLS; kill += 1) recoveries.push(await killLeaderAndRecover(kill, stats));
  await sleep(RUN_BETWEEN_KILLS_MS / 2);
  stopping = true;
  await writing;
  const seconds = (performance.now() - started) / 1000;
  const failures = await verify(store);
  console.log(summaryLine(stats, seconds, recoveries, failures.length));
  for (const failure of failures.slice(0, FAILURES_SHOWN)) console.log(`FAILED: ${failure}`);
  await store.close();
  if (failures.length > 0) process.exitCode = 1;
};

await main();
