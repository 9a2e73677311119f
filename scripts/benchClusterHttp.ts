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
import { type AlertBus, type AlertSubscription, openAlertBus } from "../packages/bus/src/index.js";
import { type EventStore, openEventStore } from "../packages/event-store/src/index.js";

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
/** The NATS nodes of scripts/cluster, killed in turn. */
const NATS_NODES = 3;
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
/** How often a replica's /health is asked while it starts. */
const HEALTH_POLL_MS = 250;
/** HAProxy takes a replica in after one passed check (500 ms apart); this leaves it a few. */
const HAPROXY_ADMIT_MS = 2_000;
/** Tokens issued on one replica reach the others by following the principals stream: this long is enough. */
const TOKENS_SPREAD_MS = 3_000;
/** How often the drill looks whether a 201 came back after the PostgreSQL leader was killed. */
const RECOVERY_POLL_MS = 50;
/** How often the drill asks whether another PostgreSQL node leads, before the killed one is started again. */
const LEADER_POLL_MS = 500;
/** How often the drill reads the supervisors' logs to see which one leads. */
const SUPERVISOR_LOG_POLL_MS = 100;
/** How often the store is read again while the alerts are still on their way. */
const ALERT_POLL_MS = 1_000;
/** The journal page the check asks for. */
const JOURNAL_PAGE_ENTRIES = 500;
/** How many failures the drill prints; the summary line counts them all. */
const FAILURES_SHOWN = 20;

const root = resolve(fileURLToPath(new URL("..", import.meta.url)));
const clusterDir = process.env.BUKUBESAR_CLUSTER_DIR ?? "/tmp/bukubesar-cluster";
const storeUrl = `${(process.env.STORE_URL ?? "postgres://postgres@127.0.0.1:15430/postgres").split("?")[0]}?schema=bukubesar_http`;
const requireFromRoot = createRequire(join(root, "package.json"));
// decimal.js is a dependency of the money package, not of the workspace root: load it from there.
const { Decimal } = createRequire(join(root, "packages/money/package.json"))(
  "decimal.js",
) as typeof import("decimal.js");
type Decimal = import("decimal.js").Decimal;

const cluster = (...args: string[]): string =>
  execFileSync(join(root, "scripts/cluster"), args, { encoding: "utf8" }).trim();

/** The PostgreSQL leader's index, or null while there is none. */
const leaderOrNull = (): number | null => {
  try {
    return Number(cluster("leader"));
  } catch {
    return null;
  }
};

/** Kills the PostgreSQL leader's Patroni (its process group) and postmaster with SIGKILL. */
const killPostgresLeader = (): number => {
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
};

/** Replicas that died without being killed by the drill: each is a failure. */
const crashes: string[] = [];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Starts `bukubesar <command>` without the launcher, so SIGKILL reaches the server itself. `name` names
 * its log and its PID file; `label` names it in the failure recorded when it exits by itself.
 */
const startCli = (
  name: string,
  label: string,
  command: readonly string[],
  env: Record<string, string>,
): ChildProcess => {
  const log = openSync(join(clusterDir, "logs", `${name}.log`), "a");
  const child = spawn(
    process.execPath,
    [
      "--import",
      pathToFileURL(requireFromRoot.resolve("tsx")).href,
      "--conditions=source",
      join(root, "services/cli/src/main.ts"),
      ...command,
    ],
    { cwd: clusterDir, detached: true, stdio: ["ignore", log, log], env: { ...process.env, ...env } },
  );
  // scripts/cluster down stops what is recorded here.
  writeFileSync(join(clusterDir, "pids", name), String(child.pid));
  child.on("exit", (code, signal) => {
    if (signal !== "SIGKILL" && signal !== "SIGTERM") {
      crashes.push(`${label} exited by itself (${code ?? signal}); see logs/${name}.log`);
    }
  });
  return child;
};

