/**
 * The cache drops a snapshot that an event could not be applied to, instead of keeping it half changed,
 * and one loaded from the store whose packed entries cannot be built when first used.
 */

import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { deserialize, serialize } from "node:v8";
import {
  type EventStore,
  MemoryEventStore,
  openForeignCommitWatch,
  readModelSnapshotTableFor,
  type SnapshotPart,
  SqliteEventStore,
} from "@bukubesar/event-store";
import { type LedgerEvent, ledgerStreamId } from "@bukubesar/ledger-core";
import { credit, debit, kkmpLedger } from "@bukubesar/ledger-core/testing";
import {
  type CooperativeSnapshotHeader,
  cooperativeSnapshotName,
  encodeCooperativeSnapshot,
  PackedEntriesUnreadable,
  packEntries,
} from "@bukubesar/snapshots";
import { afterAll, describe, expect, it } from "vitest";
import { LedgerCache, type LedgerCacheOptions } from "../src/ledgerCache.js";

const COOP_ID = "kkmp-mangunharjo";
const BUDGET_BYTES = 64 * 1024 * 1024;

const posting = (entryId: string, lines: ReturnType<typeof debit>[]): LedgerEvent => ({
  type: "JournalEntryPosted",
  data: {
    entryId,
    kind: "regular",
    date: "2026-01-15",
    memo: "Kas",
    lines,
    postedBy: "bendahara-1",
    proposedBy: null,
    reverses: null,
  },
});

/** A chain hash of 64 hex digits (the SQLite store keeps only such hashes in its own column). */
const hashAt = (index: number): string => (index + 1).toString(16).padStart(64, "0");

const appendAll = async (store: EventStore, events: readonly LedgerEvent[], first: number) => {
  const result = await store.append(
    ledgerStreamId(COOP_ID),
    "any",
    events.map((event, index) => ({
      eventId: `event-${first + index}`,
      type: event.type,
      data: event.data,
      // The envelope ledger-core's checked decoder asks for; the chain itself is not checked here.
      metadata: {
        eventId: `event-${first + index}`,
        recordedAt: "2026-01-15T01:00:00.000Z",
        prevHash: hashAt(first + index - 1),
        hash: hashAt(first + index),
      },
    })),
  );
  return result;
};

describe("LedgerCache.load", () => {
  it("forgets a snapshot an event could not be applied to, so a second load does not apply it twice", async () => {
    const store = new MemoryEventStore();
    const history = [
      ...kkmpLedger(),
      posting("entry-1", [debit("1101", "100.00"), credit("3200", "100.00")]),
    ];
    await appendAll(store, history, 0);
    const cache = new LedgerCache(store, { budgetBytes: BUDGET_BYTES });
    const good = await cache.load(COOP_ID);
    expect(good.state.accounts.get("1101")?.balance).toBe(10_000n);

    // Its first line applies, its second names an account the ledger does not know.
    const crafted = posting("entry-bad", [debit("1101", "50.00"), credit("9999", "50.00")]);
    await appendAll(store, [crafted], history.length);

    const first = await cache.load(COOP_ID).then(
      () => null,
      (error: unknown) => error,
    );
    expect(first).toBeInstanceOf(Error);
    expect(String(first)).toContain("9999");
    expect(cache.cached(COOP_ID)).toBeUndefined();

    const second = await cache.load(COOP_ID).then(
      () => null,
      (error: unknown) => error,
    );
    expect(String(second)).toBe(String(first));
    expect(cache.cached(COOP_ID)).toBeUndefined();
  });
});

