import type { AccountType } from "@bukubesar/ledger-core";
import { describe, expect, it } from "vitest";
import { balanceSheet, buildReadModel, trialBalance } from "../src/index.js";
import { credit, debit, LedgerBuilder, withKkmpAccounts } from "./ledgerBuilder.js";

/** The KKMP chart with two levels of headers above the cash accounts, and 1100 under 1000. */
const withHeaders = (): LedgerBuilder => {
  const builder = withKkmpAccounts(new LedgerBuilder("kkmp-induk"));
  const open = (
    code: string,
    name: string,
    parent: string | null,
    postable: boolean,
    type: AccountType = "asset",
  ) =>
    builder.push({
      type: "AccountOpened",
      data: { code, name, accountType: type, normalBalance: "debit", parent, postable, noOverdraft: false },
    });
  open("1000", "Aset", null, false);
  open("1100", "Kas dan Setara Kas", "1000", false);
  // Re-opening re-parents the cash accounts under 1100 (the read model keeps the last AccountOpened).
  open("1101", "Kas Besar", "1100", true);
  open("1111", "Bank Operasional", "1100", true);
  open("1301", "Persediaan Sembako", "1000", true);
  builder.post("2026-01-05", "Simpanan pokok", [debit("1101", "300000.00"), credit("3100", "300000.00")]);
  builder.post("2026-01-06", "Setor bank", [debit("1111", "200000.00"), credit("1101", "200000.00")]);
  builder.post("2026-01-07", "Beli sembako", [debit("1301", "50000.50"), credit("1111", "50000.50")]);
  return builder;
};

describe("roll-up to parent accounts", () => {
  it("adds parent rows with the sum of their descendants, leaves the default and the totals unchanged", () => {
    const model = buildReadModel("kkmp-induk", withHeaders().events);
    const plain = trialBalance(model, "2026-12-31");
    const rolled = trialBalance(model, "2026-12-31", { rollup: true });
    expect(trialBalance(model, "2026-12-31", { rollup: false })).toEqual(plain);
    expect(plain.accounts.map((row) => row.code)).toEqual(["1101", "1111", "1301", "3100"]);
    expect(plain.accounts.some((row) => "rollup" in row)).toBe(false);
    expect(rolled.totals).toEqual(plain.totals);
    expect(rolled.accounts.map((row) => row.code)).toEqual(["1000", "1100", "1101", "1111", "1301", "3100"]);
    expect(rolled.accounts.find((row) => row.code === "1100")).toEqual({
      code: "1100",
      name: "Kas dan Setara Kas",
      type: "asset",
      debit: "500000.00",
      credit: "250000.50",
      balance: "249999.50",
      debitBalance: "249999.50",
      creditBalance: "0.00",
      rollup: true,
    });
    expect(rolled.accounts.find((row) => row.code === "1000")).toMatchObject({
      debit: "550000.50",
      credit: "250000.50",
      balance: "300000.00",
      rollup: true,
    });
    // Leaves keep their own figures.
    expect(rolled.accounts.filter((row) => row.rollup !== true)).toEqual(plain.accounts);
  });

  it("the balance sheet lists parents in their sections without changing any total", () => {
    const model = buildReadModel("kkmp-induk", withHeaders().events);
    const plain = balanceSheet(model, "2026-12-31");
    const rolled = balanceSheet(model, "2026-12-31", { rollup: true });
    expect(rolled.assets.total).toBe(plain.assets.total);
    expect(rolled.balanced).toBe(true);
    expect(rolled.assets.sections.map((section) => section.total)).toEqual(
      plain.assets.sections.map((section) => section.total),
    );
    const cash = rolled.assets.sections.find((section) => section.key === "kasDanSetaraKas");
    expect(cash?.accounts).toEqual([
      { code: "1100", name: "Kas dan Setara Kas", amount: "249999.50", rollup: true },
      { code: "1101", name: "Kas Besar", amount: "100000.00" },
      { code: "1111", name: "Bank Operasional", amount: "149999.50" },
    ]);
    expect(rolled.equity).toEqual(plain.equity);
  });

  it("stops on a cycle of parent links instead of looping", () => {
    const builder = new LedgerBuilder("kkmp-siklus");
    for (const [code, parent] of [
      ["1100", "1200"],
      ["1200", "1100"],
    ] as const) {
      builder.push({
        type: "AccountOpened",
        data: {
          code,
          name: code,
          accountType: "asset",
          normalBalance: "debit",
          parent,
          postable: true,
          noOverdraft: false,
        },
      });
    }
    builder.post("2026-01-05", "x", [debit("1100", "10.00"), credit("1200", "10.00")]);
    const rolled = trialBalance(buildReadModel("kkmp-siklus", builder.events), "2026-12-31", {
      rollup: true,
    });
    expect(rolled.totals).toMatchObject({ debit: "10.00", credit: "10.00" });
    expect(rolled.accounts.map((row) => row.code)).toEqual(["1100", "1200"]);
  });
});
