/**
 * The alert stream as a browser uses it: authenticated by the session cookie, telling the client when to
 * reconnect (`retry:`), and resuming after Last-Event-ID, across a server restart, with nothing lost or
 * repeated.
 */
import { createInProcessAlertBus } from "@bukubesar/bus";
import { LARGE_CASH_RULE } from "@bukubesar/supervision";
import { startSupervisor } from "@bukubesar/supervisor";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshStore, type Harness, startHarness } from "./harness.js";

const COOP = "kkmp-lanjut";
const SSE_WAIT_MS = 10_000;

interface SseReader {
  readonly raw: () => string;
  readonly ids: () => string[];
  readonly close: () => Promise<void>;
}

const openSse = async (url: string, headers: Record<string, string>): Promise<SseReader> => {
  const controller = new AbortController();
  const response = await fetch(url, { headers, signal: controller.signal });
  expect(response.status).toBe(200);
  let text = "";
  const reader = response.body?.getReader();
  const decoder = new TextDecoder();
  const pump = (async () => {
    try {
      for (;;) {
        const chunk = await reader?.read();
        if (chunk === undefined || chunk.done) return;
        text += decoder.decode(chunk.value, { stream: true });
      }
    } catch {
      // Aborted at the end of the test.
    }
  })();
  return {
    raw: () => text,
    ids: () => [...text.matchAll(/^event: alert\nid: (.+)$/gm)].map((match) => match[1] as string),
    close: async () => {
      controller.abort();
      await pump;
    },
  };
};

const waitFor = async (check: () => boolean): Promise<void> => {
  const deadline = Date.now() + SSE_WAIT_MS;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("timed out waiting for the stream");
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
};

describe("the alert stream resumes after Last-Event-ID", () => {
  let harness: Harness;
  let cleanup: () => Promise<void>;
  const bus = createInProcessAlertBus();
  let treasurer: string;
  let cookie: string;
  let entries = 0;

  const postLargeCash = async () => {
    entries += 1;
    const posted = await harness.call("POST", `/v1/cooperatives/${COOP}/journal-entries`, {
      token: treasurer,
      headers: { "idempotency-key": `besar-${entries}` },
      body: {
        date: "2026-03-02",
        memo: `Setoran tunai besar ${entries}`,
        lines: [
          { account: "1101", debit: `${7_500_000 + entries * 1_000}` },
          { account: "3300", credit: `${7_500_000 + entries * 1_000}` },
        ],
      },
    });
    expect(posted.status).toBe(201);
  };
  let recorded: string[] = [];
  const allAlertIds = async (): Promise<string[]> =>
    (await harness.call("GET", "/v1/alerts")).body.alerts.map((alert: { alertId: string }) => alert.alertId);
  /**
   * Waits until `count` alerts are recorded (each entry is a different amount, dated the day it is recorded
   * within business hours, so large cash is the only rule that fires); `recorded` is their ids in order.
   */
  const waitForAlerts = async (count: number): Promise<void> => {
    const deadline = Date.now() + SSE_WAIT_MS;
    for (;;) {
      const alerts: { alertId: string; rule: string }[] = (await harness.call("GET", "/v1/alerts")).body
        .alerts;
      if (alerts.filter((alert) => alert.rule === LARGE_CASH_RULE).length >= count) {
        expect(new Set(alerts.map((alert) => alert.rule))).toEqual(new Set([LARGE_CASH_RULE]));
        recorded = alerts.map((alert) => alert.alertId);
        return;
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${count} large-cash alerts`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  };

  beforeAll(async () => {
    const store = await freshStore("sqlite");
    cleanup = store.cleanup;
    // Recorded at 10:00 WIB on the entries' own date, so that only the large-cash rule fires.
    let tick = 0;
    const now = () => new Date(Date.parse("2026-03-02T03:00:00.000Z") + tick++).toISOString();
    harness = await startHarness(store.url, { supervise: { bus, start: startSupervisor }, now });
    await harness.call("POST", "/v1/cooperatives", {
      body: { id: COOP, name: "KKMP Lanjut", regionCode: "35.74.03.1002", chart: "kkmp" },
    });
    await harness.call("PATCH", `/v1/cooperatives/${COOP}/settings`, {
      body: { largeCashThreshold: "5000000" },
    });
    treasurer = (
      await harness.call("POST", "/v1/tokens", {
        body: { role: "treasurer", scope: COOP, name: "bendahara" },
      })
    ).body.token;
    const supervisor = (
      await harness.call("POST", "/v1/tokens", {
        body: { role: "supervisor", scope: "35.74", name: "pengawas" },
      })
    ).body.token;
    const session = await harness.call("POST", "/v1/sessions", { token: null, body: { token: supervisor } });
    cookie = (session.headers.get("set-cookie") ?? "").split(";")[0] as string;
  });
  afterAll(async () => {
    await harness.stop();
    await bus.close();
    await cleanup();
  });

  it("takes the session cookie, sends retry:, and after a restart sends exactly what was missed", async () => {
    const first = await openSse(`${harness.base}/v1/alerts/stream`, { cookie });
    await postLargeCash();
    await waitForAlerts(1);
    await waitFor(() => first.ids().length === recorded.length);
    expect(first.raw()).toMatch(/^retry: \d+$/m);
    expect(first.ids()).toEqual(recorded);
    const lastSeen = first.ids().at(-1) as string;
    await first.close();

    // While the client is away, more alerts are raised; then the server restarts.
    await postLargeCash();
    await postLargeCash();
    await waitForAlerts(3);
    harness = await harness.restart();

    const resumed = await openSse(`${harness.base}/v1/alerts/stream`, { cookie, "last-event-id": lastSeen });
    await postLargeCash();
    await waitForAlerts(4);
    const missedAndNew = recorded.slice(recorded.indexOf(lastSeen) + 1);
    await waitFor(() => resumed.ids().length >= missedAndNew.length);
    expect(resumed.ids()).toEqual(missedAndNew);
    await resumed.close();
  });

  it("without Last-Event-ID, the stream starts with what is recorded from now on", async () => {
    const before = (await allAlertIds()).length;
    const fresh = await openSse(`${harness.base}/v1/alerts/stream`, { cookie });
    await postLargeCash();
    await waitForAlerts(5);
    await waitFor(() => fresh.ids().length === recorded.length - before);
    expect(fresh.ids()).toEqual(recorded.slice(before));
    await fresh.close();
  });

  it("tells a first connection where it starts, so one that drops before any alert loses none", async () => {
    const first = await openSse(`${harness.base}/v1/alerts/stream`, { cookie });
    await waitFor(() => /^id: .+$/m.test(first.raw()));
    const startsAt = /^id: (.+)$/m.exec(first.raw())?.[1] as string;
    expect(startsAt).toBe(recorded.at(-1));
    await first.close();
    const before = recorded.length;
    await postLargeCash();
    await waitForAlerts(before + 1);
    const resumed = await openSse(`${harness.base}/v1/alerts/stream`, { cookie, "last-event-id": startsAt });
    await waitFor(() => resumed.ids().length === 1);
    expect(resumed.ids()).toEqual(recorded.slice(before));
    await resumed.close();
  });
});
