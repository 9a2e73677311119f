/**
 * A cooperative's snapshot decodes to exactly what was held (ledger state, entry records, entry order and
 * read model), whatever the history (proposals, approvals, rejections, reversals, closings), and an edited
 * byte of its body is refused.
 */
import {
  GENESIS_PREV_HASH,
  type LedgerEvent,
  type RecordedLedgerEvent,
  recordEvents,
} from "@bukubesar/ledger-core";
import { arbLedgerHistory } from "@bukubesar/ledger-core/testing";
import { trialBalance } from "@bukubesar/projections";
import { fc, test } from "@fast-check/vitest";
import { expect } from "vitest";
import { decodeCooperativeSnapshot, encodeCooperativeSnapshot } from "../src/cooperativeSnapshot.js";
import { advanceSnapshot, emptySnapshot } from "../src/ledgerSnapshot.js";
import { packEntries } from "../src/packedEntries.js";

const recorded = (events: readonly LedgerEvent[]): RecordedLedgerEvent[] =>
  recordEvents(events, { nextRevision: 0, headHash: GENESIS_PREV_HASH }, (_event, index) => ({
    eventId: `e-${index}`,
    principalId: "p",
    role: "treasurer",
    recordedAt: `2026-01-01T00:00:${String(index % 60).padStart(2, "0")}.000Z`,
    idempotencyKey: null,
    requestHash: null,
    correlationId: null,
  }));

test.prop([arbLedgerHistory({ maxLength: 60 }), fc.nat()])(
  "decodes to what was held, and refuses an edited body",
  (events, flip) => {
    const held = emptySnapshot("kkmp-a");
    advanceSnapshot(held, recorded(events));
    const parts = encodeCooperativeSnapshot(held);
    const decoded = decodeCooperativeSnapshot("kkmp-a", parts);
    if (decoded.kind !== "usable") throw new Error(decoded.kind);
    const { snapshot } = decoded;
    expect([snapshot.revision, snapshot.headHash]).toEqual([held.revision, held.headHash]);
    expect([...snapshot.state.entries]).toEqual([...held.state.entries]);
    expect({ ...snapshot.state, entries: null }).toEqual({ ...held.state, entries: null });
    expect([...snapshot.entryRecords]).toEqual([...held.entryRecords]);
    expect(snapshot.entryOrder).toEqual(held.entryOrder);
    expect(snapshot.model.entries).toEqual(held.model.entries);
    expect(trialBalance(snapshot.model, "9999-12-31")).toEqual(trialBalance(held.model, "9999-12-31"));

    // A posted entry sharing its decider's entry's lines and its record's revision is packed as its id alone.
    const packed = packEntries(held.state.entries, held.entryRecords, held.model.entries);
    const shared = held.model.entries.filter(
      (entry) =>
        held.state.entries.get(entry.entryId)?.lines === entry.lines &&
        held.entryRecords.get(entry.entryId)?.posted?.revision === entry.revision,
    );
    expect(packed.posted.filter((row) => typeof row === "string")).toEqual(
      shared.map((entry) => entry.entryId),
    );

    const body = Buffer.concat(parts.slice(1) as Uint8Array[]);
    const at = flip % body.length;
    body[at] = (body[at] ?? 0) ^ 1;
    const edited = decodeCooperativeSnapshot("kkmp-a", [parts[0] as string, body]);
    expect(edited).toEqual({ kind: "damaged", reason: "its content does not match the hash it records" });
  },
);

test("stores its body as bytes; an older text snapshot is another format's, a text body is refused", () => {
  const held = emptySnapshot("kkmp-a");
  advanceSnapshot(held, recorded([]));
  const [header, ...body] = encodeCooperativeSnapshot(held);
  expect(typeof header).toBe("string");
  expect(body.every((part) => part instanceof Uint8Array)).toBe(true);
  const claimed = JSON.parse(header as string) as { format: number };
  // Format 5 kept the body as base64 text: not read, so the cooperative is rebuilt from its log.
  const base64 = body.map((part) => Buffer.from(part as Uint8Array).toString("base64"));
  const older = JSON.stringify({ ...claimed, format: 5 });
  expect(decodeCooperativeSnapshot("kkmp-a", [older, ...base64])).toEqual({ kind: "other_format" });
  expect(decodeCooperativeSnapshot("kkmp-a", [header as string, ...base64])).toEqual({
    kind: "damaged",
    reason: "its body is text, not bytes",
  });
  expect(decodeCooperativeSnapshot("kkmp-a", [header as string, ...body]).kind).toBe("usable");
});
