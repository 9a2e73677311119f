import { describe, expect, it } from "vitest";
import type { LedgerEvent } from "../src/index.js";
import { foldLedger, ledgerDecider } from "../src/index.js";
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
  treasurer,
} from "../src/testing/index.js";

const given = deciderSpec(ledgerDecider);

const posted = journalEntryPosted;

const member = { memberId: "A-0012", counterparty: "member" as const };

/** A member who joined on 2025-08-01 and paid simpanan pokok, wajib and sukarela. */
const withSavings = (): LedgerEvent[] => [
  ...kkmpLedger(),
  memberRegistered("A-0012"),
  posted("modal", "2025-08-01", [debit("1101", "1000000.00"), credit("3300", "1000000.00")]),
  posted("pokok", "2025-08-01", [debit("1101", "100000.00"), credit("3100", "100000.00", member)]),
  posted("wajib", "2025-09-05", [debit("1101", "25000.00"), credit("3200", "25000.00", member)]),
  posted("sukarela", "2025-09-05", [debit("1101", "40000.00"), credit("2101", "40000.00", member)]),
];

describe("member sub-ledgers (control 7)", () => {
  it("refuses a line on a member control account that names no member, at the line's memberId", () => {
    const refusal = given(withSavings())
      .when(postJournalEntry([debit("1101", "25000.00"), credit("3200", "25000.00")]))
      .thenRejects("MemberMustBeNamed", "member_required");
    expect(refusal.path).toBe("lines[1].memberId");
  });

  it("refuses a member loan to no member: loans from the unit go to registered members only (control 9)", () => {
    given(withSavings())
      .when(
        postJournalEntry([
          debit("1201", "500000.00", { unit: "simpan_pinjam" }),
          credit("1101", "500000.00"),
        ]),
      )
      .thenRejects("MemberMustBeNamed", "member_required");
    given(withSavings())
      .when(
        postJournalEntry([
          debit("1201", "500000.00", { memberId: "Z-9", unit: "simpan_pinjam" }),
          credit("1101", "500000.00"),
        ]),
      )
      .thenRejects("MemberMustBeRegistered", "unknown_member");
  });

  it("keeps each member's balance on every control account, summing to the account", () => {
    const state = foldLedger([
      ...withSavings(),
      memberRegistered("A-0013", "Budi"),
      posted("pokok-2", "2025-08-02", [
        debit("1101", "100000.00"),
        credit("3100", "100000.00", { memberId: "A-0013" }),
      ]),
    ]);
    expect(state.memberBalances.get("A-0012")?.get("3100")).toBe(10000000n);
    expect(state.memberBalances.get("A-0013")?.get("3100")).toBe(10000000n);
    expect(state.accounts.get("3100")?.balance).toBe(20000000n);
  });
});

describe("member and non-member business (control 8)", () => {
  it("refuses a member-only account tagged non_member, and a non-member account naming a member", () => {
    const first = given(withSavings())
      .when(
        postJournalEntry([
          debit("1101", "10000.00"),
          credit("4101", "10000.00", { counterparty: "non_member" }),
        ]),
      )
      .thenRejects("BusinessMustMatchAccount", "member_business_mismatch");
    expect(first.path).toBe("lines[1].counterparty");
    const second = given(withSavings())
      .when(postJournalEntry([debit("1101", "10000.00"), credit("4201", "10000.00", member)]))
      .thenRejects("BusinessMustMatchAccount", "member_business_mismatch");
    expect(second.path).toBe("lines[1].memberId");
  });

  it("refuses a line that names a member and says non_member", () => {
    const refusal = given(withSavings())
      .when(
        postJournalEntry([
          debit("1101", "10000.00"),
          credit("4301", "10000.00", { memberId: "A-0012", counterparty: "non_member" }),
        ]),
      )
      .thenRejects("CounterpartyMustMatchMember", "member_counterparty_conflict");
    expect(refusal.path).toBe("lines[1].counterparty");
  });

  it("holds a return (a debit to the sales account) to the account's side too", () => {
    given(withSavings())
      .when(
        postJournalEntry([debit("5201", "5000.00", member), credit("1301", "5000.00")], { entryId: "hpp" }),
      )
      .thenRejects("BusinessMustMatchAccount", "member_business_mismatch");
    given(withSavings())
      .when(
        postJournalEntry([debit("4101", "5000.00", member), credit("1101", "5000.00")], { entryId: "retur" }),
      )
      .thenAccepts();
  });

  it("takes untagged lines on member accounts (who bought is unknown) and member lines on shared accounts", () => {
    given(withSavings())
      .when(postJournalEntry([debit("1101", "10000.00"), credit("4101", "10000.00")]))
      .thenAccepts();
  });
});

