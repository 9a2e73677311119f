import { randomUUID } from "node:crypto";
import type { Alert } from "@bukubesar/alerts";
import { jetstreamManager } from "@nats-io/jetstream";
import { afterAll, describe, expect, it } from "vitest";
import type { AlertSubscription, NatsAlertBus } from "../src/index.js";
import { openNatsAlertBus } from "../src/index.js";
import { type ClusterNode, NatsCluster, openClusterBus } from "../src/testing/natsCluster.js";
import { sampleAlert } from "./alertFixtures.js";

/**
 * docs/reliability.md (a NATS node dies): a 3-node NATS cluster on loopback ports, an R3 alert stream, one
 * node killed with SIGKILL while alerts are published: every alert still reaches a (deduplicating)
 * subscriber. The subscriber's ordered consumer is a single in-memory replica on one node, so there are three
 * cases, each forced on every run with a fresh cluster: the killed node holds the subscriber's connection and
 * its consumer (the case that stalled for ever), only the consumer, or only the connection. The nats-server
 * processes are this test's own children (src/testing/natsCluster.ts) and are killed after each case,
 * whatever happened. No retry: each case must pass on its first run.
 */
const RUN = randomUUID().replaceAll("-", "").slice(0, 12);
const NODE_COUNT = 3;
/** Alerts published before the kill, and after it. */
const ALERTS_BEFORE_KILL = 30;
const ALERTS_AFTER_KILL = 60;
/** How long a publish is retried while the stream elects a new leader (the outbox would do this). */
const PUBLISH_RETRY_MS = 20_000;
/** Subscriptions tried until the consumer lands where the case needs it (placement is the server's). */
const PLACEMENT_ATTEMPTS = 30;
const TEST_TIMEOUT_MS = 120_000;
/**
 * How long every alert may take to reach the subscriber after the kill: the subscription's watchdog notices
 * within twice the heartbeat interval (5 s), then a new consumer is created once the stream has a leader,
 * which on a loaded machine can take tens of seconds. A subscriber that stalls never gets there.
 */
const DELIVERY_AFTER_KILL_MS = 45_000;

const clusters: NatsCluster[] = [];

const sleep = (milliseconds: number): Promise<void> => {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
};

interface Cluster {
  readonly nodes: readonly ClusterNode[];
  readonly streamName: string;
  readonly subjectPrefix: string;
  readonly publisher: NatsAlertBus;
}

afterAll(async () => {
  for (const cluster of clusters) await cluster.destroy();
});

/** Three fresh nodes and an R3 stream, created once the cluster has a JetStream meta leader. */
const startCluster = async (label: string): Promise<Cluster> => {
  const cluster = await NatsCluster.start(`${label}${RUN}-`, NODE_COUNT);
  clusters.push(cluster);
  const streamName = `CLUSTER_${label}_${RUN}`;
  const subjectPrefix = `cluster${label}${RUN}.alerts`;
  const publisher = await openClusterBus(cluster, streamName, subjectPrefix);
  return { nodes: cluster.nodes, streamName, subjectPrefix, publisher };
};

/** Publishes, retrying while the cluster moves the stream's leader (as the supervisor's outbox does). */
const publishWithRetry = async (bus: NatsAlertBus, alert: Alert): Promise<void> => {
  const deadline = Date.now() + PUBLISH_RETRY_MS;
  for (;;) {
    try {
      await bus.publish(alert);
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await sleep(100);
    }
  }
};

/** The node holding the one consumer of the stream not in `known` (the subscription just made). */
const newConsumerNode = async (cluster: Cluster, known: Set<string>): Promise<string> => {
  const manager = await jetstreamManager(cluster.publisher.connection);
  for (const info of await manager.consumers.list(cluster.streamName).next()) {
    if (known.has(info.name)) continue;
    known.add(info.name);
    return info.cluster?.leader ?? "";
  }
  throw new Error("the subscription's consumer is not listed");
};

