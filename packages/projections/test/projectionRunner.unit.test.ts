import { MemoryEventStore } from "@bukubesar/event-store";
import { MalformedStoredEvent, type RecordedLedgerEvent } from "@bukubesar/ledger-core";
import { describe, expect, it } from "vitest";
import {
  buildReadModel,
  createProjectionRunner,
  MemoryReadModelSnapshotStore,
  type ProjectionRunner,
  trialBalance,
} from "../src/index.js";
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

describe("a stored event that is no ledger event", () => {
  it("stops the runner through onError with MalformedStoredEvent instead of being folded as a ledger event", async () => {
    const store = new MemoryEventStore();
    const ledger = withKkmpAccounts(new LedgerBuilder("kkmp-satu"));
    ledger.post("2026-01-05", "Simpanan pokok", [debit("1101", "100000.00"), credit("3100", "100000.00")]);
    await appendAll(store, ledger, 0);
    const errors: unknown[] = [];
    const runner = createProjectionRunner(store, { onError: (error) => errors.push(error) });
    await runner.start();
    const last = ledger.events.at(-1) as RecordedLedgerEvent;
    const foreign = await store.append("ledger-kkmp-satu", last.revision, [
      { eventId: "x-foreign", type: "LedgerRenamed", data: { name: "lain" }, metadata: last.metadata },
    ]);
    await expect(runner.waitForPosition(foreign.position, 2_000)).rejects.toThrow(MalformedStoredEvent);
    expect(errors).toEqual([expect.any(MalformedStoredEvent)]);
    await runner.stop();
    await store.close();
  });
});

describe("snapshots for a serving process (saveWhileFollowing: false)", () => {
  /** A snapshot store that counts its saves. */
  const countingSnapshots = () => {
    const inner = new MemoryReadModelSnapshotStore();
    const saved: bigint[] = [];
    return {
      saved,
      store: {
        load: () => inner.load(),
        save: async (snapshot: Parameters<MemoryReadModelSnapshotStore["save"]>[0]) => {
          saved.push(snapshot.position);
          await inner.save(snapshot);
        },
      },
    };
  };

  it("saves after a long catch-up and on stop, never while following; a restart resumes from the snapshot", async () => {
    const store = new MemoryEventStore();
    const builder = withKkmpAccounts(new LedgerBuilder("kkmp-snap"));
    for (let day = 1; day <= 9; day++)
      builder.post(`2026-01-0${day}`, "Setoran", [debit("1101", "1000.00"), credit("3100", "1000.00")]);
    await appendAll(store, builder, 0);
    const history = builder.events.length;
    const snapshots = countingSnapshots();
    const options = { snapshots: snapshots.store, snapshotEveryEvents: 3, saveWhileFollowing: false };

    const first = createProjectionRunner(store, options);
    await first.start();
    expect(first.restoredFrom()).toBeNull();
    // One save at the end of the catch-up (it applied at least 3 events), none per 3 events inside it.
    expect(snapshots.saved).toHaveLength(1);
    for (let day = 10; day <= 17; day++)
      builder.post(`2026-01-${day}`, "Setoran", [debit("1101", "1000.00"), credit("3100", "1000.00")]);
    const appended = await appendAll(store, builder, history);
    await first.waitForPosition(appended.position, 2_000);
    // Eight events followed live (more than snapshotEveryEvents): still no save while serving.
    expect(snapshots.saved).toHaveLength(1);
    const before = trialBalance(modelOf(first, "kkmp-snap"), "2026-12-31");
    await first.stop();
    expect(snapshots.saved).toEqual([snapshots.saved[0], appended.position]);

    builder.post("2026-02-01", "Setoran", [debit("1101", "500.00"), credit("3100", "500.00")]);
    const later = await appendAll(store, builder, builder.events.length - 1);
    const applied: bigint[] = [];
    const second = createProjectionRunner(store, options);
    second.onEvent((_coopId, _event, position) => applied.push(position));
    await second.start();
    expect(second.restoredFrom()).toBe(appended.position);
    // Only the event after the snapshot was replayed.
    expect(applied).toEqual([later.position]);
    expect(trialBalance(modelOf(second, "kkmp-snap"), "2026-01-31")).toEqual(
      trialBalance(modelOf(first, "kkmp-snap"), "2026-01-31"),
    );
    expect(trialBalance(modelOf(second, "kkmp-snap"), "2026-12-31")).not.toEqual(before);
    await second.stop();
  });

  it("rebuild({ saveSnapshot: false }) saves nothing until snapshot() is called", async () => {
    const store = new MemoryEventStore();
    const builder = withKkmpAccounts(new LedgerBuilder("kkmp-replay"));
    builder.post("2026-01-05", "Setoran", [debit("1101", "1000.00"), credit("3100", "1000.00")]);
    await appendAll(store, builder, 0);
    const snapshots = countingSnapshots();
    const runner = createProjectionRunner(store, { snapshots: snapshots.store, snapshotEveryEvents: 1 });
    await runner.rebuild({ saveSnapshot: false });
    expect(snapshots.saved).toEqual([]);
    await runner.snapshot();
    expect(snapshots.saved).toEqual([runner.position()]);
  });
});
