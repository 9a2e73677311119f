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

/** A fresh copy of the store written by schema version 2 (fixtures/README.md). */
const copyOfVersionTwoStore = (name: string): string => {
  const file = join(directory, name);
  writeFileSync(file, gunzipSync(readFileSync(new URL("./fixtures/store-v2.db.gz", import.meta.url))));
  return file;
};

/** A version-2 row: the canonical texts the chain hashes were computed over, the hashes as hex. */
interface VersionTwoRow {
  readonly position: number;
  readonly name: string;
  readonly revision: number;
  readonly type: string;
  readonly data: string;
  readonly metadata: string;
  readonly prevHash: string | null;
  readonly hash: string | null;
}

const readVersionTwoRows = (file: string): VersionTwoRow[] => {
  const database = new Database(file, { readonly: true });
  try {
    expect(database.pragma("user_version", { simple: true })).toBe(2);
    return database
      .prepare(
        "SELECT e.position, s.name, e.revision, e.type, e.data, e.metadata, lower(hex(e.prev_hash)) AS prevHash, lower(hex(e.hash)) AS hash FROM events e JOIN streams s ON s.stream_id = e.stream_id ORDER BY e.position",
      )
      .all()
      .map((row) => {
        const typed = row as VersionTwoRow;
        return { ...typed, prevHash: typed.prevHash || null, hash: typed.hash || null };
      });
  } finally {
    database.close();
  }
};

