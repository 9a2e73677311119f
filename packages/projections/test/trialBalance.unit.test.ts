import { describe, expect, it } from "vitest";
import { buildReadModel, trialBalance } from "../src/index.js";
import { credit, debit, LedgerBuilder, withKkmpAccounts } from "./ledgerBuilder.js";

describe("trialBalance", () => {
  it("sums posted entries on or before the date, signs balances by the normal side and balances", () => {
    const builder = withKkmpAccounts(new LedgerBuilder()).member("A-0001", "Siti Aminah");
    builder.post("2026-01-05", "Simpanan pokok", [
      debit("1101", "100000.00"),
      credit("3100", "100000.00", { memberId: "A-0001" }),
    ]);
    builder.post("2026-01-20", "Penjualan", [
      debit("1103", "75000.50"),
      credit("4101", "75000.50", { memberId: "A-0001", unit: "sembako" }),
    ]);
    // Back-dated after the January sale was recorded.
    builder.post("2026-01-10", "Cadangan", [debit("6101", "1000.25"), credit("1209", "1000.25")]);
    const model = buildReadModel(builder.coopId, builder.events);

    expect(trialBalance(model, "2026-01-04").accounts).toEqual([]);
    const tb = trialBalance(model, "2026-01-15");
    expect(tb.accounts.map((row) => [row.code, row.debit, row.credit, row.balance])).toEqual([
      ["1101", "100000.00", "0.00", "100000.00"],
      ["1209", "0.00", "1000.25", "1000.25"],
      ["3100", "0.00", "100000.00", "100000.00"],
      ["6101", "1000.25", "0.00", "1000.25"],
    ]);
    expect(tb.totals).toMatchObject({ debit: "101000.25", credit: "101000.25" });
    expect(tb.totals.debitBalance).toBe(tb.totals.creditBalance);
    const end = trialBalance(model, "2026-12-31");
    expect(end.totals).toMatchObject({ debit: "176000.75", credit: "176000.75" });
    expect(end.accounts.find((row) => row.code === "4101")).toEqual({
      code: "4101",
      name: "Penjualan Sembako - Anggota",
      type: "income",
      debit: "0.00",
      credit: "75000.50",
      balance: "75000.50",
      debitBalance: "0.00",
      creditBalance: "75000.50",
    });
  });

  it("refuses a date that is not a calendar date", () => {
    const model = buildReadModel("kkmp-x", new LedgerBuilder("kkmp-x").events);
    expect(() => trialBalance(model, "2026-02-30")).toThrow(RangeError);
  });
});
