import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EVENT_SIZE_MAX_BYTES } from "./eventSize.js";
import type { EventStore, NewEvent, StoredEvent } from "./port.js";
import { isStoreFailure, isStoreFailureOf } from "./storeFailure.js";
import { readAllData, readStreamData, streamHead } from "./streamData.js";

/** Concurrent appenders racing for the same revisions of one stream. */
const CONCURRENT_APPENDERS = 50;
/** How long a conformance test waits for a subscription to deliver what it expects. */
const SUBSCRIPTION_WAIT_MS = 15_000;

const newEvent = (type: string, data: unknown, eventId: string = randomUUID()): NewEvent => {
  return { eventId, type, data, metadata: { causationId: eventId, note: "conformance" } };
};

/** The element at `index`, failing the test when it is missing. */
const item = <T>(items: readonly T[], index: number): T => {
  const found = items[index];
  if (found === undefined) throw new Error(`expected an element at index ${index} of ${items.length}`);
  return found;
};

const captureFailure = async (promise: Promise<unknown>): Promise<unknown> => {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the store to refuse the operation");
};

const waitFor = async (condition: () => boolean, what: string): Promise<void> => {
  const deadline = Date.now() + SUBSCRIPTION_WAIT_MS;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

/**
 * The behaviour every EventStore adapter must show, as vitest blocks. `open` gives a store (called once
 * per suite); `cleanup` runs after it is closed (drop the database, delete the file). Every test writes to
 * streams under its own random prefix, so the suite needs no empty store and can share one.
 */
export const eventStoreConformance = (
  name: string,
  open: () => Promise<EventStore>,
  cleanup?: () => Promise<void>,
): void => {
  describe(`EventStore conformance: ${name}`, () => {
    let store: EventStore;
    const prefix = (): string => `conf-${randomUUID().slice(0, 8)}-`;

    beforeAll(async () => {
      store = await open();
    });
    afterAll(async () => {
      await store?.close();
      await cleanup?.();
    });

    describe("expected revision", () => {
      it("appends to a new stream with no_stream and numbers revisions from 0", async () => {
        const stream = `${prefix()}a`;
        const events = [newEvent("Opened", { n: 1 }), newEvent("Deposited", { n: 2, amount: "10.50" })];
        const result = await store.append(stream, "no_stream", events);
        expect(result.nextExpectedRevision).toBe(1);
        const read = await store.readStream(stream);
        expect(read.map((event) => [event.revision, event.type, event.data, event.eventId])).toEqual([
          [0, "Opened", { n: 1 }, events[0]?.eventId],
          [1, "Deposited", { n: 2, amount: "10.50" }, events[1]?.eventId],
        ]);
        expect(read[0]?.metadata).toEqual(events[0]?.metadata);
        expect(read[1]?.position).toBe(result.position);
        expect(item(read, 0).position < item(read, 1).position).toBe(true);
        expect(read[0]?.streamId).toBe(stream);
        expect(new Date(item(read, 0).recordedAt).toISOString()).toBe(read[0]?.recordedAt);
        expect(await store.streamRevision(stream)).toBe(1);
      });

      it("an empty append checks the revision, writes nothing and answers a position where an event is", async () => {
        const stream = `${prefix()}a`;
        const appended = await store.append(stream, "no_stream", [newEvent("A", {})]);
        const empty = await store.append(stream, 0, []);
        expect(empty.nextExpectedRevision).toBe(0);
        expect(empty.alreadyStored).toBe(false);
        expect(empty.position >= appended.position).toBe(true);
        const [atPosition] = await store.readAll({ after: empty.position - 1n, limit: 1 });
        expect(atPosition?.position).toBe(empty.position);
        expect(await store.readStream(stream)).toHaveLength(1);
        const refused = await captureFailure(store.append(stream, 5, []));
        expect(isStoreFailureOf(refused, "WrongExpectedRevision")).toBe(true);
      });

      it("refuses no_stream when the stream exists", async () => {
        const stream = `${prefix()}a`;
        await store.append(stream, "no_stream", [newEvent("A", {}), newEvent("B", {})]);
        const failure = await captureFailure(store.append(stream, "no_stream", [newEvent("C", {})]));
        expect(isStoreFailureOf(failure, "WrongExpectedRevision")).toBe(true);
        expect(isStoreFailure(failure) && failure.error).toMatchObject({
          _tag: "WrongExpectedRevision",
          streamId: stream,
          expected: "no_stream",
          actual: 1,
        });
        expect(await store.readStream(stream)).toHaveLength(2);
      });

      it("refuses an exact revision that is not the stream's last one, and one on a missing stream", async () => {
        const stream = `${prefix()}a`;
        await store.append(stream, "no_stream", [newEvent("A", {})]);
        const stale = await captureFailure(store.append(stream, 5, [newEvent("B", {})]));
        expect(isStoreFailure(stale) && stale.error).toMatchObject({
          _tag: "WrongExpectedRevision",
          expected: 5,
          actual: 0,
        });
        const missing = await captureFailure(store.append(`${prefix()}missing`, 0, [newEvent("B", {})]));
        expect(isStoreFailure(missing) && missing.error).toMatchObject({
          _tag: "WrongExpectedRevision",
          expected: 0,
          actual: "no_stream",
        });
        expect(await store.streamRevision(stream)).toBe(0);
      });

      it("appends with the exact last revision and with any", async () => {
        const stream = `${prefix()}a`;
        await store.append(stream, "no_stream", [newEvent("A", {})]);
        expect((await store.append(stream, 0, [newEvent("B", {})])).nextExpectedRevision).toBe(1);
        expect((await store.append(stream, "any", [newEvent("C", {})])).nextExpectedRevision).toBe(2);
        const fresh = `${prefix()}b`;
        expect((await store.append(fresh, "any", [newEvent("A", {})])).nextExpectedRevision).toBe(0);
        expect(await store.streamRevision(`${prefix()}none`)).toBe("no_stream");
      });
    });

    describe("idempotent append", () => {
      it("returns the original result for the same ids and content and writes nothing", async () => {
        const stream = `${prefix()}a`;
        await store.append(stream, "no_stream", [newEvent("A", {})]);
        const events = [newEvent("B", { x: 1, y: [1, 2] }), newEvent("C", { z: "s" })];
        const first = await store.append(stream, 0, events);
        const head = await store.headPosition();
        // A retry after a lost acknowledgement carries the same expected revision, now stale.
        const again = await store.append(stream, 0, events);
        expect(first.alreadyStored).toBe(false);
        expect(again).toEqual({ ...first, alreadyStored: true });
        const withAny = await store.append(stream, "any", events);
        expect(withAny).toEqual({ ...first, alreadyStored: true });
        expect(await store.readStream(stream)).toHaveLength(3);
        expect(await store.headPosition()).toBe(head);
      });

      it("refuses the same event id with other content, in another stream, or twice in one append", async () => {
        const stream = `${prefix()}a`;
        const original = newEvent("A", { amount: "1" });
        await store.append(stream, "no_stream", [original]);
        const otherData = await captureFailure(
          store.append(stream, "any", [{ ...original, data: { amount: "2" } }]),
        );
        expect(isStoreFailure(otherData) && otherData.error).toEqual({
          _tag: "EventIdReused",
          eventId: original.eventId,
        });
        const otherType = await captureFailure(store.append(stream, "any", [{ ...original, type: "B" }]));
        expect(isStoreFailureOf(otherType, "EventIdReused")).toBe(true);
        const otherStream = await captureFailure(store.append(`${prefix()}b`, "any", [original]));
        expect(isStoreFailureOf(otherStream, "EventIdReused")).toBe(true);
        const partly = await captureFailure(store.append(stream, "any", [original, newEvent("C", {})]));
        expect(isStoreFailureOf(partly, "EventIdReused")).toBe(true);
        const twice = newEvent("D", {});
        const doubled = await captureFailure(store.append(stream, "any", [twice, twice]));
        expect(isStoreFailureOf(doubled, "EventIdReused")).toBe(true);
        expect(await store.readStream(stream)).toHaveLength(1);
        expect(await store.readEventById(twice.eventId)).toBeNull();
      });
    });

    describe("atomicity and size", () => {
      it("accepts an event of exactly the size limit and reads it back", async () => {
        const stream = `${prefix()}a`;
        const metadata = { m: 1 };
        const overhead = JSON.stringify({ blob: "" }).length + JSON.stringify(metadata).length;
        const data = { blob: "x".repeat(EVENT_SIZE_MAX_BYTES - overhead) };
        const event: NewEvent = { eventId: randomUUID(), type: "Big", data, metadata };
        await store.append(stream, "no_stream", [event]);
        const read = item(await store.readStream(stream), 0);
        expect((read.data as { blob: string }).blob.length).toBe(data.blob.length);
      });

      it("refuses an event one byte over the limit, and the whole append with it", async () => {
        const stream = `${prefix()}a`;
        const metadata = { m: 1 };
        const overhead = JSON.stringify({ blob: "" }).length + JSON.stringify(metadata).length;
        const tooBig: NewEvent = {
          eventId: randomUUID(),
          type: "Big",
          data: { blob: "x".repeat(EVENT_SIZE_MAX_BYTES - overhead + 1) },
          metadata,
        };
        const failure = await captureFailure(store.append(stream, "any", [newEvent("Small", {}), tooBig]));
        expect(isStoreFailure(failure) && failure.error).toEqual({
          _tag: "EventTooLarge",
          eventId: tooBig.eventId,
          bytes: EVENT_SIZE_MAX_BYTES + 1,
          limitBytes: EVENT_SIZE_MAX_BYTES,
        });
        expect(await store.streamRevision(stream)).toBe("no_stream");
      });

      it("writes a multi-event append all together or not at all", async () => {
        const stream = `${prefix()}a`;
        await store.append(stream, "no_stream", [newEvent("A", {})]);
        const refused = [newEvent("B", {}), newEvent("C", {}), newEvent("D", {})];
        await captureFailure(store.append(stream, "no_stream", refused));
        for (const event of refused) expect(await store.readEventById(event.eventId)).toBeNull();
        const accepted = Array.from({ length: 20 }, (_, index) => newEvent("Line", { index }));
        const result = await store.append(stream, 0, accepted);
        const read = await store.readStream(stream);
        expect(read.map((event) => event.revision)).toEqual(Array.from({ length: 21 }, (_, index) => index));
        expect(result.nextExpectedRevision).toBe(20);
        // One append's events sit next to each other in the global order.
        const positions = read.slice(1).map((event) => event.position);
        expect(item(positions, positions.length - 1) - item(positions, 0)).toBe(19n);
      });
    });

    describe("reading", () => {
      it("reads a stream forwards and backwards with a start revision and a limit", async () => {
        const stream = `${prefix()}a`;
        await store.append(
          stream,
          "no_stream",
          Array.from({ length: 10 }, (_, index) => newEvent("E", { index })),
        );
        const revisions = (events: readonly StoredEvent[]): number[] => events.map((event) => event.revision);
        expect(revisions(await store.readStream(stream, { fromRevision: 3, limit: 4 }))).toEqual([
          3, 4, 5, 6,
        ]);
        expect(revisions(await store.readStream(stream, { direction: "backwards", limit: 3 }))).toEqual([
          9, 8, 7,
        ]);
        expect(
          revisions(await store.readStream(stream, { direction: "backwards", fromRevision: 2 })),
        ).toEqual([2, 1, 0]);
        expect(revisions(await store.readStream(stream, { fromRevision: 8 }))).toEqual([8, 9]);
        expect(await store.readStream(`${prefix()}missing`)).toEqual([]);
      });

      it("reads a stream's revisions, types and data for a fold, as readStream gives them", async () => {
        const stream = `${prefix()}fold`;
        await store.append(
          stream,
          "no_stream",
          Array.from({ length: 7 }, (_, index) =>
            newEvent(index % 2 === 0 ? "Even" : "Odd", { index, amount: `${index}.50`, none: null }),
          ),
        );
        const lean = (events: readonly StoredEvent[]) =>
          events.map(({ revision, type, data }) => ({ revision, type, data }));
        expect(await readStreamData(store, stream)).toEqual(lean(await store.readStream(stream)));
        const page = await readStreamData(store, stream, { fromRevision: 2, limit: 3 });
        expect(page).toEqual(lean(await store.readStream(stream, { fromRevision: 2, limit: 3 })));
        expect(page.map((event) => event.revision)).toEqual([2, 3, 4]);
        expect(page[0]).toEqual({
          revision: 2,
          type: "Even",
          data: { index: 2, amount: "2.50", none: null },
        });
        expect(await readStreamData(store, `${prefix()}missing`)).toEqual([]);
      });

      it("reads the log for a fold (position, stream, revision, type, data, recording time) as readAll gives it", async () => {
        const base = `${prefix()}logfold-`;
        const recorded = (index: number): NewEvent => ({
          ...newEvent("Recorded", { index, amount: `${index}.25` }),
          metadata: {
            prevHash: String(index % 10).repeat(64),
            hash: String((index + 1) % 10).repeat(64),
            recordedAt: `2026-12-07T10:00:0${index}.000Z`,
          },
        });
        await store.append(`${base}a`, "no_stream", [recorded(0), recorded(1), recorded(2)]);
        await store.append(`${prefix()}elsewhere`, "no_stream", [recorded(3)]);
        await store.append(`${base}b`, "no_stream", [newEvent("Plain", { none: null }), recorded(4)]);
        await store.append(`${base}a`, 2, [recorded(5)]);
        const lean = (events: readonly StoredEvent[]) =>
          events.map(({ position, streamId, revision, type, data, metadata }) => ({
            position,
            streamId,
            revision,
            type,
            data,
            metadataRecordedAt: (metadata as { recordedAt?: string } | null)?.recordedAt ?? null,
            chained:
              typeof (metadata as { prevHash?: unknown } | null)?.prevHash === "string" &&
              typeof (metadata as { hash?: unknown } | null)?.hash === "string",
          }));
        const all = await readAllData(store, { streamPrefix: base });
        expect(all).toEqual(lean(await store.readAll({ streamPrefix: base })));
        expect(
          all.map((event) => [event.streamId, event.revision, event.metadataRecordedAt, event.chained]),
        ).toEqual([
          [`${base}a`, 0, "2026-12-07T10:00:00.000Z", true],
          [`${base}a`, 1, "2026-12-07T10:00:01.000Z", true],
          [`${base}a`, 2, "2026-12-07T10:00:02.000Z", true],
          [`${base}b`, 0, null, false],
          [`${base}b`, 1, "2026-12-07T10:00:04.000Z", true],
          [`${base}a`, 3, "2026-12-07T10:00:05.000Z", true],
        ]);
        expect(item(all, 1).data).toEqual({ index: 1, amount: "1.25" });
        const pages: unknown[] = [];
        for (let after = -1n; ; ) {
          const page = await readAllData(store, { after, limit: 4, streamPrefix: base });
          expect(page).toEqual(lean(await store.readAll({ after, limit: 4, streamPrefix: base })));
          pages.push(...page);
          if (page.length < 4) break;
          after = item(page, page.length - 1).position;
        }
        expect(pages).toEqual(all);
        const [first] = await readAllData(store, { after: item(all, 2).position, limit: 1 });
        expect(first).toEqual(item(lean(await store.readAll({ after: item(all, 2).position, limit: 1 })), 0));
      });

      it("gives a stream's last revision and its chain hash as its last event carries them", async () => {
        const stream = `${prefix()}head`;
        const chained = (index: number): NewEvent => ({
          ...newEvent("Chained", { index }),
          metadata: { prevHash: String(index).repeat(64), hash: String(index + 1).repeat(64), note: "chain" },
        });
        expect(await streamHead(store, stream)).toBe("no_stream");
        await store.append(stream, "no_stream", [chained(0), chained(1)]);
        expect(await streamHead(store, stream)).toEqual({ revision: 1, hash: "2".repeat(64) });
        await store.append(stream, 1, [chained(2)]);
        const last = item(await store.readStream(stream, { direction: "backwards", limit: 1 }), 0);
        expect(await streamHead(store, stream)).toEqual({
          revision: 2,
          hash: (last.metadata as { hash: string }).hash,
        });
        expect(await streamHead(store, `${prefix()}missing`)).toBe("no_stream");
      });

      it("reads all streams in global order after a position, with a limit and a stream prefix", async () => {
        const base = prefix();
        const appended: bigint[] = [];
        for (let index = 0; index < 6; index += 1) {
          const result = await store.append(`${base}${index % 2 === 0 ? "even" : "odd"}`, "any", [
            newEvent("E", { index }),
          ]);
          appended.push(result.position);
        }
        expect(await store.headPosition()).toBe(appended.at(-1));
        const all = await store.readAll({ streamPrefix: base });
        expect(all.map((event) => event.position)).toEqual(appended);
        expect(all.map((event) => (event.data as { index: number }).index)).toEqual([0, 1, 2, 3, 4, 5]);
        const page = await store.readAll({ after: item(appended, 1), limit: 2, streamPrefix: base });
        expect(page.map((event) => event.position)).toEqual([appended[2], appended[3]]);
        const odd = await store.readAll({ streamPrefix: `${base}odd` });
        expect(odd.map((event) => (event.data as { index: number }).index)).toEqual([1, 3, 5]);
        const unfiltered = await store.readAll({ after: item(appended, 4), limit: 1 });
        expect(unfiltered[0]?.position).toBe(appended[5]);
        const byId = await store.readEventById(item(all, 3).eventId);
        expect(byId).toEqual(all[3]);
        expect(await store.readEventById(randomUUID())).toBeNull();
      });
    });

    describe("concurrency", () => {
      it(`lets exactly one of ${CONCURRENT_APPENDERS} concurrent appenders win each revision, losing nothing`, async () => {
        const stream = `${prefix()}contended`;
        await store.append(stream, "no_stream", [newEvent("Opened", {})]);
        for (let round = 0; round < 3; round += 1) {
          const expected = await store.streamRevision(stream);
          const outcomes = await Promise.allSettled(
            Array.from({ length: CONCURRENT_APPENDERS }, (_, appender) =>
              store.append(stream, expected, [newEvent("Raced", { round, appender })]),
            ),
          );
          const won = outcomes.filter((outcome) => outcome.status === "fulfilled");
          const lost = outcomes.filter((outcome) => outcome.status === "rejected");
          expect(won).toHaveLength(1);
          for (const outcome of lost)
            expect(isStoreFailureOf(outcome.reason, "WrongExpectedRevision")).toBe(true);
        }
        // Now every appender retries on conflict until its own two events are in: none may be lost.
        const perAppender = 2;
        await Promise.all(
          Array.from({ length: CONCURRENT_APPENDERS }, async (_, appender) => {
            for (let item = 0; item < perAppender; item += 1) {
              const event = newEvent("Retried", { appender, item });
              for (;;) {
                const expected = await store.streamRevision(stream);
                try {
                  await store.append(stream, expected, [event]);
                  break;
                } catch (error) {
                  if (!isStoreFailureOf(error, "WrongExpectedRevision")) throw error;
                }
              }
            }
          }),
        );
        const read = await store.readStream(stream);
        expect(read.map((event) => event.revision)).toEqual(read.map((_, index) => index));
        const retried = read.filter((event) => event.type === "Retried");
        expect(retried).toHaveLength(CONCURRENT_APPENDERS * perAppender);
        expect(new Set(retried.map((event) => JSON.stringify(event.data))).size).toBe(
          CONCURRENT_APPENDERS * perAppender,
        );
      });

      it("appends across many streams in parallel with contiguous revisions and increasing positions", async () => {
        const base = prefix();
        const streams = 100;
        const appendsPerStream = 5;
        await Promise.all(
          Array.from({ length: streams }, async (_, stream) => {
            for (let revision = 0; revision < appendsPerStream; revision += 1) {
              await store.append(`${base}${stream}`, revision === 0 ? "no_stream" : revision - 1, [
                newEvent("E", { stream, revision }),
              ]);
            }
          }),
        );
        const all = await store.readAll({ streamPrefix: base });
        expect(all).toHaveLength(streams * appendsPerStream);
        for (let index = 1; index < all.length; index += 1) {
          expect(item(all, index).position > item(all, index - 1).position).toBe(true);
        }
        for (const event of all) expect((event.data as { revision: number }).revision).toBe(event.revision);
      });

      it("never shows a reader global position N+1 before N", async () => {
        const base = prefix();
        let writing = true;
        const seen: StoredEvent[] = [];
        const reader = (async () => {
          let cursor: bigint | undefined;
          for (;;) {
            const stillWriting = writing;
            const batch = await store.readAll({
              streamPrefix: base,
              ...(cursor === undefined ? {} : { after: cursor }),
            });
            for (const event of batch) seen.push(event);
            if (batch.length > 0) cursor = item(batch, batch.length - 1).position;
            if (!stillWriting && batch.length === 0) break;
            await new Promise((resolve) => setImmediate(resolve));
          }
        })();
        await Promise.all(
          Array.from({ length: 20 }, async (_, stream) => {
            for (let item = 0; item < 10; item += 1) {
              await store.append(`${base}${stream}`, "any", [
                newEvent("E", { item }),
                newEvent("F", { item }),
              ]);
            }
          }),
        );
        writing = false;
        await reader;
        const final = await store.readAll({ streamPrefix: base });
        expect(final).toHaveLength(400);
        // Had the reader seen N+1 before N, its cursor would have moved past N and N would be missing here.
        expect(seen.map((event) => event.eventId)).toEqual(final.map((event) => event.eventId));
      });
    });

    describe("catch-up subscription", () => {
      it("delivers history then live events, in order, with no gap and no duplicate across the switch", async () => {
        const base = prefix();
        for (let index = 0; index < 30; index += 1) {
          await store.append(`${base}${index % 3}`, "any", [newEvent("History", { index })]);
        }
        const received: StoredEvent[] = [];
        let handling = false;
        let overlapped = false;
        const subscription = store.subscribeToAll({ streamPrefix: base }, async (event) => {
          if (handling) overlapped = true;
          handling = true;
          await new Promise((resolve) => setImmediate(resolve));
          received.push(event);
          handling = false;
        });
        await Promise.all(
          Array.from({ length: 10 }, async (_, stream) => {
            for (let item = 0; item < 5; item += 1) {
              await store.append(`${base}live-${stream}`, "any", [newEvent("Live", { stream, item })]);
            }
          }),
        );
        await waitFor(() => received.length >= 80, "80 events from the subscription");
        // Give a duplicate, if the store would deliver one, the chance to arrive.
        await new Promise((resolve) => setTimeout(resolve, 50));
        await subscription.close();
        const all = await store.readAll({ streamPrefix: base });
        expect(received.map((event) => event.position)).toEqual(all.map((event) => event.position));
        expect(overlapped).toBe(false);

        const resumeAfter = item(all, 39).position;
        const resumed: StoredEvent[] = [];
        const second = store.subscribeToAll({ after: resumeAfter, streamPrefix: base }, async (event) => {
          resumed.push(event);
        });
        await waitFor(() => resumed.length >= 40, "the resumed subscription");
        await store.append(`${base}after`, "no_stream", [newEvent("Later", {})]);
        await waitFor(() => resumed.length >= 41, "a live event after resuming");
        await second.close();
        expect(resumed.map((event) => event.position)).toEqual(
          (await store.readAll({ after: resumeAfter, streamPrefix: base })).map((event) => event.position),
        );
      });

      it("stops delivering after close", async () => {
        const base = prefix();
        const received: StoredEvent[] = [];
        const subscription = store.subscribeToAll(
          { streamPrefix: base, after: await store.headPosition() },
          async (event) => {
            received.push(event);
          },
        );
        await store.append(`${base}a`, "no_stream", [newEvent("A", {})]);
        await waitFor(() => received.length === 1, "the live event");
        await subscription.close();
        await store.append(`${base}a`, 0, [newEvent("B", {})]);
        await new Promise((resolve) => setTimeout(resolve, 300));
        expect(received).toHaveLength(1);
      });
    });
  });
};
