/**
 * The change watch on a SQLite store's file: the same count while nothing is committed, a larger one after
 * a commit through the store or through another connection on the file; none for a store that is not SQLite.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { MemoryEventStore, openStoreChangeWatch, SqliteEventStore } from "../src/index.js";

const event = (eventId: string) => [{ eventId, type: "Noted", data: { eventId }, metadata: {} }];

describe("openStoreChangeWatch", () => {
  const directory = mkdtempSync(join(tmpdir(), "change-watch-"));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it("counts the commits of the store and of another connection, and nothing else", async () => {
    const path = join(directory, "watched.db");
    const store = new SqliteEventStore(path);
    const other = new SqliteEventStore(path);
    const watch = openStoreChangeWatch(store);
    try {
      expect(watch).not.toBeNull();
      const first = watch?.changeCount() ?? null;
      expect(first).not.toBeNull();
      await store.readStream("notes-1");
      await store.streamHead?.("notes-1");
      expect(watch?.changeCount()).toBe(first);

      await store.append("notes-1", "any", event("a"));
      const afterOwn = watch?.changeCount() ?? 0;
      expect(afterOwn).toBeGreaterThan(first ?? 0);
      expect(watch?.changeCount()).toBe(afterOwn);

      await other.append("notes-2", "any", event("b"));
      expect(watch?.changeCount() ?? 0).toBeGreaterThan(afterOwn);

      watch?.close();
      expect(watch?.changeCount()).toBeNull();
    } finally {
      watch?.close();
      await other.close();
      await store.close();
    }
  });

  it("watches no store but SQLite's", () => {
    expect(openStoreChangeWatch(new MemoryEventStore())).toBeNull();
  });
});
