import {
  type BaseMetadata,
  entryIdFor,
  eventIdFor,
  GENESIS_PREV_HASH,
  ledgerStreamId,
  MalformedStoredEvent,
  recordedLedgerEventOf,
  verifyChain,
} from "@bukubesar/ledger-core";
import { kkmpLedger } from "@bukubesar/ledger-core/testing";
import { describe, expect, it } from "vitest";
import {
  appendToLedger,
  keyedRequestMatch,
  type LedgerHead,
  lookUpKeyedRequest,
  MemoryEventStore,
} from "../src/index.js";

/**
 * The ledger's one write path, which the API's command handler and the CLI's import share: each store
 * answer comes back as a tagged outcome, and a keyed request is found again by its derived ids.
 */

const COOP = "kkmp-satu-jalan";
const GENESIS: LedgerHead = { revision: -1, headHash: GENESIS_PREV_HASH };

const metadataFor =
  (baseId: string, requestHash: string | null) =>
  (index: number): BaseMetadata => ({
    eventId: eventIdFor(baseId, index),
    principalId: "bendahara",
    role: "treasurer",
    recordedAt: "2026-03-02T03:00:00.000Z",
    idempotencyKey: requestHash === null ? null : "kunci",
    requestHash,
    correlationId: null,
  });

const opening = kkmpLedger().slice(0, 3);

describe("appendToLedger", () => {
  it("chains and appends decided events, and the stream verifies", async () => {
    const store = new MemoryEventStore();
    const outcome = await appendToLedger(store, COOP, GENESIS, opening, metadataFor("base-1", null));
    expect(outcome.kind).toBe("appended");
    const stored = (await store.readStream(ledgerStreamId(COOP))).map(recordedLedgerEventOf);
    expect(stored.map((event) => event.type)).toEqual(opening.map((event) => event.type));
    expect(verifyChain(stored).ok).toBe(true);
  });

  it("says conflict when another writer moved the stream after the head it was decided on", async () => {
    const store = new MemoryEventStore();
    await appendToLedger(store, COOP, GENESIS, opening, metadataFor("base-1", null));
    const stale = await appendToLedger(store, COOP, GENESIS, opening, metadataFor("base-2", null));
    expect(stale).toEqual({ kind: "conflict" });
  });

  it("says already_stored when the same ids are appended again (a retry racing its original)", async () => {
    const store = new MemoryEventStore();
    await appendToLedger(store, COOP, GENESIS, opening, metadataFor("base-1", null));
    const again = await appendToLedger(store, COOP, GENESIS, opening, metadataFor("base-1", null));
    expect(again).toEqual({ kind: "already_stored" });
    expect(await store.readStream(ledgerStreamId(COOP))).toHaveLength(opening.length);
  });
});

describe("lookUpKeyedRequest", () => {
  it("tells a request never recorded, a replay of the same request and a key reused for another", async () => {
    const store = new MemoryEventStore();
    const baseId = entryIdFor(COOP, "cooperatives", "kunci");
    expect(await lookUpKeyedRequest(store, baseId, "hash-a")).toEqual({ kind: "not_recorded" });
    await appendToLedger(store, COOP, GENESIS, opening, metadataFor(baseId, "hash-a"));
    const replay = await lookUpKeyedRequest(store, baseId, "hash-a");
    expect(replay.kind === "replay" && replay.events.map((event) => event.revision)).toEqual([0, 1, 2]);
    expect(await lookUpKeyedRequest(store, baseId, "hash-b")).toEqual({ kind: "id_reused" });
    expect(keyedRequestMatch("hash-a", "hash-a")).toBe("replay");
    expect(keyedRequestMatch(null, "hash-a")).toBe("id_reused");
  });
});

describe("recordedLedgerEventOf", () => {
  it("refuses a stored event that is not a ledger event instead of casting it", async () => {
    // Before: the readers cast whatever the store returned, so an event of a foreign type was folded as
    // a ledger event and silently ignored.
    const store = new MemoryEventStore();
    await store.append(ledgerStreamId(COOP), "no_stream", [
      { eventId: eventIdFor("foreign", 0), type: "SomethingElse", data: {}, metadata: {} },
    ]);
    const [stored] = await store.readStream(ledgerStreamId(COOP));
    expect(() => recordedLedgerEventOf(stored as NonNullable<typeof stored>)).toThrow(MalformedStoredEvent);
    expect(() =>
      recordedLedgerEventOf({ type: "AccountClosed", data: { code: "1101" }, revision: 1, metadata: {} }),
    ).toThrow(/no event id/);
  });
});
