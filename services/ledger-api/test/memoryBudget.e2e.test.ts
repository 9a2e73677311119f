/**
 * The memory budget (docs/operations.md, Memory budget): a service whose budget holds only a couple of
 * cooperatives answers every cooperative's reports and writes correctly while it lets the least recently
 * used go and loads them again from their snapshots (or their whole stream when none is stored yet).
 */
import { afterAll, describe, expect, it } from "vitest";
import { heldBytesOf } from "../src/ledgerCache.js";
import { freshStore, type Harness, startHarness } from "./harness.js";

const COOPERATIVES = 6;
const ENTRIES_EACH = 4;
const coopId = (index: number) => `kkmp-budget-${index}`;
/** Cooperative `index` receives entries of (index + 1) × 1,000 rupiah, so every trial balance differs. */
const amountOf = (index: number) => String((index + 1) * 1_000);

const open = async (harness: Harness, index: number) => {
  const created = await harness.call("POST", "/v1/cooperatives", {
    body: { id: coopId(index), name: `KKMP Anggaran ${index}`, regionCode: "35.74.03.1002", chart: "kkmp" },
  });
  expect(created.status).toBe(201);
};

const post = async (harness: Harness, index: number, key: string) => {
  const posted = await harness.call("POST", `/v1/cooperatives/${coopId(index)}/journal-entries`, {
    body: {
      date: "2026-02-02",
      memo: "setoran",
      lines: [
        { account: "1101", debit: amountOf(index) },
        { account: "3300", credit: amountOf(index) },
      ],
    },
    headers: { "idempotency-key": key },
  });
  expect(posted.status).toBe(201);
};

const cashDebit = async (harness: Harness, index: number): Promise<number> => {
  const balance = await harness.call(
    "GET",
    `/v1/cooperatives/${coopId(index)}/trial-balance?asOf=2026-12-31`,
  );
  expect(balance.status).toBe(200);
  return Number(balance.body.accounts.find((account: { code: string }) => account.code === "1101").debit);
};

describe("a service with a small memory budget", () => {
  let cleanup: () => Promise<void> = async () => undefined;
  afterAll(async () => cleanup());

  it("answers every cooperative correctly while letting the least recently used go", async () => {
    const fresh = await freshStore("sqlite");
    cleanup = fresh.cleanup;
    // Room for two opened cooperatives with their chart, not three.
    const probe = await startHarness(fresh.url);
    await open(probe, 0);
    const oneCooperative = heldBytesOf(await probe.built.context.handler.load(coopId(0)));
    await probe.stop();
    const harness = await startHarness(fresh.url, {
      cooperativeState: {
        memoryBudgetBytes: oneCooperative * 2.5,
        snapshotTailEvents: 1,
        snapshotIntervalMs: 10,
      },
    });
    try {
      for (let index = 1; index < COOPERATIVES; index++) await open(harness, index);
      for (let round = 0; round < ENTRIES_EACH; round++)
        for (let index = 0; index < COOPERATIVES; index++) await post(harness, index, `entry-${round}`);
      const cache = harness.built.context.cache;
      expect(cache.usage().cooperatives).toBeLessThanOrEqual(2);
      await harness.built.context.snapshotWriter?.flush(1);

      for (let pass = 0; pass < 2; pass++) {
        for (let index = 0; index < COOPERATIVES; index++) {
          expect(await cashDebit(harness, index)).toBe(ENTRIES_EACH * Number(amountOf(index)));
          expect(cache.usage().cooperatives).toBeLessThanOrEqual(2);
          expect(cache.usage().bytes).toBeLessThanOrEqual(oneCooperative * 2.5);
        }
      }
      // A write to a cooperative that was let go is decided on its reloaded state.
      await post(harness, 0, "entry-late");
      expect(await cashDebit(harness, 0)).toBe((ENTRIES_EACH + 1) * Number(amountOf(0)));
      const listed = await harness.call("GET", "/v1/cooperatives?limit=100");
      expect(listed.body.cooperatives.map((coop: { id: string }) => coop.id).sort()).toEqual(
        Array.from({ length: COOPERATIVES }, (_, index) => coopId(index)).sort(),
      );
      expect(cache.usage().fromSnapshot).toBeGreaterThan(0);
    } finally {
      await harness.stop();
    }
  }, 120_000);
});
