import { describe, expect, it } from "vitest";
import type { LedgerEvent } from "../src/index.js";
import {
  chartTemplates,
  defaultSettings,
  ENTRY_LINES_MAX,
  foldLedger,
  ledgerDecider,
  MEMO_LENGTH_MAX,
  NAME_LENGTH_MAX,
} from "../src/index.js";
import {
  admin,
  approver,
  command,
  credit,
  debit,
  deciderSpec,
  kkmpLedger,
  ledgerOpened,
  memberRegistered,
  postJournalEntry,
  treasurer,
} from "../src/testing/index.js";

const given = deciderSpec(ledgerDecider);

const posted = (
  entryId: string,
  lines: ReturnType<typeof debit>[],
  overrides: Partial<Extract<LedgerEvent, { type: "JournalEntryPosted" }>["data"]> = {},
): LedgerEvent => ({
  type: "JournalEntryPosted",
  data: {
    entryId,
    kind: "regular",
    date: "2026-01-15",
    memo: "Setoran simpanan wajib Januari",
    lines,
    postedBy: treasurer.principalId,
    proposedBy: null,
    reverses: null,
    ...overrides,
  },
});

/** Rp1,000,000 in the cash box, paid in as simpanan pokok by member A-0012. */
const funded = (): LedgerEvent[] => [
  ...kkmpLedger(),
  memberRegistered("A-0012"),
  posted("entry-0", [
    debit("1101", "1000000.00"),
    credit("3100", "1000000.00", { memberId: "A-0012", counterparty: "member" }),
  ]),
];

const withThreshold = (threshold: string): LedgerEvent[] => [
  ...funded(),
  {
    type: "SettingsChanged",
    data: { settings: { ...defaultSettings("35.74.03.1002"), approvalThreshold: threshold } },
  },
];

const proposed: LedgerEvent = {
  type: "JournalEntryProposed",
  data: {
    entryId: "entry-big",
    date: "2026-01-20",
    memo: "Pembelian sembako",
    lines: [debit("1301", "600000.00"), credit("1101", "600000.00")],
    proposedBy: treasurer.principalId,
  },
};

describe("OpenLedger", () => {
  const open = (data: Partial<Parameters<typeof command<"OpenLedger">>[1]> = {}) =>
    command(
      "OpenLedger",
      { coopId: "kkmp-mangunharjo", name: "KKMP Mangunharjo", regionCode: "35.74.03.1002", ...data },
      admin,
    );

  it("opens a ledger with default settings whose time zone follows the province", () => {
    given([]).when(open()).thenEmits([ledgerOpened()]);
    const events = given([])
      .when(open({ regionCode: "51.71.01.1001" }))
      .thenAccepts();
    expect(events[0]).toMatchObject({
      data: { settings: { timeZone: "Asia/Makassar", approvalThreshold: null } },
    });
  });

  it("opens the kkmp chart in the same decision, parents first", () => {
    const events = given([])
      .when(open({ accounts: chartTemplates.kkmp }))
      .thenAccepts();
    expect(events).toHaveLength(1 + chartTemplates.kkmp.length);
    expect(events[2]).toMatchObject({
      type: "AccountOpened",
      data: { code: "1101", parent: "1100", noOverdraft: true },
    });
  });

  it("normalises given settings", () => {
    const events = given([])
      .when(open({ settings: { approvalThreshold: "25000000" } }))
      .thenAccepts();
    expect(events[0]).toMatchObject({ data: { settings: { approvalThreshold: "25000000.00" } } });
  });

  it("refuses a second opening", () => {
    given([ledgerOpened()]).when(open()).thenRejects("LedgerMustNotExist", "cooperative_exists");
  });

  it("refuses a bad region code, coop id, name or settings", () => {
    given([])
      .when(open({ regionCode: "35.74.03" }))
      .thenRejects("RegionCodeMustBeValid", "validation_failed");
    given([])
      .when(open({ coopId: "KK" }))
      .thenRejects("FieldMustBeValid", "validation_failed");
    given([])
      .when(open({ name: " " }))
      .thenRejects("FieldMustBeValid");
    given([])
      .when(open({ settings: { businessHours: { start: "18:00", end: "07:00" } } }))
      .thenRejects("FieldMustBeValid");
  });
});

