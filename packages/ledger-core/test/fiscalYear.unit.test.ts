import { describe, expect, it } from "vitest";
import type { LedgerEvent } from "../src/index.js";
import { foldLedger, ledgerDecider, shuAllocationDefault } from "../src/index.js";
import {
  admin,
  approver,
  command,
  credit,
  debit,
  deciderSpec,
  kkmpLedger,
  ledgerOpened,
  postJournalEntry,
  treasurer,
} from "../src/testing/index.js";

const given = deciderSpec(ledgerDecider);

type Posted = Extract<LedgerEvent, { type: "JournalEntryPosted" }>;

const posted = (entryId: string, date: string, lines: ReturnType<typeof debit>[]): LedgerEvent => ({
  type: "JournalEntryPosted",
  data: {
    entryId,
    kind: "regular",
    date,
    memo: "transaksi",
    lines,
    postedBy: "bendahara-1",
    proposedBy: null,
    reverses: null,
  },
});

/**
 * 2025: sales 1,000,000 to members (600,000 to A-1, 400,000 to B-2) + 200,000 to non-members, salaries
 * 400,000, returns 50,000 → SHU 750,000. Savings: A-1 pokok 100,000 and wajib 300,000, B-2 pokok 100,000.
 */
const year2025 = (): LedgerEvent[] => [
  ...kkmpLedger(),
  posted("s1", "2025-01-10", [
    debit("1101", "500000.00"),
    credit("3100", "100000.00", { memberId: "A-1" }),
    credit("3200", "300000.00", { memberId: "A-1" }),
    credit("3100", "100000.00", { memberId: "B-2" }),
  ]),
  posted("e1", "2025-03-01", [
    debit("1101", "1200000.00"),
    credit("4101", "600000.00", { memberId: "A-1" }),
    credit("4101", "400000.00", { memberId: "B-2" }),
    credit("4201", "200000.00"),
  ]),
  posted("e2", "2025-04-01", [debit("6101", "400000.00"), credit("1101", "400000.00")]),
  posted("e3", "2025-05-01", [debit("4900", "50000.00"), credit("1101", "50000.00")]),
  // 2026 postings are not part of 2025's closing.
  posted("e4", "2026-01-05", [debit("1101", "70000.00"), credit("4101", "70000.00")]),
];

/** The treasurer's request, made on `today` in the cooperative's time zone. */
const closeYear = (year = 2025, today = "2026-01-05") =>
  command("CloseFiscalYear", { year, entryId: `closing-${year}`, today });

const approveClose = (year = 2025, actor = approver) =>
  command("ApproveYearEndStep", { year, step: "close" }, actor);

const closeRequested = (shu = "750000.00", year = 2025): LedgerEvent => ({
  type: "FiscalYearCloseRequested",
  data: { year, entryId: `closing-${year}`, shu, requestedBy: treasurer.principalId },
});

const closingEntry: Posted = {
  type: "JournalEntryPosted",
  data: {
    entryId: "closing-2025",
    kind: "closing",
    date: "2025-12-31",
    memo: "Penutupan tahun buku 2025",
    lines: [
      debit("4101", "1000000.00"),
      debit("4201", "200000.00"),
      credit("4900", "50000.00"),
      credit("6101", "400000.00"),
      credit("3700", "750000.00"),
      debit("3700", "750000.00"),
      credit("3600", "750000.00"),
    ],
    postedBy: approver.principalId,
    proposedBy: treasurer.principalId,
    reverses: null,
  },
};

const yearClosed: LedgerEvent = {
  type: "FiscalYearClosed",
  data: { year: 2025, entryId: "closing-2025", shu: "750000.00", resultAccount: "3600" },
};

const closed = (): LedgerEvent[] => [...year2025(), closeRequested(), closingEntry, yearClosed];

const pendingEntry = (entryId: string, date: string): LedgerEvent => ({
  type: "JournalEntryProposed",
  data: {
    entryId,
    date,
    memo: "pembelian besar",
    lines: [debit("1301", "90000000.00"), credit("2201", "90000000.00")],
    proposedBy: treasurer.principalId,
  },
});

