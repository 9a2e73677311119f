/**
 * A cooperative decoded from its snapshot answers a trial balance without building its per-entry
 * collections, and once anything reads or assigns one of them all three equal an eager decode of the same
 * packed rows, with the read model's lines shared with the decider's as they were held.
 */
import {
  chartTemplates,
  GENESIS_PREV_HASH,
  type LedgerCommand,
  type LedgerEvent,
  type RecordedLedgerEvent,
  recordEvents,
} from "@bukubesar/ledger-core";
import {
  approver,
  command,
  credit,
  debit,
  postJournalEntry,
  runCommands,
} from "@bukubesar/ledger-core/testing";
import { trialBalance } from "@bukubesar/projections";
import { describe, expect, test } from "vitest";
import { decodeCooperativeSnapshot, encodeCooperativeSnapshot } from "../src/cooperativeSnapshot.js";
import { pendingPackedText } from "../src/lazyEntries.js";
import { advanceSnapshot, emptySnapshot, type LedgerSnapshot } from "../src/ledgerSnapshot.js";
import { type PackedEntries, unpackEntries } from "../src/packedEntries.js";

const END_OF_TIME = "9999-12-31";

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

const deposit = (entryId: string, amount: string, memberId: string): LedgerCommand =>
  postJournalEntry([debit("1101", amount), credit("2101", amount, { memberId })], {
    entryId,
    date: "2026-02-10",
    memo: `setoran ${entryId}`,
  });

/** Members, postings, a reversal, proposals above the approval threshold, one approved and one rejected. */
const history = (): LedgerEvent[] => {
  const { events, rejections } = runCommands([
    command(
      "OpenLedger",
      { coopId: "kkmp-a", name: "KKMP A", regionCode: "35.74.03.1002", accounts: chartTemplates.kkmp },
      { principalId: "adm-1", role: "admin" },
    ),
    command("RegisterMember", { memberId: "A-0001", name: "Siti", joinedOn: "2025-01-02", role: "member" }),
    command("RegisterMember", { memberId: "A-0002", name: "Budi", joinedOn: "2025-01-02", role: "member" }),
    deposit("entry-1", "150000.00", "A-0001"),
    deposit("entry-2", "250000.00", "A-0002"),
    command("ReverseJournalEntry", {
      entryId: "entry-1",
      reversalEntryId: "reversal-1",
      date: "2026-02-11",
      reason: "salah akun",
    }),
    command("ChangeSettings", { settings: { approvalThreshold: "1000000.00" } }),
    deposit("entry-3", "2000000.00", "A-0001"),
    deposit("entry-4", "3000000.00", "A-0002"),
    command("ApproveJournalEntry", { entryId: "entry-3" }, approver),
    command("RejectJournalEntry", { entryId: "entry-4", reason: "tidak wajar" }, approver),
  ]);
  expect(rejections).toEqual([]);
  return [...events];
};

const heldAndDecoded = (): { held: LedgerSnapshot; decoded: LedgerSnapshot } => {
  const held = emptySnapshot("kkmp-a");
  advanceSnapshot(held, recorded(history()));
  const decoded = decodeCooperativeSnapshot("kkmp-a", encodeCooperativeSnapshot(held));
  if (decoded.kind !== "usable") throw new Error(decoded.kind);
  return { held, decoded: decoded.snapshot };
};

describe("a snapshot's entries, built on first use", () => {
  test("the history covers every kind of entry fact the collections keep", () => {
    const types = new Set(history().map((event) => event.type));
    for (const type of [
      "MemberRegistered",
      "JournalEntryPosted",
      "JournalEntryReversed",
      "JournalEntryProposed",
      "JournalEntryRejected",
    ])
      expect(types).toContain(type);
  });

  test("a trial balance and a re-encoding build nothing; a read builds all three as an eager decode", () => {
    const { held, decoded } = heldAndDecoded();
    const packedText = pendingPackedText(decoded);
    expect(packedText).not.toBeNull();
    expect(trialBalance(decoded.model, END_OF_TIME)).toEqual(trialBalance(held.model, END_OF_TIME));
    expect(decoded.state.accounts).toEqual(held.state.accounts);
    expect(decoded.state.members).toEqual(held.state.members);
    // The writer saves a loaded cooperative from its packed text, and that decodes to the same entries.
    const again = decodeCooperativeSnapshot("kkmp-a", encodeCooperativeSnapshot(decoded));
    expect(pendingPackedText(decoded)).toBe(packedText);

    const eager = unpackEntries(JSON.parse(packedText as string) as PackedEntries);
    expect(decoded.model.entries).toEqual(eager.posted);
    expect(pendingPackedText(decoded)).toBeNull();
    expect([...decoded.state.entries]).toEqual([...eager.stateEntries]);
    expect([...decoded.entryRecords]).toEqual([...eager.records]);
    expect([...decoded.state.entries]).toEqual([...held.state.entries]);
    expect([...decoded.entryRecords]).toEqual([...held.entryRecords]);
    expect(decoded.model.entries).toEqual(held.model.entries);
    // Built, they are own data properties: a spread and Object.keys see them as they see a held one's.
    expect({ ...decoded.state }.entries).toBe(decoded.state.entries);
    expect(Object.keys(decoded.model)).toContain("entries");
    // The read model's lines are the decider's entry's wherever they were in the held cooperative.
    const sharing = ({ state, model }: LedgerSnapshot) =>
      model.entries.map((entry) => state.entries.get(entry.entryId)?.lines === entry.lines);
    expect(sharing(decoded)).toEqual(sharing(held));
    expect(sharing(held)).toContain(true);

    if (again.kind !== "usable") throw new Error(again.kind);
    expect([...again.snapshot.state.entries]).toEqual([...held.state.entries]);
    expect([...again.snapshot.entryRecords]).toEqual([...held.entryRecords]);
    expect(again.snapshot.model.entries).toEqual(held.model.entries);
  });

  test("an assignment builds the other two and keeps the value assigned", () => {
    const { held, decoded } = heldAndDecoded();
    const replaced = new Map(held.state.entries);
    Reflect.set(decoded.state, "entries", replaced);
    expect(pendingPackedText(decoded)).toBeNull();
    expect(decoded.state.entries).toBe(replaced);
    expect([...decoded.entryRecords]).toEqual([...held.entryRecords]);
    expect(decoded.model.entries).toEqual(held.model.entries);
  });

  test("events applied after the load see the built collections", () => {
    const { held, decoded } = heldAndDecoded();
    const next = recorded([
      ...history(),
      {
        type: "JournalEntryPosted",
        data: {
          entryId: "entry-5",
          kind: "regular",
          date: "2026-03-01",
          memo: "setoran",
          lines: [debit("1101", "1000.00"), credit("2101", "1000.00", { memberId: "A-0001" })],
          postedBy: "bendahara-1",
          proposedBy: null,
          reverses: null,
        },
      },
    ]);
    advanceSnapshot(held, next);
    advanceSnapshot(decoded, next);
    expect([...decoded.state.entries]).toEqual([...held.state.entries]);
    expect([...decoded.entryRecords]).toEqual([...held.entryRecords]);
    expect(decoded.model.entries).toEqual(held.model.entries);
    expect(decoded.entryOrder).toEqual(held.entryOrder);
  });
});
