import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import {
  isStoreFailureOf,
  type NewEvent,
  openEventStore,
  SQLITE_SCHEMA_VERSION,
  SqliteEventStore,
  type StoredEvent,
  sqlitePathFromUrl,
} from "../src/index.js";

const directory = mkdtempSync(join(tmpdir(), "bukubesar-sqlite-file-"));
afterAll(() => rmSync(directory, { recursive: true, force: true }));
let files = 0;
const freshPath = (): string => {
  files += 1;
  return join(directory, `store-${files}.db`);
};
const event = (id: string, data: unknown = {}): NewEvent => ({ eventId: id, type: "T", data, metadata: {} });

const failureOf = async (promise: Promise<unknown>): Promise<unknown> => {
  return promise.then(
    () => null,
    (error: unknown) => error,
  );
};

describe("SQLite event store file", () => {
  it("resolves relative paths from the working directory, creates parent folders, and uses WAL with FULL sync", async () => {
    const target = join(directory, "deep", "er", "relative.db");
    const url = `sqlite:${relative(process.cwd(), target)}`;
    expect(sqlitePathFromUrl(url)).toBe(target);
    expect(sqlitePathFromUrl(`sqlite://${target}`)).toBe(target);
    const store = await openEventStore(url);
    await store.append("s", "no_stream", [event("e-1")]);
    await store.close();
    const raw = new Database(target, { readonly: true });
    expect(raw.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(raw.pragma("user_version", { simple: true })).toBe(SQLITE_SCHEMA_VERSION);
    raw.close();
  });

  it("gives back every kind of stored id and chain field exactly, by every read (ids and hashes made text by SQLite)", async () => {
    const hash = (digit: string) => digit.repeat(64);
    const written: NewEvent[] = [
      {
        eventId: "0f8fad5b-d9cb-469f-a165-70867728950e",
        type: "A",
        data: { n: 1 },
        metadata: { prevHash: hash("0"), hash: hash("a"), who: "x" },
      },
      {
        eventId: "0F8FAD5B-D9CB-469F-A165-70867728950F",
        type: "B",
        data: { n: 2 },
        metadata: { prevHash: hash("a"), hash: hash("b") },
      },
      { eventId: "order-7", type: "C", data: [1, "two"], metadata: {} },
      // Text ids that look like the selected forms: 32 hex digits, and one starting with the mark.
      { eventId: "0f8fad5bd9cb469fa16570867728950e", type: "C", data: 3, metadata: {} },
      { eventId: ":0f8fad5b-d9cb-469f-a165-70867728950e", type: "C", data: 4, metadata: {} },
      {
        eventId: "ffffffff-0000-4000-8000-00000000000a",
        type: "D",
        data: null,
        metadata: { prevHash: "not hex", hash: hash("c") },
      },
    ];
    const store = new SqliteEventStore(freshPath());
    try {
      await store.append("ledger-k", "no_stream", written.slice(0, 2));
      await store.append("other", "no_stream", written.slice(2));
      const asWritten = (stored: StoredEvent) => ({
        eventId: stored.eventId,
        type: stored.type,
        data: stored.data,
        metadata: stored.metadata,
      });
      const forwards = await store.readStream("ledger-k");
      expect(forwards.map(asWritten)).toEqual(written.slice(0, 2));
      expect((await store.readStream("ledger-k", { direction: "backwards" })).map(asWritten)).toEqual(
        written.slice(0, 2).reverse(),
      );
      expect((await store.readAll()).map(asWritten)).toEqual(written);
      expect((await store.readAll({ streamPrefix: "oth" })).map(asWritten)).toEqual(written.slice(2));
      for (const one of written)
        expect(asWritten((await store.readEventById(one.eventId)) as StoredEvent)).toEqual(one);
      // One append's events share the time they were recorded.
      expect(forwards[1]?.recordedAt).toBe(forwards[0]?.recordedAt);
      expect(Number.isNaN(Date.parse(forwards[0]?.recordedAt ?? ""))).toBe(false);
    } finally {
      await store.close();
    }
  });

  it("refuses a file written by a newer schema", async () => {
    const path = freshPath();
    await new SqliteEventStore(path).close();
    const raw = new Database(path);
    raw.pragma(`user_version = ${SQLITE_SCHEMA_VERSION + 1}`);
    raw.close();
    const refused = await failureOf(openEventStore(`sqlite:${path}`));
    expect(isStoreFailureOf(refused, "SchemaTooNew")).toBe(true);
    expect(isStoreFailureOf(refused, "SchemaTooNew") && refused.error.found).toBe(SQLITE_SCHEMA_VERSION + 1);
  });

  it("writes appends of the same tick in one transaction, and a conflicting one fails alone", async () => {
    const store = new SqliteEventStore(freshPath());
    await store.append("shared", "no_stream", [event("first")]);
    const before = store.statistics;
    const appends = Array.from({ length: 200 }, (_, index) =>
      store.append(`group-${index}`, "no_stream", [event(`group-${index}`)]),
    );
    const conflicting = store.append("shared", "no_stream", [event("conflict")]);
    const results = await Promise.allSettled([...appends, conflicting]);
    const after = store.statistics;
    expect(results.slice(0, 200).every((result) => result.status === "fulfilled")).toBe(true);
    const last = results[200];
    expect(last?.status === "rejected" && isStoreFailureOf(last.reason, "WrongExpectedRevision")).toBe(true);
    expect(after.groups - before.groups).toBe(1);
    expect(after.appends - before.appends).toBe(201);
    expect(await store.readEventById("conflict")).toBeNull();
    await store.close();
  });

  it("is shared safely by two openers of one file (the CLI while the server runs)", async () => {
    const path = freshPath();
    const server = new SqliteEventStore(path);
    const cli = new SqliteEventStore(path);
    const seen: StoredEvent[] = [];
    const subscription = server.subscribeToAll({}, async (stored) => {
      seen.push(stored);
    });
    await cli.append("imported", "no_stream", [event("import-1"), event("import-2")]);
    // The server learns of the other opener's commit by polling.
    const deadline = Date.now() + 5_000;
    while (seen.length < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(seen.map((stored) => stored.eventId)).toEqual(["import-1", "import-2"]);
    const raced = await Promise.allSettled([
      server.append("imported", 1, [event("from-server")]),
      cli.append("imported", 1, [event("from-cli")]),
    ]);
    expect(raced.filter((result) => result.status === "fulfilled")).toHaveLength(1);
    expect(await server.streamRevision("imported")).toBe(2);
    // Event ids are unique across both openers too.
    const reused = await failureOf(server.append("elsewhere", "any", [event("import-1")]));
    expect(isStoreFailureOf(reused, "EventIdReused")).toBe(true);
    await subscription.close();
    await server.close();
    await cli.close();
  });

  it("answers StoreUnavailable when another process holds the write lock past the busy timeout", async () => {
    const path = freshPath();
    const store = new SqliteEventStore(path, { busyTimeoutMs: 100 });
    await store.append("s", "no_stream", [event("before-lock")]);
    const other = new Database(path);
    other.exec("BEGIN IMMEDIATE");
    const busy = await failureOf(store.append("s", 0, [event("while-locked")]));
    expect(isStoreFailureOf(busy, "StoreUnavailable")).toBe(true);
    expect((await store.readStream("s")).map((stored) => stored.eventId)).toEqual(["before-lock"]);
    other.exec("ROLLBACK");
    other.close();
    expect((await store.append("s", 0, [event("after-lock")])).nextExpectedRevision).toBe(1);
    await store.close();
  });

  it("answers StoreUnavailable when the disk is full, keeps what was acknowledged, and keeps reading", async () => {
    const store = new SqliteEventStore(freshPath(), { maxPageCount: 60 });
    const acknowledged: string[] = [];
    let full: unknown = null;
    for (let index = 0; index < 200 && full === null; index += 1) {
      try {
        await store.append("filling", "any", [event(`fill-${index}`, { blob: "x".repeat(8_000) })]);
        acknowledged.push(`fill-${index}`);
      } catch (error) {
        full = error;
      }
    }
    expect(isStoreFailureOf(full, "StoreUnavailable")).toBe(true);
    expect(String((full as Error).message)).toContain("SQLITE_FULL");
    const stored = await store.readStream("filling");
    expect(stored.map((item) => item.eventId)).toEqual(acknowledged);
    await store.close();
  });
});
