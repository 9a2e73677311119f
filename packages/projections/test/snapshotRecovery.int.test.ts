import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  createTestPostgresDatabase,
  type EventStore,
  openEventStore,
  SqliteEventStore,
} from "@bukubesar/event-store";
import { MalformedStoredEvent, type RecordedLedgerEvent } from "@bukubesar/ledger-core";
import { afterAll, describe, expect, it } from "vitest";
import {
  balanceSheet,
  buildReadModel,
  createProjectionRunner,
  generalLedger,
  journal,
  type LedgerReadModel,
  type ProjectionRunner,
  type ReadModelSnapshotStore,
  SNAPSHOT_FORMAT_VERSION,
  shuReport,
  snapshotStoreFor,
  trialBalance,
} from "../src/index.js";
import { kkmpYear } from "./kkmpYear.js";
import { credit, debit, LedgerBuilder, withKkmpAccounts } from "./ledgerBuilder.js";

const directory = mkdtempSync(join(tmpdir(), "bukubesar-snapshot-recovery-"));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

const SNAPSHOT_EVERY = 7;

const toNew = (event: RecordedLedgerEvent) => ({
  eventId: event.metadata.eventId,
  type: event.type,
  data: event.data,
  metadata: event.metadata,
});

const reports = (model: LedgerReadModel | undefined) => {
  if (model === undefined) throw new Error("no model");
  return {
    trialBalance: trialBalance(model, "2027-12-31"),
    june: trialBalance(model, "2026-06-30"),
    balanceSheet: balanceSheet(model, "2026-12-31"),
    journal: journal(model, "2026-01-01", "2027-12-31"),
    ledger: generalLedger(model, "1101", "2026-01-01", "2027-12-31"),
    shu: shuReport(model, 2026),
  };
};

const snapshotsOf = (store: EventStore): ReadModelSnapshotStore => {
  const snapshots = snapshotStoreFor(store);
  if (snapshots === undefined) throw new Error("no snapshot store");
  return snapshots;
};

/** A runner on `store` with its snapshots in the same database, counting the events it replays. */
const startRunner = async (store: EventStore, until: bigint) => {
  const discarded: string[] = [];
  let replayed = 0;
  const runner: ProjectionRunner = createProjectionRunner(store, {
    snapshots: snapshotsOf(store),
    snapshotEveryEvents: SNAPSHOT_EVERY,
    onSnapshotDiscarded: (reason) => discarded.push(reason),
  });
  runner.onEvent(() => {
    replayed++;
  });
  await runner.start();
  await runner.waitForPosition(until, 10_000);
  return { runner, discarded, replayed: () => replayed };
};

/** Kills a runner mid-way, restarts on a fresh connection and compares with a full rebuild. */
const crashAndRestart = async (open: () => Promise<EventStore>) => {
  const { builder } = kkmpYear();
  const stream = `ledger-${builder.coopId}`;
  const expected = reports(buildReadModel(builder.coopId, builder.events));
  const first = await open();
  const half = Math.floor(builder.events.length / 2);
  await first.append(stream, "no_stream", builder.events.slice(0, half).map(toNew));
  const crashed = await startRunner(first, -1n);
  // Live events, one append each: the runner saves a snapshot every SNAPSHOT_EVERY of them.
  let head = -1n;
  for (let index = half; index < builder.events.length; index++) {
    head = (await first.append(stream, index - 1, [toNew(builder.events[index] as RecordedLedgerEvent)]))
      .position;
  }
  await crashed.runner.waitForPosition(head, 10_000);
  expect((builder.events.length - half) % SNAPSHOT_EVERY).not.toBe(0);
  // The "crash": the runner never stops (so never saves on stop); what survives is the last periodic snapshot.
  const survived = await snapshotsOf(first).load();
  expect(survived).not.toBeNull();
  expect(survived?.position).toBeLessThan(head);

  const second = await open();
  const restarted = await startRunner(second, head);
  expect(restarted.discarded).toEqual([]);
  // Only the events after the snapshot were replayed: none twice, none skipped.
  const firstPosition = (await second.readAll({ limit: 1 }))[0]?.position ?? 0n;
  // Positions need not be consecutive (PostgreSQL derives them from transaction ids): count the events.
  const afterSnapshot = (await second.readAll({ after: survived?.position ?? -1n })).length;
  expect(restarted.replayed()).toBe(afterSnapshot);
  expect(afterSnapshot).toBeLessThan(builder.events.length);
  expect(firstPosition).toBeLessThanOrEqual(survived?.position ?? 0n);
  expect(reports(restarted.runner.model(builder.coopId))).toEqual(expected);
  await restarted.runner.stop();
  await crashed.runner.stop();
  // A clean stop saved everything: the next start replays nothing.
  const third = await startRunner(second, head);
  expect(third.replayed()).toBe(0);
  expect(reports(third.runner.model(builder.coopId))).toEqual(expected);
  await third.runner.stop();
  await first.close();
  await second.close();
};

