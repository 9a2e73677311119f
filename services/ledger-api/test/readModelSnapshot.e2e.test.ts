/**
 * The read models' snapshot in service: a graceful stop saves it, the next start loads it and replays only
 * the log after it, and the reports answer exactly as before the restart.
 */
import { type EventStore, openEventStore } from "@bukubesar/event-store";
import { snapshotStoreFor } from "@bukubesar/projections";
import { afterAll, describe, expect, it } from "vitest";
import { createCommandHandler } from "../src/index.js";
import { type Backend, freshStore, type Harness, startHarness } from "./harness.js";

const COOP = "kkmp-snapshot";
const coopPath = `/v1/cooperatives/${COOP}`;
const backends: Backend[] = ["sqlite", "postgres"];

const line = (account: string, side: "debit" | "credit", amount: string) => ({
  account,
  side,
  amount,
  memberId: null,
  unit: null,
  counterparty: null,
  memo: null,
});

/** Posts one entry straight through the command handler while no server runs. */
const postOffline = async (store: EventStore, amount: string) => {
  const result = await createCommandHandler({ store }).execute(
    COOP,
    {
      type: "PostJournalEntry",
      data: {
        entryId: "offline-entry",
        date: "2026-03-10",
        memo: "dicatat saat layanan berhenti",
        lines: [line("1101", "debit", amount), line("3200", "credit", amount)],
      },
      actor: { principalId: "test-admin", role: "admin" },
    },
    {
      principalId: "test-admin",
      role: "admin",
      route: "test",
      idempotencyKey: null,
      requestHash: null,
      correlationId: null,
    },
  );
  expect(result.kind).toBe("recorded");
};

describe.each(backends)("read-model snapshot across a restart on %s", (backend) => {
  let cleanup: () => Promise<void> = async () => undefined;
  afterAll(async () => cleanup());

  it("starts from the snapshot saved at the graceful stop, replays only later events, and reports the same", async () => {
    const fresh = await freshStore(backend);
    cleanup = fresh.cleanup;
    let harness: Harness = await startHarness(fresh.url);
    expect(harness.built.context.projections.restoredFrom()).toBeNull();
    const created = await harness.call("POST", "/v1/cooperatives", {
      body: { id: COOP, name: "KKMP Snapshot", regionCode: "35.74.03.1002", chart: "kkmp" },
    });
    expect(created.status).toBe(201);
    for (const [index, amount] of ["150000", "275000.50", "90000"].entries()) {
      const posted = await harness.call("POST", `${coopPath}/journal-entries`, {
        body: {
          date: `2026-02-0${index + 1}`,
          memo: "setoran",
          lines: [
            { account: "1101", debit: amount },
            { account: "3200", credit: amount },
          ],
        },
        headers: { "idempotency-key": `entry-${index}` },
      });
      expect(posted.status).toBe(201);
    }
    const reportPaths = [
      `${coopPath}/trial-balance?asOf=2026-02-28`,
      `${coopPath}/balance-sheet?asOf=2026-02-28`,
      `${coopPath}/income-statement?from=2026-01-01&to=2026-02-28`,
      `${coopPath}/ledger/1101?from=2026-01-01&to=2026-02-28`,
    ];
    const before = await Promise.all(reportPaths.map(async (path) => (await harness.call("GET", path)).body));
    const totalBefore = (await harness.call("GET", `${coopPath}/trial-balance?asOf=2026-12-31`)).body.totals
      .debit;
    await harness.built.context.projections.waitForPosition(
      harness.built.context.handler.lastPosition(),
      5_000,
    );
    const stoppedAt = harness.built.context.projections.position();
    await harness.stop();

    // The graceful stop saved the models at the position they had reached.
    const store = await openEventStore(fresh.url);
    try {
      expect((await snapshotStoreFor(store)?.load())?.position).toBe(stoppedAt);
      await postOffline(store, "1000000");
    } finally {
      await store.close();
    }

    harness = await startHarness(fresh.url);
    try {
      const projections = harness.built.context.projections;
      expect(projections.restoredFrom()).toBe(stoppedAt);
      expect(projections.position()).toBeGreaterThan(stoppedAt);
      const after = await Promise.all(
        reportPaths.map(async (path) => (await harness.call("GET", path)).body),
      );
      expect(after).toEqual(before);
      // The entry recorded while the service was down is in the models too.
      const total = (await harness.call("GET", `${coopPath}/trial-balance?asOf=2026-12-31`)).body.totals
        .debit;
      expect(Number(total) - Number(totalBefore)).toBe(1_000_000);
    } finally {
      await harness.stop();
    }
  }, 60_000);
});
