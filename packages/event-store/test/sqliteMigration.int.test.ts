import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { canonicalJson, GENESIS_PREV_HASH, hashEvent } from "@bukubesar/ledger-core";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { SQLITE_SCHEMA_VERSION, SqliteEventStore, type StoredEvent } from "../src/index.js";

const directory = mkdtempSync(join(tmpdir(), "bukubesar-sqlite-migration-"));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

/** A fresh copy of the store written by schema version 1 (fixtures/README.md). */
const copyOfVersionOneStore = (name: string): string => {
  const file = join(directory, name);
  writeFileSync(file, gunzipSync(readFileSync(new URL("./fixtures/store-v1.db.gz", import.meta.url))));
  return file;
};

interface VersionOneRow {
  readonly position: number;
  readonly name: string;
  readonly revision: number;
  readonly event_id: string;
  readonly type: string;
  readonly data: string;
  readonly metadata: string;
  readonly recorded_at: string;
}

const readVersionOneRows = (file: string): VersionOneRow[] => {
  const database = new Database(file, { readonly: true });
  try {
    expect(database.pragma("user_version", { simple: true })).toBe(1);
    return database
      .prepare(
        "SELECT e.position, s.name, e.revision, e.event_id, e.type, e.data, e.metadata, e.recorded_at FROM events e JOIN streams s ON s.stream_id = e.stream_id ORDER BY e.position",
      )
      .all() as VersionOneRow[];
  } finally {
    database.close();
  }
};

/** Recomputes every ledger chain from the events as read; returns the head hash of each stream. */
const recomputedHeads = (events: readonly StoredEvent[]): Map<string, string> => {
  const heads = new Map<string, string>();
  for (const event of events) {
    if (!event.streamId.startsWith("ledger-")) continue;
    const metadata = event.metadata as Record<string, unknown>;
    const previous = heads.get(event.streamId) ?? GENESIS_PREV_HASH;
    expect(metadata.prevHash).toBe(previous);
    const hash = hashEvent(previous, {
      type: event.type,
      revision: event.revision,
      data: event.data,
      meta: { ...metadata, prevHash: undefined, hash: undefined },
    });
    expect(hash).toBe(metadata.hash);
    heads.set(event.streamId, hash);
  }
  return heads;
};

describe("migrating a SQLite store written by schema version 1", () => {
  it("reads back every event with the same values, and every chain hash is unchanged", async () => {
    const file = copyOfVersionOneStore("values.db");
    const before = readVersionOneRows(file);
    expect(before.length).toBeGreaterThan(1_500);
    const store = new SqliteEventStore(file);
    try {
      const after = await store.readAll();
      expect(after.length).toBe(before.length);
      after.forEach((event, index) => {
        const row = before[index] as VersionOneRow;
        expect({
          position: event.position,
          streamId: event.streamId,
          revision: event.revision,
          eventId: event.eventId,
          type: event.type,
          data: canonicalJson(event.data),
          metadata: canonicalJson(event.metadata),
          recordedAt: event.recordedAt,
        }).toEqual({
          position: BigInt(row.position),
          streamId: row.name,
          revision: row.revision,
          eventId: row.event_id,
          type: row.type,
          data: canonicalJson(JSON.parse(row.data)),
          metadata: canonicalJson(JSON.parse(row.metadata)),
          recordedAt: row.recorded_at,
        });
      });
      const storedHeads = new Map<string, string>();
      for (const row of before) {
        if (row.name.startsWith("ledger-")) storedHeads.set(row.name, JSON.parse(row.metadata).hash);
      }
      expect(recomputedHeads(after)).toEqual(storedHeads);
      expect(storedHeads.size).toBe(2);
      const byId = await store.readEventById(before[before.length - 1]?.event_id as string);
      expect(byId?.position).toBe(BigInt(before[before.length - 1]?.position as number));
    } finally {
      await store.close();
    }
    const database = new Database(file, { readonly: true });
    expect(database.pragma("user_version", { simple: true })).toBe(SQLITE_SCHEMA_VERSION);
    database.close();
  });

  it("keeps appending after the migration: revisions, positions, retries and reused ids as before", async () => {
    const file = copyOfVersionOneStore("append.db");
    const before = readVersionOneRows(file);
    const last = before.filter((row) => row.name === "ledger-kkmp-uji").at(-1) as VersionOneRow;
    const store = new SqliteEventStore(file);
    try {
      const event = {
        eventId: "00000000-0000-4000-8000-000000000001",
        type: "Note",
        data: { b: 1, a: [2] },
        metadata: { x: "é" },
      };
      const appended = await store.append("ledger-kkmp-uji", last.revision, [event]);
      expect(appended.nextExpectedRevision).toBe(last.revision + 1);
      expect(appended.position).toBe(BigInt((before.at(-1) as VersionOneRow).position + 1));
      const retried = await store.append("ledger-kkmp-uji", last.revision, [event]);
      expect(retried.alreadyStored).toBe(true);
      // An id stored by version 1 is still recognised as taken.
      await expect(
        store.append("other", "any", [{ ...event, eventId: last.event_id }]),
      ).rejects.toMatchObject({ error: { _tag: "EventIdReused" } });
      const read = await store.readStream("ledger-kkmp-uji", { direction: "backwards", limit: 1 });
      expect(read[0]).toMatchObject({ eventId: event.eventId, data: { a: [2], b: 1 }, metadata: { x: "é" } });
    } finally {
      await store.close();
    }
  });

  it("leaves the same tables as a new file, which is created at the latest version directly", async () => {
    const migrated = copyOfVersionOneStore("shape.db");
    await new SqliteEventStore(migrated).close();
    const fresh = join(directory, "fresh.db");
    await new SqliteEventStore(fresh).close();
    const shape = (file: string) => {
      const database = new Database(file, { readonly: true });
      try {
        return {
          version: database.pragma("user_version", { simple: true }),
          events: database.pragma("table_info(events)"),
          streams: database.pragma("table_info(streams)"),
          indexes: (database.pragma("index_list(events)") as { unique: number }[]).map(
            (index) => index.unique,
          ),
          free: database.pragma("freelist_count", { simple: true }),
        };
      } finally {
        database.close();
      }
    };
    const freshShape = shape(fresh);
    expect(freshShape.free).toBe(0);
    expect({ ...shape(migrated), free: 0 }).toEqual(freshShape);
  });
});
