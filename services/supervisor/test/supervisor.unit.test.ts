import { ALERT_RAISED, type AlertRaisedData, alertsStreamId, openAlertsIndex } from "@bukubesar/alerts";
import type { AlertBus } from "@bukubesar/bus";
import { createInProcessAlertBus } from "@bukubesar/bus";
import { appendChained, openEventStore } from "@bukubesar/event-store";
import type { Alert } from "@bukubesar/supervision";
import { describe, expect, it } from "vitest";
import { AlertOutbox, startSupervisor } from "../src/index.js";
import { LedgerWriter } from "./ledgerWriter.js";

const FIXED_CLOCK = { now: () => new Date("2026-01-14T05:00:00.000Z") };

describe("supervisor on the in-process bus", () => {
  it("records each alert once in alerts-<coopId> and publishes it; a restart records and loses nothing", async () => {
    const store = await openEventStore("memory:");
    const bus = createInProcessAlertBus();
    const received: Alert[] = [];
    await bus.subscribe({ regionPrefix: "35.74" }, (alert) => void received.push(alert));
    const ledger = new LedgerWriter(store, "kkmp-mangunharjo");
    await ledger.open();
    const large = await ledger.deposit("150000000");
    await ledger.deposit("50000");

    const first = await startSupervisor({ store, bus, clock: FIXED_CLOCK, tickIntervalMs: 0 });
    await first.idle();
    const recorded = await store.readStream("alerts-kkmp-mangunharjo");
    expect(
      recorded.map((event) => [event.type, (event.data as Alert).rule, (event.data as Alert).entryIds]),
    ).toEqual([[ALERT_RAISED, "large-cash", [large]]]);
    expect(recorded[0]?.eventId).toBe((recorded[0]?.data as Alert | undefined)?.alertId);
    expect(received.map((alert) => alert.alertId)).toEqual([recorded[0]?.eventId]);
    await first.abort();

    // Restart without progress recorded: the checkpoint comes from the recorded alert's triggerPosition.
    const second = await startSupervisor({ store, bus, clock: FIXED_CLOCK, tickIntervalMs: 0 });
    const another = await ledger.deposit("200000000");
    await second.idle();
    const after = await store.readStream("alerts-kkmp-mangunharjo");
    expect(after.map((event) => (event.data as Alert).entryIds[0])).toEqual([large, another]);
    expect(new Set(received.map((alert) => alert.alertId)).size).toBe(2);
    await second.stop();
    await store.close();
  });

  it("raises the dormant-cooperative alert on a tick, once, and the index lists and acknowledges it", async () => {
    const store = await openEventStore("memory:");
    const bus = createInProcessAlertBus();
    const ledger = new LedgerWriter(store, "kkmp-sepi", "35.13.01.2001");
    await ledger.open();
    await ledger.deposit("50000");
    const supervisor = await startSupervisor({ store, bus, clock: FIXED_CLOCK, tickIntervalMs: 0 });
    await supervisor.idle();
    const index = await openAlertsIndex(store, { clock: FIXED_CLOCK });
    const streamed: Alert[] = [];
    const live = index.stream("35.13", (alert) => void streamed.push(alert));
    const [dormant] = await supervisor.tick(new Date("2026-03-01T00:00:00.000Z"));
    expect(dormant?.rule).toBe("dormant-cooperative");
    expect(await supervisor.tick(new Date("2026-03-02T00:00:00.000Z"))).toHaveLength(0);
    await supervisor.idle();
    await expect.poll(() => streamed.length).toBe(1);
    expect(index.list({ regionPrefix: "35.74" }).alerts).toHaveLength(0);
    expect(index.list({ regionPrefix: "35.13", minSeverity: "high" }).alerts).toHaveLength(0);
    const page = index.list({ regionPrefix: "35.13", since: "2026-03-01T00:00:00.000Z" });
    expect(page.alerts.map((alert) => alert.alertId)).toEqual([dormant?.alertId]);
    const acknowledged = await index.acknowledge(dormant?.alertId ?? "", "sudah ditelepon", {
      principalId: "supervisor-1",
      role: "supervisor",
    });
    expect(acknowledged?.acknowledgements).toEqual([
      { note: "sudah ditelepon", by: "supervisor-1", at: "2026-01-14T05:00:00.000Z" },
    ]);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(index.get(dormant?.alertId ?? "")?.acknowledgements).toHaveLength(1);
    expect(
      await index.acknowledge("no-such-alert", "x", { principalId: "supervisor-1", role: "supervisor" }),
    ).toBeNull();
    live.close();
    await index.close();
    await supervisor.stop();
    await store.close();
  });

  it("pages the alert list with a cursor", async () => {
    const store = await openEventStore("memory:");
    const ledger = new LedgerWriter(store, "kkmp-ramai");
    await ledger.open();
    for (let index = 0; index < 5; index += 1) await ledger.deposit(String(100000000 + index * 1234567));
    const supervisor = await startSupervisor({
      store,
      bus: createInProcessAlertBus(),
      tickIntervalMs: 0,
    });
    await supervisor.idle();
    const index = await openAlertsIndex(store);
    const first = index.list({ regionPrefix: "35", limit: 3 });
    expect(first.alerts).toHaveLength(3);
    expect(first.nextCursor).not.toBeNull();
    const second = index.list({ regionPrefix: "35", limit: 3, cursor: first.nextCursor ?? "" });
    expect(second.nextCursor).toBeNull();
    const ids = [...first.alerts, ...second.alerts].map((alert) => alert.alertId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBeGreaterThanOrEqual(5);
    await index.close();
    await supervisor.stop();
    await store.close();
  });

  it("replaying the same ledger history into another store raises exactly the same alert ids", async () => {
    const idsFor = async () => {
      const store = await openEventStore("memory:");
      const ledger = new LedgerWriter(store, "kkmp-ulang");
      await ledger.open();
      for (let index = 0; index < 6; index += 1) await ledger.deposit(String(95000000 + index * 1000));
      await ledger.deposit("150000000");
      const supervisor = await startSupervisor({
        store,
        bus: createInProcessAlertBus(),
        tickIntervalMs: 0,
      });
      await supervisor.idle();
      await supervisor.stop();
      const events = await store.readStream("alerts-kkmp-ulang");
      await store.close();
      return events.map((event) => event.eventId);
    };
    const first = await idsFor();
    expect(first.length).toBeGreaterThanOrEqual(3);
    expect(await idsFor()).toEqual(first);
  });
});

describe("alerts recorded by another process", () => {
  it("publishes an alert the API recorded (a broken chain) while it runs, not only at its next start", async () => {
    const store = await openEventStore("memory:");
    const bus = createInProcessAlertBus();
    const received: string[] = [];
    await bus.subscribe({ regionPrefix: "*" }, (alert) => void received.push(alert.alertId));
    const ledger = new LedgerWriter(store, "kkmp-mangunharjo");
    await ledger.open();
    const supervisor = await startSupervisor({ store, bus, clock: FIXED_CLOCK, tickIntervalMs: 0 });
    await supervisor.idle();
    const data: AlertRaisedData = {
      alertId: "ledger-integrity-kkmp-mangunharjo-7",
      rule: "ledger-integrity",
      severity: "high",
      coopId: "kkmp-mangunharjo",
      regionCode: "35.74.03.1002",
      entryIds: [],
      summary: "Rantai hash buku besar rusak",
      raisedAt: "2026-01-14T05:00:00.000Z",
      details: { revision: 7 },
      triggerPosition: null,
      triggerEventId: null,
    };
    await appendChained(store, alertsStreamId("kkmp-mangunharjo"), [
      {
        eventId: data.alertId,
        type: ALERT_RAISED,
        data,
        metadata: { principalId: "api", role: "system", recordedAt: data.raisedAt },
      },
    ]);
    await expect.poll(() => received, { timeout: 5_000 }).toEqual([data.alertId]);
    // Its own alerts are not published twice by following the alert streams.
    const large = await ledger.deposit("150000000");
    await supervisor.idle();
    await expect.poll(() => received.length, { timeout: 5_000 }).toBe(2);
    expect((await store.readStream("alerts-kkmp-mangunharjo")).at(-1)?.data).toMatchObject({
      entryIds: [large],
    });
    await supervisor.stop();
    expect(received).toHaveLength(2);
    await store.close();
  });

  it("never moves the published watermark past an alert still queued, even one queued after later ones", async () => {
    let release: (() => void) | null = null;
    const published: string[] = [];
    const bus: AlertBus = {
      async publish(alert) {
        // The first publish waits, so later ones queue behind it.
        if (published.length === 0) await new Promise<void>((resolve) => (release = resolve));
        published.push(alert.alertId);
        return { duplicate: false };
      },
      subscribe: async () => ({ close: async () => undefined }),
      close: async () => undefined,
    };
    const alert = (alertId: string) => ({ alertId }) as unknown as Parameters<AlertOutbox["enqueue"]>[0];
    const outbox = new AlertOutbox(bus, -1n);
    outbox.enqueue(alert("own-10"), 10n);
    outbox.enqueue(alert("own-12"), 12n);
    // Another process's alert at position 11 arrives after them.
    outbox.enqueue(alert("api-11"), 11n);
    // An append of two: only its last alert carries the position, and it stays behind the first.
    outbox.enqueue(alert("own-13"), -1n);
    outbox.enqueue(alert("own-14"), 14n);
    expect(outbox.publishedThrough).toBe(-1n);
    await expect.poll(() => release !== null).toBe(true);
    (release as unknown as () => void)();
    await outbox.drained();
    expect(published).toEqual(["own-10", "api-11", "own-12", "own-13", "own-14"]);
    expect(outbox.publishedThrough).toBe(14n);

    // Queued after the watermark passed it: the watermark goes back below it until it is published.
    outbox.enqueue(alert("api-5"), 5n);
    expect(outbox.publishedThrough).toBeLessThan(5n);
    await outbox.drained();
    await outbox.stop();
    expect(published.at(-1)).toBe("api-5");
  });
});