describe("membership dates and simpanan pokok (control 9)", () => {
  it("refuses a line for a member dated before they joined", () => {
    const refusal = given(withSavings())
      .when(
        postJournalEntry([debit("1101", "25000.00"), credit("3200", "25000.00", member)], {
          date: "2025-07-31",
        }),
      )
      .thenRejects("MemberMustBeActiveOnDate", "member_not_active");
    expect(refusal.path).toBe("lines[1].memberId");
  });

  it("refuses to return simpanan pokok in an ordinary entry, but lets a reversal undo a mistaken deposit", () => {
    const refusal = given(withSavings())
      .when(postJournalEntry([debit("3100", "100000.00", member), credit("1101", "100000.00")]))
      .thenRejects("SimpananPokokMustStayUntilExit", "simpanan_pokok_locked");
    expect(refusal.path).toBe("lines[0].account");
    given(withSavings())
      .when(
        command("ReverseJournalEntry", {
          entryId: "pokok",
          reversalEntryId: "pokok-batal",
          date: "2025-08-02",
          reason: "salah anggota",
        }),
      )
      .thenAccepts();
  });

  it("settles a leaving member's pokok, wajib and sukarela in one member_exit entry", () => {
    given(withSavings())
      .when(
        command("ExitMember", {
          memberId: "A-0012",
          date: "2026-02-01",
          reason: "pindah domisili",
          settlementAccount: "1101",
          entryId: "keluar-A-0012",
        }),
      )
      .thenEmits([
        {
          type: "JournalEntryPosted",
          data: {
            entryId: "keluar-A-0012",
            kind: "member_exit",
            date: "2026-02-01",
            memo: "pindah domisili",
            lines: [
              debit("2101", "40000.00", member),
              debit("3100", "100000.00", member),
              debit("3200", "25000.00", member),
              credit("1101", "165000.00", { counterparty: "member" }),
            ],
            postedBy: "bendahara-1",
            proposedBy: null,
            reverses: null,
          },
        },
        {
          type: "MemberExited",
          data: {
            memberId: "A-0012",
            exitedOn: "2026-02-01",
            reason: "pindah domisili",
            entryId: "keluar-A-0012",
            owedOn: null,
          },
        },
      ]);
  });

  it("keeps each member's SHU owed on 2401: a payout naming no member is refused, the exit settles it", () => {
    // Given the member's share of the RAT's jasa usaha owed on 2401 (as the appropriation credits it)
    const withShuOwed = [
      ...withSavings(),
      posted("rat-2025", "2026-01-20", [debit("3600", "30000.00"), credit("2401", "30000.00", member)]),
    ];
    // When the treasurer pays SHU from 2401 without naming whose it is, then it is refused at that line
    const refusal = given(withShuOwed)
      .when(postJournalEntry([debit("2401", "30000.00"), credit("1101", "30000.00")], { date: "2026-01-25" }))
      .thenRejects("MemberMustBeNamed", "member_required");
    expect(refusal.path).toBe("lines[0].memberId");
    // When the member leaves, then the exit pays the SHU owed with the savings
    const [exitEntry] = given(withShuOwed)
      .when(
        command("ExitMember", {
          memberId: "A-0012",
          date: "2026-02-01",
          reason: "pindah domisili",
          settlementAccount: "1101",
          entryId: "keluar-A-0012",
        }),
      )
      .thenAccepts();
    expect(exitEntry?.type === "JournalEntryPosted" ? exitEntry.data.lines : []).toContainEqual(
      debit("2401", "30000.00", member),
    );
  });

  const exitTo2103 = command("ExitMember", {
    memberId: "A-0012",
    date: "2026-02-01",
    reason: "mengundurkan diri",
    settlementAccount: "2103",
    entryId: "keluar",
  });

  it("after the exit refuses every line for the member but the payment of what the exit left owed", () => {
    const exited = [...withSavings(), ...given(withSavings()).when(exitTo2103).thenAccepts()];
    given(exited)
      .when(
        postJournalEntry([debit("1101", "25000.00"), credit("3200", "25000.00", member)], {
          date: "2026-02-05",
        }),
      )
      .thenRejects("MemberMustBeActiveOnDate", "member_not_active");
    given(exited)
      .when(
        postJournalEntry([debit("2103", "165000.00", member), credit("1101", "165000.00")], {
          date: "2026-02-05",
        }),
      )
      .thenAccepts();
    given(exited).when(exitTo2103).thenRejects("MemberMustNotHaveExited", "member_exited");
  });

  it("pays a member who has left the SHU a later RAT credited them on 2401, and nothing more", () => {
    // Given a member who left in February and the RAT's appropriation in March crediting their jasa usaha
    const exited = [...withSavings(), ...given(withSavings()).when(exitTo2103).thenAccepts()];
    const credited = [
      ...exited,
      posted("rat-2025", "2026-03-15", [debit("3600", "30000.00"), credit("2401", "30000.00", member)]),
    ];
    // When the treasurer pays it naming the member, then it is accepted (before: member_not_active for ever)
    given(credited)
      .when(
        postJournalEntry([debit("2401", "30000.00", member), credit("1101", "30000.00")], {
          date: "2026-03-20",
        }),
      )
      .thenAccepts();
    // When an ordinary entry credits the member on 2401 by hand, then it stays refused
    given(credited)
      .when(
        postJournalEntry([debit("1101", "30000.00"), credit("2401", "30000.00", member)], {
          date: "2026-03-20",
        }),
      )
      .thenRejects("MemberMustBeActiveOnDate", "member_not_active");
  });

  it("refuses the exit of a member who still owes a loan, and one dated before their last entry", () => {
    const borrowed = [
      ...withSavings(),
      posted("pinjam", "2025-10-10", [debit("1201", "200000.00", member), credit("1101", "200000.00")]),
    ];
    given(borrowed).when(exitTo2103).thenRejects("MemberLoanMustBeRepaid", "member_loan_outstanding");
    const early = given(withSavings())
      .when(command("ExitMember", { ...exitTo2103.data, date: "2025-09-01" }))
      .thenRejects("MemberMustBeActiveOnDate", "member_not_active");
    expect(early.path).toBe("date");
    given(withSavings())
      .when(command("ExitMember", { ...exitTo2103.data, settlementAccount: "3200" }))
      .thenRejects("SettlementAccountMustBeValid", "validation_failed");
  });
});

