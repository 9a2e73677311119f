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
import { type EventStore, isStoreFailureOf, openEventStore } from "../packages/event-store/src/index.js";

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

/** One writer: its own streams (exact expected revisions), one event per append, retried until answered. */
async function write(store: EventStore, writer: number, stats: Writer): Promise<void> {
  const revisions = new Map<string, number>();
  for (let sequence = 0; !stopping; sequence += 1) {
    const stream = `ledger-drill-${writer + WRITERS * (sequence % Math.floor(STREAMS / WRITERS))}`;
    const eventId = `drill-${writer}-${sequence}`;
    const amount = amountOf(writer, sequence);
    const expected = revisions.get(stream) ?? "no_stream";
    for (let attempt = 0; ; attempt += 1) {
      const startedAt = performance.now();
      try {
        const result = await store.append(stream, expected, [
          { eventId, type: "DrillPosted", data: { amount, sequence }, metadata: { writer } },
        ]);
        if (attempt > 0 && result.alreadyStored) stats.resolvedAsStored += 1;
        revisions.set(stream, result.nextExpectedRevision);
        stats.acknowledged += 1;
        acknowledgedIds.add(eventId);
        oracle.set(stream, (oracle.get(stream) ?? new Decimal(0)).plus(amount));
        lastSuccess = { startedAt, at: performance.now() };
        break;
      } catch (error) {
        if (!isStoreFailureOf(error, "StoreUnavailable")) throw error;
        if (attempt === 0) stats.unknownOutcomes += 1;
        await sleep(RETRY_PAUSE_MS);
      }
    }
  }
}

function cluster(...args: string[]): string {
  return execFileSync("scripts/cluster", args, { encoding: "utf8" }).trim();
}

/** The leader's index, or null while there is none (Patroni answers no /primary during an election). */
function leaderOrNull(): number | null {
  try {
    return Number(cluster("leader"));
  } catch {
    return null;
  }
}

/** Kills the leader's Patroni and postmaster with SIGKILL; returns the node's index. */
function killLeader(): number {
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
}

async function main(): Promise<void> {
  const store = await openEventStore(storeUrl);
  const started = performance.now();
  const stats = Array.from({ length: WRITERS }, () => ({
    acknowledged: 0,
    unknownOutcomes: 0,
    resolvedAsStored: 0,
  }));
  const writing = Promise.all(stats.map((writerStats, writer) => write(store, writer, writerStats)));
  const recoveries: number[] = [];
  for (let kill = 1; kill <= KILLS; kill += 1) {
    await sleep(RUN_BETWEEN_KILLS_MS);
    const before = stats.reduce((sum, writer) => sum + writer.acknowledged, 0);
    const killedAt = performance.now();
    const node = killLeader();
    // Recovered: an append whose successful attempt started after the kill was acknowledged (one in
    // flight at the kill and acknowledged just after it does not count).
    const recovered = (): boolean => lastSuccess.startedAt > killedAt;
    while (!recovered() && performance.now() - killedAt < RECOVERY_LIMIT_MS) await sleep(20);
    if (!recovered()) throw new Error(`no append succeeded within ${RECOVERY_LIMIT_MS} ms of kill ${kill}`);
    const recoveredMs = lastSuccess.at - killedAt;
    recoveries.push(recoveredMs);
    const newLeader = leaderOrNull();
    if (newLeader === node) throw new Error(`pg${node} is leader again though it was killed`);
    // The killed node rejoins (rewound, as a replica) only once another node leads.
    cluster("start", `pg${node}`);
    console.log(
      `kill ${kill}: leader pg${node} killed; first append acknowledged again after ${(recoveredMs / 1000).toFixed(1)} s ` +
        `(new leader pg${newLeader}); ${before} acknowledged before`,
    );
  }
  await sleep(RUN_BETWEEN_KILLS_MS / 2);
  stopping = true;
  await writing;
  const seconds = (performance.now() - started) / 1000;
  const failures = await verify(store);
  const acknowledged = stats.reduce((sum, writer) => sum + writer.acknowledged, 0);
  const unknown = stats.reduce((sum, writer) => sum + writer.unknownOutcomes, 0);
  const resolved = stats.reduce((sum, writer) => sum + writer.resolvedAsStored, 0);
  console.log(
    `drill pg-leader kills=${KILLS} writers=${WRITERS} streams=${STREAMS} acknowledged=${acknowledged} ` +
      `seconds=${seconds.toFixed(0)} rate=${Math.round(acknowledged / seconds)}/s ` +
      `unknown=${unknown} resolved-as-stored=${resolved} recovery-max=${(Math.max(...recoveries) / 1000).toFixed(1)} s ` +
      `recovery-mean=${(recoveries.reduce((a, b) => a + b, 0) / recoveries.length / 1000).toFixed(1)} s ` +
      `failures=${failures.length}`,
  );
  for (const failure of failures.slice(0, 20)) console.log(`FAILED: ${failure}`);
  await store.close();
  if (failures.length > 0) process.exitCode = 1;
}

/** Reads every stream back (by revision, no watermark) and checks it against what was acknowledged. */
async function verify(store: EventStore): Promise<string[]> {
  const failures: string[] = [];
  const seen = new Set<string>();
  for (let stream = 0; stream < STREAMS; stream += 1) {
    const name = `ledger-drill-${stream}`;
    const events = await store.readStream(name);
    let total = new Decimal(0);
    events.forEach((event, index) => {
      if (event.revision !== index) failures.push(`${name}: revision ${event.revision} at index ${index}`);
      if (seen.has(event.eventId)) failures.push(`${event.eventId} stored twice`);
      seen.add(event.eventId);
      if (!acknowledgedIds.has(event.eventId))
        failures.push(`${event.eventId} stored but never acknowledged`);
      total = total.plus((event.data as { amount: string }).amount);
    });
    const expected = oracle.get(name) ?? new Decimal(0);
    if (!total.equals(expected))
      failures.push(`${name}: total ${total.toFixed(2)}, oracle ${expected.toFixed(2)}`);
  }
  for (const id of acknowledgedIds) if (!seen.has(id)) failures.push(`acknowledged ${id} is missing`);
  return failures;
}

await main();
