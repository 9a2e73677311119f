import { describe, expect, it } from "vitest";
import type { LedgerEvent } from "../src/index.js";
import { defaultSettings, foldLedger, ledgerDecider } from "../src/index.js";
import {
  approver,
  command,
  credit,
  debit,
  deciderSpec,
  journalEntryPosted,
  kkmpLedger,
  memberRegistered,
  postJournalEntry,
  TEST_REGION_CODE,
  treasurer,
} from "../src/testing/index.js";

const given = deciderSpec(ledgerDecider);

const posted = journalEntryPosted;

const member = { memberId: "A-0012", counterparty: "member" as const };

/** A member with simpanan pokok 100.000 and wajib 25.000; approvals above 100.000. */
const withSavings = (): LedgerEvent[] => [
  ...kkmpLedger(),
  {
    type: "SettingsChanged",
    data: { settings: { ...defaultSettings(TEST_REGION_CODE), approvalThreshold: "100000.00" } },
  },
  memberRegistered("A-0012"),
  posted("modal", "2025-08-01", [debit("1101", "1000000.00"), credit("3300", "1000000.00")]),
  posted("pokok", "2025-08-01", [debit("1101", "100000.00"), credit("3100", "100000.00", member)]),
  posted("wajib", "2025-09-05", [debit("1101", "25000.00"), credit("3200", "25000.00", member)]),
];

const exitTo = (settlementAccount: string) =>
  command("ExitMember", {
    memberId: "A-0012",
    date: "2026-02-01",
    reason: "mengundurkan diri",
    settlementAccount,
    entryId: "keluar",
  });

const approveExit = (actor = approver) => command("ApproveJournalEntry", { entryId: "keluar" }, actor);

const reverseExit = (date = "2026-02-10") =>
  command("ReverseMemberExit", {
    memberId: "A-0012",
    date,
    reason: "salah anggota",
    reversalEntryId: "batal-keluar",
  });

describe("an exit above the approval threshold waits for a second person", () => {
  it("proposes the settlement and freezes the member until an approver other than the treasurer approves it", () => {
    // Given a settlement of 125.000 above the threshold of 100.000
    // When the treasurer records the exit, then the entry is proposed and the member is not yet gone
    const proposed = given(withSavings()).when(exitTo("1101")).thenAccepts();
    expect(proposed.map((event) => event.type)).toEqual(["JournalEntryProposed", "MemberExitRequested"]);
    const pending = [...withSavings(), ...proposed];
    expect(foldLedger(pending).members.get("A-0012")?.exitedOn).toBeNull();
    // Nothing else is posted for the member meanwhile, and a second request is refused
    const frozen = given(pending)
      .when(
        postJournalEntry([debit("1101", "1000.00"), credit("3200", "1000.00", member)], {
          date: "2026-02-02",
        }),
      )
      .thenRejects("MemberExitMustNotBePending", "approval_pending");
    expect(frozen.path).toBe("lines[1].memberId");
    given(pending).when(exitTo("1101")).thenRejects("MemberExitMustNotBePending", "approval_pending");
    // The treasurer cannot approve their own request; the approver posts it and the member leaves
    given(pending).when(approveExit(treasurer)).thenRejects("ApproverMustNotBeProposer", "self_approval");
    const approved = given(pending).when(approveExit()).thenAccepts();
    expect(approved.map((event) => event.type)).toEqual([
      "JournalEntryApproved",
      "JournalEntryPosted",
      "MemberExited",
    ]);
    const after = foldLedger([...pending, ...approved]);
    expect(after.members.get("A-0012")?.exitedOn).toBe("2026-02-01");
    expect(after.members.get("A-0012")?.pendingExit).toBeUndefined();
    expect(after.memberBalances.get("A-0012")?.get("3100")).toBe(0n);
  });

  it("a rejected exit leaves the member a member, who can post and leave again", () => {
    const proposed = given(withSavings()).when(exitTo("1101")).thenAccepts();
    const rejected = given([...withSavings(), ...proposed])
      .when(command("RejectJournalEntry", { entryId: "keluar", reason: "belum RAT" }, approver))
      .thenAccepts();
    const history = [...withSavings(), ...proposed, ...rejected];
    expect(foldLedger(history).members.get("A-0012")?.pendingExit).toBeUndefined();
    given(history)
      .when(
        postJournalEntry([debit("1101", "1000.00"), credit("3200", "1000.00", member)], {
          date: "2026-02-02",
        }),
      )
      .thenAccepts();
  });

  it("refuses the approval when the payable it settles on has become a member sub-ledger meanwhile", () => {
    // Given an exit owed on 2103 waiting for approval, and 2103 tagged a member sub-ledger since
    const proposed = given(withSavings()).when(exitTo("2103")).thenAccepts();
    const tagged: LedgerEvent = { type: "AccountTagged", data: { code: "2103", memberControl: true } };
    // Then the approval is refused: the member would leave holding a balance on a member sub-ledger
    // (before: approved, the member gone with 125.000 on a member control account)
    given([...withSavings(), ...proposed, tagged])
      .when(approveExit())
      .thenRejects("SettlementAccountMustBeValid", "validation_failed");
  });

  it("refuses the approval when the member's balances changed since the request", () => {
    const proposed = given(withSavings()).when(exitTo("1101")).thenAccepts();
    // A RAT appropriation (built by the ledger, not checked against the freeze) credits SHU meanwhile
    const shu = posted("rat", "2026-02-05", [debit("3600", "3000.00"), credit("2401", "3000.00", member)]);
    given([...withSavings(), ...proposed, shu])
      .when(approveExit())
      .thenRejects("ExitSettlementMustBeUnchanged", "exit_settlement_changed");
  });

  it("posts an exit at or below the threshold at once, as before", () => {
    const small = [
      ...withSavings(),
      posted("tarik", "2025-10-01", [debit("3200", "25000.00", member), credit("1101", "25000.00")]),
    ];
    const events = given(small).when(exitTo("1101")).thenAccepts();
    expect(events.map((event) => event.type)).toEqual(["JournalEntryPosted", "MemberExited"]);
  });
});