/** Starts replica `index` (0-2). */
const startReplica = (index: number): ChildProcess =>
  startCli(`api${index + 1}`, `replica api${index + 1}`, ["serve", "--no-supervisor"], {
    PORT: String(REPLICA_PORTS[index]),
    HOST: "127.0.0.1",
    STORE_URL: storeUrl,
    RATE_LIMIT_STORE_URL: storeUrl,
    RATE_LIMIT_PER_MINUTE: "10000000",
    BUKUBESAR_ADMIN_TOKEN: ADMIN_TOKEN,
    NATS_URL: "",
    LOG_LEVEL: "warn",
  });

/** Starts supervisor `index` (0 or 1): both compete for the leadership; the other stands by. */
const startSupervisor = (index: number): ChildProcess =>
  startCli(`supervise${index + 1}`, `supervisor ${index + 1}`, ["supervise"], {
    STORE_URL: storeUrl,
    NATS_URL: natsUrl,
    NATS_ALERTS_STREAM: alertBusConfig.streamName,
    NATS_SUBJECT_PREFIX: alertBusConfig.subjectPrefix,
    NATS_ALERTS_REPLICAS: "3",
  });

/** A process's resident memory in MB (VmRSS), or "?" when it is gone. */
const rssMegabytes = (pid: number | undefined): string => {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kilobytes = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]);
    return (kilobytes / 1024).toFixed(0);
  } catch {
    return "?";
  }
};

/** How many times supervisor `index`'s log says it began following (it led). */
const timesLed = (index: number): number => {
  try {
    const text = readFileSync(join(clusterDir, "logs", `supervise${index + 1}.log`), "utf8");
    return text.split("bukubesar supervisor following").length - 1;
  } catch {
    return 0;
  }
};

