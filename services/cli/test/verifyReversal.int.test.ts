/**
 * `bukubesar verify` checks that a reversal mirrors the entry it reverses: the decider builds it from the
 * original's lines with debit and credit swapped (ledger-core's reverseJournalEntry, reverseMemberExit and
 * reopenYear), so one written into the store around the decider with other amounts, on a correct hash
 * chain, is named; each kind of reversal the decider makes checks.
 */
import { join } from "node:path";
import type { EntryLine, LedgerCommand } from "@bukubesar/ledger-core";
import {
  admin,
  approver,
  command,
  credit,
  debit,
  journalEntryPosted,
  memberRegistered,
} from "@bukubesar/ledger-core/testing";
import { describe, expect, it } from "vitest";
import {
  openCooperative,
  postingCommands,
  recordCommands,
  recordEventsAsIs,
  runBukubesar,
  temporaryDirectory,
} from "./fixtures.js";

const COOP = "kkmp-balik";
const ENV = { DATA_DIR: "data", STORE_URL: "" };
const REVERSAL_DATE = "2025-09-30";

/** A store with COOP's three postings (entry-1's lines are 1000.00 each). */
const seededStore = async (): Promise<{ directory: string; storeUrl: string }> => {
  const directory = temporaryDirectory();
  const storeUrl = `sqlite:${join(directory, "data", "bukubesar.db")}`;
  await openCooperative(storeUrl, COOP);
  await recordCommands(storeUrl, COOP, postingCommands(3));
  return { directory, storeUrl };
};

/** The two events of a reversal of entry-1 as the decider writes them, with `lines` as given. */
const reversalOfEntryOne = (lines: readonly EntryLine[]) =>
  [
    {
      type: "JournalEntryPosted",
      data: {
        entryId: "reversal-1",
        kind: "reversal",
        date: REVERSAL_DATE,
        memo: "Salah catat",
        lines,
        postedBy: "test-treasurer",
        proposedBy: null,
        reverses: "entry-1",
      },
    },
    {
      type: "JournalEntryReversed",
      data: { entryId: "entry-1", reversedBy: "reversal-1", reason: "Salah catat" },
    },
  ] as const;

describe("verify and reversals", () => {
  it("names a reversal whose lines do not mirror its original's, written around the decider", async () => {
    const { directory, storeUrl } = await seededStore();
    // Balanced and on accounts the ledger knows, but 1.00 against entry-1's 1000.00.
    await recordEventsAsIs(
      storeUrl,
      COOP,
      reversalOfEntryOne([credit("1101", "1.00"), debit("4101", "1.00")]),
    );
    const result = await runBukubesar(["verify"], { cwd: directory, env: ENV });
    expect(result.stdout).toContain("reversal reversal-1 does not mirror entry entry-1");
    expect(result.stdout).toMatch(/FAIL {2}kkmp-balik: revision \d+: reversal reversal-1/);
    expect(result.code).toBe(1);
  }, 60_000);

  it("checks a reversal the decider made, and one written with the mirrored lines in another order", async () => {
    const { directory, storeUrl } = await seededStore();
    const reverse: LedgerCommand = {
      type: "ReverseJournalEntry",
      actor: { principalId: "test-treasurer", role: "treasurer" },
      data: { entryId: "entry-2", reversalEntryId: "reversal-2", date: REVERSAL_DATE, reason: "Salah catat" },
    };
    await recordCommands(storeUrl, COOP, [reverse]);
    await recordEventsAsIs(
      storeUrl,
      COOP,
      reversalOfEntryOne([debit("4101", "1000"), credit("1101", "1000.00")]),
    );
    const result = await runBukubesar(["verify"], { cwd: directory, env: ENV });
    expect(result.stdout).toContain("Sound: 1 ledger");
    expect(result.code).toBe(0);
  }, 60_000);

  it("checks a member exit reversed through the decider, whose lines name the member", async () => {
    const { directory, storeUrl } = await seededStore();
    const member = { memberId: "A-0012", counterparty: "member" as const };
    await recordEventsAsIs(storeUrl, COOP, [
      memberRegistered("A-0012"),
      journalEntryPosted("pokok", "2025-08-01", [
        debit("1101", "100000.00"),
        credit("3100", "100000.00", member),
      ]),
      journalEntryPosted("wajib", "2025-09-05", [
        debit("1101", "25000.00"),
        credit("3200", "25000.00", member),
      ]),
    ]);
    await recordCommands(storeUrl, COOP, [
      command("ExitMember", {
        memberId: "A-0012",
        date: "2026-02-01",
        reason: "mengundurkan diri",
        settlementAccount: "1101",
        entryId: "keluar",
      }),
      command("ReverseMemberExit", {
        memberId: "A-0012",
        date: "2026-02-10",
        reason: "salah anggota",
        reversalEntryId: "batal-keluar",
      }),
    ]);
    const result = await runBukubesar(["verify"], { cwd: directory, env: ENV });
    expect(result.stdout).toContain("Sound: 1 ledger");
    expect(result.code).toBe(0);
  }, 60_000);

  it("checks a closed fiscal year reopened through the decider, whose closing entry is undone by its mirror", async () => {
    const { directory, storeUrl } = await seededStore();
    await recordCommands(storeUrl, COOP, [
      command("CloseFiscalYear", { year: 2025, entryId: "closing-2025", today: "2026-01-05" }),
      command("ApproveYearEndStep", { year: 2025, step: "close" }, approver),
      command("ReopenFiscalYear", { year: 2025, reason: "koreksi auditor", entryId: "reopen-2025" }, admin),
    ]);
    const result = await runBukubesar(["verify"], { cwd: directory, env: ENV });
    expect(result.stdout).toContain("Sound: 1 ledger");
    expect(result.code).toBe(0);
  }, 60_000);
});