describe("a ledger that is not opened", () => {
  it("refuses every other command as not_found", () => {
    given([])
      .when(postJournalEntry([debit("1101", "1.00"), credit("4101", "1.00")]))
      .thenRejects("LedgerMustBeOpened", "not_found");
  });
});

describe("ChangeSettings", () => {
  it("records the whole merged settings", () => {
    given([ledgerOpened()])
      .when(
        command(
          "ChangeSettings",
          { settings: { approvalThreshold: "25000000", timeZone: "Asia/Jayapura" } },
          admin,
        ),
      )
      .thenEmits([
        {
          type: "SettingsChanged",
          data: {
            settings: {
              ...defaultSettings("35.74.03.1002"),
              approvalThreshold: "25000000.00",
              timeZone: "Asia/Jayapura",
            },
          },
        },
      ]);
  });

  it("refuses an amount that is not one", () => {
    given([ledgerOpened()])
      .when(command("ChangeSettings", { settings: { largeCashThreshold: "1e9" } }, admin))
      .thenRejects("FieldMustBeValid", "validation_failed");
  });

  it("records a legal entity number and removes it again with null", () => {
    const number = "AHU-0001234.AH.01.29.TAHUN 2025";
    const withNumber = { ...defaultSettings("35.74.03.1002"), legalEntityNumber: number };
    given([ledgerOpened()])
      .when(command("ChangeSettings", { settings: { legalEntityNumber: number } }, admin))
      .thenEmits([{ type: "SettingsChanged", data: { settings: withNumber } }]);
    given([ledgerOpened(), { type: "SettingsChanged", data: { settings: withNumber } }])
      .when(command("ChangeSettings", { settings: { legalEntityNumber: null } }, admin))
      .thenEmits([{ type: "SettingsChanged", data: { settings: defaultSettings("35.74.03.1002") } }]);
  });

  it("refuses a legal entity number longer than a name may be", () => {
    given([ledgerOpened()])
      .when(
        command(
          "ChangeSettings",
          { settings: { legalEntityNumber: "A".repeat(NAME_LENGTH_MAX + 1) } },
          admin,
        ),
      )
      .thenRejects("FieldMustBeValid", "validation_failed");
  });
});

describe("OpenAccount and CloseAccount", () => {
  it("opens an account with the normal balance of its type", () => {
    given([ledgerOpened()])
      .when(
        command("OpenAccount", { code: "1101", name: "Kas Besar", accountType: "asset", noOverdraft: true }),
      )
      .thenEmits([
        {
          type: "AccountOpened",
          data: {
            code: "1101",
            name: "Kas Besar",
            accountType: "asset",
            normalBalance: "debit",
            parent: null,
            postable: true,
            noOverdraft: true,
          },
        },
      ]);
  });

  it("takes a given normal balance for a contra account", () => {
    const events = given([ledgerOpened()])
      .when(
        command("OpenAccount", { code: "1209", name: "CKPN", accountType: "asset", normalBalance: "credit" }),
      )
      .thenAccepts();
    expect(events[0]).toMatchObject({ data: { normalBalance: "credit" } });
  });

  it("refuses a duplicate code and an unknown parent", () => {
    given(kkmpLedger())
      .when(command("OpenAccount", { code: "1101", name: "Kas", accountType: "asset" }))
      .thenRejects("AccountMustNotExist", "account_exists");
    given([ledgerOpened()])
      .when(command("OpenAccount", { code: "1101", name: "Kas", accountType: "asset", parent: "1100" }))
      .thenRejects("ParentAccountMustExist", "validation_failed");
  });

  it("closes an empty account", () => {
    given(kkmpLedger())
      .when(command("CloseAccount", { code: "1102" }))
      .thenEmits([{ type: "AccountClosed", data: { code: "1102" } }]);
  });

  it("refuses to close an account with a balance, an unknown one, or a closed one", () => {
    given(funded())
      .when(command("CloseAccount", { code: "1101" }))
      .thenRejects("AccountMustBeEmpty", "account_not_empty");
    given(funded())
      .when(command("CloseAccount", { code: "9999" }))
      .thenRejects("AccountMustExist", "unknown_account");
    given([...kkmpLedger(), { type: "AccountClosed", data: { code: "1102" } }])
      .when(command("CloseAccount", { code: "1102" }))
      .thenRejects("AccountMustBeOpen", "account_closed");
  });

  it("refuses to close an income account whose year is still open even if it nets to zero overall", () => {
    const history = [
      ...funded(),
      posted("entry-1", [debit("1101", "10.00"), credit("4101", "10.00")], { date: "2025-06-01" }),
      posted("entry-2", [debit("4101", "10.00"), credit("1101", "10.00")], { date: "2026-06-01" }),
    ];
    given(history)
      .when(command("CloseAccount", { code: "4101" }))
      .thenRejects("AccountMustBeEmpty");
  });
});

