/**
 * The SHU owed to each member (docs/accounting.md section 5): the RAT appropriation credits 2401 per member,
 * the SHU base is the members' recorded participation, the AD/ART rules come from the settings.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { EntryLine, LedgerEvent, ShuRules } from "../src/index.js";
import {
  divideMemberPools,
  foldLedger,
  isMemberRevenueLine,
  ledgerDecider,
  shuParticipation,
  shuRulesDefault,
} from "../src/index.js";
import { approver, command, credit, debit, deciderSpec, kkmpLedger } from "../src/testing/index.js";

const given = deciderSpec(ledgerDecider);
type Posted = Extract<LedgerEvent, { type: "JournalEntryPosted" }>;

const posted = (entryId: string, date: string, lines: EntryLine[]): LedgerEvent => ({
  type: "JournalEntryPosted",
  data: {
    entryId,
    kind: entryId.startsWith("closing") ? "closing" : "regular",
    date,
    memo: "transaksi",
    lines,
    postedBy: "bendahara-1",
    proposedBy: null,
    reverses: null,
  },
});

const settingsWith = (shuRules: ShuRules): LedgerEvent => ({
  type: "SettingsChanged",
  data: {
    settings: {
      approvalThreshold: null,
      largeCashThreshold: "100000000.00",
      businessHours: { start: "07:00", end: "17:00" },
      timeZone: "Asia/Jakarta",
      shuRules,
    },
  },
});

/**
 * 2025 with SHU 1,000,000: A-1 holds 300,000 of capital all year, B-2 pays 300,000 in on 2 July (so half
 * a year on the average basis); sembako sales 600,000 to A-1 and klinik sales 300,000 to B-2, and 100,000 to
 * members recorded without a member id.
 */
const year = (extra: LedgerEvent[] = [], unattributed = "100000.00"): LedgerEvent[] => [
  ...kkmpLedger(),
  ...extra,
  posted("s1", "2024-12-01", [debit("1101", "300000.00"), credit("3200", "300000.00", { memberId: "A-1" })]),
  posted("s2", "2025-07-02", [debit("1101", "300000.00"), credit("3200", "300000.00", { memberId: "B-2" })]),
  posted("e1", "2025-03-01", [
    debit("1101", "1000000.00"),
    credit("4101", "600000.00", { memberId: "A-1", unit: "sembako" }),
    credit("4101", "300000.00", { memberId: "B-2", unit: "klinik" }),
    credit("4101", unattributed, { unit: "sembako" }),
  ]),
  posted("closing-2025", "2025-12-31", [
    debit("4101", "1000000.00"),
    credit("3700", "1000000.00"),
    debit("3700", "1000000.00"),
    credit("3600", "1000000.00"),
  ]),
  {
    type: "FiscalYearClosed",
    data: { year: 2025, entryId: "closing-2025", shu: "1000000.00", resultAccount: "3600" },
  },
];

const decide = (
  allocation: Record<string, string>,
  unattributedJasaUsaha: "attributedMembers" | "reserve" | null = null,
) =>
  command("RecordRatDecision", {
    year: 2025,
    decidedOn: "2026-03-15",
    allocation,
    entryId: "appropriation-2025",
    unattributedJasaUsaha,
  });

/** The appropriation posted after the treasurer's decision and the approver's approval. */
const appropriated = (history: LedgerEvent[], decision: ReturnType<typeof decide>): readonly EntryLine[] => {
  const proposed = given(history).when(decision).thenAccepts();
  const events = given([...history, ...proposed])
    .when(command("ApproveYearEndStep", { year: 2025, step: "ratDecision" }, approver))
    .thenAccepts();
  return (events[0] as Posted).data.lines;
};

const HALF = { cadangan: "50", jasaUsaha: "30", jasaModal: "20" };