/** Waits until the replica on `port` answers /health, for at most READY_WAIT_MS. */
const waitHealthy = async (port: number): Promise<void> => {
  const deadline = performance.now() + READY_WAIT_MS;
  while (performance.now() < deadline) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/health`)).ok) return;
    } catch {
      // Not listening yet.
    }
    await sleep(HEALTH_POLL_MS);
  }
  throw new Error(`replica on ${port} did not become healthy`);
};

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

/** What the clients tally while they post: refusals, replays, and when the last acknowledged request was sent. */
interface Tallies extends Refusals {
  replayed: number;
  acknowledged: number;
  lastAcknowledgedStartedAt: number;
}

/** What was acknowledged, per cooperative, for the checks at the end. */
interface Acknowledged {
  /** Each cooperative's cash: the Decimal oracle of its acknowledged postings. */
  readonly oracle: Map<number, Decimal>;
  readonly entryIds: Map<number, Set<string>>;
  /** The acknowledged postings at or above the threshold, each of which must raise a large-cash alert. */
  readonly largeCashEntries: Set<string>;
}

/** What the drill's phases share: the processes it runs, what the clients tally, what the subscriber got. */
interface Drill {
  readonly replicas: ChildProcess[];
  readonly supervisors: ChildProcess[];
  readonly subscriberBus: AlertBus;
  readonly subscription: AlertSubscription;
  /** How many times each alert reached the subscriber. */
  readonly received: Map<string, number>;
  readonly counts: Tallies;
  readonly acknowledged: Acknowledged;
  /** The clients' issued tokens, one per cooperative. */
  readonly tokens: readonly string[];
  stopping: boolean;
}

/** One request to the API through HAProxy, its JSON answer parsed. */
const call = async (
  method: string,
  path: string,
  token: string,
  body?: unknown,
  key?: string,
): Promise<Answer> => {
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
};

/** Retries until the answer is not a failure of the service (5xx or a cut connection). */
const untilAnswered = async (send: () => Promise<Answer>, counts: Refusals): Promise<Answer> => {
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
};

const noRefusals = (): Refusals => ({
  refused: 0,
  unavailableWithRetryAfter: 0,
  otherServerErrors: 0,
  cutConnections: 0,
});

/** Creates cooperative `index` (or finds it from an earlier run), lowers its threshold, issues its token. */
const setUpCooperative = async (index: number, counts: Refusals): Promise<string> => {
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
  return (issued.body as { token: string }).token;
};

/** Sets every cooperative up; returns their tokens once every replica knows them. */
const setUp = async (counts: Refusals): Promise<string[]> => {
  const tokens: string[] = [];
  for (let index = 0; index < COOPERATIVES; index += 1) tokens.push(await setUpCooperative(index, counts));
  await sleep(TOKENS_SPREAD_MS);
  return tokens;
};

/**
 * Client `client`'s posting number `sequence`: the multipliers spread the clients over the cooperatives
 * and the amounts over Rp 1,000 to Rp 100,000, the same in every run.
 */
const postingOf = (client: number, sequence: number) => {
  const coop = (client * 13 + sequence * 7) % COOPERATIVES;
  const amount = new Decimal(1000 + ((client * 7919 + sequence * 104_729) % 99_000)).toFixed(2);
  const key = `drill-${client}-${sequence}`;
  // Cash against 3300 (Modal Penyertaan), an account that names no member: 3200 and the other member
  // control accounts refuse a line without one (member_required).
  const body = {
    date: today,
    memo: `latihan ${key}`,
    lines: [
      { account: "1101", debit: amount },
      { account: "3300", credit: amount },
    ],
  };
  return { coop, amount, key, body };
};

/** Records an acknowledged posting for the checks at the end. */
const recordAcknowledged = (
  acknowledged: Acknowledged,
  coop: number,
  amount: string,
  entryId: string,
): void => {
  const { oracle, entryIds, largeCashEntries } = acknowledged;
  oracle.set(coop, (oracle.get(coop) ?? new Decimal(0)).plus(amount));
  const ids = entryIds.get(coop) ?? new Set<string>();
  ids.add(entryId);
  if (new Decimal(amount).greaterThanOrEqualTo(LARGE_CASH_THRESHOLD)) largeCashEntries.add(entryId);
  entryIds.set(coop, ids);
};

/** Posts one entry, retried with its Idempotency-Key until it is answered, and records it. */
const post = async (drill: Drill, client: number, sequence: number): Promise<void> => {
  const { coop, amount, key, body } = postingOf(client, sequence);
  const path = `/v1/cooperatives/kkmp-drill-${coop}/journal-entries`;
  let attemptStartedAt = 0;
  const answer = await untilAnswered(() => {
    attemptStartedAt = performance.now();
    return call("POST", path, drill.tokens[coop] as string, body, key);
  }, drill.counts);
  drill.counts.lastAcknowledgedStartedAt = attemptStartedAt;
  if (answer.status !== 201) throw new Error(`${key}: ${answer.status} ${JSON.stringify(answer.body)}`);
  if (answer.replayed) drill.counts.replayed += 1;
  drill.counts.acknowledged += 1;
  recordAcknowledged(drill.acknowledged, coop, amount, (answer.body as { entryId: string }).entryId);
};

/** The clients, each posting one entry after the other until the drill stops. */
const startClients = (drill: Drill): Promise<void>[] =>
  Array.from({ length: CLIENTS }, async (_, client) => {
    for (let sequence = 0; !drill.stopping; sequence += 1) await post(drill, client, sequence);
  });

/**
 * Starts one replica and both supervisors, subscribes to the alerts and sets the cooperatives up: one
 * replica first, so that the throughput of one, then of three behind the same HAProxy is measured with
 * the same clients.
 */
const startDrill = async (): Promise<Drill> => {
  const replicas = [startReplica(0)];
  await waitHealthy(REPLICA_PORTS[0] as number);
  const supervisors = [0, 1].map(startSupervisor);
  const subscriberBus = await openAlertBus(alertBusConfig);
  const received = new Map<string, number>();
  const subscription = await subscriberBus.subscribe({ regionPrefix: "*" }, (alert) => {
    received.set(alert.alertId, (received.get(alert.alertId) ?? 0) + 1);
  });
  const counts = { ...noRefusals(), replayed: 0, acknowledged: 0, lastAcknowledgedStartedAt: 0 };
  const tokens = await setUp(counts);
  return {
    replicas,
    supervisors,
    subscriberBus,
    subscription,
    received,
    counts,
    acknowledged: { oracle: new Map(), entryIds: new Map(), largeCashEntries: new Set() },
    tokens,
    stopping: false,
  };
};

/** The entries acknowledged per second under the running load, over THROUGHPUT_PHASE_MS. */
const measureThroughput = async (drill: Drill, label: string): Promise<void> => {
  const before = drill.counts.acknowledged;
  const from = performance.now();
  await sleep(THROUGHPUT_PHASE_MS);
  const rate = ((drill.counts.acknowledged - before) * 1000) / (performance.now() - from);
  const memory = drill.replicas.map((replica, index) => `api${index + 1} ${rssMegabytes(replica.pid)} MB`);
  console.log(
    `throughput ${label}: ${rate.toFixed(0)} entries/s acknowledged by ${CLIENTS} clients; ` +
      `resident memory ${memory.join(", ")}; load average ${loadavg()
        .map((load) => load.toFixed(1))
        .join(" ")}`,
  );
};

/** Starts replicas 2 and 3 beside the first and waits until HAProxy sends them requests. */
const startOtherReplicas = async (drill: Drill): Promise<void> => {
  for (const index of [1, 2]) drill.replicas[index] = startReplica(index);
  await Promise.all(REPLICA_PORTS.map(waitHealthy));
  await sleep(HAPROXY_ADMIT_MS);
};

/** Kills one replica at a time with SIGKILL and starts it again. */
const killReplicas = async (drill: Drill): Promise<void> => {
  for (let kill = 1; kill <= KILLS; kill += 1) {
    await sleep(RUN_BETWEEN_KILLS_MS);
    const index = (kill - 1) % REPLICA_PORTS.length;
    const refusedBefore = drill.counts.refused;
    const killedAt = performance.now();
    drill.replicas[index]?.kill("SIGKILL");
    await sleep(DOWN_MS);
    drill.replicas[index] = startReplica(index);
    await waitHealthy(REPLICA_PORTS[index] as number);
    console.log(
      `kill ${kill}: replica api${index + 1} killed, healthy again after ${((performance.now() - killedAt) / 1000).toFixed(1)} s; ` +
        `requests refused meanwhile ${drill.counts.refused - refusedBefore}`,
    );
  }
};

/** Kills the PostgreSQL leader, waits for a 201 and another leader, and starts the killed node again. */
const killPostgresLeaderOnce = async (drill: Drill, kill: number): Promise<void> => {
  const { counts } = drill;
  const before = { ...counts };
  const killedAt = performance.now();
  const node = killPostgresLeader();
  // Recovered once a 201 comes back for a request sent after the kill.
  while (counts.lastAcknowledgedStartedAt <= killedAt && performance.now() - killedAt < READY_WAIT_MS)
    await sleep(RECOVERY_POLL_MS);
  const recoveredMs = performance.now() - killedAt;
  while (leaderOrNull() === null || leaderOrNull() === node) await sleep(LEADER_POLL_MS);
  cluster("start", `pg${node}`);
  console.log(
    `postgres kill ${kill}: leader pg${node} killed; 201s again after ${(recoveredMs / 1000).toFixed(1)} s; ` +
      `refused meanwhile ${counts.refused - before.refused} ` +
      `(503 with Retry-After ${counts.unavailableWithRetryAfter - before.unavailableWithRetryAfter}, ` +
      `other 5xx ${counts.otherServerErrors - before.otherServerErrors}, cut ${counts.cutConnections - before.cutConnections})`,
  );
};

/** Kills the PostgreSQL leader POSTGRES_KILLS times, the load running in between. */
const killPostgresLeaders = async (drill: Drill): Promise<void> => {
  for (let kill = 1; kill <= POSTGRES_KILLS; kill += 1) {
    await sleep(RUN_BETWEEN_KILLS_MS);
    await killPostgresLeaderOnce(drill, kill);
  }
};

/** Kills the supervisor that leads, waits until the standby follows, and starts the killed one again. */
const killSupervisors = async (drill: Drill): Promise<void> => {
  // The supervisor that leads: the first to follow; after each kill, the standby that took over.
  while (timesLed(0) + timesLed(1) === 0) await sleep(SUPERVISOR_LOG_POLL_MS);
  let active = timesLed(0) > 0 ? 0 : 1;
  for (let kill = 1; kill <= SUPERVISOR_KILLS; kill += 1) {
    await sleep(RUN_BETWEEN_KILLS_MS);
    const standby = 1 - active;
    const ledBefore = timesLed(standby);
    const killedAt = performance.now();
    drill.supervisors[active]?.kill("SIGKILL");
    while (timesLed(standby) === ledBefore && performance.now() - killedAt < READY_WAIT_MS)
      await sleep(SUPERVISOR_LOG_POLL_MS);
    const takeoverMs = performance.now() - killedAt;
    await sleep(DOWN_MS);
    drill.supervisors[active] = startSupervisor(active);
    console.log(
      `supervisor kill ${kill}: supervisor ${active + 1} killed; supervisor ${standby + 1} following after ` +
        `${(takeoverMs / 1000).toFixed(1)} s; ${drill.received.size} alerts received so far`,
    );
    active = standby;
  }
};

/** Kills each NATS node in turn with SIGKILL and starts it again. */
const killNatsNodes = async (drill: Drill): Promise<void> => {
  for (let kill = 1; kill <= NATS_KILLS; kill += 1) {
    await sleep(RUN_BETWEEN_KILLS_MS);
    const node = (kill - 1) % NATS_NODES;
    const pid = Number(readFileSync(join(clusterDir, "pids", `nats${node}`), "utf8"));
    process.kill(-pid, "SIGKILL");
    await sleep(DOWN_MS);
    cluster("start", `nats${node}`);
    console.log(
      `nats kill ${kill}: nats${node} killed, started again after ${DOWN_MS / 1000} s; ` +
        `${drill.received.size} alerts received so far`,
    );
  }
};

/** An alert as recorded in the store (AlertRaised in `alerts-*`), by the fields the checks read. */
interface RecordedAlert {
  readonly rule: string;
  readonly entryIds: readonly string[];
}

/** The alerts recorded in the store so far, by id. */
const readRecordedAlerts = async (store: EventStore): Promise<Map<string, RecordedAlert>> => {
  const recorded = new Map<string, RecordedAlert>();
  for (const event of await store.readAll({ streamPrefix: "alerts-" })) {
    if (event.type !== "AlertRaised") continue;
    const data = event.data as { alertId: string; rule: string; entryIds: readonly string[] };
    recorded.set(data.alertId, data);
  }
  return recorded;
};

/** The entries the recorded large-cash alerts name, each with how many alerts name it. */
const largeCashAlertsPerEntry = (recorded: ReadonlyMap<string, RecordedAlert>): Map<string, number> => {
  const covered = new Map<string, number>();
  for (const alert of recorded.values())
    if (alert.rule === "large-cash")
      for (const entryId of alert.entryIds) covered.set(entryId, (covered.get(entryId) ?? 0) + 1);
  return covered;
};

/** Whether every alert due is recorded and received, and nothing received is unknown to the store. */
const alertsSettled = (
  recorded: ReadonlyMap<string, RecordedAlert>,
  largeCashEntries: ReadonlySet<string>,
  received: ReadonlyMap<string, number>,
): boolean => {
  const covered = largeCashAlertsPerEntry(recorded);
  const allRecorded = [...largeCashEntries].every((entryId) => covered.has(entryId));
  const allReceived = [...recorded.keys()].every((alertId) => received.has(alertId));
  // A received alert was recorded before it was published; the store shows it once its commit is visible.
  const noneUnknown = [...received.keys()].every((alertId) => recorded.has(alertId));
  return allRecorded && allReceived && noneUnknown;
};

/** Reads the recorded alerts until they settle or ALERT_DELIVERY_WAIT_MS has passed. */
const awaitRecordedAlerts = async (
  largeCashEntries: ReadonlySet<string>,
  received: ReadonlyMap<string, number>,
): Promise<Map<string, RecordedAlert>> => {
  const store = await openEventStore(storeUrl);
  const deadline = performance.now() + ALERT_DELIVERY_WAIT_MS;
  try {
    for (;;) {
      const recorded = await readRecordedAlerts(store);
      if (alertsSettled(recorded, largeCashEntries, received) || performance.now() > deadline)
        return recorded;
      await sleep(ALERT_POLL_MS);
    }
  } finally {
    await store.close();
  }
};

/** Every acknowledged posting at or above the threshold has exactly one large-cash alert. */
const largeCashFailures = (
  recorded: ReadonlyMap<string, RecordedAlert>,
  largeCashEntries: ReadonlySet<string>,
): string[] => {
  const failures: string[] = [];
  const covered = largeCashAlertsPerEntry(recorded);
  for (const entryId of largeCashEntries)
    if (!covered.has(entryId))
      failures.push(`posting ${entryId} at or above the threshold has no large-cash alert`);
  for (const [entryId, count] of covered)
    if (count > 1) failures.push(`posting ${entryId} has ${count} large-cash alerts`);
  return failures;
};

/** Every recorded alert reached the subscriber exactly once, and it received nothing else. */
const deliveryFailures = (
  recorded: ReadonlyMap<string, RecordedAlert>,
  received: ReadonlyMap<string, number>,
): string[] => {
  const failures: string[] = [];
  for (const alertId of recorded.keys())
    if (!received.has(alertId)) failures.push(`alert ${alertId} recorded but never received`);
  for (const [alertId, count] of received) {
    if (count > 1) failures.push(`alert ${alertId} received ${count} times`);
    if (!recorded.has(alertId)) failures.push(`alert ${alertId} received but not recorded`);
  }
  return failures;
};

/**
 * Every alert recorded in the store (AlertRaised in `alerts-*`) reached the subscriber exactly once, the
 * subscriber received nothing else, and every acknowledged posting at or above the threshold has its
 * large-cash alert. Waits (bounded) for the supervisor and the bus to catch up after the load stops.
 */
const verifyAlerts = async (
  largeCashEntries: ReadonlySet<string>,
  received: ReadonlyMap<string, number>,
): Promise<{ failures: string[]; recorded: number }> => {
  const recorded = await awaitRecordedAlerts(largeCashEntries, received);
  const failures = [
    ...largeCashFailures(recorded, largeCashEntries),
    ...deliveryFailures(recorded, received),
  ];
  return { failures, recorded: recorded.size };
};

/** A cooperative's journal, every page of it, as entry ids. */
const readJournal = async (path: string, token: string, counts: Refusals): Promise<string[]> => {
  const journal: string[] = [];
  let cursor: string | null = null;
  do {
    const page = await untilAnswered(
      () =>
        call(
          "GET",
          `${path}/journal-entries?limit=${JOURNAL_PAGE_ENTRIES}${cursor === null ? "" : `&cursor=${cursor}`}`,
          token,
        ),
      counts,
    );
    const pageBody = page.body as { entries: { entryId: string }[]; nextCursor: string | null };
    journal.push(...pageBody.entries.map((entry) => entry.entryId));
    cursor = pageBody.nextCursor;
  } while (cursor !== null);
  return journal;
};

/** A cooperative's cash equals its oracle, and its journal lists every acknowledged entry exactly once. */
const verifyCooperative = async (
  coop: number,
  token: string,
  acknowledged: Acknowledged,
  counts: Refusals,
): Promise<string[]> => {
  const failures: string[] = [];
  const path = `/v1/cooperatives/kkmp-drill-${coop}`;
  const balance = await untilAnswered(() => call("GET", `${path}/trial-balance`, token), counts);
  const cash = (balance.body as { accounts: { code: string; debit: string }[] }).accounts.find(
    (a) => a.code === "1101",
  );
  const expected = acknowledged.oracle.get(coop) ?? new Decimal(0);
  if (!new Decimal(cash?.debit ?? "0").equals(expected))
    failures.push(`${path}: cash debit ${cash?.debit}, oracle ${expected.toFixed(2)}`);
  const journal = await readJournal(path, token, counts);
  const entryIds = acknowledged.entryIds.get(coop) ?? new Set<string>();
  if (new Set(journal).size !== journal.length) failures.push(`${path}: an entry listed twice`);
  if (journal.length !== entryIds.size)
    failures.push(`${path}: ${journal.length} entries in the journal, ${entryIds.size} acknowledged`);
  for (const id of entryIds) if (!journal.includes(id)) failures.push(`${path}: acknowledged ${id} missing`);
  return failures;
};

/** `bukubesar verify` over the drill's store: every chain sound. */
const verifyChains = (): string[] => {
  try {
    execFileSync(process.execPath, [join(root, "scripts/bukubesar.mjs"), "verify"], {
      env: { ...process.env, STORE_URL: storeUrl },
      stdio: "pipe",
    });
    return [];
  } catch (error) {
    return [
      `bukubesar verify failed: ${String((error as { stdout?: Buffer }).stdout ?? error).slice(0, 500)}`,
    ];
  }
};

/** Every cooperative's cash and journal against what was acknowledged, then every chain. */
const verify = async (tokens: readonly string[], acknowledged: Acknowledged): Promise<string[]> => {
  const failures: string[] = [];
  const counts = noRefusals();
  for (let coop = 0; coop < COOPERATIVES; coop += 1)
    failures.push(...(await verifyCooperative(coop, tokens[coop] as string, acknowledged, counts)));
  return [...failures, ...verifyChains()];
};

/** The summary line scripts/bench.d/benchmarks.mjs parses. */
const summaryLine = (drill: Drill, seconds: number, alertsRecorded: number, failures: number): string => {
  const { counts } = drill;
  return (
    `drill api-replica kills=${KILLS} clients=${CLIENTS} cooperatives=${COOPERATIVES} seconds=${seconds.toFixed(0)} ` +
    `postgres-kills=${POSTGRES_KILLS} acknowledged=${counts.acknowledged} rate=${Math.round(counts.acknowledged / seconds)}/s ` +
    `refused=${counts.refused} (503+Retry-After ${counts.unavailableWithRetryAfter}, other-5xx ${counts.otherServerErrors}, ` +
    `cut ${counts.cutConnections}) replayed=${counts.replayed} supervisor-kills=${SUPERVISOR_KILLS} ` +
    `nats-kills=${NATS_KILLS} alerts-recorded=${alertsRecorded} alerts-received=${drill.received.size} ` +
    `large-cash-postings=${drill.acknowledged.largeCashEntries.size} failures=${failures}`
  );
};

/** Checks what the load left behind, prints the summary and stops the processes the drill started. */
const finish = async (drill: Drill, seconds: number): Promise<void> => {
  const alerts = await verifyAlerts(drill.acknowledged.largeCashEntries, drill.received);
  await drill.subscription.close();
  await drill.subscriberBus.close();
  const failures = [...crashes, ...alerts.failures, ...(await verify(drill.tokens, drill.acknowledged))];
  console.log(summaryLine(drill, seconds, alerts.recorded, failures.length));
  for (const failure of failures.slice(0, FAILURES_SHOWN)) console.log(`FAILED: ${failure}`);
  for (const replica of drill.replicas) replica.kill("SIGTERM");
  for (const supervisor of drill.supervisors) supervisor.kill("SIGTERM");
  if (failures.length > 0) process.exitCode = 1;
};

const main = async (): Promise<void> => {
  const drill = await startDrill();
  const clients = startClients(drill);
  await measureThroughput(drill, "1 replica");
  await startOtherReplicas(drill);
  await measureThroughput(drill, "3 replicas");
  const started = performance.now();
  await killReplicas(drill);
  await killPostgresLeaders(drill);
  await killSupervisors(drill);
  await killNatsNodes(drill);
  await sleep(RUN_BETWEEN_KILLS_MS);
  drill.stopping = true;
  await Promise.all(clients);
  await finish(drill, (performance.now() - started) / 1000);
};

await main();