interface Placed {
  readonly subscriberBus: NatsAlertBus;
  readonly subscription: AlertSubscription;
  readonly connectionNode: ClusterNode;
  readonly consumerNode: ClusterNode;
}

/**
 * Subscribes, connected to one node only (the client learns the others from the cluster for reconnecting),
 * until the consumer is on that same node or on another one, as the case needs.
 */
const subscribePlaced = async (
  cluster: Cluster,
  sameNode: boolean,
  handler: (alert: Alert) => void,
): Promise<Placed> => {
  const known = new Set<string>();
  for (let attempt = 0; attempt < PLACEMENT_ATTEMPTS; attempt += 1) {
    const connectionNode = cluster.nodes[attempt % NODE_COUNT] as ClusterNode;
    const subscriberBus = await openNatsAlertBus({
      servers: connectionNode.url,
      streamName: cluster.streamName,
      subjectPrefix: cluster.subjectPrefix,
      replicas: NODE_COUNT,
      createStream: false,
    });
    const subscription = await subscriberBus.subscribe({ regionPrefix: "35" }, handler);
    const leader = await newConsumerNode(cluster, known);
    const holder = cluster.nodes.find((node) => node.name === leader);
    if (holder !== undefined && (holder === connectionNode) === sameNode)
      return { subscriberBus, subscription, connectionNode, consumerNode: holder };
    await subscription.close();
    await subscriberBus.close();
  }
  throw new Error(`no subscription placed ${sameNode ? "on" : "off"} its connection's node`);
};

type Victim = "connection and consumer" | "consumer only" | "connection only";

const runCase = async (label: string, victim: Victim): Promise<void> => {
  const cluster = await startCluster(label);
  const received = new Map<string, Alert>();
  const placed = await subscribePlaced(cluster, victim === "connection and consumer", (alert) => {
    received.set(alert.alertId, alert);
  });
  try {
    const published: string[] = [];
    const publish = async (index: number) => {
      const alert = sampleAlert({ seed: `cluster-${label}-${RUN}-${index}`, severity: "high" });
      await publishWithRetry(cluster.publisher, alert);
      published.push(alert.alertId);
    };
    for (let index = 0; index < ALERTS_BEFORE_KILL; index += 1) await publish(index);
    await expect.poll(() => received.size, { timeout: 10_000, interval: 50 }).toBe(ALERTS_BEFORE_KILL);

    const killed = victim === "connection only" ? placed.connectionNode : placed.consumerNode;
    expect(killed === placed.connectionNode).toBe(victim !== "consumer only");
    expect(killed === placed.consumerNode).toBe(victim !== "connection only");
    killed.process?.kill("SIGKILL");

    for (let index = ALERTS_BEFORE_KILL; index < ALERTS_BEFORE_KILL + ALERTS_AFTER_KILL; index += 1)
      await publish(index);
    await expect
      .poll(() => received.size, { timeout: DELIVERY_AFTER_KILL_MS, interval: 100 })
      .toBe(published.length);
    expect(new Set(received.keys())).toEqual(new Set(published));
    await placed.subscription.close();
  } finally {
    await placed.subscriberBus.close().catch(() => undefined);
    await cluster.publisher.close().catch(() => undefined);
    for (const node of cluster.nodes) node.process?.kill("SIGKILL");
  }
};

describe("3-node NATS cluster with an R3 alert stream: one node killed while alerts flow", () => {
  it("keeps delivering every alert when the killed node held the subscriber's connection and its consumer", {
    timeout: TEST_TIMEOUT_MS,
  }, async () => {
    await runCase("both", "connection and consumer");
  });

  it("keeps delivering every alert when the killed node held only the subscriber's consumer", {
    timeout: TEST_TIMEOUT_MS,
  }, async () => {
    await runCase("consumer", "consumer only");
  });

  it("keeps delivering every alert when the killed node held only the subscriber's connection", {
    timeout: TEST_TIMEOUT_MS,
  }, async () => {
    await runCase("connection", "connection only");
  });
});
