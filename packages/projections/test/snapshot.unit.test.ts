import { MemoryEventStore } from "@bukubesar/event-store";
import type { RecordedLedgerEvent } from "@bukubesar/ledger-core";
import { test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import {
  applyLedgerEvent,
  balanceSheet,
  buildReadModel,
  createProjectionRunner,
  type LedgerReadModel,
  MemoryReadModelSnapshotStore,
  memberStatement,
  restoreReadModels,
  serializeReadModels,
  shuReport,
  trialBalance,
} from "../src/index.js";
import { arbitraryHistory, checkDates, historyEvents } from "./arbitraries.js";
import { kkmpYear } from "./kkmpYear.js";

const reportsOf = (model: LedgerReadModel, dates: readonly string[]) =>
  dates.map((date) => ({
    trialBalance: trialBalance(model, date),
    balanceSheet: balanceSheet(model, date),
    member: memberStatement(model, "A-0001", date),
  }));

const restoreOne = (model: LedgerReadModel, partSizes = { entries: 7, members: 3 }): LedgerReadModel => {
  // Small parts, so that entries and member totals of one model span several parts.
  const restored = restoreReadModels(
    serializeReadModels([model], { position: 0n, eventId: null }, partSizes),
  )?.models.get(model.coopId);
  if (restored === undefined) throw new Error("not restored");
  return restored;
};

describe("snapshots", () => {
  test.prop([arbitraryHistory({ maxEntries: 30 }), arbitraryHistory({ maxEntries: 10 })], { numRuns: 50 })(
    "a restored model answers like the original and keeps applying events like it",
    (first, second) => {
      const events = historyEvents([...first, ...second]);
      const cut = events.length - second.length;
      const dates = checkDates(events);
      const original = buildReadModel("kkmp-acak", events.slice(0, cut));
      const restored = restoreOne(original);
      expect(reportsOf(restored, dates)).toEqual(reportsOf(original, dates));
      for (const event of events.slice(cut)) applyLedgerEvent(restored, event);
      expect(reportsOf(restored, dates)).toEqual(reportsOf(buildReadModel("kkmp-acak", events), dates));
    },
  );

  it("keeps the SHU and the reversal links", () => {
    const { builder } = kkmpYear();
    const model = buildReadModel(builder.coopId, builder.events);
    const restored = restoreOne(model);
    expect(shuReport(restored, 2026)).toEqual(shuReport(model, 2026));
    expect(restored.reversedBy).toEqual(model.reversedBy);
    expect(restoreReadModels([JSON.stringify({ version: 999, models: [] })])).toBeNull();
  });

  it("splits entries and member totals into parts and keeps the checkpoint", () => {
    const { builder } = kkmpYear();
    const model = buildReadModel(builder.coopId, builder.events);
    const parts = serializeReadModels(
      [model],
      { position: 41n, eventId: "e-41" },
      { entries: 10, members: 2 },
    );
    expect(parts.length).toBe(
      1 + Math.ceil(model.entries.length / 10) + Math.ceil(model.memberTotals.size / 2),
    );
    const restored = restoreReadModels(parts);
    expect(restored?.checkpoint).toEqual({ position: 41n, eventId: "e-41" });
    expect(restored?.models.get(builder.coopId)?.entries).toEqual(model.entries);
    expect(() => restoreReadModels([parts[0] as string, "{not json"])).toThrow();
    expect(() =>
      restoreReadModels([parts[0] as string, JSON.stringify({ coopId: "x", entries: [] })]),
    ).toThrow(/unknown model/);
  });

  it("lets a restarted runner start from the snapshot and replay only what follows it", async () => {
    const store = new MemoryEventStore();
    const { builder } = kkmpYear();
    const toNew = (event: RecordedLedgerEvent) => ({
      eventId: event.metadata.eventId,
      type: event.type,
      data: event.data,
      metadata: event.metadata,
    });
    const snapshots = new MemoryReadModelSnapshotStore();
    const first = createProjectionRunner(store, { snapshots, snapshotEveryEvents: 10 });
    await first.start();
    // Live events: a snapshot every 10 of them.
    let head = { position: -1n };
    for (const [revision, event] of builder.events.entries()) {
      head = await store.append(`ledger-${builder.coopId}`, revision === 0 ? "no_stream" : revision - 1, [
        toNew(event),
      ]);
    }
    await first.waitForPosition(head.position, 5_000);
    const savesBeforeStop = snapshots.saves;
    const savedBeforeStop = await snapshots.load();
    expect(savesBeforeStop).toBe(Math.floor(builder.events.length / 10));
    expect(savedBeforeStop?.position).toBeLessThan(head.position);
    // A crash here would restart from savedBeforeStop; a clean stop saves the rest.
    const crashedSnapshot = savedBeforeStop;
    await first.stop();
    expect((await snapshots.load())?.position).toBe(head.position);
    if (crashedSnapshot === null) throw new Error("no snapshot");
    await snapshots.save(crashedSnapshot);

    const second = createProjectionRunner(store, { snapshots, snapshotEveryEvents: 10 });
    let replayed = 0;
    second.onEvent(() => {
      replayed++;
    });
    await second.start();
    await second.waitForPosition(head.position, 5_000);
    expect(replayed).toBe(builder.events.length % 10);
    const expected = buildReadModel(builder.coopId, builder.events);
    const model = second.model(builder.coopId);
    if (model === undefined) throw new Error("no model");
    expect(reportsOf(model, ["2026-06-30", "2027-12-31"])).toEqual(
      reportsOf(expected, ["2026-06-30", "2027-12-31"]),
    );
    await second.stop();
    await store.close();
  });
});
