import { randomUUID } from "node:crypto";
import type { StoredEvent } from "@bukubesar/event-store";
import { GENESIS_PREV_HASH } from "@bukubesar/ledger-core";
import { describe, expect, it } from "vitest";
import { EntryIdSet } from "../src/entryIdSet.js";
import { StreamVerification } from "../src/verifyLedgers.js";

const STREAM = "ledger-kkmp-memory";
const RECORDED_AT = "2025-01-01T00:00:00.000Z";

/** A stand-in for a stored hash: the chain's link is checked here, its hash by the other thread. */
const fakeHash = (revision: number): string => revision.toString(16).padStart(64, "0");

const stored = (revision: number, type: string, data: unknown): StoredEvent => ({
  streamId: STREAM,
  revision,
  position: BigInt(revision + 1),
  eventId: `event-${revision}`,
  type,
  data,
  metadata: {
    prevHash: revision === 0 ? GENESIS_PREV_HASH : fakeHash(revision - 1),
    hash: fakeHash(revision),
    recordedAt: RECORDED_AT,
  },
  recordedAt: RECORDED_AT,
});

const line = (account: string, side: "debit" | "credit", amount: string) => ({
  account,
  side,
  amount,
  memberId: null,
  unit: null,
  counterparty: null,
  memo: null,
});

const account = (code: string, accountType: string, normalBalance: string) => ({
  code,
  name: `account ${code}`,
  accountType,
  normalBalance,
  parent: null,
  postable: true,
});

const posted = (entryId: string, day: number, reverses: string | null = null) => ({
  entryId,
  kind: reverses === null ? "regular" : "reversal",
  date: `2025-${String(1 + (day % 12)).padStart(2, "0")}-${String(1 + (day % 28)).padStart(2, "0")}`,
  memo: "sale",
  lines:
    reverses === null
      ? [line("1101", "debit", "1500.25"), line("4101", "credit", "1500.25")]
      : [line("4101", "debit", "1500.25"), line("1101", "credit", "1500.25")],
  reverses,
  postedBy: "teller",
});

/**
 * Feeds a stream of `entries` postings, every tenth one reversed, and answers what the verification
 * still holds per entry and its report. Verify's memory must not grow with the history: the projections'
 * model lets go of each entry and the entry ids are kept as bits, not objects.
 */
const verifyStream = (
  entries: number,
): { held: number; report: ReturnType<StreamVerification["finish"]> } => {
  const verification = new StreamVerification(STREAM, null, null, true);
  let revision = 0;
  const accept = (type: string, data: unknown): void => {
    verification.accept(stored(revision, type, data));
    revision += 1;
  };
  accept("LedgerOpened", { coopId: "kkmp-memory", name: "KKMP", regionCode: "3201", settings: {} });
  accept("AccountOpened", account("1101", "asset", "debit"));
  accept("AccountOpened", account("4101", "income", "credit"));
  let previous = "";
  for (let index = 0; index < entries; index += 1) {
    const entryId = randomUUID();
    accept("JournalEntryPosted", posted(entryId, index));
    if (index % 10 === 9) {
      const reversal = randomUUID();
      accept("JournalEntryPosted", posted(reversal, index, previous));
      accept("JournalEntryReversed", { entryId: previous, reversalEntryId: reversal, reason: "mistake" });
    }
    previous = entryId;
  }
  return { held: verification.heldObjects, report: verification.finish() };
};

describe("verify's memory does not grow with the history", () => {
  it("holds no object per entry after a long stream, and still compares every balance", () => {
    const short = verifyStream(200);
    const long = verifyStream(5_000);
    expect(short.report).toMatchObject({ ok: true, postedEntries: 220 });
    expect(long.report).toMatchObject({ ok: true, postedEntries: 5_500 });
    expect(long.held).toBe(short.held);
    expect(long.held).toBe(0);
  });
});

describe("EntryIdSet", () => {
  it("answers as a set of strings would, for UUIDs and for any other id, past many growths", () => {
    const ids = new EntryIdSet();
    const strings = new Set<string>();
    const others = [
      "entry-1",
      "",
      "A0000000-0000-4000-8000-000000000000",
      "g0000000-0000-4000-8000-000000000000",
    ];
    for (let index = 0; index < 5_000; index += 1) {
      const id = randomUUID();
      ids.add(id);
      strings.add(id);
    }
    for (const id of others) {
      ids.add(id);
      strings.add(id);
    }
    ids.add([...strings][0] as string);
    expect(ids.size).toBe(strings.size);
    expect(ids.heldStrings).toBe(others.length);
    for (const id of strings) expect(ids.has(id)).toBe(true);
    for (let index = 0; index < 5_000; index += 1) expect(ids.has(randomUUID())).toBe(false);
    expect(ids.has("a0000000-0000-4000-8000-000000000000")).toBe(false);
    expect(ids.has("00000000-0000-0000-0000-000000000000")).toBe(false);
    ids.add("00000000-0000-0000-0000-000000000000");
    expect(ids.has("00000000-0000-0000-0000-000000000000")).toBe(true);
    expect(ids.has("entry-2")).toBe(false);
  });
});
