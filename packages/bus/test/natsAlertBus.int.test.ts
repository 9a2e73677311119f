import { randomUUID } from "node:crypto";
import type { Alert } from "@bukubesar/alerts";
import { jetstreamManager, StorageType } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NatsAlertBus } from "../src/index.js";
import { AlertStreamMisconfigured, alertBody, openNatsAlertBus } from "../src/index.js";
import {
  SUBSCRIPTION_CLOSE_MAXIMUM_MS,
  SUBSCRIPTION_SILENCE_LIMIT_MS,
} from "../src/natsAlertSubscription.js";
import { sampleAlert } from "./alertFixtures.js";
import { startTcpRelay } from "./tcpRelay.js";

const NATS_URL = process.env.TEST_NATS_URL ?? "nats://127.0.0.1:4222";
const RUN = randomUUID().replaceAll("-", "").slice(0, 12);
const STREAM = `TEST_ALERTS_${RUN}`;
const PREFIX = `test${RUN}.alerts`;
/** Beyond the silence that makes a subscription replace its consumer, for the watchdog to look. */
const RELAY_WAIT_MARGIN_MS = 5_000;
/** How long an alert published after a close is given to reach a consumer that should be gone. */
const AFTER_CLOSE_WAIT_MS = 1_000;

const until = async (condition: () => boolean, timeoutMs = 5_000): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

describe("JetStream alert bus", () => {
  let bus: NatsAlertBus;

  beforeAll(async () => {
    bus = await openNatsAlertBus({ servers: NATS_URL, streamName: STREAM, subjectPrefix: PREFIX });
  });

  afterAll(async () => {
    const manager = await jetstreamManager(bus.connection);
    await manager.streams.delete(STREAM).catch(() => undefined);
    await manager.streams.delete(`${STREAM}_MEMORY`).catch(() => undefined);
    await bus.close();
  });

  it("says its connection is up once open and down once closed (the metrics' NATS gauge)", async () => {
    const other = await openNatsAlertBus({ servers: NATS_URL, streamName: STREAM, subjectPrefix: PREFIX });
    expect(other.connected?.()).toBe(true);
    await other.close();
    expect(other.connected?.()).toBe(false);
  });

  it("creates a file-backed stream with a duplicate window and the prefix's subjects", async () => {
    const info = await (await jetstreamManager(bus.connection)).streams.info(STREAM);
    expect(info.config.subjects).toEqual([`${PREFIX}.>`]);
    expect(info.config.storage).toBe(StorageType.File);
    expect(info.config.duplicate_window).toBeGreaterThanOrEqual(120_000_000_000);
  });

  it("delivers an alert to a subscriber of its city and not to one of another city", async () => {
    const city: Alert[] = [];
    const otherCity: Alert[] = [];
    const raw: string[] = [];
    const citySubscription = await bus.subscribe({ regionPrefix: "35.74" }, (alert) => void city.push(alert));
    const otherSubscription = await bus.subscribe(
      { regionPrefix: "35.13" },
      (alert) => void otherCity.push(alert),
    );
    const rawSubscription = bus.connection.subscribe(`${PREFIX}.*.35.74.>`, {
      callback: (_error, message) => {
        raw.push(`${message.subject} ${message.headers?.get("Nats-Msg-Id")} ${message.string()}`);
      },
    });
    const alert = sampleAlert({ seed: `city-${RUN}`, severity: "high" });
    const started = Date.now();
    expect(await bus.publish(alert)).toMatchObject({ duplicate: false });
    await until(() => city.length === 1 && raw.length === 1);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(city[0]).toEqual(alert);
    expect(raw[0]).toBe(`${PREFIX}.high.35.74.03.1002 ${alert.alertId} ${alertBody(alert)}`);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(otherCity).toHaveLength(0);
    rawSubscription.unsubscribe();
    await citySubscription.close();
    await otherSubscription.close();
  });

  it("deduplicates a republished alert id on the server and in the subscriber", async () => {
    const received: Alert[] = [];
    const subscription = await bus.subscribe({ regionPrefix: "*" }, (alert) => void received.push(alert));
    const alert = sampleAlert({ seed: `dup-${RUN}` });
    const marker = sampleAlert({ seed: `marker-${RUN}` });
    expect((await bus.publish(alert)).duplicate).toBe(false);
    expect((await bus.publish(alert)).duplicate).toBe(true);
    await bus.publish(marker);
    await until(() => received.some((item) => item.alertId === marker.alertId));
    expect(received.filter((item) => item.alertId === alert.alertId)).toHaveLength(1);
    await subscription.close();
  });

  it("filters by minimum severity", async () => {
    const received: Alert[] = [];
    const subscription = await bus.subscribe(
      { regionPrefix: "35", minSeverity: "warning" },
      (alert) => void received.push(alert),
    );
    await bus.publish(sampleAlert({ seed: `info-${RUN}`, severity: "info" }));
    const warning = sampleAlert({ seed: `warn-${RUN}`, severity: "warning" });
    await bus.publish(warning);
    await until(() => received.length >= 1);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(received.map((alert) => alert.alertId)).toEqual([warning.alertId]);
    await subscription.close();
  });

  it("reports a mis-configured existing stream at start", async () => {
    const connection = await connect({ servers: NATS_URL });
    const manager = await jetstreamManager(connection);
    await manager.streams.add({
      name: `${STREAM}_MEMORY`,
      subjects: [`${PREFIX}mem.>`],
      storage: StorageType.Memory,
    });
    await connection.close();
    await expect(
      openNatsAlertBus({ servers: NATS_URL, streamName: `${STREAM}_MEMORY`, subjectPrefix: `${PREFIX}mem` }),
    ).rejects.toBeInstanceOf(AlertStreamMisconfigured);
  });

  it("reports an existing stream with fewer replicas than configured at start, naming both counts", async () => {
    const connection = await connect({ servers: NATS_URL });
    const manager = await jetstreamManager(connection);
    await manager.streams.add({
      name: `${STREAM}_R1`,
      subjects: [`${PREFIX}r1.>`],
      storage: StorageType.File,
      duplicate_window: 120_000 * 1_000_000,
      num_replicas: 1,
    });
    try {
      const opening = openNatsAlertBus({
        servers: NATS_URL,
        streamName: `${STREAM}_R1`,
        subjectPrefix: `${PREFIX}r1`,
        replicas: 3,
      });
      await expect(opening).rejects.toBeInstanceOf(AlertStreamMisconfigured);
      await expect(opening).rejects.toThrow("num_replicas 1 is below 3");
    } finally {
      await manager.streams.delete(`${STREAM}_R1`);
      await connection.close();
    }
  });
});