describe("CloseFiscalYear (the treasurer's request)", () => {
  it("records the request with the result it will close, and posts nothing", () => {
    given(year2025()).when(closeYear()).thenEmits([closeRequested()]);
    const state = foldLedger([...year2025(), closeRequested()]);
    expect(state.closedFiscalYears.has(2025)).toBe(false);
    expect(state.accounts.get("4101")?.balance).toBe(107_000_000n);
  });

  it("refuses a year that has not ended in the cooperative's time zone", () => {
    for (const today of ["2025-12-31", "2025-06-30"]) {
      const refusal = given(year2025())
        .when(closeYear(2025, today))
        .thenRejects("FiscalYearMustHaveEnded", "fiscal_year_not_ended");
      expect(refusal.path).toBe("year");
    }
    given(year2025()).when(closeYear(2025, "2026-01-01")).thenAccepts();
  });

  it("refuses while an entry dated in the year or before awaits approval, not one dated after", () => {
    for (const date of ["2025-11-30", "2024-05-01"]) {
      const refusal = given([...year2025(), pendingEntry("p1", date)])
        .when(closeYear())
        .thenRejects("EntriesMustNotBePending", "entries_pending_approval");
      expect(refusal.message).toContain("1 entry");
    }
    given([...year2025(), pendingEntry("p1", "2026-01-03")])
      .when(closeYear())
      .thenAccepts();
  });

  it("refuses a second request while one waits, a closed year, a chart without 3700, or a bad year", () => {
    given([...year2025(), closeRequested()])
      .when(closeYear())
      .thenRejects("YearEndStepMustNotBePending", "approval_pending");
    given(closed()).when(closeYear()).thenRejects("FiscalYearMustBeOpen", "validation_failed");
    given([ledgerOpened()]).when(closeYear()).thenRejects("ShuAccountMustExist", "validation_failed");
    given(kkmpLedger())
      .when(command("CloseFiscalYear", { year: 25, entryId: "c", today: "2026-01-05" }))
      .thenRejects("FieldMustBeValid");
  });

  it("refuses a loss year when the chart has no account for the loss", () => {
    const withoutLossAccount = kkmpLedger().filter(
      (event) => !(event.type === "AccountOpened" && event.data.code === "3610"),
    );
    const refusal = given([
      ...withoutLossAccount,
      posted("e1", "2025-03-01", [debit("6101", "10.00"), credit("3300", "10.00")]),
    ])
      .when(closeYear())
      .thenRejects("ShuAccountMustExist", "validation_failed");
    expect(refusal.message).toContain("3610");
  });

  it("freezes the year while the close waits: entries dated in it are refused as in a closed period", () => {
    const late = postJournalEntry([debit("1101", "1000.00"), credit("3300", "1000.00")], {
      entryId: "late",
      date: "2025-12-30",
    });
    given([...year2025(), closeRequested()])
      .when(late)
      .thenRejects("PeriodMustBeOpen", "period_closed");
    given(year2025()).when(late).thenAccepts();
  });
});

