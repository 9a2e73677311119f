import { alertsStreamId } from "@bukubesar/alerts";
import { type EventStore, openEventStore } from "@bukubesar/event-store";
import { describe, expect, it } from "vitest";
import { createClockAheadWatch } from "../src/clockAheadAlert.js";

const PINNED = "2099-06-01T00:00:00.000Z";
const NOW = "2026-12-07T00:00:00.000Z";

/** Lets the alert's append, started without being awaited, settle. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

describe("the clock-ahead alert", () => {
  it("given the store refused the episode's alert, when the next write sees the same lead, then the alert is recorded", async () => {
    const refusing = await openEventStore("memory:");
    await refusing.close();
    const store = await openEventStore("memory:");
    let appendsSeen = 0;
    const logged: string[] = [];
    const watch = createClockAheadWatch({
      // The first write's alert meets a store that cannot take it; later ones meet a sound store.
      get store(): EventStore {
        appendsSeen += 1;
        return appendsSeen === 1 ? refusing : store;
      },
      log: (_level, message) => logged.push(message),
    });
    watch("kkmp-depan", "35.74", PINNED, NOW);
    await settle();
    expect(logged).toContain("could not record the clock alert");
    expect(await store.readStream(alertsStreamId("kkmp-depan"))).toEqual([]);

    watch("kkmp-depan", "35.74", PINNED, NOW);
    await settle();
    const recorded = await store.readStream(alertsStreamId("kkmp-depan"));
    expect(recorded.map((event) => (event.data as { rule: string }).rule)).toEqual(["clock_behind_ledger"]);

    watch("kkmp-depan", "35.74", PINNED, NOW);
    await settle();
    expect(await store.readStream(alertsStreamId("kkmp-depan"))).toHaveLength(1);
  });
});
