import { randomUUID } from "node:crypto";
import { GENESIS_PREV_HASH } from "@bukubesar/ledger-core";
import { describe, expect, it } from "vitest";
import { LedgerVerifier } from "../src/ledgerVerifier.js";
import { LINES_KEY_WORDS } from "../src/linesKey.js";
import { ENTRY_POSTED, ENTRY_PROPOSED, ENTRY_REVERSED, EntryTable } from "../src/verifyEntryTable.js";

/** A lines key whose words all derive from `seed`. */
const keyOf = (seed: number): Uint32Array =>
  Uint32Array.from({ length: LINES_KEY_WORDS }, (_, word) => (seed * 2654435761 + word) >>> 0);

describe("EntryTable", () => {
  it.each([
    ["past many growths", 0],
    ["sized for them", 20_000],
  ])("answers as a map of strings to flags and keys would, for UUIDs and any other id, %s", (_, sizedFor) => {
    const table = new EntryTable(sizedFor);
    const expected = new Map<string, { flags: number; key: number | null }>();
    // Ids that are not canonical UUIDs: upper case, too short, a dash out of place, any text.
    const others = ["ENTRY-1", randomUUID().toUpperCase(), "abc", `${randomUUID().slice(0, 35)}-`, "7"];
    for (let index = 0; index < 20_000; index += 1) {
      const id = index < others.length ? (others[index] as string) : randomUUID();
      if (index % 3 === 0) {
        table.mark(id, ENTRY_PROPOSED);
        expected.set(id, { flags: ENTRY_PROPOSED, key: null });
      }
      if (index % 3 !== 1) {
        table.post(id, keyOf(index));
        expected.set(id, { flags: (expected.get(id)?.flags ?? 0) | ENTRY_POSTED, key: index });
      }
      if (index % 7 === 0 && index % 3 !== 1) {
        table.mark(id, ENTRY_REVERSED);
        const entry = expected.get(id);
        if (entry !== undefined) entry.flags |= ENTRY_REVERSED;
      }
    }
    let posted = 0;
    for (const [id, entry] of expected) {
      expect(table.flagsOf(id)).toBe(entry.flags);
      if (entry.key !== null) {
        posted += 1;
        expect(table.postedWithKey(id, keyOf(entry.key))).toBe(true);
        expect(table.postedWithKey(id, keyOf(entry.key + 1))).toBe(false);
      }
    }
    expect(table.posted).toBe(posted);
    // Every third id is neither proposed nor posted, so the table holds none of it.
    expect(table.heldStrings).toBe(others.filter((_, index) => index % 3 !== 1).length);
    expect(table.flagsOf(randomUUID())).toBe(0);
    expect(table.flagsOf("never seen")).toBe(0);
    expect(table.postedWithKey("never seen", keyOf(1))).toBe(false);
  });

  it("gives the 128 bits of a canonical UUID and refuses any other id", () => {
    const table = new EntryTable();
    const words = new Uint32Array(4);
    expect(table.uuidWords("01234567-89ab-cdef-0123-456789abcdef", words)).toBe(true);
    expect([...words]).toEqual([0x01234567, 0x89abcdef, 0x01234567, 0x89abcdef]);
    expect(table.uuidWords("01234567-89AB-cdef-0123-456789abcdef", words)).toBe(false);
  });
});

/** A stand-in for a stored hash: the chain's links are checked here, its hashes by the other thread. */
const fakeHash = (revision: number): string => revision.toString(16).padStart(64, "0");

const line = (account: string, side: "debit" | "credit") => ({
  account,
  side,
  amount: "10.00",
  memberId: null,
  unit: null,
  counterparty: null,
  memo: null,
});

const lines = [line("1101", "debit"), line("4101", "credit")];
const mirroredLines = [line("1101", "credit"), line("4101", "debit")];
const posting = (entryId: string, reverses: string | null = null) => ({
  entryId,
  kind: "regular",
  date: "2025-01-02",
  lines: reverses === null ? lines : mirroredLines,
  reverses,
});