describe("RegisterMember", () => {
  it("registers a member", () => {
    given([ledgerOpened()])
      .when(
        command("RegisterMember", {
          memberId: "A-0012",
          name: "Siti Aminah",
          joinedOn: "2025-08-01",
          role: "member",
        }),
      )
      .thenEmits([memberRegistered("A-0012")]);
  });

  it("refuses a registered member id and a bad join date", () => {
    given([ledgerOpened(), memberRegistered("A-0012")])
      .when(
        command("RegisterMember", {
          memberId: "A-0012",
          name: "Siti",
          joinedOn: "2025-08-01",
          role: "member",
        }),
      )
      .thenRejects("MemberMustNotExist", "member_exists");
    given([ledgerOpened()])
      .when(
        command("RegisterMember", { memberId: "A-1", name: "Siti", joinedOn: "2025-02-30", role: "member" }),
      )
      .thenRejects("DateMustBeValid", "invalid_date");
  });
});

describe("PostJournalEntry", () => {
  it("posts a balanced entry, normalising amounts and defaulting the counterparty of member lines", () => {
    given([...kkmpLedger(), memberRegistered("A-0012")])
      .when(
        postJournalEntry(
          [debit("1101", "50000"), credit("3200", "50000.5", { memberId: "A-0012" })].slice(0, 2),
        ),
      )
      .thenRejects("EntryMustBalance", "unbalanced_entry");
    given([...kkmpLedger(), memberRegistered("A-0012")])
      .when(postJournalEntry([debit("1101", "50000.5"), credit("3200", "50000.50", { memberId: "A-0012" })]))
      .thenEmits([
        posted("entry-1", [
          debit("1101", "50000.50"),
          credit("3200", "50000.50", { memberId: "A-0012", counterparty: "member" }),
        ]),
      ]);
  });

  it("refuses too few and too many lines", () => {
    given(funded())
      .when(postJournalEntry([debit("1101", "1.00")]))
      .thenRejects("LineCountBelowMin", "too_few_lines");
    const many = Array.from({ length: ENTRY_LINES_MAX + 1 }, (_, index) =>
      index % 2 === 0 ? debit("1301", "1.00") : credit("3200", "1.00"),
    );
    given(funded()).when(postJournalEntry(many)).thenRejects("LineCountExceedsMax", "too_many_lines");
  });

  it("refuses a line that is neither debit nor credit", () => {
    const odd = { ...debit("1101", "1.00"), side: "both" } as unknown as ReturnType<typeof debit>;
    given(funded())
      .when(postJournalEntry([odd, credit("4101", "1.00")]))
      .thenRejects("LineMustBeDebitOrCredit", "debit_and_credit_on_one_line");
  });

  it("refuses a zero amount", () => {
    const rejected = given(funded())
      .when(postJournalEntry([debit("1101", "0.00"), credit("4101", "0.00")]))
      .thenRejects("AmountMustBePositive", "invalid_amount");
    expect(rejected.path).toBe("lines[0].amount");
  });

  it("refuses an impossible date", () => {
    given(funded())
      .when(postJournalEntry([debit("1101", "1.00"), credit("4101", "1.00")], { date: "2026-02-29" }))
      .thenRejects("DateMustBeValid", "invalid_date");
  });

  it("refuses unknown, closed and header accounts", () => {
    given(funded())
      .when(postJournalEntry([debit("1199", "1.00"), credit("4101", "1.00")]))
      .thenRejects("AccountMustExist", "unknown_account");
    given([...funded(), { type: "AccountClosed", data: { code: "1102" } }])
      .when(postJournalEntry([debit("1102", "1.00"), credit("4101", "1.00")]))
      .thenRejects("AccountMustBeOpen", "account_closed");
    given(funded())
      .when(postJournalEntry([debit("1100", "1.00"), credit("4101", "1.00")]))
      .thenRejects("AccountMustBePostable", "validation_failed");
  });

  it("refuses an unregistered member", () => {
    given(funded())
      .when(postJournalEntry([debit("1101", "1.00"), credit("3200", "1.00", { memberId: "B-1" })]))
      .thenRejects("MemberMustBeRegistered", "unknown_member");
  });

  it("refuses a memo over the limit and a reused entry id", () => {
    given(funded())
      .when(
        postJournalEntry([debit("1101", "1.00"), credit("4101", "1.00")], {
          memo: "x".repeat(MEMO_LENGTH_MAX + 1),
        }),
      )
      .thenRejects("MemoLengthExceedsMax", "validation_failed");
    given(funded())
      .when(postJournalEntry([debit("1101", "1.00"), credit("4101", "1.00")], { entryId: "entry-0" }))
      .thenRejects("EntryIdMustBeUnique", "validation_failed");
  });

  it("refuses a date in a closed month or a closed fiscal year", () => {
    given([...funded(), { type: "PeriodClosed", data: { period: "2026-01" } }])
      .when(postJournalEntry([debit("1101", "1.00"), credit("4101", "1.00")]))
      .thenRejects("PeriodMustBeOpen", "period_closed");
    given([...funded(), { type: "FiscalYearClosed", data: { year: 2025, entryId: null, shu: "0.00" } }])
      .when(postJournalEntry([debit("1101", "1.00"), credit("4101", "1.00")], { date: "2025-07-01" }))
      .thenRejects("PeriodMustBeOpen", "period_closed");
  });

  it("refuses taking a noOverdraft account below zero, counting all its lines", () => {
    given(funded())
      .when(postJournalEntry([debit("6101", "1000000.01"), credit("1101", "1000000.01")]))
      .thenRejects("BalanceMustNotGoBelowZero", "insufficient_funds");
    given(funded())
      .when(postJournalEntry([debit("6101", "1000000.00"), credit("1101", "1000000.00")]))
      .thenAccepts();
    given(funded())
      .when(
        postJournalEntry([
          debit("6101", "1500000.00"),
          credit("1101", "1500000.00"),
          debit("1101", "600000.00"),
          credit("4101", "600000.00"),
        ]),
      )
      .thenAccepts();
  });

  it("proposes an entry whose total debit is above the approval threshold, posts one at it", () => {
    given(withThreshold("500000.00"))
      .when(
        postJournalEntry([debit("1301", "600000"), credit("1101", "600000")], {
          entryId: "entry-big",
          date: "2026-01-20",
          memo: "Pembelian sembako",
        }),
      )
      .thenEmits([proposed]);
    const events = given(withThreshold("500000.00"))
      .when(postJournalEntry([debit("1301", "500000"), credit("1101", "500000")]))
      .thenAccepts();
    expect(events[0]?.type).toBe("JournalEntryPosted");
  });
});

