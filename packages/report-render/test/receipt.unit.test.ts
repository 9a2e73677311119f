import type { EntryLine } from "@bukubesar/ledger-core";
import { describe, expect, it } from "vitest";
import { entryReceipt, receiptDocument } from "../src/index.js";
import { kkmpModel } from "./fixtures.js";

const line = (account: string, side: "debit" | "credit", amount: string, memberId: string | null = null) =>
  ({ account, side, amount, memberId, unit: null, counterparty: null, memo: null }) satisfies EntryLine;

const entry = (lines: EntryLine[]) => ({ entryId: "e-1", date: "2026-12-05", memo: "Uji", lines });

describe("entryReceipt", () => {
  const model = kkmpModel();

  it("receipts money into cash as received from the member the entry names", () => {
    const receipt = entryReceipt(
      entry([line("1101", "debit", "300000.00"), line("3100", "credit", "300000.00", "P-0002")]),
      model,
    );
    expect(receipt).toMatchObject({
      receiptNumber: "e-1",
      dateInWords: "5 Desember 2026",
      direction: "received",
      memberId: "P-0002",
      party: "Rina Bendahara",
      amount: "300000.00",
      amountInWords: "tiga ratus ribu rupiah",
    });
    expect(receiptDocument(receipt).signatures).toEqual({
      counterparty: { office: "Penyetor", name: "Rina Bendahara" },
    });
  });

  it("receipts the cash side's net, not the entry's total, and money out as paid", () => {
    const receipt = entryReceipt(
      entry([
        line("5101", "debit", "150000.00"),
        line("1101", "credit", "100000.00"),
        line("1111", "credit", "50000.00"),
        line("1101", "debit", "20000.00"),
        line("4101", "credit", "20000.00"),
      ]),
      model,
    );
    expect([receipt.direction, receipt.amount, receipt.party]).toEqual(["paid", "130000.00", null]);
  });

  it("receipts a move between cash and bank, which nets to nothing, for its debit total", () => {
    const receipt = entryReceipt(
      entry([line("1111", "debit", "500000.00"), line("1101", "credit", "500000.00")]),
      model,
    );
    expect([receipt.direction, receipt.amount]).toEqual(["received", "500000.00"]);
  });
});
