/**
 * Failure drill of the API replicas (not a test; run by `scripts/bench --cluster` after the PostgreSQL and
 * NATS drills, on `scripts/cluster up`): three `bukubesar serve --no-supervisor` behind HAProxy (port
 * 15440) over the PostgreSQL cluster, 8 HTTP clients posting journal entries to 100 cooperatives, and one
 * replica at a time killed with SIGKILL and started again. A request that fails (502/503, a cut
 * connection) has an unknown outcome: the client retries it with the same Idempotency-Key until it gets
 * its 201 (or the replayed 201). At the end: every acknowledged entry is in its cooperative's journal
 * exactly once, each trial balance's cash equals a Decimal oracle of the acknowledged entries, and
 * `bukubesar verify` finds every chain sound.
 *
 * Then the PostgreSQL leader is killed under the same load: the replicas answer 503 with Retry-After
 * while there is none, and the clients' retries with the same keys settle every request once.
 *
 * Two `bukubesar supervise` run beside the replicas (one active, one standing by, leadership through a
 * PostgreSQL advisory lock) and publish to the three-node NATS cluster's alerts stream (three replicas);
 * every cooperative's large-cash threshold is lowered so that about half of the postings raise an alert.
 * Under the same load, the active supervisor is killed with SIGKILL (several times; the standby must take
 * over), then each NATS node in turn. A subscriber through our NATS bus counts what it receives; at the
 * end every alert recorded in the store must have reached it exactly once, and every acknowledged posting
 * at or above the threshold must have its large-cash alert.
 *
 *   node --import tsx --conditions=source scripts/benchClusterHttp.ts \
 *     [replica kills] [leader kills] [supervisor kills] [NATS node kills]
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { openSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { loadavg } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { openAlertBus } from "../packages/bus/src/index.js";
import { openEventStore } from "../packages/event-store/src/index.js";

const KILLS = Number(process.argv[2] ?? "3");
/** After the replicas, the PostgreSQL leader is killed this many times under the same load. */
const POSTGRES_KILLS = Number(process.argv[3] ?? "2");
/** How long the throughput of one, then of three replicas is measured before the kills. */
const THROUGHPUT_PHASE_MS = 20_000;
/** Then the active supervisor, this many times. */
const SUPERVISOR_KILLS = Number(process.argv[4] ?? "3");
/** Then a NATS node (each in turn), this many times. */
const NATS_KILLS = Number(process.argv[5] ?? "3");
/** Lowered from the default (Rp 100,000,000) so that postings of Rp 90,000 and more (about one in ten) raise an alert. */
const LARGE_CASH_THRESHOLD = "90000.00";
/**
 * How long, after the load stops, the alerts may take to be recorded and to reach the subscriber: the
 * supervisor publishes each alert with a three-replica acknowledgement and may trail the load on a busy
 * machine.
 */
const ALERT_DELIVERY_WAIT_MS = 180_000;
/** Postings are dated today in the cooperatives' zone, so that none raises a backdated-entry alert. */
const today = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Jakarta" }).format(new Date());
const runId = Date.now().toString(36);
const natsUrl =
  process.env.NATS_URL ?? "nats://127.0.0.1:15450,nats://127.0.0.1:15451,nats://127.0.0.1:15452";
/** A stream and subjects of this run's own, so that alerts of earlier runs are not counted. */
const alertBusConfig = {
  natsUrl,
  streamName: `DRILL_HTTP_${runId}`.toUpperCase(),
  subjectPrefix: `drillhttp${runId}`,
  replicas: 3,
};
const CLIENTS = 8;
const COOPERATIVES = 100;
const REPLICA_PORTS = [15441, 15442, 15443];
const API = "http://127.0.0.1:15440";
const RUN_BETWEEN_KILLS_MS = 15_000;
const DOWN_MS = 5_000;
const RETRY_PAUSE_MS = 200;
const READY_WAIT_MS = 120_000;
const ADMIN_TOKEN = "drill-admin-token-0123456789abcdefghijklmnop";

const root = resolve(fileURLToPath(new URL("..", import.meta.url)));
const clusterDir = process.env.BUKUBESAR_CLUSTER_DIR ?? "/tmp/bukubesar-cluster";
const storeUrl = `${(process.env.STORE_URL ?? "postgres://postgres@127.0.0.1:15430/postgres").split("?")[0]}?schema=bukubesar_http`;
const requireFromRoot = createRequire(join(root, "package.json"));
// decimal.js is a dependency of the money package, not of the workspace root: load it from there.
const { Decimal } = createRequire(join(root, "packages/money/package.json"))(
  "decimal.js",
) as typeof import("decimal.js");