describe("ApproveJournalEntry and RejectJournalEntry", () => {
  it("posts a pending entry when a different principal approves it", () => {
    given([...withThreshold("500000.00"), proposed])
      .when(command("ApproveJournalEntry", { entryId: "entry-big" }, approver))
      .thenEmits([
        { type: "JournalEntryApproved", data: { entryId: "entry-big", approvedBy: approver.principalId } },
        posted("entry-big", [debit("1301", "600000.00"), credit("1101", "600000.00")], {
          date: "2026-01-20",
          memo: "Pembelian sembako",
          postedBy: approver.principalId,
          proposedBy: treasurer.principalId,
        }),
      ]);
  });

  it("refuses self-approval", () => {
    given([...withThreshold("500000.00"), proposed])
      .when(command("ApproveJournalEntry", { entryId: "entry-big" }, treasurer))
      .thenRejects("ApproverMustNotBeProposer", "self_approval");
  });

  it("checks the posting rules again when approving", () => {
    const drained = posted("entry-3", [debit("6101", "500000.00"), credit("1101", "500000.00")]);
    given([...withThreshold("500000.00"), proposed, drained])
      .when(command("ApproveJournalEntry", { entryId: "entry-big" }, approver))
      .thenRejects("BalanceMustNotGoBelowZero", "insufficient_funds");
    given([...withThreshold("500000.00"), proposed, { type: "PeriodClosed", data: { period: "2026-01" } }])
      .when(command("ApproveJournalEntry", { entryId: "entry-big" }, approver))
      .thenRejects("PeriodMustBeOpen", "period_closed");
  });

  it("rejects a pending entry with a reason", () => {
    given([...withThreshold("500000.00"), proposed])
      .when(command("RejectJournalEntry", { entryId: "entry-big", reason: "tidak wajar" }, approver))
      .thenEmits([
        {
          type: "JournalEntryRejected",
          data: { entryId: "entry-big", rejectedBy: approver.principalId, reason: "tidak wajar" },
        },
      ]);
  });

  it("refuses to approve or reject what is not pending, or not there", () => {
    const rejected: LedgerEvent = {
      type: "JournalEntryRejected",
      data: { entryId: "entry-big", rejectedBy: "ketua-1", reason: "x" },
    };
    given([...withThreshold("500000.00"), proposed, rejected])
      .when(command("ApproveJournalEntry", { entryId: "entry-big" }, approver))
      .thenRejects("EntryMustBePending", "not_pending");
    given(funded())
      .when(command("RejectJournalEntry", { entryId: "entry-0", reason: "x" }, approver))
      .thenRejects("EntryMustBePending", "not_pending");
    given(funded())
      .when(command("ApproveJournalEntry", { entryId: "nope" }, approver))
      .thenRejects("EntryMustExist", "not_found");
  });
});

