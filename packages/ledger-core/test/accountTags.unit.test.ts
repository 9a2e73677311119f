import { describe, expect, it } from "vitest";
import type { AccountOpened, LedgerEvent } from "../src/index.js";
import { foldLedger, ledgerDecider } from "../src/index.js";
import {
  admin,
  command,
  credit,
  debit,
  deciderSpec,
  journalEntryPosted,
  kkmpAccountsOpened,
  ledgerOpened,
  memberRegistered,
  postJournalEntry,
} from "../src/testing/index.js";

const given = deciderSpec(ledgerDecider);

/** The kkmp chart as a ledger opened before the control tags existed recorded it: no account has any. */
const untaggedLedger = (): LedgerEvent[] => [
  ledgerOpened(),
  ...kkmpAccountsOpened().map((opened): AccountOpened => {
    const { memberControl: _m, businessWith: _b, systemAccount: _s, ...data } = opened.data;
    return { type: "AccountOpened", data };
  }),
];

const posted = journalEntryPosted;

const siti = { memberId: "A-0001", counterparty: "member" as const };
const budi = { memberId: "A-0002", counterparty: "member" as const };

/** Two members' simpanan wajib on an untagged 3200, one deposit first booked to nobody and then moved to Budi. */
const oldLedger = (): LedgerEvent[] => [
  ...untaggedLedger(),
  memberRegistered("A-0001", "Siti"),
  memberRegistered("A-0002", "Budi"),
  posted("w1", "2025-09-01", [debit("1101", "60000.00"), credit("3200", "60000.00", siti)]),
  posted("w2", "2025-09-01", [debit("1101", "40000.00"), credit("3200", "40000.00")]),
  posted("w2-fix", "2025-09-02", [debit("3200", "40000.00"), credit("3200", "40000.00", budi)]),
];

const tag = (data: Omit<Parameters<typeof command<"TagAccount">>[1], "code"> & { code?: string }) =>
  command("TagAccount", { code: "3200", ...data }, admin);

describe("tagging the accounts of a ledger opened before the control tags", () => {
  it("makes 3200 a member sub-ledger with each member's balance from its history, so the exit settles it", () => {
    // Given an untagged 3200 whose unnamed lines net to zero
    // When the admin tags it memberControl
    const events = given(oldLedger())
      .when(tag({ memberControl: true }))
      .thenEmits([{ type: "AccountTagged", data: { code: "3200", memberControl: true } }]);
    // Then each member's balance is known, summing to the account, and an exit settles Budi's wajib
    const state = foldLedger([...oldLedger(), ...events]);
    expect(state.memberBalances.get("A-0001")?.get("3200")).toBe(6_000_000n);
    expect(state.memberBalances.get("A-0002")?.get("3200")).toBe(4_000_000n);
    expect(state.accounts.get("3200")?.balance).toBe(10_000_000n);
    const [exit] = given([...oldLedger(), ...events])
      .when(
        command("ExitMember", {
          memberId: "A-0002",
          date: "2026-02-01",
          reason: "pindah",
          settlementAccount: "1101",
          entryId: "keluar",
        }),
      )
      .thenAccepts();
    expect(exit?.type === "JournalEntryPosted" ? exit.data.lines[0] : null).toEqual(
      debit("3200", "40000.00", budi),
    );
    // And from now on a line there naming no member is refused
    given([...oldLedger(), ...events])
      .when(postJournalEntry([debit("1101", "1000.00"), credit("3200", "1000.00")]))
      .thenRejects("MemberMustBeNamed", "member_required");
  });

  it("refuses memberControl while part of the balance names no member, and records nothing", () => {
    const unattributed = [
      ...oldLedger(),
      posted("w3", "2025-10-01", [debit("1101", "25000.00"), credit("3200", "25000.00")]),
    ];
    const refusal = given(unattributed)
      .when(tag({ memberControl: true }))
      .thenRejects("AccountHistoryMustFitTag", "account_history_conflicts");
    expect(refusal.path).toBe("memberControl");
    expect(refusal.message).toContain("25000.00");
  });

  it("refuses memberControl while a member who left still holds a balance there", () => {
    // Given Budi left while 3200 was untagged: his exit did not settle his wajib
    const exited = [
      ...oldLedger(),
      ...given(oldLedger())
        .when(
          command("ExitMember", {
            memberId: "A-0002",
            date: "2026-02-01",
            reason: "pindah",
            settlementAccount: "1101",
            entryId: "keluar",
          }),
        )
        .thenAccepts(),
    ];
    const refusal = given(exited)
      .when(tag({ memberControl: true }))
      .thenRejects("AccountHistoryMustFitTag", "account_history_conflicts");
    expect(refusal.message).toContain("A-0002");
  });

  it("refuses businessWith that the account's posted lines contradict, and accepts it otherwise", () => {
    const sales = [
      ...oldLedger(),
      posted("s1", "2025-10-01", [debit("1101", "5000.00"), credit("4101", "5000.00", siti)]),
      posted("s2", "2025-10-01", [
        debit("1101", "7000.00"),
        credit("4201", "7000.00", { counterparty: "non_member" }),
      ]),
    ];
    given(sales)
      .when(tag({ code: "4201", businessWith: "member" }))
      .thenRejects("AccountHistoryMustFitTag", "account_history_conflicts");
    given(sales)
      .when(tag({ code: "4101", businessWith: "member" }))
      .thenEmits([{ type: "AccountTagged", data: { code: "4101", businessWith: "member" } }]);
  });

  it("makes 3500 a system account, after which posting it by hand is refused", () => {
    const events = given(oldLedger())
      .when(tag({ code: "3500", systemAccount: true }))
      .thenEmits([{ type: "AccountTagged", data: { code: "3500", systemAccount: true } }]);
    given([...oldLedger(), ...events])
      .when(postJournalEntry([debit("1101", "1000.00"), credit("3500", "1000.00")]))
      .thenRejects("SystemAccountMustNotBePostedByHand", "system_account");
  });

  it("refuses a tag that is removed, changed, already set, or does not fit the account", () => {
    const tagged = [
      ...oldLedger(),
      { type: "AccountTagged", data: { code: "4101", businessWith: "member" } },
    ];
    const cases: readonly [Parameters<typeof tag>[0], string, string, string][] = [
      [
        { code: "4101", businessWith: "non_member" },
        "AccountTagMustNotChange",
        "account_tag_locked",
        "businessWith",
      ],
      [{ code: "4101", businessWith: "member" }, "FieldMustBeValid", "validation_failed", ""],
      [{ code: "4101", memberControl: true }, "FieldMustBeValid", "validation_failed", "memberControl"],
      [{ code: "1101", memberControl: true }, "FieldMustBeValid", "validation_failed", "memberControl"],
      [{ code: "6101", systemAccount: true }, "FieldMustBeValid", "validation_failed", "systemAccount"],
      [{ code: "9999", systemAccount: true }, "AccountMustExist", "unknown_account", "code"],
    ];
    for (const [data, tagName, code, path] of cases) {
      const refusal = given(tagged as LedgerEvent[])
        .when(tag(data))
        .thenRejects(tagName, code);
      expect(refusal.path ?? "").toBe(path);
    }
    const withControl = [
      ...oldLedger(),
      { type: "AccountTagged", data: { code: "3200", memberControl: true } },
    ];
    given(withControl as LedgerEvent[])
      .when(tag({ memberControl: false }))
      .thenRejects("AccountTagMustNotChange", "account_tag_locked");
  });
});
