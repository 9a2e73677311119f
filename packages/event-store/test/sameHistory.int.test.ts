import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { canonicalJson } from "@bukubesar/ledger-core";
import { afterAll, describe, expect, it } from "vitest";
import {
  createTestPostgresDatabase,
  type EventStore,
  type NewEvent,
  openEventStore,
  type StoredEvent,
} from "../src/index.js";

const directory = mkdtempSync(join(tmpdir(), "bukubesar-same-history-"));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

/** A history with the awkward parts of JSON: unicode, decimals as strings, nesting, nulls, big numbers. */
const history = (): Array<{ stream: string; events: NewEvent[] }> => {
  const appends: Array<{ stream: string; events: NewEvent[] }> = [];
  for (let index = 0; index < 30; index += 1) {
    const stream = `coop-${index % 4}`;
    appends.push({
      stream,
      events: Array.from({ length: 1 + (index % 3) }, (_, line) => ({
        eventId: `event-${index}-${line}`,
        type: line === 0 ? "EntryPosted" : "EntryLineAdded",
        data: {
          amount: `${index}${line}.50`,
          memo: "Simpanan wajib — anggota №7, Rp 1.000.000 ✓",
          nested: { list: [1, 2.5, -3e-7, null, true, { deep: "ü" }], empty: {}, none: null },
          largest: Number.MAX_SAFE_INTEGER,
          zKeyFirst: 1,
          aKeySecond: 2,
        },
        metadata: { actor: "treasurer", correlationId: `c-${index}` },
      })),
    });
  }
  return appends;
};

const write = async (store: EventStore): Promise<readonly StoredEvent[]> => {
  for (const { stream, events } of history()) await store.append(stream, "any", events);
  return store.readAll();
};

/**
 * Positions are each store's own numbering (SQLite counts 1, 2, 3…; PostgreSQL derives them from
 * transaction ids), so an event's place in the global order is compared: its rank in the store's readAll.
 */
const comparable = (events: readonly StoredEvent[], all: readonly StoredEvent[]) =>
  events.map(({ streamId, revision, position, eventId, type, data, metadata }) => ({
    streamId,
    revision,
    rank: all.findIndex((event) => event.position === position),
    eventId,
    type,
    // Compared as the canonical JSON the hash chain is computed over (docs/hash-chain.md): the same
    // values give the same hashes. Key order is not part of it: SQLite stores the canonical form, whose
    // object keys come back sorted.
    data: canonicalJson(data),
    metadata: canonicalJson(metadata),
  }));

describe("the same history through SQLite and PostgreSQL", () => {
  it("reads back identically: streams, revisions, global order, types, data and metadata", async () => {
    const sqlite = await openEventStore(`sqlite:${join(directory, "history.db")}`);
    const database = await createTestPostgresDatabase("same_history");
    const postgres = await openEventStore(database.url);
    try {
      const fromSqlite = await write(sqlite);
      const fromPostgres = await write(postgres);
      expect(fromSqlite.length).toBeGreaterThan(50);
      expect(comparable(fromPostgres, fromPostgres)).toEqual(comparable(fromSqlite, fromSqlite));
      for (const stream of ["coop-0", "coop-3"]) {
        expect(
          comparable(await postgres.readStream(stream, { direction: "backwards" }), fromPostgres),
        ).toEqual(comparable(await sqlite.readStream(stream, { direction: "backwards" }), fromSqlite));
      }
    } finally {
      await sqlite.close();
      await postgres.close();
      await database.drop();
    }
  });
});