describe("the SHU base is the members' recorded participation", () => {
  it("refuses to divide jasa usaha while member revenue names no member, at unattributedJasaUsaha", () => {
    const refusal = given(year())
      .when(decide(HALF))
      .thenRejects("JasaUsahaMustBeAttributed", "jasa_usaha_unattributed");
    expect(refusal.path).toBe("unattributedJasaUsaha");
    expect(refusal.message).toContain("100000.00");
    // Without a jasa usaha share there is nothing to attribute.
    given(year())
      .when(decide({ cadangan: "80", jasaModal: "20" }))
      .thenAccepts();
  });

  it("sends the unattributed part of jasa usaha to the reserve when the meeting says so", () => {
    const lines = appropriated(year(), decide(HALF, "reserve"));
    // Jasa usaha 300,000: 1/10 of member revenue is unattributed → 30,000 to the reserve; 270,000 by 600:300.
    expect(lines.filter((line) => line.memo === "jasaUsaha")).toEqual([
      credit("2401", "180000.00", { memo: "jasaUsaha", memberId: "A-1" }),
      credit("2401", "90000.00", { memo: "jasaUsaha", memberId: "B-2" }),
    ]);
    expect(lines).toContainEqual(credit("3500", "30000.00", { memo: "sisaPembulatan:jasaUsaha" }));
  });

  it("shares the whole pool among the attributed members when the meeting says so", () => {
    const lines = appropriated(year(), decide(HALF, "attributedMembers"));
    expect(lines.filter((line) => line.memo === "jasaUsaha")).toEqual([
      credit("2401", "200000.00", { memo: "jasaUsaha", memberId: "A-1" }),
      credit("2401", "100000.00", { memo: "jasaUsaha", memberId: "B-2" }),
    ]);
  });

  it("credits every member's jasa modal on 2401 by year-end capital, and leaves no sen without an owner", () => {
    const lines = appropriated(
      year([], "0.00"),
      decide({ cadangan: "49.99", jasaUsaha: "30", jasaModal: "20.01" }),
    );
    // Jasa modal 200,100 split 300,000 : 300,000 → 100,050 each; jasa usaha 300,000 by 600 : 300.
    expect(lines.filter((line) => line.memo === "jasaModal")).toEqual([
      credit("2401", "100050.00", { memo: "jasaModal", memberId: "A-1" }),
      credit("2401", "100050.00", { memo: "jasaModal", memberId: "B-2" }),
    ]);
    const credits = lines
      .filter((line) => line.side === "credit")
      .reduce((sum, line) => sum + Number(line.amount), 0);
    expect(credits).toBe(1_000_000);
  });

  it("puts the sen below whole rupiah of a member pool into the reserve, memo sisaPembulatan", () => {
    const odd = [
      ...kkmpLedger(),
      posted("e1", "2025-03-01", [
        debit("1101", "1000.99"),
        credit("4101", "500.00", { memberId: "A-1" }),
        credit("4101", "500.99", { memberId: "B-2" }),
      ]),
      posted("closing-2025", "2025-12-31", [debit("4101", "1000.99"), credit("3600", "1000.99")]),
      {
        type: "FiscalYearClosed",
        data: { year: 2025, entryId: "closing-2025", shu: "1000.99", resultAccount: "3600" },
      } as LedgerEvent,
    ];
    const lines = appropriated(odd, decide({ cadangan: "50", jasaUsaha: "50" }));
    // Jasa usaha 500.49 (50% of 1,000.99; the tied sen goes to the reserve key, first in the ledger's order):
    // 500 whole rupiah shared, 0.49 to the reserve.
    const usaha = lines.filter((line) => line.memo === "jasaUsaha");
    expect(usaha.map((line) => line.amount)).toEqual(["250.00", "250.00"]);
    expect(lines).toContainEqual(credit("3500", "0.49", { memo: "sisaPembulatan:jasaUsaha" }));
  });

  it("weights jasa usaha by unit and uses the average capital when the AD/ART says so", () => {
    const rules: ShuRules = {
      ...shuRulesDefault,
      jasaModalBasis: "averageDaily",
      unitWeights: { klinik: "2" },
    };
    const lines = appropriated(year([settingsWith(rules)], "0.00"), decide(HALF));
    // Usage 600,000 sembako × 1 : 300,000 klinik × 2 → 150,000 each.
    expect(lines.filter((line) => line.memo === "jasaUsaha").map((line) => line.amount)).toEqual([
      "150000.00",
      "150000.00",
    ]);
    // Capital days: A-1 300,000 × 365, B-2 300,000 × 183 (2 July to 31 December) → 200,000 × 365/548 …
    const modal = lines.filter((line) => line.memo === "jasaModal").map((line) => Number(line.amount));
    expect(modal).toEqual([133212, 66788]);
  });

  it("is measured on the income statement's member lines: counterparty member, or a member-tagged account without one", () => {
    const participation = shuParticipation(
      [
        {
          kind: "regular",
          date: "2025-02-01",
          lines: [
            credit("4201", "70.00", { memberId: "A-1", counterparty: "member" }),
            credit("4101", "30.00", { memberId: "B-2", counterparty: "non_member" }),
            credit("4301", "50.00", { memberId: "A-1" }),
            credit("4101", "20.00"),
          ],
        },
        { kind: "closing", date: "2025-12-31", lines: [debit("4101", "999.00", { memberId: "A-1" })] },
      ],
      (code) => ({
        accountType: code.startsWith("4") ? "income" : "asset",
        normalBalance: code.startsWith("4") ? "credit" : "debit",
        businessWith: code === "4101" ? "member" : null,
      }),
      2025,
      shuRulesDefault,
    );
    expect(participation.memberRevenueSen).toBe(9000n);
    expect(participation.attributedRevenueSen).toBe(7000n);
    expect(participation.unattributedRevenueSen).toBe(2000n);
    expect(participation.members.get("A-1")?.usageSen).toBe(7000n);
    // B-2's line says non_member: not member business, so B-2 has no participation at all.
    expect(participation.members.has("B-2")).toBe(false);
  });

  it("reads member business from the account's businessWith tag, never from its 41xx code", () => {
    // Given a member-tagged revenue account outside 41xx (4450) and an untagged 41xx (4109), neither line
    // saying whose business it is
    const participation = shuParticipation(
      [
        {
          kind: "regular",
          date: "2025-03-01",
          lines: [
            credit("4450", "40.00", { memberId: "A-1" }),
            credit("4109", "25.00", { memberId: "B-2" }),
            credit("4450", "10.00"),
          ],
        },
      ],
      (code) => ({
        accountType: "income",
        normalBalance: "credit",
        businessWith: code === "4450" ? "member" : null,
      }),
      2025,
      shuRulesDefault,
    );
    // Then 4450 is member revenue (attributed to A-1 and 10.00 unattributed) and 4109 is not
    expect(participation.memberRevenueSen).toBe(5000n);
    expect(participation.attributedRevenueSen).toBe(4000n);
    expect(participation.members.get("A-1")?.usageSen).toBe(4000n);
    expect(participation.members.has("B-2")).toBe(false);
    expect(isMemberRevenueLine("4450", "member", null)).toBe(true);
    expect(isMemberRevenueLine("4109", null, null)).toBe(false);
    expect(isMemberRevenueLine("4301", "member", null)).toBe(false);
  });

  it("splits any pools exactly: the members' parts in whole rupiah plus the residue are the pools", () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 14n }),
        fc.bigInt({ min: 0n, max: 10n ** 14n }),
        fc.array(
          fc.tuple(
            fc.bigInt({ min: -(10n ** 9n), max: 10n ** 12n }),
            fc.bigInt({ min: -(10n ** 9n), max: 10n ** 12n }),
          ),
          { maxLength: 30 },
        ),
        fc.bigInt({ min: 0n, max: 10n ** 12n }),
        fc.constantFrom("attributedMembers" as const, "reserve" as const, null),
        (jasaModalSen, jasaUsahaSen, bases, unattributedRevenueSen, treatment) => {
          const members = new Map(
            bases.map(([capital, usage], index) => [
              `M-${index}`,
              { capitalWeight: capital, capitalSen: capital, usageWeight: usage, usageSen: usage },
            ]),
          );
          const attributed = bases.reduce((sum, [, usage]) => sum + (usage > 0n ? usage : 0n), 0n);
          const division = divideMemberPools(
            { jasaModalSen, jasaUsahaSen },
            {
              members,
              memberRevenueSen: attributed + unattributedRevenueSen,
              attributedRevenueSen: attributed,
              unattributedRevenueSen,
            },
            treatment,
          );
          const modal = division.members.reduce((sum, member) => sum + member.jasaModalSen, 0n);
          const usaha = division.members.reduce((sum, member) => sum + member.jasaUsahaSen, 0n);
          expect(modal + division.residue.jasaModalSen).toBe(jasaModalSen);
          expect(usaha + division.residue.jasaUsahaSen).toBe(jasaUsahaSen);
          for (const member of division.members) {
            expect(member.jasaModalSen % 100n).toBe(0n);
            expect(member.jasaUsahaSen % 100n).toBe(0n);
            expect(member.jasaModalSen >= 0n && member.jasaUsahaSen >= 0n).toBe(true);
          }
          expect(division.residue.jasaModalSen >= 0n && division.residue.jasaUsahaSen >= 0n).toBe(true);
        },
      ),
    );
  });
});