describe("system accounts and adjusting entries (control 10)", () => {
  const reserveByHand = [debit("1101", "50000.00"), credit("3500", "50000.00")];

  it("refuses an ordinary entry on 3500, 3600, 3610 or 3700, naming the line's account", () => {
    for (const code of ["3500", "3600", "3610", "3700"]) {
      const refusal = given(withSavings())
        .when(postJournalEntry([debit("1101", "1.00"), credit(code, "1.00")]))
        .thenRejects("SystemAccountMustNotBePostedByHand", "system_account");
      expect(refusal.path).toBe("lines[1].account");
    }
  });

  it("takes the correction as an adjusting entry that waits for an approver other than its proposer", () => {
    const proposed = given(withSavings())
      .when(
        command("PostJournalEntry", {
          entryId: "adj-1",
          date: "2025-12-31",
          memo: "koreksi",
          lines: reserveByHand,
          kind: "adjusting",
        }),
      )
      .thenAccepts();
    expect(proposed).toEqual([
      expect.objectContaining({
        type: "JournalEntryProposed",
        data: expect.objectContaining({ kind: "adjusting" }),
      }),
    ]);
    const pending = [...withSavings(), ...proposed];
    given(pending)
      .when(command("ApproveJournalEntry", { entryId: "adj-1" }, treasurer))
      .thenRejects("ApproverMustNotBeProposer", "self_approval");
    const approved = given(pending)
      .when(command("ApproveJournalEntry", { entryId: "adj-1" }, approver))
      .thenAccepts();
    expect(approved[1]).toEqual(
      expect.objectContaining({
        type: "JournalEntryPosted",
        data: expect.objectContaining({ kind: "adjusting", proposedBy: "bendahara-1", postedBy: "ketua-1" }),
      }),
    );
    given([...pending, ...approved])
      .when(
        command("ReverseJournalEntry", {
          entryId: "adj-1",
          reversalEntryId: "r",
          date: "2026-01-02",
          reason: "x",
        }),
      )
      .thenRejects("SystemEntryMustNotBeReversed", "validation_failed");
  });
});