describe("ApproveYearEndStep close (the approver's step)", () => {
  it("moves the year's income and expense through SHU Tahun Berjalan into SHU Belum Dibagi", () => {
    given([...year2025(), closeRequested()])
      .when(approveClose())
      .thenEmits([closingEntry, yearClosed]);
    const state = foldLedger(closed());
    expect(state.accounts.get("4101")?.balance).toBe(7_000_000n);
    expect(state.accounts.get("3700")?.balance).toBe(0n);
    expect(state.accounts.get("3600")?.balance).toBe(75_000_000n);
    expect(state.pendingCloses.has(2025)).toBe(false);
    expect(state.closedFiscalYears.get(2025)).toEqual({
      entryId: "closing-2025",
      shu: 75_000_000n,
      resultAccount: "3600",
    });
  });

  it("records a loss as a negative SHU and moves it into Rugi Belum Tertutup", () => {
    const lossYear = [
      ...kkmpLedger(),
      posted("e1", "2025-03-01", [debit("6101", "10.00"), credit("3300", "10.00")]),
      closeRequested("-10.00"),
    ];
    const events = given(lossYear).when(approveClose()).thenAccepts();
    expect((events[0] as Posted).data.lines).toEqual([
      credit("6101", "10.00"),
      debit("3700", "10.00"),
      credit("3700", "10.00"),
      debit("3610", "10.00"),
    ]);
    expect(events[1]).toMatchObject({ data: { shu: "-10.00", resultAccount: "3610" } });
    const state = foldLedger([...lossYear, ...events]);
    expect(state.accounts.get("3700")?.balance).toBe(0n);
    expect(state.accounts.get("3610")?.balance).toBe(1_000n);
  });

  it("records no entry when nothing is to be closed", () => {
    given([...kkmpLedger(), closeRequested("0.00")])
      .when(approveClose())
      .thenEmits([
        { type: "FiscalYearClosed", data: { year: 2025, entryId: null, shu: "0.00", resultAccount: null } },
      ]);
  });

  it("posts the closing entry even when December is already closed", () => {
    const events = given([
      ...year2025(),
      { type: "PeriodClosed", data: { period: "2025-12" } },
      closeRequested(),
    ])
      .when(approveClose())
      .thenAccepts();
    expect(events).toHaveLength(2);
  });

  it("needs a second person: the treasurer who asked cannot approve", () => {
    given([...year2025(), closeRequested()])
      .when(approveClose(2025, treasurer))
      .thenRejects("ApproverMustNotBeProposer", "self_approval");
  });

  it("refuses when no close waits for approval", () => {
    given(year2025()).when(approveClose()).thenRejects("YearEndStepMustBePending", "not_pending");
    given(closed()).when(approveClose()).thenRejects("YearEndStepMustBePending", "not_pending");
  });
});

describe("RejectYearEndStep", () => {
  const reject = (step: "close" | "ratDecision", reason = "neraca belum diperiksa pengawas") =>
    command("RejectYearEndStep", { year: 2025, step, reason }, approver);

  it("turns the request down with a reason; the year takes postings again and can be asked for anew", () => {
    const rejected: LedgerEvent = {
      type: "YearEndStepRejected",
      data: {
        year: 2025,
        step: "close",
        rejectedBy: approver.principalId,
        reason: "neraca belum diperiksa pengawas",
      },
    };
    given([...year2025(), closeRequested()])
      .when(reject("close"))
      .thenEmits([rejected]);
    const after = [...year2025(), closeRequested(), rejected];
    expect(foldLedger(after).pendingCloses.has(2025)).toBe(false);
    given(after).when(closeYear()).thenAccepts();
  });

  it("refuses without a reason or when nothing waits", () => {
    given([...year2025(), closeRequested()])
      .when(reject("close", " "))
      .thenRejects("FieldMustBeValid");
    given(year2025()).when(reject("close")).thenRejects("YearEndStepMustBePending", "not_pending");
    given(closed()).when(reject("ratDecision")).thenRejects("YearEndStepMustBePending", "not_pending");
  });
});

const decideRat = (allocation: Record<string, string> = shuAllocationDefault, decidedOn = "2026-03-15") =>
  command("RecordRatDecision", { year: 2025, decidedOn, allocation, entryId: "appropriation-2025" });

const approveRat = (actor = approver) =>
  command("ApproveYearEndStep", { year: 2025, step: "ratDecision" }, actor);

const ratProposed = (
  allocation: Record<string, string> = shuAllocationDefault,
  decidedOn = "2026-03-15",
): LedgerEvent => ({
  type: "RatDecisionProposed",
  data: {
    year: 2025,
    decidedOn,
    allocation,
    lossCoverage: null,
    entryId: "appropriation-2025",
    proposedBy: treasurer.principalId,
    unattributedJasaUsaha: null,
  },
});

/** The appropriation an approver posts for a decision on `history`'s closed 2025. */
const appropriation = (history: LedgerEvent[], allocation: Record<string, string> = shuAllocationDefault) =>
  given([...history, ratProposed(allocation)])
    .when(approveRat())
    .thenAccepts();