describe("LedgerCache.load of a held cooperative", () => {
  const directory = mkdtempSync(join(tmpdir(), "ledger-cache-"));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it("asks the store only for the stream's head while nobody wrote, and reads what another process wrote", async () => {
    const store = new SqliteEventStore(join(directory, "held.db"));
    const reads = { count: 0 };
    // The same store, with its stream reads counted (every other call goes to it unchanged).
    const counted = new Proxy(store, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver);
        if (property !== "readStream" || typeof value !== "function") return value;
        return (...args: Parameters<EventStore["readStream"]>) => {
          reads.count += 1;
          return target.readStream(...args);
        };
      },
    });
    try {
      const history = [
        ...kkmpLedger(),
        posting("entry-1", [debit("1101", "100.00"), credit("3200", "100.00")]),
      ];
      await appendAll(store, history, 0);
      const cache = new LedgerCache(counted, { budgetBytes: BUDGET_BYTES });
      expect((await cache.load(COOP_ID)).state.accounts.get("1101")?.balance).toBe(10_000n);
      const readsAfterFirstLoad = reads.count;

      expect((await cache.load(COOP_ID)).revision).toBe(history.length - 1);
      expect(reads.count).toBe(readsAfterFirstLoad);

      // Another process posts: the head moved, so the load reads the tail.
      await appendAll(
        store,
        [posting("entry-2", [debit("1101", "50.00"), credit("3200", "50.00")])],
        history.length,
      );
      expect((await cache.load(COOP_ID)).state.accounts.get("1101")?.balance).toBe(15_000n);
      expect(reads.count).toBe(readsAfterFirstLoad + 1);
    } finally {
      await store.close();
    }
  });

  it("finds the held copy diverged when the stream's head carries another hash at the held revision", async () => {
    const path = join(directory, "diverged.db");
    const store = new SqliteEventStore(path);
    const diverged: number[] = [];
    try {
      const history = [
        ...kkmpLedger(),
        posting("entry-1", [debit("1101", "100.00"), credit("3200", "100.00")]),
      ];
      await appendAll(store, history, 0);
      const cache = new LedgerCache(store, {
        budgetBytes: BUDGET_BYTES,
        onDiverged: (_coopId, revision) => diverged.push(revision),
      });
      await cache.load(COOP_ID);
      // As after a failover to a copy where another event took the same revision: same revision, other hash.
      const database = new DatabaseSync(path);
      database
        .prepare("UPDATE events SET hash = ? WHERE position = (SELECT max(position) FROM events)")
        .run(Buffer.from(hashAt(999), "hex"));
      database.close();

      const reloaded = await cache.load(COOP_ID);
      expect(diverged).toEqual([history.length - 1]);
      expect(reloaded.headHash).toBe(hashAt(999));
    } finally {
      await store.close();
    }
  });
});

/** The store with its stream-head probes counted (every other call goes to it unchanged). */
const withCountedProbes = (store: EventStore): { store: EventStore; probes: { count: number } } => {
  const probes = { count: 0 };
  const counted = new Proxy(store, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (property !== "streamHead" || typeof value !== "function") return value;
      return (streamId: string) => {
        probes.count += 1;
        return value.call(target, streamId);
      };
    },
  });
  return { store: counted, probes };
};

const entry = (index: number, amount: string): LedgerEvent =>
  posting(`entry-${index}`, [debit("1101", amount), credit("3200", amount)]);

