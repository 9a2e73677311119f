/**
 * docs/reliability.md section 6, fault #27, the clamp's upper bound: one post made while the service's
 * clock read 2099 pins every later recordedAt of the cooperative to that instant (recordedAt never goes
 * backwards). The service still records there, but raises a `clock_behind_ledger` alert, once for the
 * episode; a lead within RECORDED_AT_LEAD_MAX_MS (ordinary disagreement between clocks) raises none.
 */
import { RECORDED_AT_LEAD_MAX_MS } from "@bukubesar/ledger-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshStore, type Harness, startHarness } from "./harness.js";

const FUTURE = "2099-06-01T00:00:00.000Z";
const ALERT_WAIT_MS = 5_000;

const entry = (memo: string) => ({
  date: "2026-02-02",
  memo,
  lines: [
    { account: "1101", debit: "1000" },
    { account: "3300", credit: "1000" },
  ],
});

interface ListedAlert {
  readonly rule: string;
  readonly coopId: string;
  readonly severity: string;
  readonly details: Record<string, unknown>;
}

describe("a cooperative's recordedAt far ahead of the service's clock", () => {
  let harness: Harness;
  let cleanup: () => Promise<void>;
  let skewMs = 0;
  /** A clock standing still at this instant when set (the post "made in 2099"). */
  let standing: string | null = null;
  const now = () => standing ?? new Date(Date.now() + skewMs).toISOString();

  beforeAll(async () => {
    const store = await freshStore("sqlite");
    cleanup = store.cleanup;
    harness = await startHarness(store.url, { now });
  });
  afterAll(async () => {
    await harness?.stop().catch(() => undefined);
    await cleanup?.();
  });

  const open = async (id: string) => {
    const created = await harness.call("POST", "/v1/cooperatives", {
      body: { id, name: `KKMP ${id}`, regionCode: "35.74.03.1002", chart: "kkmp" },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
  };

  const post = async (coopId: string, key: string) => {
    const answer = await harness.call("POST", `/v1/cooperatives/${coopId}/journal-entries`, {
      body: entry(key),
      headers: { "idempotency-key": key },
    });
    expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    return answer.body as { recordedAt: string };
  };

  const clockAlerts = async (coopId: string): Promise<ListedAlert[]> => {
    const listed = await harness.call("GET", "/v1/alerts?region=35.74&limit=100");
    expect(listed.status, JSON.stringify(listed.body)).toBe(200);
    return (listed.body.alerts as ListedAlert[]).filter(
      (alert) => alert.rule === "clock_behind_ledger" && alert.coopId === coopId,
    );
  };

  it("records no earlier than 2099 and raises one alert for the episode", async () => {
    await open("kkmp-2099");
    standing = FUTURE;
    expect((await post("kkmp-2099", "dari-2099")).recordedAt).toBe(FUTURE);
    standing = null;
    const pinned = await post("kkmp-2099", "sekarang");
    expect(Date.parse(pinned.recordedAt)).toBeGreaterThanOrEqual(Date.parse(FUTURE));
    const started = Date.now();
    let alerts = await clockAlerts("kkmp-2099");
    while (alerts.length === 0 && Date.now() - started < ALERT_WAIT_MS) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      alerts = await clockAlerts("kkmp-2099");
    }
    expect(alerts.map((alert) => [alert.severity, alert.details.lastRecordedAt])).toEqual([["high", FUTURE]]);
    // Later posts of the same episode are recorded at the same instant and raise nothing more.
    expect((await post("kkmp-2099", "sekarang-lagi")).recordedAt).toBe(FUTURE);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await clockAlerts("kkmp-2099")).toHaveLength(1);
  });

  it("raises nothing for a lead within the limit", async () => {
    await open("kkmp-4-menit");
    skewMs = RECORDED_AT_LEAD_MAX_MS - 60_000;
    await post("kkmp-4-menit", "maju-4-menit");
    skewMs = 0;
    await post("kkmp-4-menit", "sekarang");
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(JSON.stringify(await clockAlerts("kkmp-4-menit"))).toBe("[]");
  });
});