describe("ReverseJournalEntry", () => {
  const reverse = (entryId = "entry-0", reversalEntryId = "reversal-0") =>
    command("ReverseJournalEntry", { entryId, reversalEntryId, date: "2026-02-01", reason: "salah akun" });

  it("posts the mirror entry and links both ways", () => {
    given(funded())
      .when(reverse())
      .thenEmits([
        posted(
          "reversal-0",
          [
            credit("1101", "1000000.00"),
            debit("3100", "1000000.00", { memberId: "A-0012", counterparty: "member" }),
          ],
          { kind: "reversal", date: "2026-02-01", memo: "salah akun", reverses: "entry-0" },
        ),
        {
          type: "JournalEntryReversed",
          data: { entryId: "entry-0", reversedBy: "reversal-0", reason: "salah akun" },
        },
      ]);
    const state = foldLedger([...funded(), ...given(funded()).when(reverse()).thenAccepts()]);
    expect(state.entries.get("entry-0")?.reversedBy).toBe("reversal-0");
    expect(state.entries.get("reversal-0")?.reverses).toBe("entry-0");
    expect(state.accounts.get("1101")?.balance).toBe(0n);
  });

  it("refuses a second reversal and reversing a reversal", () => {
    const history = [...funded(), ...given(funded()).when(reverse()).thenAccepts()];
    given(history)
      .when(reverse("entry-0", "reversal-x"))
      .thenRejects("EntryMustNotBeReversed", "already_reversed");
    given(history)
      .when(reverse("reversal-0", "reversal-y"))
      .thenRejects("ReversalMustNotBeReversed", "cannot_reverse_reversal");
  });

  it("applies noOverdraft to the reversal", () => {
    const spent = posted("entry-1", [debit("6101", "400000.00"), credit("1101", "400000.00")]);
    given([...funded(), spent])
      .when(reverse())
      .thenRejects("BalanceMustNotGoBelowZero", "insufficient_funds");
  });

  it("refuses an unknown or pending entry and a closed period", () => {
    given(funded()).when(reverse("nope")).thenRejects("EntryMustExist", "not_found");
    given([...withThreshold("500000.00"), proposed])
      .when(reverse("entry-big"))
      .thenRejects("EntryMustBePosted");
    given([...funded(), { type: "PeriodClosed", data: { period: "2026-02" } }])
      .when(reverse())
      .thenRejects("PeriodMustBeOpen", "period_closed");
  });
});

