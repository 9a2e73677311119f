import { ALERT_RAISED } from "@bukubesar/alerts";
import type { AlertBus, BusStreamState, PublishResult } from "@bukubesar/bus";
import type { EventStore } from "@bukubesar/event-store";
import { openEventStore } from "@bukubesar/event-store";
import type { Alert } from "@bukubesar/supervision";
import { describe, expect, it } from "vitest";
import type { Supervisor } from "../src/index.js";
import { startSupervisor } from "../src/index.js";
import { UNJUDGED_CHECK_RETRY_MS } from "../src/supervisor.js";
import { LedgerWriter } from "./ledgerWriter.js";

/** Large cash deposits kept by the stream, those it then loses, and those after the loss. */
const DEPOSITS_KEPT = 3;
const DEPOSITS_LOST = 3;
const DEPOSITS_AFTER = 8;
const PROGRESS_MS = 20;
/** How long the stream stays unable to say what it holds after the loss (several retries of the check). */
const UNSETTLED_MS = 4 * UNJUDGED_CHECK_RETRY_MS;
const RECOVERY_MS = 10_000;

/** Each answer of the fake broker comes after a turn of the event loop, as one over the network does. */
const answer = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 1));

/** The stream's created before and after every node lost its data. */
const CREATED_FIRST = "2026-01-14T05:00:00Z";
const CREATED_AGAIN = "2026-01-14T06:00:00Z";
/**
 * How many times a cluster whose nodes all lost their data answers that it cannot say yet before the bus
 * takes the stream as gone and creates it again (the bus waits STREAM_MISSING_CONFIRM_MS of such answers).
 */
const ASKS_BEFORE_CREATED = 3;

/**
 * A JetStream-like stream kept in memory: sequences from 1, duplicates dropped by id among the messages
 * it holds, a tail that can be lost (as a coordinated crash of every node loses unsynced writes), a time
 * while it cannot answer for a message at a sequence or for its state (a restarting cluster: no leader to
 * ask yet), and a loss of everything (every node's data), after which publishes fail and the stream is
 * created again only once its state has been asked for ASKS_BEFORE_CREATED times.
 */
const lossyStream = () => {
  const ids: string[] = [];
  let unsettled = false;
  let stateUnsettled = false;
  let created: string | null = CREATED_FIRST;
  let missingAsks = 0;
  const bus: AlertBus = {
    async publish(alert: Alert): Promise<PublishResult> {
      await answer();
      if (created === null) throw new Error("503 no responders: no stream for the subject");
      const at = ids.indexOf(alert.alertId);
      if (at >= 0) return { duplicate: true, sequence: at + 1 };
      ids.push(alert.alertId);
      return { duplicate: false, sequence: ids.length };
    },
    async subscribe() {
      return { close: async () => undefined };
    },
    async close() {},
    async streamState(): Promise<BusStreamState> {
      await answer();
      if (stateUnsettled) throw new Error("StreamNotSettled: its replicas have no leader");
      if (created === null) {
        missingAsks += 1;
        if (missingAsks < ASKS_BEFORE_CREATED)
          throw new Error("StreamNotSettled: the cluster does not know it yet");
        created = CREATED_AGAIN;
      }
      return { created, lastSequence: ids.length };
    },
    async messageIdAt(sequence: number) {
      await answer();
      if (unsettled) throw new Error("TimeoutError: timeout");
      return ids[sequence - 1] ?? null;
    },
  };
  return {
    bus,
    ids,
    loseTail(count: number) {
      expect(count).toBeGreaterThan(0);
      ids.splice(ids.length - count, count);
    },
    loseEverything() {
      ids.length = 0;
      created = null;
    },
    setUnsettled(value: boolean) {
      unsettled = value;
    },
    setStateUnsettled(value: boolean) {
      stateUnsettled = value;
    },
  };
};

/** Every alert id recorded in the store. */
const recordedAlertIds = async (store: EventStore): Promise<string[]> =>
  (await store.readAll({ streamPrefix: "alerts-" }))
    .filter((event) => event.type === ALERT_RAISED)
    .map((event) => event.eventId);

/** Waits until the stream holds every recorded alert, each once. */
const expectEveryRecordedAlertOnce = async (store: EventStore, ids: readonly string[]): Promise<void> => {
  const recorded = await recordedAlertIds(store);
  await expect.poll(() => new Set(ids), { timeout: RECOVERY_MS, interval: 50 }).toEqual(new Set(recorded));
  expect(ids.length).toBe(new Set(ids).size);
};