describe("RecordRatDecision (the treasurer's step)", () => {
  it("records the proposal and posts nothing until an approver approves it", () => {
    given(closed()).when(decideRat()).thenEmits([ratProposed()]);
    const state = foldLedger([...closed(), ratProposed()]);
    expect(state.ratDecisions.has(2025)).toBe(false);
    expect(state.accounts.get("3600")?.balance).toBe(75_000_000n);
  });

  it("refuses to distribute more than SHU Belum Dibagi still holds after an adjusting entry lowered it", () => {
    // Given the closed 2025 (3600 holds 750,000) and an approved adjusting entry moving 100,000 out of 3600
    const adjusted = [
      ...closed(),
      posted("koreksi-3600", "2026-02-10", [debit("3600", "100000.00"), credit("1101", "100000.00")]),
    ];
    // When the RAT is asked to distribute the 750,000 the close recorded, or an approver approves it
    // Then both are refused (before: the appropriation debited 750,000 and left 3600 at -100,000)
    const refusal = given(adjusted)
      .when(decideRat())
      .thenRejects("ResultMustStillBeHeld", "result_changed_since_close");
    expect(refusal.path).toBe("year");
    expect(refusal.message).toContain("650000.00");
    given([...adjusted, ratProposed()])
      .when(approveRat())
      .thenRejects("ResultMustStillBeHeld", "result_changed_since_close");
  });

  it("refuses a second proposal while one waits", () => {
    given([...closed(), ratProposed()])
      .when(decideRat())
      .thenRejects("YearEndStepMustNotBePending", "approval_pending");
  });

  it("refuses a decision dated on or before the last day of the year it distributes", () => {
    for (const decidedOn of ["2025-03-01", "2025-12-31", "2024-06-30"]) {
      const refusal = given(closed())
        .when(decideRat(shuAllocationDefault, decidedOn))
        .thenRejects("RatDecisionMustFollowYearEnd", "invalid_date");
      expect(refusal.path).toBe("decidedOn");
      expect(refusal.message).toContain("2025-12-31");
    }
    given(closed()).when(decideRat(shuAllocationDefault, "2026-01-01")).thenAccepts();
  });

  it("refuses before the year is closed, twice, or for a year without SHU", () => {
    given(year2025()).when(decideRat()).thenRejects("FiscalYearMustBeClosed", "validation_failed");
    const decided = [...closed(), ratProposed(), ...appropriation(closed())];
    given(decided).when(decideRat()).thenRejects("RatDecisionMustBeFirst");
    given([
      ...kkmpLedger(),
      { type: "FiscalYearClosed", data: { year: 2025, entryId: null, shu: "0.00", resultAccount: null } },
    ])
      .when(decideRat())
      .thenRejects("ShuMustBePositive");
  });

  it("refuses an allocation that does not sum to 100, has unknown keys or no reserve", () => {
    given(closed())
      .when(decideRat({ ...shuAllocationDefault, sosial: "3" }))
      .thenRejects("AllocationMustSumToHundred", "validation_failed");
    given(closed())
      .when(decideRat({ cadangan: "50", bonus: "50" }))
      .thenRejects("AllocationMustBeValid");
    given(closed())
      .when(decideRat({ cadangan: "0", jasaUsaha: "100" }))
      .thenRejects("AllocationMustBeValid");
    given(closed())
      .when(decideRat({ cadangan: "100.5", jasaUsaha: "-0.5" }))
      .thenRejects("AllocationMustBeValid");
  });

  it("refuses a decision dated in a closed period or an invalid date", () => {
    given([...closed(), { type: "PeriodClosed", data: { period: "2026-03" } }])
      .when(decideRat(shuAllocationDefault, "2026-03-15"))
      .thenRejects("PeriodMustBeOpen", "period_closed");
    given(closed())
      .when(decideRat(shuAllocationDefault, "2026-3-15"))
      .thenRejects("DateMustBeValid", "invalid_date");
  });
});