describe("LedgerCache.load with a watch on other connections' commits to the SQLite file", () => {
  const directory = mkdtempSync(join(tmpdir(), "ledger-cache-watch-"));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  /** A file of its own holding the cooperative's history, its store and the watch on that store. */
  const watchedFile = async (name: string) => {
    const path = join(directory, name);
    const store = new SqliteEventStore(path);
    const watch = openForeignCommitWatch(store);
    const history = [...kkmpLedger(), entry(1, "100.00")];
    await appendAll(store, history, 0);
    return { path, store, watch, history };
  };

  /**
   * A cache over the store with its stream-head probes counted, holding the cooperative after two loads
   * (the second confirms its head), and the probe count then.
   */
  const confirmedCache = async (
    store: SqliteEventStore,
    options: Omit<LedgerCacheOptions, "budgetBytes">,
  ) => {
    const { store: counted, probes } = withCountedProbes(store);
    const cache = new LedgerCache(counted, { budgetBytes: BUDGET_BYTES, ...options });
    await cache.load(COOP_ID);
    await cache.load(COOP_ID);
    return { cache, probes, confirmedAt: probes.count };
  };

  it("asks the store nothing while nothing was committed, and sees at once what another connection committed", async () => {
    const { path, store, watch, history } = await watchedFile("other-connection.db");
    // A second connection on the same file, as another process (the CLI's import, a second service) has.
    const other = new SqliteEventStore(path);
    try {
      const {
        cache,
        probes,
        confirmedAt: probesWhenConfirmed,
      } = await confirmedCache(store, {
        foreignCommits: watch,
      });
      for (let round = 0; round < 5; round++) await cache.load(COOP_ID);
      expect(probes.count).toBe(probesWhenConfirmed);
      expect(cache.loadsWithoutStoreRead()).toBe(5);

      await appendAll(other, [entry(2, "50.00")], history.length);
      const after = await cache.load(COOP_ID);
      expect(after.revision).toBe(history.length);
      expect(after.state.accounts.get("1101")?.balance).toBe(15_000n);
      expect(probes.count).toBe(probesWhenConfirmed + 1);
    } finally {
      await other.close();
      await store.close();
    }
  });

  it("is not misled by this process's commits to other streams, and sees an edit of the held head by another program", async () => {
    const { path, store, watch, history } = await watchedFile("edited.db");
    const diverged: number[] = [];
    try {
      const { cache, probes, confirmedAt } = await confirmedCache(store, {
        foreignCommits: watch,
        onDiverged: (_coopId, revision) => diverged.push(revision),
      });
      // This process's commits to other streams (alerts, principals) change nothing here.
      await store.append("alerts-other", "any", [
        { eventId: "other-1", type: "Other", data: {}, metadata: {} },
      ]);
      await cache.load(COOP_ID);
      expect(probes.count).toBe(confirmedAt);

      // An edit that appends nothing, made by another library's connection (as another program would):
      // same revision, another hash.
      const database = new DatabaseSync(path);
      database
        .prepare(
          "UPDATE events SET hash = ? WHERE stream_id = (SELECT stream_id FROM streams WHERE name = ?) AND revision = ?",
        )
        .run(Buffer.from(hashAt(999), "hex"), ledgerStreamId(COOP_ID), history.length - 1);
      database.close();
      const reloaded = await cache.load(COOP_ID);
      expect(diverged).toEqual([history.length - 1]);
      expect(reloaded.headHash).toBe(hashAt(999));
    } finally {
      await store.close();
    }
  });

  it("asks the store again for a cooperative let go beyond the budget, and sees what was written meanwhile", async () => {
    const { path, store, watch, history } = await watchedFile("evicted.db");
    const other = new SqliteEventStore(path);
    try {
      // Room for one cooperative: loading a second lets the first go.
      const cache = new LedgerCache(store, { budgetBytes: 1, foreignCommits: watch });
      await cache.load(COOP_ID);
      await cache.load(COOP_ID);
      await cache.load("kkmp-other");
      expect(cache.cached(COOP_ID)).toBeUndefined();
      await appendAll(other, [entry(2, "50.00")], history.length);
      const reloaded = await cache.load(COOP_ID);
      expect(reloaded.revision).toBe(history.length);
      expect(reloaded.state.accounts.get("1101")?.balance).toBe(15_000n);
    } finally {
      await other.close();
      await store.close();
    }
  });

  it("sees this process's own appends made through `writing`, and asks the store while one is in flight", async () => {
    const { store, watch, history } = await watchedFile("own-writes.db");
    try {
      const { cache, probes, confirmedAt } = await confirmedCache(store, { foreignCommits: watch });

      // While the append is in flight, a load asks the store; once it is done, the next load reads it.
      const loadedMidway = await cache.writing(COOP_ID, async () => {
        const loaded = (await cache.load(COOP_ID)).revision;
        await appendAll(store, [entry(2, "50.00")], history.length);
        return loaded;
      });
      expect(loadedMidway).toBe(history.length - 1);
      expect(probes.count).toBe(confirmedAt + 1);
      const after = await cache.load(COOP_ID);
      expect(after.revision).toBe(history.length);
      expect(after.state.accounts.get("1101")?.balance).toBe(15_000n);

      // Confirmed again, then nobody writes: asked no more.
      await cache.load(COOP_ID);
      const reconfirmedAt = probes.count;
      await cache.load(COOP_ID);
      expect(probes.count).toBe(reconfirmedAt);

      // An append with no load while it is in flight (the held copy not advanced): the next load reads it.
      await cache.writing(COOP_ID, () => appendAll(store, [entry(3, "25.00")], history.length + 1));
      expect((await cache.load(COOP_ID)).state.accounts.get("1101")?.balance).toBe(17_500n);
    } finally {
      await store.close();
    }
  });
});