/** Makes `count` large cash deposits, waits for their alerts, then for a progress marker. */
const depositsOf = (ledger: LedgerWriter, supervisor: Supervisor) => async (count: number, from: number) => {
  for (let index = 0; index < count; index += 1) await ledger.deposit(String(from + index));
  await supervisor.idle();
  // A progress marker records the message acknowledged last: what a check asks the stream for.
  await new Promise((resolve) => setTimeout(resolve, 5 * PROGRESS_MS));
};

describe("fault #26: a loss noticed while the stream cannot be judged yet", () => {
  it("is kept and checked again until the stream answers, then what was lost is published again", async () => {
    const store = await openEventStore("memory:");
    const stream = lossyStream();
    const supervisor = await startSupervisor({
      store,
      bus: stream.bus,
      tickIntervalMs: 0,
      progressIntervalMs: PROGRESS_MS,
      // Off: the loss is noticed from the acknowledgements alone, as in the 3-node drill.
      streamCheckIntervalMs: 0,
    });
    try {
      const ledger = new LedgerWriter(store, "kkmp-lossy");
      await ledger.open();
      const deposit = depositsOf(ledger, supervisor);
      await deposit(DEPOSITS_KEPT, 150000000);
      const kept = stream.ids.length;
      await deposit(DEPOSITS_LOST, 160000000);
      stream.loseTail(stream.ids.length - kept);
      // Every check after the loss fails for a while: the acknowledgements of the new alerts notice it,
      // and their sequences soon pass the one acknowledged before, so nothing would notice it again.
      stream.setUnsettled(true);
      for (let index = 0; index < DEPOSITS_AFTER; index += 1) await ledger.deposit(String(170000000 + index));
      await new Promise((resolve) => setTimeout(resolve, UNSETTLED_MS));
      stream.setUnsettled(false);
      await expectEveryRecordedAlertOnce(store, stream.ids);
    } finally {
      await supervisor.stop();
      await store.close();
    }
  });
});

describe("fault #26: a loss noticed before any check could read the stream", () => {
  it("is judged against what the outbox saw acknowledged, and what was lost is published again", async () => {
    const store = await openEventStore("memory:");
    const stream = lossyStream();
    // No progress marker names the stream, and the start's check cannot read it: nothing known of it.
    stream.setStateUnsettled(true);
    const supervisor = await startSupervisor({
      store,
      bus: stream.bus,
      tickIntervalMs: 0,
      progressIntervalMs: PROGRESS_MS,
      streamCheckIntervalMs: 0,
    });
    try {
      const ledger = new LedgerWriter(store, "kkmp-unknown");
      await ledger.open();
      const deposit = depositsOf(ledger, supervisor);
      await deposit(DEPOSITS_KEPT + DEPOSITS_LOST, 150000000);
      // Only the last message lost: only the first acknowledgement after it notices the loss (the next
      // ones pass the sequence acknowledged before), so the check that it starts must handle it.
      stream.loseTail(1);
      // The stream can be read again when the acknowledgements of the new alerts notice the loss.
      stream.setStateUnsettled(false);
      await deposit(DEPOSITS_AFTER, 170000000);
      await expectEveryRecordedAlertOnce(store, stream.ids);
    } finally {
      await supervisor.stop();
      await store.close();
    }
  });
});

describe("fault #26 on a cluster whose nodes all lost their data, with the periodic check off", () => {
  it("checks the stream again after the start's check could not judge it, until it is back, and publishes every alert again", async () => {
    const store = await openEventStore("memory:");
    const stream = lossyStream();
    const options = { store, bus: stream.bus, tickIntervalMs: 0, progressIntervalMs: PROGRESS_MS };
    const first = await startSupervisor({ ...options, streamCheckIntervalMs: 0 });
    const ledger = new LedgerWriter(store, "kkmp-wiped");
    await ledger.open();
    await depositsOf(ledger, first)(DEPOSITS_KEPT, 150000000);
    await first.stop();
    // Every node lost its data: publishes fail, and the bus creates the stream again only after several
    // answers that it is missing, so the start's one check cannot judge it.
    stream.loseEverything();
    const second = await startSupervisor({ ...options, streamCheckIntervalMs: 0 });
    try {
      await expectEveryRecordedAlertOnce(store, stream.ids);
      expect(stream.ids.length).toBeGreaterThanOrEqual(DEPOSITS_KEPT);
    } finally {
      await second.stop();
      await store.close();
    }
  });
});
