import { describe, expect, it } from "vitest";
import type { LedgerEvent, RecordedLedgerEvent } from "../src/index.js";
import { GENESIS_PREV_HASH, hashEvent, recordEvents, verifyChain } from "../src/index.js";

/** api.md, History and verification: the worked example of the hash rule. */
const WORKED_EXAMPLE_HASH = "bf8c6c6614fe923529aa171abb866f1be44b390f2e9164fc01390bf4647ff97d";

const base = (principalId: string, recordedAt: string) => ({
  eventId: `event-${recordedAt}`,
  principalId,
  role: "admin" as const,
  recordedAt,
  idempotencyKey: null,
  requestHash: null,
  correlationId: null,
});

const history: LedgerEvent[] = [
  {
    type: "LedgerOpened",
    data: {
      coopId: "kkmp-mangunharjo",
      name: "KKMP Mangunharjo",
      regionCode: "35.74.03.1002",
      settings: {
        approvalThreshold: null,
        largeCashThreshold: "100000000.00",
        businessHours: { start: "07:00", end: "17:00" },
        timeZone: "Asia/Jakarta",
      },
    },
  },
  { type: "PeriodClosed", data: { period: "2026-01" } },
  { type: "PeriodReopened", data: { period: "2026-01", reason: "koreksi" } },
];

const recorded = (): RecordedLedgerEvent[] =>
  recordEvents(history, { nextRevision: 0, headHash: GENESIS_PREV_HASH }, (_event, index) =>
    base("adm-1", `2026-01-02T01:00:0${index}.000Z`),
  );

describe("hash chain", () => {
  it("reproduces api.md's worked example", () => {
    const hash = hashEvent(GENESIS_PREV_HASH, {
      type: "LedgerOpened",
      revision: 0,
      data: { coopId: "kkmp-mangunharjo", name: "KKMP Mangunharjo", regionCode: "35.74.03.1002" },
      meta: { principalId: "adm-1", recordedAt: "2026-01-02T01:00:00.000Z", role: "admin" },
    });
    expect(hash).toBe(WORKED_EXAMPLE_HASH);
  });

  it("does not depend on the order of keys (RFC 8785)", () => {
    const hash = hashEvent(GENESIS_PREV_HASH, {
      type: "LedgerOpened",
      revision: 0,
      data: { regionCode: "35.74.03.1002", name: "KKMP Mangunharjo", coopId: "kkmp-mangunharjo" },
      meta: { role: "admin", recordedAt: "2026-01-02T01:00:00.000Z", principalId: "adm-1" },
    });
    expect(hash).toBe(WORKED_EXAMPLE_HASH);
  });

  it("verifies a chain it recorded and reports its head", () => {
    const events = recorded();
    const result = verifyChain(events);
    expect(result).toEqual({ ok: true, events: 3, headHash: events[2]?.metadata.hash });
    expect(events[1]?.metadata.prevHash).toBe(events[0]?.metadata.hash);
  });

  it("verifies an empty chain", () => {
    expect(verifyChain([])).toEqual({ ok: true, events: 0, headHash: GENESIS_PREV_HASH });
  });

  it("names the revision whose data was changed", () => {
    const events = recorded();
    const tampered = events.map((event, index) =>
      index === 2
        ? ({ ...event, data: { period: "2026-01", reason: "koreksI" } } as RecordedLedgerEvent)
        : event,
    );
    expect(verifyChain(tampered)).toMatchObject({ ok: false, firstBadRevision: 2 });
  });

  it("names the revision whose metadata was changed (who and when are covered too)", () => {
    const events = recorded();
    const tampered = events.map((event, index) =>
      index === 1 ? { ...event, metadata: { ...event.metadata, principalId: "adm-2" } } : event,
    );
    expect(verifyChain(tampered)).toMatchObject({ ok: false, firstBadRevision: 1 });
  });

  it("names a gap in the revisions and a broken link", () => {
    const events = recorded();
    expect(verifyChain([events[0], events[2]] as RecordedLedgerEvent[])).toMatchObject({
      ok: false,
      firstBadRevision: 1,
    });
    const relinked = events.map((event, index) =>
      index === 1 ? { ...event, metadata: { ...event.metadata, prevHash: GENESIS_PREV_HASH } } : event,
    );
    expect(verifyChain(relinked)).toMatchObject({ ok: false, firstBadRevision: 1 });
  });
});
