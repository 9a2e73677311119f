/**
 * The watch on other connections' commits to a SQLite store's file: the same count while only the store
 * itself commits, a larger one after another connection's commit, none once the store is closed or for a
 * store that is not SQLite.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { MemoryEventStore, openForeignCommitWatch, SqliteEventStore } from "../src/index.js";

const event = (eventId: string) => [{ eventId, type: "Noted", data: { eventId }, metadata: {} }];

describe("openForeignCommitWatch", () => {
  const directory = mkdtempSync(join(tmpdir(), "foreign-commits-"));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it("counts another connection's commits and not the store's own", async () => {
    const path = join(directory, "watched.db");
    const store = new SqliteEventStore(path);
    const other = new SqliteEventStore(path);
    const watch = openForeignCommitWatch(store);
    try {
      const first = watch?.count() ?? null;
      expect(first).not.toBeNull();
      await store.append("notes-1", "any", event("a"));
      await store.readStream("notes-1");
      expect(watch?.count()).toBe(first);

      await other.append("notes-2", "any", event("b"));
      const afterOther = watch?.count() ?? 0;
      expect(afterOther).toBeGreaterThan(first ?? 0);
      expect(watch?.count()).toBe(afterOther);

      await store.close();
      expect(watch?.count()).toBeNull();
    } finally {
      await other.close();
      await store.close();
    }
  });

  it("watches no store but SQLite's", () => {
    expect(openForeignCommitWatch(new MemoryEventStore())).toBeNull();
  });
});
