/**
 * docs/reliability.md section 6, fault #27: the service's clock jumps back an hour, forward a day and back
 * again while entries are posted. `recordedAt` never goes backwards within the cooperative's stream (it is
 * clamped to the last one recorded, also after a restart), no valid post is refused, a keyed retry still
 * replays its entry, the chain verifies, and an entry's period comes from its date, not from the clock.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshStore, type Harness, startHarness } from "./harness.js";

const COOP = "kkmp-jam";
const coopPath = `/v1/cooperatives/${COOP}`;
const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;

const entry = (memo: string, date = "2026-02-02") => ({
  date,
  memo,
  lines: [
    { account: "1101", debit: "1000" },
    { account: "3300", credit: "1000" },
  ],
});

describe("the service's clock jumps back and forth", () => {
  let harness: Harness;
  let cleanup: () => Promise<void>;
  /** How far the service's clock is from the machine's. */
  let skewMs = 0;
  const now = () => new Date(Date.now() + skewMs).toISOString();

  beforeAll(async () => {
    const store = await freshStore("sqlite");
    cleanup = store.cleanup;
    harness = await startHarness(store.url, { now });
    const created = await harness.call("POST", "/v1/cooperatives", {
      body: { id: COOP, name: "KKMP Jam", regionCode: "35.74.03.1002", chart: "kkmp" },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
  });
  afterAll(async () => {
    await harness?.stop().catch(() => undefined);
    await cleanup?.();
  });

  const post = async (key: string, body = entry(key)) => {
    const answer = await harness.call("POST", `${coopPath}/journal-entries`, {
      body,
      headers: { "idempotency-key": key },
    });
    expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    return answer.body as { entryId: string; recordedAt: string };
  };

  it("keeps recordedAt monotonic, posts every valid entry and replays keyed retries", async () => {
    const first = await post("sebelum");
    skewMs = -HOUR_MS;
    const behind = await post("mundur-1-jam");
    expect(Date.parse(behind.recordedAt)).toBeGreaterThanOrEqual(Date.parse(first.recordedAt));
    skewMs = DAY_MS;
    const ahead = await post("maju-1-hari");
    expect(Date.parse(ahead.recordedAt)).toBeGreaterThanOrEqual(Date.now() + DAY_MS - HOUR_MS);
    skewMs = 0;
    const back = await post("kembali");
    // The clock reads a day earlier than the last event: the event takes the last event's instant.
    expect(back.recordedAt).toBe(ahead.recordedAt);

    // A keyed retry after the jumps replays its entry: keys do not expire by the clock.
    const replayed = await post("sebelum");
    expect(replayed.entryId).toBe(first.entryId);

    // A restart forgets nothing of the clamp: the cooperative comes back from its stored snapshot (which
    // does not hold the last recording time) and the event at the snapshot's revision is read back.
    await harness.built.context.snapshotWriter?.flush(1);
    harness = await harness.restart();
    await harness.call("GET", `${coopPath}/trial-balance`);
    expect(harness.built.context.cache.usage()).toMatchObject({ fromSnapshot: 1, fromLog: 0 });
    const afterRestart = await post("setelah-restart");
    expect(Date.parse(afterRestart.recordedAt)).toBeGreaterThanOrEqual(Date.parse(ahead.recordedAt));

    const events = await harness.call("GET", `${coopPath}/events?limit=1000`);
    const times: number[] = events.body.events.map((event: { recordedAt: string }) =>
      Date.parse(event.recordedAt),
    );
    expect(times.length).toBeGreaterThan(5);
    times.forEach((time, index) => {
      if (index > 0) expect(time).toBeGreaterThanOrEqual(times[index - 1] as number);
    });
    const memos = events.body.events
      .filter((event: { type: string }) => event.type === "JournalEntryPosted")
      .map((event: { data: { memo: string } }) => event.data.memo);
    expect(memos).toEqual(["sebelum", "mundur-1-jam", "maju-1-hari", "kembali", "setelah-restart"]);
    const verified = await harness.call("GET", `${coopPath}/verify`);
    expect(verified.body.ok, JSON.stringify(verified.body)).toBe(true);
  });

  it("places an entry in the period of its date whatever the clock says", async () => {
    skewMs = DAY_MS;
    await post("akhir-maret", entry("akhir-maret", "2026-03-31"));
    skewMs = -HOUR_MS;
    await post("awal-april", entry("awal-april", "2026-04-01"));
    skewMs = 0;
    const march = await harness.call("GET", `${coopPath}/trial-balance?asOf=2026-03-31`);
    expect(march.status, JSON.stringify(march.body)).toBe(200);
    const april = await harness.call("GET", `${coopPath}/trial-balance?asOf=2026-04-01`);
    const cashOf = (body: { accounts: { code: string; balance: string }[] }) =>
      Number(body.accounts.find((account) => account.code === "1101")?.balance);
    // Six entries of 1,000 dated up to 31 March, a seventh on 1 April.
    expect(cashOf(march.body)).toBe(6000);
    expect(cashOf(april.body)).toBe(7000);
  });
});