describe("ApproveYearEndStep ratDecision (the approver's step)", () => {
  it("posts the appropriation out of SHU Belum Dibagi with parts summing exactly to the SHU", () => {
    const events = appropriation(closed());
    expect(events[0]).toMatchObject({
      type: "JournalEntryPosted",
      data: {
        entryId: "appropriation-2025",
        kind: "appropriation",
        date: "2026-03-15",
        postedBy: approver.principalId,
        proposedBy: treasurer.principalId,
        lines: [
          debit("3600", "750000.00"),
          credit("3500", "225000.00", { memo: "cadangan" }),
          credit("2402", "37500.00", { memo: "pengurusPengawas" }),
          credit("2404", "37500.00", { memo: "karyawan" }),
          credit("2405", "37500.00", { memo: "pendidikan" }),
          credit("2406", "18750.00", { memo: "sosial" }),
          credit("2407", "18750.00", { memo: "pembangunanDaerahKerja" }),
          // Jasa modal 150,000 by capital 400,000 : 100,000; jasa usaha 225,000 by sales 600,000 : 400,000.
          credit("2401", "120000.00", { memo: "jasaModal", memberId: "A-1" }),
          credit("2401", "30000.00", { memo: "jasaModal", memberId: "B-2" }),
          credit("2401", "135000.00", { memo: "jasaUsaha", memberId: "A-1" }),
          credit("2401", "90000.00", { memo: "jasaUsaha", memberId: "B-2" }),
        ],
      },
    });
    expect(events[1]).toEqual({
      type: "RatDecisionRecorded",
      data: {
        year: 2025,
        decidedOn: "2026-03-15",
        allocation: shuAllocationDefault,
        entryId: "appropriation-2025",
        lossCoverage: null,
        priorLossCovered: "0.00",
        unattributedJasaUsaha: null,
      },
    });
    const state = foldLedger([...closed(), ratProposed(), ...events]);
    expect(state.accounts.get("3600")?.balance).toBe(0n);
    expect(state.pendingRatDecisions.has(2025)).toBe(false);
  });

  it("needs a second person: the treasurer who recorded it cannot approve", () => {
    given([...closed(), ratProposed()])
      .when(approveRat(treasurer))
      .thenRejects("ApproverMustNotBeProposer", "self_approval");
  });

  it("checks the rules again: a month closed since the proposal refuses it", () => {
    given([...closed(), ratProposed(), { type: "PeriodClosed", data: { period: "2026-03" } }])
      .when(approveRat())
      .thenRejects("PeriodMustBeOpen", "period_closed");
  });

  it("debits 3700 for a year closed before results were moved out of it (no resultAccount)", () => {
    const legacyClose: LedgerEvent[] = [
      ...year2025(),
      { ...closingEntry, data: { ...closingEntry.data, lines: closingEntry.data.lines.slice(0, 5) } },
      { type: "FiscalYearClosed", data: { year: 2025, entryId: "closing-2025", shu: "750000.00" } },
    ];
    const events = appropriation(legacyClose);
    expect((events[0] as Posted).data.lines[0]).toEqual(debit("3700", "750000.00"));
  });

  it("splits an awkward SHU by largest remainder so the parts still sum to it", () => {
    const odd: LedgerEvent[] = [
      ...kkmpLedger(),
      posted("e1", "2025-03-01", [debit("1101", "0.07"), credit("4101", "0.07", { memberId: "A-1" })]),
      posted("c", "2025-12-31", [debit("4101", "0.07"), credit("3600", "0.07")]),
      { type: "FiscalYearClosed", data: { year: 2025, entryId: "c", shu: "0.07", resultAccount: "3600" } },
    ];
    const events = appropriation(odd, { cadangan: "33.3333", jasaUsaha: "33.3333", sosial: "33.3334" });
    const credits = (events[0] as Posted).data.lines
      .filter((line) => line.side === "credit")
      .map((line) => Number(line.amount.replace(".", "")));
    expect(credits.reduce((a, b) => a + b, 0)).toBe(7);
  });
});