describe("AD/ART rules in the settings", () => {
  const fixed: ShuRules = {
    ...shuRulesDefault,
    allocation: { cadangan: "40", jasaUsaha: "30", jasaModal: "20", pengurusPengawas: "5", pengawas: "5" },
    meetingDecides: ["jasaUsaha", "jasaModal"],
  };

  it("refuses a decision that changes a percentage the AD/ART fixes, at its key", () => {
    const refusal = given(year([settingsWith(fixed)], "0.00"))
      .when(
        decide({ cadangan: "30", jasaUsaha: "40", jasaModal: "20", pengurusPengawas: "5", pengawas: "5" }),
      )
      .thenRejects("AllocationMustFollowAdArt", "fixed_by_ad_art");
    expect(refusal.path).toBe("allocation.cadangan");
  });

  it("lets the meeting move what the AD/ART leaves to it, and adopts the AD/ART's allocation when given none", () => {
    given(year([settingsWith(fixed)], "0.00"))
      .when(
        decide({ cadangan: "40", jasaUsaha: "40", jasaModal: "10", pengurusPengawas: "5", pengawas: "5" }),
      )
      .thenAccepts();
    const proposed = given(year([settingsWith(fixed)], "0.00"))
      .when(decide({}))
      .thenAccepts();
    expect(proposed[0]).toMatchObject({
      type: "RatDecisionProposed",
      data: { allocation: fixed.allocation },
    });
  });

  it("credits 2403 Dana Pengawas when the allocation names pengawas", () => {
    const lines = appropriated(year([settingsWith(fixed)], "0.00"), decide({}));
    expect(lines).toContainEqual(credit("2402", "50000.00", { memo: "pengurusPengawas" }));
    expect(lines).toContainEqual(credit("2403", "50000.00", { memo: "pengawas" }));
  });

  it("refuses a change of the rules while a RAT decision awaits its approver", () => {
    const proposed = given(year([], "0.00")).when(decide(HALF)).thenAccepts();
    const refusal = given([...year([], "0.00"), ...proposed])
      .when(command("ChangeSettings", { settings: { shuRules: { jasaModalBasis: "averageDaily" } } }))
      .thenRejects("YearEndStepMustNotBePending", "approval_pending");
    expect(refusal.path).toBe("shuRules");
  });

  it("checks the rules in a settings change and keeps the parts not given", () => {
    given(kkmpLedger())
      .when(
        command("ChangeSettings", {
          settings: { shuRules: { allocation: { cadangan: "50", jasaUsaha: "40" } } },
        }),
      )
      .thenRejects("AllocationMustSumToHundred");
    const bad = given(kkmpLedger())
      .when(command("ChangeSettings", { settings: { shuRules: { unitWeights: { klinik: "-1" } } } }))
      .thenRejects("FieldMustBeValid");
    expect(bad.path).toBe("shuRules.unitWeights.klinik");
    const events = given(kkmpLedger())
      .when(command("ChangeSettings", { settings: { shuRules: { lossCoverageOrder: "reserveFirst" } } }))
      .thenAccepts();
    const state = foldLedger([...kkmpLedger(), ...events]);
    expect(state.settings?.shuRules).toEqual({ ...shuRulesDefault, lossCoverageOrder: "reserveFirst" });
  });

  it("covers a loss by the AD/ART's order when the meeting says nothing, and only so when it may not decide", () => {
    const lossYear = (rules: ShuRules): LedgerEvent[] => [
      ...kkmpLedger(),
      settingsWith(rules),
      posted("r1", "2024-01-10", [debit("1101", "200000.00"), credit("3500", "200000.00")]),
      posted("l1", "2024-06-01", [debit("6101", "300000.00"), credit("3300", "300000.00")]),
      posted("closing-2024", "2024-12-31", [credit("6101", "300000.00"), debit("3610", "300000.00")]),
      {
        type: "FiscalYearClosed",
        data: { year: 2024, entryId: "closing-2024", shu: "-300000.00", resultAccount: "3610" },
      },
    ];
    const decision = (lossCoverage?: { fromReserve: string; carriedForward: string }) =>
      command("RecordRatDecision", {
        year: 2024,
        decidedOn: "2025-03-15",
        allocation: {},
        entryId: "coverage-2024",
        ...(lossCoverage === undefined ? {} : { lossCoverage }),
      });
    const reserveFirst: ShuRules = {
      ...shuRulesDefault,
      lossCoverageOrder: "reserveFirst",
      meetingDecides: [],
    };
    const proposed = given(lossYear(reserveFirst)).when(decision()).thenAccepts();
    expect(proposed[0]).toMatchObject({
      data: { lossCoverage: { fromReserve: "200000.00", carriedForward: "100000.00" } },
    });
    const refusal = given(lossYear(reserveFirst))
      .when(decision({ fromReserve: "0.00", carriedForward: "300000.00" }))
      .thenRejects("AllocationMustFollowAdArt", "fixed_by_ad_art");
    expect(refusal.path).toBe("lossCoverage");
    const carried = given(lossYear(shuRulesDefault)).when(decision()).thenAccepts();
    expect(carried[0]).toMatchObject({
      data: { lossCoverage: { fromReserve: "0.00", carriedForward: "300000.00" } },
    });
  });
});
