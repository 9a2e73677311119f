import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import {
  createTestPostgresDatabase,
  type EventStore,
  MemoryEventStore,
  openEventStore,
  readModelSnapshotTableFor,
  SqliteEventStore,
} from "../src/index.js";

const directory = mkdtempSync(join(tmpdir(), "bukubesar-snapshot-table-"));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

const tableOf = (store: EventStore) => {
  const table = readModelSnapshotTableFor(store);
  if (table === null) throw new Error("no snapshot table");
  return table;
};

/** What every adapter's snapshot table must do. */
const behaves = (label: string, open: () => Promise<{ store: EventStore; done: () => Promise<void> }>) => {
  it(`${label}: saves, replaces (parts and position together), keeps names apart and removes`, async () => {
    const { store, done } = await open();
    try {
      const table = tableOf(store);
      expect(await table.load("projections")).toBeNull();
      await table.save("projections", 41n, ["a", "b", "c"]);
      await table.save("other", 7n, ["x"]);
      const first = await table.load("projections");
      expect(first?.position).toBe(41n);
      expect(first?.parts).toEqual(["a", "b", "c"]);
      expect(Number.isNaN(Date.parse(first?.savedAt ?? ""))).toBe(false);
      await table.save("projections", 9_007_199_254_740_993n, ["only"]);
      const second = await table.load("projections");
      expect(second?.position).toBe(9_007_199_254_740_993n);
      expect(second?.parts).toEqual(["only"]);
      expect((await table.load("other"))?.parts).toEqual(["x"]);
      await table.remove("projections");
      expect(await table.load("projections")).toBeNull();
      expect(readModelSnapshotTableFor(store)).toBe(table);
    } finally {
      await done();
    }
  });

  it(`${label}: keeps a binary part as bytes beside text parts; a text reader finds it absent`, async () => {
    const { store, done } = await open();
    try {
      const table = tableOf(store);
      const bytes = Uint8Array.from([0, 255, 10, 0, 128, 34, 92]);
      await table.save("cooperative/a", 3n, ['{"format":6}', Buffer.from(bytes), bytes.subarray(1, 3)]);
      const stored = await table.loadParts("cooperative/a");
      expect(stored?.position).toBe(3n);
      expect(stored?.parts[0]).toBe('{"format":6}');
      const [, whole, slice] = stored?.parts ?? [];
      expect(whole).toBeInstanceOf(Uint8Array);
      expect([...(whole as Uint8Array)]).toEqual([...bytes]);
      expect([...(slice as Uint8Array)]).toEqual([255, 10]);
      // A reader of text parts (projections, directory, rules) did not write it: absent, to be rebuilt.
      expect(await table.load("cooperative/a")).toBeNull();
      await table.save("projections", 4n, ["text"]);
      expect((await table.loadParts("projections"))?.parts).toEqual(["text"]);
    } finally {
      await done();
    }
  });
};

describe("read-model snapshot tables", () => {
  behaves("memory", async () => {
    const store = new MemoryEventStore();
    return { store, done: () => store.close() };
  });

  behaves("sqlite", async () => {
    const store = new SqliteEventStore(join(directory, `behaves-${Date.now()}.db`));
    return { store, done: () => store.close() };
  });

  behaves("postgres", async () => {
    const database = await createTestPostgresDatabase("snapshot_table");
    const store = await openEventStore(`${database.url}?schema=ledger_snapshots`);
    return {
      store,
      done: async () => {
        await store.close();
        await database.drop();
      },
    };
  });

  it("sqlite: the snapshot lives in the events' own file and survives a reopen; the file stays a valid store", async () => {
    const path = join(directory, "reopen.db");
    const store = new SqliteEventStore(path);
    await store.append("s-1", "no_stream", [{ eventId: "e-1", type: "A", data: {}, metadata: {} }]);
    await tableOf(store).save("projections", 0n, ["models"]);
    await store.close();
    const raw = new Database(path, { readonly: true });
    const row = raw
      .prepare("SELECT position, part_count FROM read_model_snapshots WHERE name = ?")
      .get("projections");
    raw.close();
    expect(row).toEqual({ position: 0, part_count: 1 });
    const reopened = new SqliteEventStore(path);
    expect((await tableOf(reopened).load("projections"))?.parts).toEqual(["models"]);
    expect(await reopened.headPosition()).toBe(1n);
    await reopened.close();
    await expect(tableOf(reopened).load("projections")).rejects.toThrow(/closed/);
  });

  it("sqlite: a failed save leaves the previous snapshot whole", async () => {
    const store = new SqliteEventStore(join(directory, "failed-save.db"));
    const table = tableOf(store);
    await table.save("projections", 5n, ["one", "two"]);
    // A part that is not a string makes the insert fail half-way through the transaction.
    await expect(table.save("projections", 6n, ["new", null as unknown as string])).rejects.toThrow();
    const kept = await table.load("projections");
    expect(kept?.position).toBe(5n);
    expect(kept?.parts).toEqual(["one", "two"]);
    await store.close();
  });

  it("postgres: a failed save leaves the previous snapshot whole", async () => {
    const database = await createTestPostgresDatabase("snapshot_table_failure");
    const store = await openEventStore(database.url);
    try {
      const table = tableOf(store);
      await table.save("projections", 5n, ["one", "two"]);
      await expect(table.save("projections", 6n, ["new", "bad\u0000byte"])).rejects.toThrow();
      const kept = await table.load("projections");
      expect(kept?.position).toBe(5n);
      expect(kept?.parts).toEqual(["one", "two"]);
    } finally {
      await store.close();
      await database.drop();
    }
  });
});