/** 2024: a loss of 300,000 (salaries with no sales), closed into 3610; the reserve holds 200,000. */
const lossYear = (): LedgerEvent[] => [
  ...kkmpLedger(),
  posted("r1", "2024-01-10", [debit("1101", "200000.00"), credit("3500", "200000.00")]),
  posted("l1", "2024-06-01", [debit("6101", "300000.00"), credit("3300", "300000.00")]),
  posted("closing-2024", "2024-12-31", [
    credit("6101", "300000.00"),
    debit("3700", "300000.00"),
    credit("3700", "300000.00"),
    debit("3610", "300000.00"),
  ]),
  {
    type: "FiscalYearClosed",
    data: { year: 2024, entryId: "closing-2024", shu: "-300000.00", resultAccount: "3610" },
  },
];

const lossDecision = (fromReserve: string, carriedForward: string, allocation: Record<string, string> = {}) =>
  command("RecordRatDecision", {
    year: 2024,
    decidedOn: "2025-03-15",
    allocation,
    lossCoverage: { fromReserve, carriedForward },
    entryId: "coverage-2024",
  });

/** The loss year's decision, proposed by the treasurer and approved by the approver. */
const decidedLoss = (fromReserve: string, carriedForward: string): LedgerEvent[] => {
  const proposed = given(lossYear()).when(lossDecision(fromReserve, carriedForward)).thenAccepts();
  const approved = given([...lossYear(), ...proposed])
    .when(command("ApproveYearEndStep", { year: 2024, step: "ratDecision" }, approver))
    .thenAccepts();
  return [...lossYear(), ...proposed, ...approved];
};

describe("a loss year's RAT decision", () => {
  it("covers the loss from the reserve and carries the rest forward in 3610", () => {
    const history = decidedLoss("200000.00", "100000.00");
    const [entry, recorded] = history.slice(-2);
    expect((entry as Posted).data.lines).toEqual([
      debit("3500", "200000.00", { memo: "cadangan" }),
      credit("3610", "200000.00"),
    ]);
    expect(recorded).toMatchObject({
      type: "RatDecisionRecorded",
      data: {
        entryId: "coverage-2024",
        lossCoverage: { fromReserve: "200000.00", carriedForward: "100000.00" },
        priorLossCovered: "0.00",
      },
    });
    const state = foldLedger(history);
    expect(state.accounts.get("3500")?.balance).toBe(0n);
    expect(state.accounts.get("3610")?.balance).toBe(10_000_000n);
  });

  it("posts nothing when the whole loss is carried forward", () => {
    const history = decidedLoss("0.00", "300000.00");
    expect(history.at(-1)).toMatchObject({ type: "RatDecisionRecorded", data: { entryId: null } });
    expect(history.at(-2)?.type).toBe("RatDecisionProposed");
  });

  it("refuses parts that do not sum to the loss, more than the reserve holds, or no coverage at all", () => {
    given(lossYear())
      .when(lossDecision("100000.00", "100000.00"))
      .thenRejects("LossCoverageMustEqualLoss", "validation_failed");
    const refusal = given(lossYear())
      .when(lossDecision("300000.00", "0.00"))
      .thenRejects("LossCoverageMustNotExceedReserve", "validation_failed");
    expect(refusal.path).toBe("lossCoverage.fromReserve");
    given(lossYear())
      .when(
        command("RecordRatDecision", {
          year: 2024,
          decidedOn: "2025-03-15",
          allocation: shuAllocationDefault,
          entryId: "x",
        }),
      )
      .thenRejects("LossCoverageMustBeValid");
    given(lossYear())
      .when(lossDecision("200000.00", "100000.00", { cadangan: "100" }))
      .thenRejects("LossCoverageMustBeValid");
  });

  it("refuses a loss coverage on a year with SHU", () => {
    given(closed())
      .when(
        command("RecordRatDecision", {
          year: 2025,
          decidedOn: "2026-03-15",
          allocation: shuAllocationDefault,
          lossCoverage: { fromReserve: "0.00", carriedForward: "0.00" },
          entryId: "x",
        }),
      )
      .thenRejects("LossCoverageMustBeValid");
  });

  it("makes the next year's SHU cover the loss carried forward before anything is divided", () => {
    const carried = decidedLoss("200000.00", "100000.00");
    const nextYear: LedgerEvent[] = [
      ...carried,
      posted("s1", "2025-05-01", [
        debit("1101", "1100000.00"),
        credit("4101", "1100000.00", { memberId: "A-1" }),
      ]),
      posted("closing-2025", "2025-12-31", [
        debit("4101", "1100000.00"),
        credit("3700", "1100000.00"),
        debit("3700", "1100000.00"),
        credit("3600", "1100000.00"),
      ]),
      {
        type: "FiscalYearClosed",
        data: { year: 2025, entryId: "closing-2025", shu: "1100000.00", resultAccount: "3600" },
      },
      ratProposed({ cadangan: "50", jasaUsaha: "50" }),
    ];
    const events = given(nextYear).when(approveRat()).thenAccepts();
    expect((events[0] as Posted).data.lines).toEqual([
      debit("3600", "1100000.00"),
      credit("3610", "100000.00", { memo: "kerugianTahunLalu" }),
      credit("3500", "500000.00", { memo: "cadangan" }),
      credit("2401", "500000.00", { memo: "jasaUsaha", memberId: "A-1" }),
    ]);
    expect(events[1]).toMatchObject({ data: { priorLossCovered: "100000.00" } });
    expect(foldLedger([...nextYear, ...events]).accounts.get("3610")?.balance).toBe(0n);
  });
});

