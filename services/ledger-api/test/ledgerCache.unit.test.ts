/** The cache drops a snapshot that an event could not be applied to, instead of keeping it half changed. */

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { type EventStore, MemoryEventStore, SqliteEventStore } from "@bukubesar/event-store";
import { type LedgerEvent, ledgerStreamId } from "@bukubesar/ledger-core";
import { credit, debit, kkmpLedger } from "@bukubesar/ledger-core/testing";
import { afterAll, describe, expect, it } from "vitest";
import { LedgerCache } from "../src/ledgerCache.js";

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
