import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { buildReadModel, incomeStatement, unitResults } from "../src/index.js";
import { credit, debit, LedgerBuilder, withKkmpAccounts } from "./ledgerBuilder.js";

/**
 * docs/accounting.md section 7: sembako sells 300.000, the clinic 100.000; the office (kantor) costs
 * 100.000,01 of salaries and earns nothing; 50.000 of electricity was posted without a unit.
 */
const year = () => {
  const builder = withKkmpAccounts(new LedgerBuilder());
  builder.post("2026-02-01", "Penjualan", [
    debit("1101", "400000.00"),
    credit("4101", "300000.00", { unit: "sembako" }),
    credit("4201", "100000.00", { unit: "klinik", counterparty: "non_member" }),
  ]);
  builder.post("2026-02-02", "HPP sembako", [
    debit("5101", "200000.00", { unit: "sembako" }),
    credit("1301", "200000.00"),
  ]);
  builder.post("2026-02-28", "Gaji kantor", [
    debit("6101", "100000.01", { unit: "kantor" }),
    credit("1101", "100000.01"),
  ]);
  builder.post("2026-02-28", "Listrik", [debit("6104", "50000.00"), credit("1101", "50000.00")]);
  return buildReadModel(builder.coopId, builder.events);
};

describe("unit results", () => {
  it("spreads the office's cost by revenue share by default, shows lines without a unit apart, and adds up", () => {
    const report = unitResults(year(), "2026-01-01", "2026-12-31");
    expect(report.basis).toBe("revenue");
    expect(
      report.units.map((unit) => [unit.unit, unit.directResult, unit.overheadShare, unit.result]),
    ).toEqual([
      ["klinik", "100000.00", "25000.00", "75000.00"],
      ["sembako", "100000.00", "75000.01", "24999.99"],
    ]);
    expect(report.overhead).toMatchObject({
      unit: "kantor",
      cost: "100000.01",
      allocated: "100000.01",
      unallocated: "0.00",
    });
    expect(report.unassigned).toEqual({
      label: "tidak dialokasikan",
      income: "0.00",
      expense: "50000.00",
      result: "-50000.00",
    });
    // 400.000 − 200.000 − 100.000,01 − 50.000: the income statement's SHU, to the sen.
    expect(report.totals.result).toBe("49999.99");
    expect(incomeStatement(year(), "2026-01-01", "2026-12-31").totalComprehensiveShu).toBe("49999.99");
  });

  it("takes the basis from the settings: expense share, or equal", () => {
    const byExpense = unitResults(year(), "2026-01-01", "2026-12-31", "expense");
    expect(byExpense.units.map((unit) => [unit.unit, unit.overheadShare])).toEqual([
      ["klinik", "0.00"],
      ["sembako", "100000.01"],
    ]);
    const equal = unitResults(year(), "2026-01-01", "2026-12-31", "equal");
    expect(equal.units.map((unit) => [unit.unit, unit.overheadShare, unit.basisAmount])).toEqual([
      // The odd sen goes to the earlier unit on a tie (largest remainder, docs/domain.md section 9.3).
      ["klinik", "50000.01", null],
      ["sembako", "50000.00", null],
    ]);
  });

  test.prop([
    fc.array(
      fc.tuple(
        fc.constantFrom("sembako", "klinik", "apotek", "kantor", null),
        fc.bigInt({ min: 1n, max: 10_000_000n }),
        fc.boolean(),
      ),
      { minLength: 1, maxLength: 12 },
    ),
    fc.constantFrom("revenue", "expense", "equal" as const),
  ])(
    "the units' results, the overhead left unshared and the lines without a unit always add up to the year's result",
    (lines, basis) => {
      const builder = withKkmpAccounts(new LedgerBuilder());
      for (const [index, [unit, sen, isIncome]] of lines.entries()) {
        const amount = `${sen / 100n}.${String(sen % 100n).padStart(2, "0")}`;
        const options = unit === null ? {} : { unit };
        builder.post(
          `2026-03-${String(1 + (index % 28)).padStart(2, "0")}`,
          "acak",
          isIncome
            ? [debit("1101", amount), credit("4101", amount, options)]
            : [debit("6101", amount, options), credit("1101", amount)],
        );
      }
      const report = unitResults(
        buildReadModel(builder.coopId, builder.events),
        "2026-01-01",
        "2026-12-31",
        basis,
      );
      const sen = (amount: string) => BigInt(amount.replace(".", ""));
      const sum =
        report.units.reduce((total, unit) => total + sen(unit.result), 0n) -
        sen(report.overhead.unallocated) +
        sen(report.unassigned.result);
      expect(sum).toBe(sen(report.totals.result));
      expect(report.units.reduce((total, unit) => total + sen(unit.overheadShare), 0n)).toBe(
        sen(report.overhead.allocated),
      );
    },
  );
});