describe("ReopenFiscalYear (audit corrections before the RAT)", () => {
  const reopen = (reason = "koreksi auditor: persediaan akhir") =>
    command("ReopenFiscalYear", { year: 2025, reason, entryId: "reopen-2025" }, admin);

  it("undoes the closing entry with its mirror and opens the year for adjusting entries", () => {
    const events = given(closed()).when(reopen()).thenAccepts();
    const mirror = events[0] as Posted;
    expect(mirror.data).toMatchObject({
      entryId: "reopen-2025",
      kind: "closing",
      date: "2025-12-31",
      reverses: "closing-2025",
      postedBy: admin.principalId,
    });
    expect(mirror.data.lines).toEqual(
      closingEntry.data.lines.map((line) => ({ ...line, side: line.side === "debit" ? "credit" : "debit" })),
    );
    expect(events[1]).toEqual({
      type: "FiscalYearReopened",
      data: { year: 2025, reason: "koreksi auditor: persediaan akhir", entryId: "reopen-2025" },
    });
    const reopened = [...closed(), ...events];
    const state = foldLedger(reopened);
    expect(state.closedFiscalYears.has(2025)).toBe(false);
    expect(state.accounts.get("3600")?.balance).toBe(0n);
    expect(state.accounts.get("4101")?.balance).toBe(107_000_000n);
    // An adjusting entry, then the close again: the result now includes it.
    const adjusted = [
      ...reopened,
      posted("adj", "2025-12-31", [debit("6109", "50000.00"), credit("1301", "50000.00")]),
    ];
    given(adjusted)
      .when(command("CloseFiscalYear", { year: 2025, entryId: "closing-2025-2", today: "2026-01-05" }))
      .thenEmits([
        {
          type: "FiscalYearCloseRequested",
          data: {
            year: 2025,
            entryId: "closing-2025-2",
            shu: "700000.00",
            requestedBy: treasurer.principalId,
          },
        },
      ]);
  });

  it("refuses a decided year, one whose decision awaits approval, an open year, or no reason", () => {
    const decided = [...closed(), ratProposed(), ...appropriation(closed())];
    given(decided).when(reopen()).thenRejects("RatDecisionMustNotBeRecorded", "validation_failed");
    given([...closed(), ratProposed()])
      .when(reopen())
      .thenRejects("RatDecisionMustNotBeRecorded");
    given(year2025()).when(reopen()).thenRejects("FiscalYearMustBeClosed");
    given(closed()).when(reopen(" ")).thenRejects("FieldMustBeValid");
  });
});