/** The PostgreSQL leader's index, or null while there is none. */
function leaderOrNull(): number | null {
  try {
    return Number(execFileSync(join(root, "scripts/cluster"), ["leader"], { encoding: "utf8" }).trim());
  } catch {
    return null;
  }
}

/** Kills the PostgreSQL leader's Patroni (its process group) and postmaster with SIGKILL. */
function killPostgresLeader(): number {
  const node = leaderOrNull();
  if (node === null) throw new Error("no PostgreSQL leader to kill");
  const patroni = Number(readFileSync(join(clusterDir, "pids", `patroni${node}`), "utf8"));
  const postmaster = Number(
    readFileSync(join(clusterDir, `pg${node}`, "data", "postmaster.pid"), "utf8").split("\n")[0],
  );
  for (const pid of [-patroni, postmaster]) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // Already gone.
    }
  }
  return node;
}

/** Replicas that died without being killed by the drill: each is a failure. */
const crashes: string[] = [];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Starts replica `index` (0-2) without the launcher, so SIGKILL reaches the server itself. */
function startReplica(index: number): ChildProcess {
  const log = openSync(join(clusterDir, "logs", `api${index + 1}.log`), "a");
  const child = spawn(
    process.execPath,
    [
      "--import",
      pathToFileURL(requireFromRoot.resolve("tsx")).href,
      "--conditions=source",
      join(root, "services/cli/src/main.ts"),
      "serve",
      "--no-supervisor",
    ],
    {
      cwd: clusterDir,
      detached: true,
      stdio: ["ignore", log, log],
      env: {
        ...process.env,
        PORT: String(REPLICA_PORTS[index]),
        HOST: "127.0.0.1",
        STORE_URL: storeUrl,
        RATE_LIMIT_STORE_URL: storeUrl,
        RATE_LIMIT_PER_MINUTE: "10000000",
        BUKUBESAR_ADMIN_TOKEN: ADMIN_TOKEN,
        NATS_URL: "",
        LOG_LEVEL: "warn",
      },
    },
  );
  // scripts/cluster down stops what is recorded here.
  writeFileSync(join(clusterDir, "pids", `api${index + 1}`), String(child.pid));
  child.on("exit", (code, signal) => {
    if (signal !== "SIGKILL" && signal !== "SIGTERM") {
      crashes.push(
        `replica api${index + 1} exited by itself (${code ?? signal}); see logs/api${index + 1}.log`,
      );
    }
  });
  return child;
}

/** Starts supervisor `index` (0 or 1): both compete for the leadership; the other stands by. */
function startSupervisor(index: number): ChildProcess {
  const log = openSync(join(clusterDir, "logs", `supervise${index + 1}.log`), "a");
  const child = spawn(
    process.execPath,
    [
      "--import",
      pathToFileURL(requireFromRoot.resolve("tsx")).href,
      "--conditions=source",
      join(root, "services/cli/src/main.ts"),
      "supervise",
    ],
    {
      cwd: clusterDir,
      detached: true,
      stdio: ["ignore", log, log],
      env: {
        ...process.env,
        STORE_URL: storeUrl,
        NATS_URL: natsUrl,
        NATS_ALERTS_STREAM: alertBusConfig.streamName,
        NATS_SUBJECT_PREFIX: alertBusConfig.subjectPrefix,
        NATS_ALERTS_REPLICAS: "3",
      },
    },
  );
  writeFileSync(join(clusterDir, "pids", `supervise${index + 1}`), String(child.pid));
  child.on("exit", (code, signal) => {
    if (signal !== "SIGKILL" && signal !== "SIGTERM")
      crashes.push(
        `supervisor ${index + 1} exited by itself (${code ?? signal}); see logs/supervise${index + 1}.log`,
      );
  });
  return child;
}

/** A process's resident memory in MB (VmRSS), or "?" when it is gone. */
function rssMegabytes(pid: number | undefined): string {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kilobytes = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]);
    return (kilobytes / 1024).toFixed(0);
  } catch {
    return "?";
  }
}