/** The verdict on a ledger opened and then given `events` (type and data). */
const verdictOn = (events: readonly (readonly [string, unknown])[]) => {
  const verifier = new LedgerVerifier("ledger-kkmp-entries", true);
  const all: (readonly [string, unknown])[] = [["LedgerOpened", {}], ...events];
  for (const [revision, [type, data]] of all.entries()) {
    const prevHash = revision === 0 ? GENESIS_PREV_HASH : fakeHash(revision - 1);
    verifier.accept({
      streamId: "ledger-kkmp-entries",
      revision,
      type,
      data,
      metadata: { prevHash, hash: fakeHash(revision) },
    });
  }
  return verifier.finish();
};

/** The findings that rest on the entries met before, for canonical UUIDs and for ids of any other form. */
describe.each([
  ["canonical UUIDs", randomUUID(), randomUUID()],
  ["other ids", "entry-1", "reversal-1"],
])("the entries a ledger refers to, with %s", (_, entry, reversal) => {
  it("passes an entry proposed, approved, posted, then reversed by its mirror", () => {
    expect(
      verdictOn([
        ["JournalEntryProposed", { entryId: entry, lines }],
        ["JournalEntryApproved", { entryId: entry }],
        ["JournalEntryPosted", posting(entry)],
        ["JournalEntryPosted", posting(reversal, entry)],
        ["JournalEntryReversed", { entryId: entry }],
        ["FiscalYearClosed", { entryId: reversal }],
      ]),
    ).toMatchObject({ ok: true, postedEntries: 2 });
  });

  it("names an entry posted twice", () => {
    expect(
      verdictOn([
        ["JournalEntryPosted", posting(entry)],
        ["JournalEntryPosted", posting(entry)],
      ]),
    ).toMatchObject({ ok: false, revision: 2, reason: `entry ${entry} is posted twice` });
  });

  it("names an approval of an entry never proposed", () => {
    expect(verdictOn([["JournalEntryApproved", { entryId: entry }]])).toMatchObject({
      ok: false,
      revision: 1,
      reason: `JournalEntryApproved names entry ${entry}, which was never proposed`,
    });
  });

  it("names a reversal of an entry not posted before it, and one that does not mirror it", () => {
    expect(verdictOn([["JournalEntryPosted", posting(reversal, entry)]])).toMatchObject({
      ok: false,
      reason: `reversal ${reversal} reverses entry ${entry}, which is not posted before it`,
    });
    expect(
      verdictOn([
        ["JournalEntryPosted", posting(entry)],
        ["JournalEntryPosted", { ...posting(reversal, entry), lines }],
      ]),
    ).toMatchObject({ ok: false, revision: 2, reason: expect.stringContaining("does not mirror") });
  });

  it("names an entry reversed twice, and a reversal of an entry never posted", () => {
    expect(
      verdictOn([
        ["JournalEntryPosted", posting(entry)],
        ["JournalEntryReversed", { entryId: entry }],
        ["JournalEntryReversed", { entryId: entry }],
      ]),
    ).toMatchObject({ ok: false, revision: 3, reason: `entry ${entry} is reversed twice` });
    expect(verdictOn([["JournalEntryReversed", { entryId: entry }]])).toMatchObject({
      ok: false,
      reason: `JournalEntryReversed names entry ${entry}, which is not posted`,
    });
  });

  it("names a year-end reference to an entry never posted, at the end", () => {
    expect(
      verdictOn([
        ["JournalEntryProposed", { entryId: entry, lines }],
        ["FiscalYearClosed", { entryId: entry }],
      ]),
    ).toMatchObject({
      ok: false,
      revision: 2,
      reason: `FiscalYearClosed names entry ${entry}, which is never posted`,
    });
  });
});