describe("migrating a SQLite store written by schema version 2", () => {
  it("gives back every stored text byte for byte and every value, so every head hash is unchanged", async () => {
    const file = copyOfVersionTwoStore("v2-values.db");
    const before = readVersionTwoRows(file);
    expect(before.length).toBeGreaterThan(1_500);
    expect(before.filter((row) => row.name === "fixture-shapes").length).toBe(11);
    const store = new SqliteEventStore(file);
    try {
      const encoded = store.readEncodedAll(-1n, "", before.length + 1);
      expect(
        encoded.map(
          ([position, name, revision, type, data, metadata, prevHash, hash, dataShape, metadataShape]) => ({
            position,
            name,
            revision,
            type,
            data: store.canonicalText(dataShape, data),
            metadata: store.canonicalText(metadataShape, metadata),
            prevHash,
            hash,
          }),
        ),
      ).toEqual(before);
      const after = await store.readAll();
      expect(after.length).toBe(before.length);
      after.forEach((event, index) => {
        const row = before[index] as VersionTwoRow;
        expect(event.data).toEqual(JSON.parse(row.data));
        const chain = row.hash === null ? {} : { prevHash: row.prevHash, hash: row.hash };
        expect(event.metadata).toEqual({ ...JSON.parse(row.metadata), ...chain });
      });
      const storedHeads = new Map<string, string>();
      for (const row of before)
        if (row.name.startsWith("ledger-") && row.hash !== null) storedHeads.set(row.name, row.hash);
      expect(storedHeads.size).toBe(2);
      expect(recomputedHeads(after)).toEqual(storedHeads);
      // Ids stored as 16 bytes (UUIDs) and as text both come back as written.
      expect(
        after.filter((event) => event.streamId === "fixture-shapes").map((event) => event.eventId),
      ).toEqual(
        Array.from({ length: 11 }, (_, index) =>
          index % 2 === 0
            ? `00000000-0000-4000-8000-${String(index + 1).padStart(12, "0")}`
            : `fixture-shapes-${index}`,
        ),
      );
      const stream = store.readEncodedStream("fixture-shapes", 0, 100);
      expect(stream.map((row) => store.canonicalText(row[8], row[4]))).toEqual(
        before.filter((row) => row.name === "fixture-shapes").map((row) => row.data),
      );
    } finally {
      await store.close();
    }
    const database = new Database(file, { readonly: true });
    try {
      expect(database.pragma("user_version", { simple: true })).toBe(SQLITE_SCHEMA_VERSION);
      const { raw, total } = database
        .prepare("SELECT sum(data_shape = 0) AS raw, count(*) AS total FROM events")
        .get() as { raw: number; total: number };
      // Only scalars and values whose text would not come back exactly stay raw.
      expect(raw).toBeLessThan(total / 20);
      const fixtureRaw = database
        .prepare(
          "SELECT e.revision FROM events e JOIN streams s ON s.stream_id = e.stream_id WHERE s.name = 'fixture-shapes' AND e.data_shape = 0 ORDER BY e.revision",
        )
        .pluck()
        .all();
      // The three scalars (42, "text", null); every object and array of the fixture has a shape.
      expect(fixtureRaw).toEqual([6, 7, 8]);
    } finally {
      database.close();
    }
  });

  it("keeps raw, and gives back byte for byte, an edited text whose keys are out of order or repeated", async () => {
    const file = copyOfVersionTwoStore("v2-edited-keys.db");
    // Before, these were split into a shape whose keys read back sorted, so the first came back as
    // {"amount":"9.00","memo":"1.00"} and the second as {"a":1}.
    const edited = ['{"memo":"9.00","amount":"1.00"}', '{"a":1,"a":2}'];
    const database = new Database(file);
    const update = database.prepare(
      "UPDATE events SET data = ? WHERE revision = ? AND stream_id = (SELECT stream_id FROM streams WHERE name = 'fixture-shapes')",
    );
    edited.forEach((text, revision) => {
      update.run(text, revision);
    });
    database.close();
    const store = new SqliteEventStore(file);
    try {
      const rows = store.readEncodedStream("fixture-shapes", 0, edited.length);
      expect(rows.map((row) => store.canonicalText(row[8], row[4]))).toEqual(edited);
      const events = await store.readStream("fixture-shapes", { limit: edited.length });
      expect(events.map((event) => event.data)).toEqual(edited.map((text) => JSON.parse(text)));
    } finally {
      await store.close();
    }
    const migrated = new Database(file, { readonly: true });
    try {
      const shapes = migrated
        .prepare(
          "SELECT e.data_shape FROM events e JOIN streams s ON s.stream_id = e.stream_id WHERE s.name = 'fixture-shapes' AND e.revision < 2 ORDER BY e.revision",
        )
        .pluck()
        .all();
      expect(shapes).toEqual([0, 0]);
    } finally {
      migrated.close();
    }
  });

  it("takes the same appends after the migration and is smaller than before", async () => {
    const file = copyOfVersionTwoStore("v2-append.db");
    const pageBytes = (path: string) => {
      const database = new Database(path, { readonly: true });
      try {
        const pages = database.pragma("page_count", { simple: true }) as number;
        const free = database.pragma("freelist_count", { simple: true }) as number;
        return (pages - free) * (database.pragma("page_size", { simple: true }) as number);
      } finally {
        database.close();
      }
    };
    const bytesBefore = pageBytes(file);
    const store = new SqliteEventStore(file);
    try {
      const event = {
        eventId: "00000000-0000-4000-8000-00000000abcd",
        type: "FixtureValue",
        data: { lines: [{ account: "1101", amount: "1.00" }], memo: "sesudah" },
        metadata: { index: 99, note: null },
      };
      const appended = await store.append("fixture-shapes", 10, [event]);
      expect(appended.nextExpectedRevision).toBe(11);
      expect((await store.append("fixture-shapes", 10, [event])).alreadyStored).toBe(true);
      await expect(
        store.append("fixture-shapes", 11, [{ ...event, data: { ...event.data, memo: "lain" } }]),
      ).rejects.toMatchObject({ error: { _tag: "EventIdReused" } });
      const [read] = await store.readStream("fixture-shapes", { fromRevision: 11 });
      expect(read).toMatchObject({ eventId: event.eventId, data: event.data, metadata: event.metadata });
    } finally {
      await store.close();
    }
    const database = new Database(file);
    database.exec("VACUUM");
    database.close();
    expect(pageBytes(file)).toBeLessThan(bytesBefore * 0.8);
  });
});