/** How many times supervisor `index`'s log says it began following (it led). */
function timesLed(index: number): number {
  try {
    const text = readFileSync(join(clusterDir, "logs", `supervise${index + 1}.log`), "utf8");
    return text.split("bukubesar supervisor following").length - 1;
  } catch {
    return 0;
  }
}

async function waitHealthy(port: number): Promise<void> {
  const deadline = performance.now() + READY_WAIT_MS;
  while (performance.now() < deadline) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/health`)).ok) return;
    } catch {
      // Not listening yet.
    }
    await sleep(250);
  }
  throw new Error(`replica on ${port} did not become healthy`);
}

interface Answer {
  status: number;
  body: unknown;
  replayed: boolean;
  retryAfter: boolean;
}

/** Requests refused: 503 with Retry-After (the service's own answer), other 5xx, or a cut connection. */
interface Refusals {
  refused: number;
  unavailableWithRetryAfter: number;
  otherServerErrors: number;
  cutConnections: number;
}

async function call(
  method: string,
  path: string,
  token: string,
  body?: unknown,
  key?: string,
): Promise<Answer> {
  const headers: Record<string, string> = { authorization: `Bearer ${token}` };
  if (body !== undefined) headers["content-type"] = "application/json";
  if (key !== undefined) headers["idempotency-key"] = key;
  const response = await fetch(API + path, {
    method,
    headers,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return {
    status: response.status,
    body: text.startsWith("{") ? JSON.parse(text) : text,
    replayed: response.headers.get("idempotent-replayed") === "true",
    retryAfter: response.headers.get("retry-after") !== null,
  };
}

/** Retries until the answer is not a failure of the service (5xx or a cut connection). */
async function untilAnswered(send: () => Promise<Answer>, counts: Refusals): Promise<Answer> {
  for (;;) {
    try {
      const answer = await send();
      if (answer.status < 500) return answer;
      if (answer.status === 503 && answer.retryAfter) counts.unavailableWithRetryAfter += 1;
      else counts.otherServerErrors += 1;
    } catch {
      // The connection was cut (a replica died mid-request): outcome unknown, retry.
      counts.cutConnections += 1;
    }
    counts.refused += 1;
    await sleep(RETRY_PAUSE_MS);
  }
}

const noRefusals = (): Refusals => ({
  refused: 0,
  unavailableWithRetryAfter: 0,
  otherServerErrors: 0,
  cutConnections: 0,
});

async function setUp(counts: Refusals): Promise<string[]> {
  const tokens: string[] = [];
  for (let index = 0; index < COOPERATIVES; index += 1) {
    const id = `kkmp-drill-${index}`;
    const created = await untilAnswered(
      () =>
        call("POST", "/v1/cooperatives", ADMIN_TOKEN, {
          id,
          name: `KKMP Latihan ${index}`,
          regionCode: "35.74.03.1002",
          chart: "kkmp",
        }),
      counts,
    );
    if (created.status !== 201 && created.status !== 409)
      throw new Error(`cooperative ${id}: ${created.status}`);
    const lowered = await untilAnswered(
      () =>
        call("PATCH", `/v1/cooperatives/${id}/settings`, ADMIN_TOKEN, {
          largeCashThreshold: LARGE_CASH_THRESHOLD,
        }),
      counts,
    );
    if (lowered.status !== 200) throw new Error(`settings of ${id}: ${lowered.status}`);
    const issued = await untilAnswered(
      () =>
        call("POST", "/v1/tokens", ADMIN_TOKEN, { role: "treasurer", scope: id, name: `bendahara-${index}` }),
      counts,
    );
    if (issued.status !== 201)
      throw new Error(`token for ${id}: ${issued.status} ${JSON.stringify(issued.body)}`);
    tokens.push((issued.body as { token: string }).token);
  }
  // Tokens issued on one replica reach the others by following the principals stream.
  await sleep(3_000);
  return tokens;
}

async function main(): Promise<void> {
  // One replica first: the throughput of one, then of three behind the same HAProxy, same clients.
  const replicas = [startReplica(0)];
  await waitHealthy(REPLICA_PORTS[0] as number);
  const supervisors = [0, 1].map(startSupervisor);
  const subscriberBus = await openAlertBus(alertBusConfig);
  const received = new Map<string, number>();
  const subscription = await subscriberBus.subscribe({ regionPrefix: "*" }, (alert) => {
    received.set(alert.alertId, (received.get(alert.alertId) ?? 0) + 1);
  });
  const largeCashEntries = new Set<string>();
  const counts = { ...noRefusals(), replayed: 0, acknowledged: 0, lastAcknowledgedStartedAt: 0 };
  const tokens = await setUp(counts);
  const oracle = new Map<number, InstanceType<typeof Decimal>>();
  const entryIds = new Map<number, Set<string>>();
  let stopping = false;
  const clients = Array.from({ length: CLIENTS }, async (_, client) => {
    for (let sequence = 0; !stopping; sequence += 1) {
      const coop = (client * 13 + sequence * 7) % COOPERATIVES;
      const amount = new Decimal(1000 + ((client * 7919 + sequence * 104_729) % 99_000)).toFixed(2);
      const key = `drill-${client}-${sequence}`;
      const body = {
        date: today,
        memo: `latihan ${key}`,
        lines: [
          { account: "1101", debit: amount },
          { account: "3200", credit: amount },
        ],
      };
      let attemptStartedAt = 0;
      const answer = await untilAnswered(() => {
        attemptStartedAt = performance.now();
        return call(
          "POST",
          `/v1/cooperatives/kkmp-drill-${coop}/journal-entries`,
          tokens[coop] as string,
          body,
          key,
        );
      }, counts);
      counts.lastAcknowledgedStartedAt = attemptStartedAt;
      if (answer.status !== 201) throw new Error(`${key}: ${answer.status} ${JSON.stringify(answer.body)}`);
      if (answer.replayed) counts.replayed += 1;
      counts.acknowledged += 1;
      oracle.set(coop, (oracle.get(coop) ?? new Decimal(0)).plus(amount));
      const ids = entryIds.get(coop) ?? new Set<string>();
      ids.add((answer.body as { entryId: string }).entryId);
      if (new Decimal(amount).greaterThanOrEqualTo(LARGE_CASH_THRESHOLD))
        largeCashEntries.add((answer.body as { entryId: string }).entryId);
      entryIds.set(coop, ids);
    }
  });
  const throughput = async (label: string): Promise<void> => {
    const before = counts.acknowledged;
    const from = performance.now();
    await sleep(THROUGHPUT_PHASE_MS);
    const rate = ((counts.acknowledged - before) * 1000) / (performance.now() - from);
    const memory = replicas.map((replica, index) => `api${index + 1} ${rssMegabytes(replica.pid)} MB`);
    console.log(
      `throughput ${label}: ${rate.toFixed(0)} entries/s acknowledged by ${CLIENTS} clients; ` +
        `resident memory ${memory.join(", ")}; load average ${loadavg()
          .map((load) => load.toFixed(1))
          .join(" ")}`,
    );
  };
  await throughput("1 replica");
  for (const index of [1, 2]) replicas[index] = startReplica(index);
  await Promise.all(REPLICA_PORTS.map(waitHealthy));
  // HAProxy takes a replica in after one passed check (500 ms apart).
  await sleep(2_000);
  await throughput("3 replicas");
  const started = performance.now();
  for (let kill = 1; kill <= KILLS; kill += 1) {
    await sleep(RUN_BETWEEN_KILLS_MS);
    const index = (kill - 1) % REPLICA_PORTS.length;
    const refusedBefore = counts.refused;
    const killedAt = performance.now();
    replicas[index]?.kill("SIGKILL");
    await sleep(DOWN_MS);
    replicas[index] = startReplica(index);
    await waitHealthy(REPLICA_PORTS[index] as number);
    console.log(
      `kill ${kill}: replica api${index + 1} killed, healthy again after ${((performance.now() - killedAt) / 1000).toFixed(1)} s; ` +
        `requests refused meanwhile ${counts.refused - refusedBefore}`,
    );
  }
  for (let kill = 1; kill <= POSTGRES_KILLS; kill += 1) {
    await sleep(RUN_BETWEEN_KILLS_MS);
    const before = { ...counts };
    const killedAt = performance.now();
    const node = killPostgresLeader();
    // Recovered once a 201 comes back for a request sent after the kill.
    while (counts.lastAcknowledgedStartedAt <= killedAt && performance.now() - killedAt < READY_WAIT_MS)
      await sleep(50);
    const recoveredMs = performance.now() - killedAt;
    while (leaderOrNull() === null || leaderOrNull() === node) await sleep(500);
    execFileSync(join(root, "scripts/cluster"), ["start", `pg${node}`]);
    console.log(
      `postgres kill ${kill}: leader pg${node} killed; 201s again after ${(recoveredMs / 1000).toFixed(1)} s; ` +
        `refused meanwhile ${counts.refused - before.refused} ` +
        `(503 with Retry-After ${counts.unavailableWithRetryAfter - before.unavailableWithRetryAfter}, ` +
        `other 5xx ${counts.otherServerErrors - before.otherServerErrors}, cut ${counts.cutConnections - before.cutConnections})`,
    );
  }
  // The supervisor that leads: the first to follow; after each kill, the standby that took over.
  while (timesLed(0) + timesLed(1) === 0) await sleep(250);
  let active = timesLed(0) > 0 ? 0 : 1;
  for (let kill = 1; kill <= SUPERVISOR_KILLS; kill += 1) {
    await sleep(RUN_BETWEEN_KILLS_MS);
    const standby = 1 - active;
    const ledBefore = timesLed(standby);
    const killedAt = performance.now();
    supervisors[active]?.kill("SIGKILL");
    while (timesLed(standby) === ledBefore && performance.now() - killedAt < READY_WAIT_MS) await sleep(100);
    const takeoverMs = performance.now() - killedAt;
    await sleep(DOWN_MS);
    supervisors[active] = startSupervisor(active);
    console.log(
      `supervisor kill ${kill}: supervisor ${active + 1} killed; supervisor ${standby + 1} following after ` +
        `${(takeoverMs / 1000).toFixed(1)} s; ${received.size} alerts received so far`,
    );
    active = standby;
  }
  for (let kill = 1; kill <= NATS_KILLS; kill += 1) {
    await sleep(RUN_BETWEEN_KILLS_MS);
    const node = (kill - 1) % 3;
    const pid = Number(readFileSync(join(clusterDir, "pids", `nats${node}`), "utf8"));
    process.kill(-pid, "SIGKILL");
    await sleep(DOWN_MS);
    execFileSync(join(root, "scripts/cluster"), ["start", `nats${node}`]);
    console.log(
      `nats kill ${kill}: nats${node} killed, started again after ${DOWN_MS / 1000} s; ` +
        `${received.size} alerts received so far`,
    );
  }
  await sleep(RUN_BETWEEN_KILLS_MS);
  stopping = true;
  await Promise.all(clients);
  const seconds = (performance.now() - started) / 1000;
  const alerts = await verifyAlerts(largeCashEntries, received);
  await subscription.close();
  await subscriberBus.close();
  const failures = [...crashes, ...alerts.failures, ...(await verify(tokens, oracle, entryIds))];
  console.log(
    `drill api-replica kills=${KILLS} clients=${CLIENTS} cooperatives=${COOPERATIVES} seconds=${seconds.toFixed(0)} ` +
      `postgres-kills=${POSTGRES_KILLS} acknowledged=${counts.acknowledged} rate=${Math.round(counts.acknowledged / seconds)}/s ` +
      `refused=${counts.refused} (503+Retry-After ${counts.unavailableWithRetryAfter}, other-5xx ${counts.otherServerErrors}, ` +
      `cut ${counts.cutConnections}) replayed=${counts.replayed} supervisor-kills=${SUPERVISOR_KILLS} ` +
      `nats-kills=${NATS_KILLS} alerts-recorded=${alerts.recorded} alerts-received=${received.size} ` +
      `large-cash-postings=${largeCashEntries.size} failures=${failures.length}`,
  );
  for (const failure of failures.slice(0, 20)) console.log(`FAILED: ${failure}`);
  for (const replica of replicas) replica.kill("SIGTERM");
  for (const supervisor of supervisors) supervisor.kill("SIGTERM");
  if (failures.length > 0) process.exitCode = 1;
}

/**
 * Every alert recorded in the store (AlertRaised in `alerts-*`) reached the subscriber exactly once, the
 * subscriber received nothing else, and every acknowledged posting at or above the threshold has its
 * large-cash alert. Waits (bounded) for the supervisor and the bus to catch up after the load stops.
 */
async function verifyAlerts(
  largeCashEntries: ReadonlySet<string>,
  received: ReadonlyMap<string, number>,
): Promise<{ failures: string[]; recorded: number }> {
  const store = await openEventStore(storeUrl);
  const deadline = performance.now() + ALERT_DELIVERY_WAIT_MS;
  let recorded = new Map<string, { rule: string; entryIds: readonly string[] }>();
  try {
    for (;;) {
      recorded = new Map();
      for (const event of await store.readAll({ streamPrefix: "alerts-" })) {
        if (event.type !== "AlertRaised") continue;
        const data = event.data as { alertId: string; rule: string; entryIds: readonly string[] };
        recorded.set(data.alertId, data);
      }
      const covered = new Set(
        [...recorded.values()]
          .filter((alert) => alert.rule === "large-cash")
          .flatMap((alert) => alert.entryIds),
      );
      const allRecorded = [...largeCashEntries].every((entryId) => covered.has(entryId));
      const allReceived = [...recorded.keys()].every((alertId) => received.has(alertId));
      // A received alert was recorded before it was published; the store shows it once its commit is visible.
      const noneUnknown = [...received.keys()].every((alertId) => recorded.has(alertId));
      if ((allRecorded && allReceived && noneUnknown) || performance.now() > deadline) break;
      await sleep(1_000);
    }
  } finally {
    await store.close();
  }
  const failures: string[] = [];
  const largeCash = [...recorded.values()].filter((alert) => alert.rule === "large-cash");
  const covered = new Map<string, number>();
  for (const alert of largeCash)
    for (const entryId of alert.entryIds) covered.set(entryId, (covered.get(entryId) ?? 0) + 1);
  for (const entryId of largeCashEntries)
    if (!covered.has(entryId))
      failures.push(`posting ${entryId} at or above the threshold has no large-cash alert`);
  for (const [entryId, count] of covered)
    if (count > 1) failures.push(`posting ${entryId} has ${count} large-cash alerts`);
  for (const alertId of recorded.keys())
    if (!received.has(alertId)) failures.push(`alert ${alertId} recorded but never received`);
  for (const [alertId, count] of received) {
    if (count > 1) failures.push(`alert ${alertId} received ${count} times`);
    if (!recorded.has(alertId)) failures.push(`alert ${alertId} received but not recorded`);
  }
  return { failures, recorded: recorded.size };
}

async function verify(
  tokens: readonly string[],
  oracle: Map<number, InstanceType<typeof Decimal>>,
  entryIds: Map<number, Set<string>>,
): Promise<string[]> {
  const failures: string[] = [];
  const counts = noRefusals();
  for (let coop = 0; coop < COOPERATIVES; coop += 1) {
    const path = `/v1/cooperatives/kkmp-drill-${coop}`;
    const token = tokens[coop] as string;
    const balance = await untilAnswered(() => call("GET", `${path}/trial-balance`, token), counts);
    const cash = (balance.body as { accounts: { code: string; debit: string }[] }).accounts.find(
      (a) => a.code === "1101",
    );
    const expected = oracle.get(coop) ?? new Decimal(0);
    if (!new Decimal(cash?.debit ?? "0").equals(expected))
      failures.push(`${path}: cash debit ${cash?.debit}, oracle ${expected.toFixed(2)}`);
    const journal: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await untilAnswered(
        () =>
          call(
            "GET",
            `${path}/journal-entries?limit=500${cursor === null ? "" : `&cursor=${cursor}`}`,
            token,
          ),
        counts,
      );
      const pageBody = page.body as { entries: { entryId: string }[]; nextCursor: string | null };
      journal.push(...pageBody.entries.map((entry) => entry.entryId));
      cursor = pageBody.nextCursor;
    } while (cursor !== null);
    const acknowledged = entryIds.get(coop) ?? new Set<string>();
    if (new Set(journal).size !== journal.length) failures.push(`${path}: an entry listed twice`);
    if (journal.length !== acknowledged.size)
      failures.push(`${path}: ${journal.length} entries in the journal, ${acknowledged.size} acknowledged`);
    for (const id of acknowledged)
      if (!journal.includes(id)) failures.push(`${path}: acknowledged ${id} missing`);
  }
  try {
    execFileSync(process.execPath, [join(root, "scripts/bukubesar.mjs"), "verify"], {
      env: { ...process.env, STORE_URL: storeUrl },
      stdio: "pipe",
    });
  } catch (error) {
    failures.push(
      `bukubesar verify failed: ${String((error as { stdout?: Buffer }).stdout ?? error).slice(0, 500)}`,
    );
  }
  return failures;
}

await main();
