import { describe, expect, it } from "vitest";
import type { LedgerEvent } from "../src/index.js";
import { ledgerDecider } from "../src/index.js";
import {
  approver,
  command,
  credit,
  debit,
  deciderSpec,
  kkmpLedger,
  postJournalEntry,
} from "../src/testing/index.js";

const given = deciderSpec(ledgerDecider);

/** A delivery van bought for 12,000,000 and depreciated by 1,000,000. */
const depreciated = (): LedgerEvent[] => [
  ...kkmpLedger(),
  {
    type: "JournalEntryPosted",
    data: {
      entryId: "van",
      kind: "regular",
      date: "2026-01-05",
      memo: "Pembelian kendaraan dan penyusutan Januari",
      lines: [
        debit("1604", "12000000.00"),
        credit("2604", "12000000.00"),
        debit("6107", "1000000.00"),
        credit("1690", "1000000.00"),
      ],
      postedBy: "bendahara-1",
      proposedBy: null,
      reverses: null,
    },
  },
];

describe("contra accounts stay on their own side", () => {
  it("takes a debit to accumulated depreciation up to what it holds", () => {
    given(depreciated())
      .when(
        postJournalEntry([debit("1690", "1000000.00"), credit("1604", "1000000.00")], { entryId: "dispose" }),
      )
      .thenAccepts();
  });

  it("refuses to push accumulated depreciation to a debit balance, naming the line", () => {
    const refusal = given(depreciated())
      .when(
        postJournalEntry([debit("1690", "1000000.01"), credit("1604", "1000000.01")], {
          entryId: "too-much",
        }),
      )
      .thenRejects("ContraAccountMustNotCrossSide", "contra_account_wrong_side");
    expect(refusal.path).toBe("lines[0].amount");
    expect(refusal.message).toContain("1690");
  });

  it("refuses a debit to an allowance with nothing in it, and a credit that would make returns negative", () => {
    given(kkmpLedger())
      .when(postJournalEntry([debit("1209", "10.00"), credit("6108", "10.00")], { entryId: "e" }))
      .thenRejects("ContraAccountMustNotCrossSide");
    given(kkmpLedger())
      .when(postJournalEntry([debit("1101", "10.00"), credit("4900", "10.00")], { entryId: "e" }))
      .thenRejects("ContraAccountMustNotCrossSide");
  });

  it("checks an entry again when it is approved", () => {
    const proposed: LedgerEvent = {
      type: "JournalEntryProposed",
      data: {
        entryId: "p",
        date: "2026-02-01",
        memo: "Koreksi penyusutan",
        lines: [debit("1690", "600000.00"), credit("6107", "600000.00")],
        proposedBy: "bendahara-1",
      },
    };
    const meanwhile: LedgerEvent = {
      type: "JournalEntryPosted",
      data: {
        entryId: "m",
        kind: "regular",
        date: "2026-01-31",
        memo: "Pelepasan sebagian",
        lines: [debit("1690", "600000.00"), credit("1604", "600000.00")],
        postedBy: "bendahara-1",
        proposedBy: null,
        reverses: null,
      },
    };
    given([...depreciated(), proposed, meanwhile])
      .when(command("ApproveJournalEntry", { entryId: "p" }, approver))
      .thenRejects("ContraAccountMustNotCrossSide");
  });
});
