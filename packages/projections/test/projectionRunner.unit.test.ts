import { MemoryEventStore } from "@bukubesar/event-store";
import type { RecordedLedgerEvent } from "@bukubesar/ledger-core";
import { describe, expect, it } from "vitest";
import { buildReadModel, createProjectionRunner, type ProjectionRunner, trialBalance } from "../src/index.js";
import { credit, debit, LedgerBuilder, withKkmpAccounts } from "./ledgerBuilder.js";

const toNewEvent = (event: RecordedLedgerEvent) => ({
  eventId: event.metadata.eventId,
  type: event.type,
  data: event.data,
  metadata: event.metadata,
});

const appendAll = async (store: MemoryEventStore, builder: LedgerBuilder, fromRevision: number) => {
  const events = builder.events.slice(fromRevision);
  return store.append(
    `ledger-${builder.coopId}`,
    fromRevision === 0 ? "no_stream" : fromRevision - 1,
    events.map(toNewEvent),
  );
};

const modelOf = (runner: ProjectionRunner, coopId: string) => {
  const model = runner.model(coopId);
  if (model === undefined) throw new Error(`no model for ${coopId}`);
  return model;
};

describe("createProjectionRunner", () => {
  it("follows the log per cooperative, serves reads after writes and rebuilds to the same model", async () => {
    const store = new MemoryEventStore();
    const first = withKkmpAccounts(new LedgerBuilder("kkmp-satu"));
    first.post("2026-01-05", "Simpanan pokok", [debit("1101", "100000.00"), credit("3100", "100000.00")]);
    const second = withKkmpAccounts(new LedgerBuilder("kkmp-dua"));
    second.post("2026-02-05", "Hibah", [debit("1111", "5000000.00"), credit("3400", "5000000.00")]);
    await appendAll(store, first, 0);
    await store.append("other-stream", "no_stream", [
      { eventId: "x-1", type: "Other", data: {}, metadata: {} },
    ]);
    const runner = createProjectionRunner(store);
    const seen: string[] = [];
    runner.onEvent((coopId, event) => {
      if (event.type === "JournalEntryPosted") seen.push(`${coopId}:${event.data.entryId}`);
    });
    await runner.start();
    const appended = await appendAll(store, second, 0);
    await runner.waitForPosition(appended.position, 5_000);
    expect(runner.position()).toBe(appended.position);
    expect([...runner.coopIds()].sort()).toEqual(["kkmp-dua", "kkmp-satu"]);
    expect(trialBalance(modelOf(runner, "kkmp-dua"), "2026-12-31").totals.debit).toBe("5000000.00");
    expect(seen).toEqual(["kkmp-satu:E00001", "kkmp-dua:E00001"]);

    const more = first.events.length;
    first.post("2026-03-01", "Simpanan wajib", [debit("1101", "25000.00"), credit("3200", "25000.00")]);
    const later = await appendAll(store, first, more);
    await runner.waitForPosition(later.position, 5_000);
    const live = trialBalance(modelOf(runner, "kkmp-satu"), "2026-12-31");
    expect(live).toEqual(trialBalance(buildReadModel("kkmp-satu", first.events), "2026-12-31"));

    await runner.rebuild();
    expect(runner.position()).toBe(later.position);
    expect(trialBalance(modelOf(runner, "kkmp-satu"), "2026-12-31")).toEqual(live);
    await runner.stop();
    await expect(runner.waitForPosition(later.position + 10n, 50)).rejects.toThrow(/did not reach/);
    await store.close();
  });
});
