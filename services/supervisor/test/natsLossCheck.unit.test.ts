import { ALERT_RAISED } from "@bukubesar/alerts";
import type { AlertBus, BusStreamState, PublishResult } from "@bukubesar/bus";
import { openEventStore } from "@bukubesar/event-store";
import type { Alert } from "@bukubesar/supervision";
import { describe, expect, it } from "vitest";
import { startSupervisor } from "../src/index.js";
import { NOTICED_LOSS_RETRY_MS } from "../src/supervisor.js";
import { LedgerWriter } from "./ledgerWriter.js";

/** Large cash deposits kept by the stream, those it then loses, and those after the loss. */
const DEPOSITS_KEPT = 3;
const DEPOSITS_LOST = 3;
const DEPOSITS_AFTER = 8;
const PROGRESS_MS = 20;
/** How long the stream stays unable to say what it holds after the loss (several retries of the check). */
const UNSETTLED_MS = 4 * NOTICED_LOSS_RETRY_MS;
const RECOVERY_MS = 10_000;

/** Each answer of the fake broker comes after a turn of the event loop, as one over the network does. */
const answer = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 1));

/**
 * A JetStream-like stream kept in memory: sequences from 1, duplicates dropped by id among the messages
 * it holds, a tail that can be lost (as a coordinated crash of every node loses unsynced writes), and a
 * time while it cannot answer for a message at a sequence (a restarting cluster: no leader to ask yet).
 */
const lossyStream = () => {
  const ids: string[] = [];
  let unsettled = false;
  const bus: AlertBus = {
    async publish(alert: Alert): Promise<PublishResult> {
      await answer();
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
      return { created: "2026-01-14T05:00:00Z", lastSequence: ids.length };
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
    setUnsettled(value: boolean) {
      unsettled = value;
    },
  };
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
      const deposit = async (count: number, from: number) => {
        for (let index = 0; index < count; index += 1) await ledger.deposit(String(from + index));
        await supervisor.idle();
        // A progress marker records the message acknowledged last: what a check asks the stream for.
        await new Promise((resolve) => setTimeout(resolve, 5 * PROGRESS_MS));
      };
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
      const recorded = (await store.readAll({ streamPrefix: "alerts-" }))
        .filter((event) => event.type === ALERT_RAISED)
        .map((event) => event.eventId);
      await expect
        .poll(() => new Set(stream.ids), { timeout: RECOVERY_MS, interval: 50 })
        .toEqual(new Set(recorded));
      expect(stream.ids.length).toBe(new Set(stream.ids).size);
    } finally {
      await supervisor.stop();
      await store.close();
    }
  });
});