/**
 * The stored snapshot of `coopId` with its packed entries text replaced by `text` and its content hash
 * recomputed, as someone with write access to the database could (the hash check then passes).
 */
const withPackedEntries = (parts: readonly SnapshotPart[], text: string): SnapshotPart[] => {
  const header = JSON.parse(parts[0] as string) as CooperativeSnapshotHeader;
  const body = deserialize(Buffer.concat(parts.slice(1) as Uint8Array[])) as object;
  const edited = serialize({ ...body, entries: text });
  const contentSha256 = createHash("sha256")
    .update(`${header.format}\n${header.coopId}\n${header.revision}\n${header.headHash}\n`, "utf8")
    .update(edited)
    .digest("hex");
  return [JSON.stringify({ ...header, contentSha256 }), edited];
};

describe("LedgerCache.load from a snapshot whose packed entries cannot be built", () => {
  const directory = mkdtempSync(join(tmpdir(), "ledger-cache-entries-"));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it.each([
    ["text that is not JSON", (text: string) => text.slice(0, -1)],
    ["rows that do not unpack", () => JSON.stringify({ state: 1, records: [], posted: [] })],
  ])("forgets the cooperative, reports it once and rebuilds it from the log: %s", async (_what, edit) => {
    const store = new SqliteEventStore(join(directory, `${_what.replaceAll(" ", "-")}.db`));
    try {
      await appendAll(
        store,
        [...kkmpLedger(), posting("entry-1", [debit("1101", "100.00"), credit("3200", "100.00")])],
        0,
      );
      const table = readModelSnapshotTableFor(store);
      if (table === null) throw new Error("the SQLite store keeps snapshots");
      const sound = await new LedgerCache(store, { budgetBytes: BUDGET_BYTES }).load(COOP_ID);
      const parts = encodeCooperativeSnapshot(sound);
      const text = JSON.stringify(packEntries(sound.state.entries, sound.entryRecords, sound.model.entries));
      await table.save(
        cooperativeSnapshotName(COOP_ID),
        BigInt(sound.revision),
        withPackedEntries(parts, edit(text)),
      );

      const failures: string[] = [];
      const cache = new LedgerCache(store, {
        budgetBytes: BUDGET_BYTES,
        snapshots: table,
        onIntegrityFailure: (_coopId, reason) => failures.push(reason),
      });
      const loaded = await cache.load(COOP_ID);
      // The hash checks, so the snapshot is used; its entries are only built by the first request needing them.
      expect(cache.usage().fromSnapshot).toBe(1);
      expect(() => loaded.state.entries).toThrow(PackedEntriesUnreadable);
      expect(() => loaded.model.entries).toThrow(PackedEntriesUnreadable);
      expect(failures).toHaveLength(1);
      expect(failures[0]).toContain("packed entries cannot be read");
      expect(cache.cached(COOP_ID)).toBeUndefined();

      const rebuilt = await cache.load(COOP_ID);
      expect(cache.usage()).toMatchObject({ fromSnapshot: 1, fromLog: 1 });
      expect(rebuilt.state.entries.get("entry-1")?.lines[0]?.amount).toBe("100.00");
      expect(rebuilt.model.entries).toHaveLength(1);
      expect(failures).toHaveLength(1);
    } finally {
      await store.close();
    }
  });
});
