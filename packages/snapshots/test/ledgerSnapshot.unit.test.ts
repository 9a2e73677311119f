/** Snapshots advanced in place equal a fresh fold, skip what they already hold, and refuse gaps. */

import {
  foldLedger,
  GENESIS_PREV_HASH,
  type LedgerEvent,
  type RecordedLedgerEvent,
  recordEvents,
} from "@bukubesar/ledger-core";
import { arbLedgerHistory } from "@bukubesar/ledger-core/testing";
import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { advanceSnapshot, emptySnapshot } from "../src/ledgerSnapshot.js";

const recorded = (events: readonly LedgerEvent[]): RecordedLedgerEvent[] =>
  recordEvents(events, { nextRevision: 0, headHash: GENESIS_PREV_HASH }, (_event, index) => ({
    eventId: `e-${index}`,
    principalId: "p",
    role: "treasurer",
    recordedAt: "2026-01-01T00:00:00.000Z",
    idempotencyKey: null,
    requestHash: null,
    correlationId: null,
  }));

describe("advancing a snapshot in place", () => {
  test.prop([arbLedgerHistory({ maxLength: 40 }), fc.nat()])(
    "equals a fresh fold however the events are split, applied twice or not",
    (events, cut) => {
      const history = recorded(events);
      const split = history.length === 0 ? 0 : cut % (history.length + 1);
      const snapshot = emptySnapshot("kkmp-a");
      advanceSnapshot(snapshot, history.slice(0, split));
      // A concurrent load that read from an older revision hands over events already applied.
      advanceSnapshot(snapshot, history);
      const expected = foldLedger(events);
      expect(snapshot.revision).toBe(history.length - 1);
      expect([...snapshot.state.accounts]).toEqual([...expected.accounts]);
      expect([...snapshot.state.entries]).toEqual([...expected.entries]);
      expect(snapshot.headHash).toBe(history.at(-1)?.metadata.hash ?? GENESIS_PREV_HASH);
    },
  );

  it("refuses a gap without applying anything", () => {
    const history = recorded(arbLedgerHistoryExample());
    const snapshot = emptySnapshot("kkmp-a");
    expect(() => advanceSnapshot(snapshot, history.slice(1))).toThrow(/does not follow/);
    expect(snapshot.revision).toBe(-1);
    expect(snapshot.state.opened).toBe(false);
  });

  it("never shares collections between two empty snapshots", () => {
    const history = recorded(arbLedgerHistoryExample());
    const first = emptySnapshot("kkmp-a");
    const second = emptySnapshot("kkmp-a");
    advanceSnapshot(first, history);
    expect(second.state.accounts.size).toBe(0);
    expect(second.state.opened).toBe(false);
  });
});

const arbLedgerHistoryExample = (): LedgerEvent[] =>
  fc.sample(
    arbLedgerHistory({ maxLength: 10 }).filter((events) => events.length >= 3),
    { numRuns: 1, seed: 7 },
  )[0] as LedgerEvent[];
