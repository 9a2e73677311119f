/**
 * The supervisor's promise end to end, as a city's Dinas Koperasi sees it: a large cash entry posted over
 * HTTP reaches a JetStream subscriber of `<prefix>.*.35.74.>` within a second of the 201, and never a
 * subscriber of another region (`<prefix>.*.35.13.>`). Real nats-server, its own stream and subjects.
 */
import { randomUUID } from "node:crypto";
import { type NatsAlertBus, openNatsAlertBus } from "@bukubesar/bus";
import { type Alert, LARGE_CASH_RULE } from "@bukubesar/supervision";
import { startSupervisor } from "@bukubesar/supervisor";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshStore, type Harness, startHarness } from "./harness.js";

const NATS_URL = process.env.TEST_NATS_URL ?? "nats://127.0.0.1:4222";
const RUN = randomUUID().slice(0, 8);
const STREAM = `ALERTS_E2E_${RUN}`;
const SUBJECT_PREFIX = `alerts-e2e-${RUN}`;
const COOP = "kkmp-nats-probolinggo";
/** The bound on an alert's delivery over NATS, from the HTTP answer to the subscriber's receipt. */
const DELIVERY_WITHIN_MS = 1_000;
/** How long the other region's subscriber is watched for a stray alert. */
const QUIET_PERIOD_MS = 1_500;

describe("alerts over NATS JetStream, end to end", () => {
  let harness: Harness;
  let cleanup: () => Promise<void>;
  let publisher: NatsAlertBus;
  let subscriberBus: NatsAlertBus;
  const probolinggo: { alert: Alert; receivedAt: number }[] = [];
  const otherRegion: Alert[] = [];
  let treasurer = "";

  beforeAll(async () => {
    const options = { servers: NATS_URL, streamName: STREAM, subjectPrefix: SUBJECT_PREFIX };
    publisher = await openNatsAlertBus(options);
    subscriberBus = await openNatsAlertBus({ ...options, createStream: false });
    await subscriberBus.subscribe({ regionPrefix: "35.74" }, (alert) => {
      probolinggo.push({ alert, receivedAt: performance.now() });
    });
    await subscriberBus.subscribe({ regionPrefix: "35.13" }, (alert) => {
      otherRegion.push(alert);
    });
    const store = await freshStore("sqlite");
    cleanup = store.cleanup;
    harness = await startHarness(store.url, { supervise: { bus: publisher, start: startSupervisor } });
    const created = await harness.call("POST", "/v1/cooperatives", {
      body: { id: COOP, name: "KKMP Nats Probolinggo", regionCode: "35.74.03.1002", chart: "kkmp" },
    });
    expect(created.status).toBe(201);
    const settings = await harness.call("PATCH", `/v1/cooperatives/${COOP}/settings`, {
      body: { largeCashThreshold: "5000000" },
    });
    expect(settings.status).toBe(200);
    const issued = await harness.call("POST", "/v1/tokens", {
      body: { role: "treasurer", scope: COOP, name: "bendahara" },
    });
    treasurer = issued.body.token;
  });

  afterAll(async () => {
    await harness?.stop();
    await subscriberBus?.close();
    await publisher?.deleteStream().catch(() => undefined);
    await publisher?.close();
    await cleanup?.();
  });

  it("delivers a large cash entry to the region's subscriber within a second, and to no other region", async () => {
    const posted = await harness.call("POST", `/v1/cooperatives/${COOP}/journal-entries`, {
      token: treasurer,
      body: {
        date: "2026-02-02",
        memo: "Setoran tunai besar",
        lines: [
          { account: "1101", debit: "7500000" },
          { account: "3300", credit: "7500000" },
        ],
      },
      headers: { "idempotency-key": "large-cash-over-nats" },
    });
    const answeredAt = performance.now();
    expect(posted.status).toBe(201);

    await expect
      .poll(() => probolinggo.find(({ alert }) => alert.rule === LARGE_CASH_RULE), {
        timeout: DELIVERY_WITHIN_MS * 5,
        interval: 10,
      })
      .toBeDefined();
    const delivered = probolinggo.find(({ alert }) => alert.rule === LARGE_CASH_RULE);
    expect(delivered?.alert).toMatchObject({
      coopId: COOP,
      regionCode: "35.74.03.1002",
      entryIds: [posted.body.entryId],
    });
    expect((delivered?.receivedAt ?? Number.POSITIVE_INFINITY) - answeredAt).toBeLessThan(DELIVERY_WITHIN_MS);
    await new Promise((resolve) => setTimeout(resolve, QUIET_PERIOD_MS));
    expect(otherRegion).toEqual([]);
  });
});
