/**
 * Failure drill of the NATS JetStream cluster (not a test; run by `scripts/bench --cluster` after the
 * PostgreSQL drill): a publisher sends alerts through our NATS alert bus to the alerts stream with three
 * replicas, retrying a refused publish with the same alert (as the supervisor's outbox does), while one
 * NATS node at a time is killed with SIGKILL and started again. A subscriber through the same bus counts
 * what it receives. At the end every published alert must have reached it exactly once.
 *
 *   node --import tsx --conditions=source scripts/benchClusterNats.ts [kills] [alerts per second]
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { openAlertBus } from "../packages/bus/src/index.js";
import type { Alert } from "../packages/supervision/src/index.js";

const KILLS = Number(process.argv[2] ?? "3");
const ALERTS_PER_SECOND = Number(process.argv[3] ?? "50");
/** Publishing runs this long before the first kill, between kills and after the last restart. */
const RUN_BETWEEN_KILLS_MS = 10_000;
/** How long a killed node stays down. */
const DOWN_MS = 5_000;
/** How long the subscriber may take, after publishing stops, to receive what is still on its way. */
const DELIVERY_WAIT_MS = 30_000;
const RETRY_PAUSE_MS = 200;

const clusterDir = process.env.BUKUBESAR_CLUSTER_DIR ?? "/tmp/bukubesar-cluster";
const natsUrl =
  process.env.NATS_URL ?? "nats://127.0.0.1:15450,nats://127.0.0.1:15451,nats://127.0.0.1:15452";
const runId = Date.now().toString(36);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const alertNumber = (index: number): Alert => ({
  alertId: `drill-${runId}-${index}`,
  rule: "large-cash",
  severity: "high",
  coopId: `kkmp-drill-${index % 100}`,
  regionCode: "35.74.03.1002",
  entryIds: [`entry-${index}`],
  summary: "Latihan kegagalan",
  raisedAt: new Date().toISOString(),
  details: { index },
});

const main = async (): Promise<void> => {
  const config = {
    natsUrl,
    streamName: `DRILL_${runId}`.toUpperCase(),
    subjectPrefix: `drill${runId}`,
    replicas: 3,
  };
  const publisherBus = await openAlertBus(config);
  const subscriberBus = await openAlertBus(config);
  const received = new Map<string, number>();
  const subscription = await subscriberBus.subscribe({ regionPrefix: "*" }, (alert) => {
    received.set(alert.alertId, (received.get(alert.alertId) ?? 0) + 1);
  });
  let published = 0;
  let refusedPublishes = 0;
  let longestOutageMs = 0;
  let stopping = false;
  const publishing = (async () => {
    for (let index = 0; !stopping; index += 1) {
      const alert = alertNumber(index);
      const firstTry = performance.now();
      for (;;) {
        try {
          await publisherBus.publish(alert);
          break;
        } catch {
          refusedPublishes += 1;
          await sleep(RETRY_PAUSE_MS);
        }
      }
      longestOutageMs = Math.max(longestOutageMs, performance.now() - firstTry);
      published = index + 1;
      await sleep(1000 / ALERTS_PER_SECOND);
    }
  })();
  for (let kill = 1; kill <= KILLS; kill += 1) {
    await sleep(RUN_BETWEEN_KILLS_MS);
    const node = (kill - 1) % 3;
    const pid = Number(readFileSync(`${clusterDir}/pids/nats${node}`, "utf8"));
    process.kill(-pid, "SIGKILL");
    await sleep(DOWN_MS);
    execFileSync("scripts/cluster", ["start", `nats${node}`]);
    console.log(
      `kill ${kill}: nats${node} killed, started again after ${DOWN_MS / 1000} s; ${published} published so far`,
    );
  }
  await sleep(RUN_BETWEEN_KILLS_MS);
  stopping = true;
  await publishing;
  const deadline = performance.now() + DELIVERY_WAIT_MS;
  while (received.size < published && performance.now() < deadline) await sleep(100);
  const missing = published - [...received.keys()].length;
  const twice = [...received.values()].filter((count) => count > 1).length;
  console.log(
    `drill nats-node kills=${KILLS} published=${published} received=${received.size} missing=${missing} ` +
      `delivered-twice=${twice} refused-publishes=${refusedPublishes} longest-publish-outage=${(longestOutageMs / 1000).toFixed(1)} s`,
  );
  await subscription.close();
  await subscriberBus.close();
  await publisherBus.close();
  if (missing > 0 || twice > 0) process.exitCode = 1;
};

await main();