describe("ClosePeriod and ReopenPeriod", () => {
  it("closes and reopens a month", () => {
    given(funded())
      .when(command("ClosePeriod", { period: "2026-01" }))
      .thenEmits([{ type: "PeriodClosed", data: { period: "2026-01" } }]);
    given([...funded(), { type: "PeriodClosed", data: { period: "2026-01" } }])
      .when(command("ReopenPeriod", { period: "2026-01", reason: "koreksi" }, admin))
      .thenEmits([{ type: "PeriodReopened", data: { period: "2026-01", reason: "koreksi" } }]);
  });

  it("refuses a bad month, closing twice, reopening an open month or without a reason", () => {
    given(funded())
      .when(command("ClosePeriod", { period: "2026-13" }))
      .thenRejects("DateMustBeValid", "invalid_date");
    const closed: LedgerEvent[] = [...funded(), { type: "PeriodClosed", data: { period: "2026-01" } }];
    given(closed)
      .when(command("ClosePeriod", { period: "2026-01" }))
      .thenRejects("PeriodMustNotBeClosed");
    given(funded())
      .when(command("ReopenPeriod", { period: "2026-01", reason: "x" }, admin))
      .thenRejects("PeriodMustBeClosed");
    given(closed)
      .when(command("ReopenPeriod", { period: "2026-01", reason: " " }, admin))
      .thenRejects("FieldMustBeValid");
  });

  it("refuses reopening a month of a closed fiscal year", () => {
    given([...funded(), { type: "FiscalYearClosed", data: { year: 2025, entryId: null, shu: "0.00" } }])
      .when(command("ReopenPeriod", { period: "2025-03", reason: "koreksi" }, admin))
      .thenRejects("FiscalYearMustBeOpen");
  });
});

describe("evolve", () => {
  it("leaves the state it is given unchanged (copy-on-write)", () => {
    const before = foldLedger(funded());
    const balance = before.accounts.get("1101")?.balance;
    const entries = before.entries.size;
    const after = ledgerDecider.evolve(
      before,
      posted("entry-9", [debit("1101", "5.00"), credit("4101", "5.00")], { date: "2026-02-01" }),
    );
    expect(after.accounts.get("1101")?.balance).toBe(100_000_500n);
    expect(before.accounts.get("1101")?.balance).toBe(balance);
    expect(before.entries.size).toBe(entries);
    expect(before.yearBalances.get(2026)?.get("4101")).toBeUndefined();
    expect(after.yearBalances.get(2026)?.get("4101")).toBe(500n);
  });

  it("throws on an event that refers to something the ledger does not know", () => {
    expect(() => foldLedger([ledgerOpened(), { type: "AccountClosed", data: { code: "1101" } }])).toThrow();
  });
});