describe("a recorded exit can be reversed", () => {
  const exitedTo2103 = (): LedgerEvent[] => {
    const proposed = given(withSavings()).when(exitTo("2103")).thenAccepts();
    const approved = given([...withSavings(), ...proposed])
      .when(approveExit())
      .thenAccepts();
    return [...withSavings(), ...proposed, ...approved];
  };

  it("reverses the exit entry and reinstates the member with their savings", () => {
    const events = given(exitedTo2103()).when(reverseExit()).thenAccepts();
    expect(events.map((event) => event.type)).toEqual([
      "JournalEntryPosted",
      "JournalEntryReversed",
      "MemberExitReversed",
    ]);
    const reversal = events[0];
    expect(reversal?.type === "JournalEntryPosted" ? reversal.data : null).toMatchObject({
      kind: "reversal",
      reverses: "keluar",
      lines: expect.arrayContaining([
        credit("3100", "100000.00", member),
        debit("2103", "125000.00", member),
      ]),
    });
    const state = foldLedger([...exitedTo2103(), ...events]);
    expect(state.members.get("A-0012")).toMatchObject({ exitedOn: null, exitSettlementAccount: null });
    expect(state.memberBalances.get("A-0012")?.get("3100")).toBe(10_000_000n);
    expect(state.accounts.get("2103")?.balance).toBe(0n);
    // The member posts again, and the exit cannot be reversed twice
    given([...exitedTo2103(), ...events])
      .when(
        postJournalEntry([debit("1101", "1000.00"), credit("3200", "1000.00", member)], {
          date: "2026-02-11",
        }),
      )
      .thenAccepts();
    given([...exitedTo2103(), ...events])
      .when(reverseExit())
      .thenRejects("MemberMustHaveExited", "member_not_exited");
  });

  it("refuses a reversal once the settlement owed on 2103 was paid, before the exit, or in a closed month", () => {
    const paid = [
      ...exitedTo2103(),
      posted("bayar", "2026-02-05", [debit("2103", "25000.00", member), credit("1101", "25000.00")]),
    ];
    const refusal = given(paid)
      .when(reverseExit())
      .thenRejects("ExitSettlementMustBeUnpaid", "exit_settlement_paid");
    expect(refusal.message).toContain("25000.00");
    const early = given(exitedTo2103())
      .when(reverseExit("2026-01-31"))
      .thenRejects("ReversalMustNotPrecedeOriginal", "invalid_date");
    expect(early.path).toBe("date");
    given([...exitedTo2103(), { type: "PeriodClosed", data: { period: "2026-02" } }])
      .when(reverseExit())
      .thenRejects("PeriodMustBeOpen", "period_closed");
  });

  it("refuses reversing the exit entry as an ordinary journal entry: the member would stay gone", () => {
    given(exitedTo2103())
      .when(
        command("ReverseJournalEntry", {
          entryId: "keluar",
          reversalEntryId: "r",
          date: "2026-02-10",
          reason: "x",
        }),
      )
      .thenRejects("SystemEntryMustNotBeReversed", "validation_failed");
  });
});

describe("an exit whose balances net to zero", () => {
  it("still clears them (found by the sub-ledger property, seed 2001764296: the member was left holding both)", () => {
    // Given a member whose 0.01 of sukarela was moved into pokok: 2101 at -0.01, 3100 at +0.01, netting to 0
    const history = [
      ...kkmpLedger(),
      memberRegistered("A-0012"),
      posted("geser", "2025-09-01", [debit("2101", "0.01", member), credit("3100", "0.01", member)]),
    ];
    // When they leave, then one entry clears both, with no settlement line
    const events = given(history).when(exitTo("1101")).thenAccepts();
    expect(events[0]?.type === "JournalEntryPosted" ? events[0].data.lines : []).toEqual([
      credit("2101", "0.01", member),
      debit("3100", "0.01", member),
    ]);
    const state = foldLedger([...history, ...events]);
    expect([...(state.memberBalances.get("A-0012")?.values() ?? [])]).toEqual([0n, 0n]);
  });
});