describe("read-model snapshots in the store's own database", () => {
  it("SQLite: a runner killed mid-way restarts from the snapshot in the same file and equals a full rebuild", async () => {
    const path = join(directory, "crash.db");
    await crashAndRestart(async () => new SqliteEventStore(path));
  });

  it("PostgreSQL: the same, with the snapshot in the store's schema", async () => {
    const database = await createTestPostgresDatabase("projection_snapshots");
    try {
      await crashAndRestart(() => openEventStore(`${database.url}?schema=ledger`));
    } finally {
      await database.drop();
    }
  });

  it("a snapshot ahead of the log (a store restored from an older backup) is discarded and the models rebuilt", async () => {
    const { builder } = kkmpYear();
    const stream = `ledger-${builder.coopId}`;
    const half = Math.floor(builder.events.length / 2);
    const current = new SqliteEventStore(join(directory, "current.db"));
    const head = (await current.append(stream, "no_stream", builder.events.map(toNew))).position;
    const full = await startRunner(current, head);
    await full.runner.stop();
    const saved = await snapshotsOf(current).load();
    expect(saved?.position).toBe(head);
    await current.close();
    if (saved === null) throw new Error("no snapshot");

    // The backup holds only the first half of the log, but the newer snapshot was copied with the file.
    const backup = new SqliteEventStore(join(directory, "backup.db"));
    const backupHead = (await backup.append(stream, "no_stream", builder.events.slice(0, half).map(toNew)))
      .position;
    await snapshotsOf(backup).save(saved);
    const restored = await startRunner(backup, backupHead);
    expect(restored.discarded).toHaveLength(1);
    expect(restored.discarded[0]).toMatch(/no event at the snapshot's position/);
    expect(restored.replayed()).toBe(half);
    expect(reports(restored.runner.model(builder.coopId))).toEqual(
      reports(buildReadModel(builder.coopId, builder.events.slice(0, half))),
    );
    await restored.runner.stop();

    // Later the restored store grows past the old position with OTHER events: still not the snapshot's log.
    await snapshotsOf(backup).save(saved);
    const other = withKkmpAccounts(new LedgerBuilder("kkmp-lain"));
    for (let day = 10; other.events.length < builder.events.length; day = day === 28 ? 10 : day + 1) {
      other.post(`2026-02-${day}`, "Penjualan", [debit("1101", "1000.00"), credit("4101", "1000.00")]);
    }
    const grown = (await backup.append("ledger-kkmp-lain", "no_stream", other.events.map(toNew))).position;
    expect(grown).toBeGreaterThanOrEqual(head);
    const again = await startRunner(backup, grown);
    expect(again.discarded[0]).toMatch(/the snapshot was built on/);
    expect(reports(again.runner.model(builder.coopId))).toEqual(
      reports(buildReadModel(builder.coopId, builder.events.slice(0, half))),
    );
    expect(trialBalance(again.runner.model("kkmp-lain") as LedgerReadModel, "2026-12-31")).toEqual(
      trialBalance(buildReadModel("kkmp-lain", other.events), "2026-12-31"),
    );
    await again.runner.stop();
    await backup.close();
  });

  it("a damaged snapshot or one of another format version is discarded and the models rebuilt", async () => {
    const { builder } = kkmpYear();
    const store = new SqliteEventStore(join(directory, "damaged.db"));
    const head = (await store.append(`ledger-${builder.coopId}`, "no_stream", builder.events.map(toNew)))
      .position;
    const expected = reports(buildReadModel(builder.coopId, builder.events));
    for (const [parts, reason] of [
      [["{not json"], /cannot be read/],
      [[JSON.stringify({ version: 1, models: [] })], /another format version/],
      [
        [
          JSON.stringify({
            version: SNAPSHOT_FORMAT_VERSION,
            position: String(head),
            eventId: null,
            models: [],
          }),
          "[1,",
        ],
        /cannot be read/,
      ],
    ] as const) {
      await snapshotsOf(store).save({ position: head, parts });
      const runner = await startRunner(store, head);
      expect(runner.discarded).toHaveLength(1);
      expect(runner.discarded[0]).toMatch(reason);
      expect(runner.replayed()).toBe(builder.events.length);
      expect(reports(runner.runner.model(builder.coopId))).toEqual(expected);
      await runner.runner.stop();
    }
    await store.close();
  });
  it("a rebuild without listeners (read as a fold reads the log) saves a snapshot a restart uses, and stops at a foreign event", async () => {
    const { builder } = kkmpYear();
    const stream = `ledger-${builder.coopId}`;
    const store = new SqliteEventStore(join(directory, "fold.db"));
    const other = withKkmpAccounts(new LedgerBuilder("kkmp-lain"));
    other.post("2026-02-10", "Penjualan", [debit("1101", "1000.00"), credit("4101", "1000.00")]);
    await store.append(stream, "no_stream", builder.events.slice(0, 20).map(toNew));
    await store.append("ledger-kkmp-lain", "no_stream", other.events.map(toNew));
    const head = (await store.append(stream, 19, builder.events.slice(20).map(toNew))).position;
    const rebuilt = createProjectionRunner(store, { snapshots: snapshotsOf(store) });
    await rebuilt.rebuild();
    expect(rebuilt.position()).toBe(head);
    expect(reports(rebuilt.model(builder.coopId))).toEqual(
      reports(buildReadModel(builder.coopId, builder.events)),
    );
    // The snapshot names the id of the event at its position, looked up after the fold read, so a restart
    // takes it instead of discarding it and replays nothing.
    const restarted = await startRunner(store, head);
    expect(restarted.discarded).toEqual([]);
    expect(restarted.runner.restoredFrom()).toBe(head);
    expect(restarted.replayed()).toBe(0);
    expect(reports(restarted.runner.model(builder.coopId))).toEqual(
      reports(buildReadModel(builder.coopId, builder.events)),
    );
    await restarted.runner.stop();

    const last = builder.events.at(-1) as RecordedLedgerEvent;
    await store.append(stream, last.revision, [
      { eventId: "x-foreign", type: "LedgerRenamed", data: { name: "lain" }, metadata: last.metadata },
    ]);
    const errors: unknown[] = [];
    const failed: string[] = [];
    const stopping = createProjectionRunner(store, {
      onError: (error, stored) => {
        errors.push(error);
        failed.push(stored.eventId);
      },
    });
    await stopping.rebuild();
    expect(errors).toEqual([expect.any(MalformedStoredEvent)]);
    expect(failed).toEqual(["x-foreign"]);
    expect(stopping.position()).toBe(head);
    await store.close();
  });
});