describe("JetStream alert subscription closed while it replaces its consumer", () => {
  it("returns from close() once the replacement opens, and that one delivers nothing", async () => {
    const relay = await startTcpRelay(Number(new URL(NATS_URL).port || "4222"));
    const streamName = `${STREAM}_REOPEN`;
    const subjectPrefix = `${PREFIX}reopen`;
    const bus = await openNatsAlertBus({
      servers: `nats://127.0.0.1:${relay.port}`,
      streamName,
      subjectPrefix,
    });
    const publisher = await openNatsAlertBus({ servers: NATS_URL, streamName, subjectPrefix });
    const received: Alert[] = [];
    try {
      const subscription = await bus.subscribe({ regionPrefix: "*" }, (alert) => void received.push(alert));
      // The link stalls: no heartbeat gets through, so the subscription replaces its consumer, and the
      // replacement's first request (the stream's info) waits in the relay. The close falls there.
      relay.hold();
      await until(
        () => relay.heldFromClients().includes(`STREAM.INFO.${streamName}`),
        SUBSCRIPTION_SILENCE_LIMIT_MS + RELAY_WAIT_MARGIN_MS,
      );
      const started = Date.now();
      const closing = subscription.close();
      relay.release();
      await closing;
      // Returned because the loop ended, not because close() stopped waiting for it.
      expect(Date.now() - started).toBeLessThan(SUBSCRIPTION_CLOSE_MAXIMUM_MS);
      await publisher.publish(sampleAlert({ seed: `after-close-${RUN}` }));
      await new Promise((resolve) => setTimeout(resolve, AFTER_CLOSE_WAIT_MS));
      expect(received).toHaveLength(0);
    } finally {
      relay.release();
      await (await jetstreamManager(publisher.connection)).streams.delete(streamName).catch(() => undefined);
      await publisher.close();
      await bus.close();
      await relay.close();
    }
  }, 30_000);
});
