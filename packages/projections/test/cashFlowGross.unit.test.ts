import { describe, expect, it } from "vitest";
import { buildReadModel, cashFlow } from "../src/index.js";
import { credit, debit, LedgerBuilder, withKkmpAccounts } from "./ledgerBuilder.js";

/**
 * docs/accounting.md section 7: the flows the members' meeting reads apart are shown gross, never netted.
 * One year with each flow both ways: the Himbara loan drawn and an instalment paid with its interest, a
 * member loan disbursed and collected, savings deposited and withdrawn, simpanan pokok received and
 * returned to a leaving member, and a grant.
 */
const grossYear = () => {
  const builder = withKkmpAccounts(new LedgerBuilder());
  builder.account("6110", "Beban Bunga Pinjaman Bank (Himbara)", "expense");
  builder.member("A-0001", "Siti Aminah").member("A-0002", "Budi Santoso");
  builder.post("2026-01-02", "Simpanan pokok", [
    debit("1101", "200000.00"),
    credit("3100", "100000.00", { memberId: "A-0001" }),
    credit("3100", "100000.00", { memberId: "A-0002" }),
  ]);
  builder.post("2026-01-05", "Hibah Pemda", [debit("1111", "5000000.00"), credit("3400", "5000000.00")]);
  builder.post("2026-01-10", "Pencairan pinjaman Himbara", [
    debit("1111", "20000000.00"),
    credit("2601", "20000000.00"),
  ]);
  builder.post("2026-02-10", "Angsuran Himbara", [
    debit("2601", "1000000.00"),
    debit("6110", "100000.00"),
    credit("1111", "1100000.00"),
  ]);
  builder.post("2026-03-01", "Pinjaman anggota", [
    debit("1201", "2000000.00", { memberId: "A-0001" }),
    credit("1111", "2000000.00"),
  ]);
  builder.post("2026-04-01", "Angsuran pinjaman anggota", [
    debit("1111", "520000.00"),
    credit("1201", "500000.00", { memberId: "A-0001" }),
    credit("4106", "20000.00", { memberId: "A-0001" }),
  ]);
  builder.post("2026-05-01", "Tabungan", [
    debit("1101", "300000.00"),
    credit("2101", "300000.00", { memberId: "A-0002" }),
  ]);
  builder.post("2026-06-01", "Penarikan tabungan", [
    debit("2101", "120000.00", { memberId: "A-0002" }),
    credit("1101", "120000.00"),
  ]);
  builder.post("2026-07-01", "Anggota keluar", [
    debit("2101", "180000.00", { memberId: "A-0002" }),
    debit("3100", "100000.00", { memberId: "A-0002" }),
    credit("1101", "280000.00"),
  ]);
  return buildReadModel(builder.coopId, builder.events);
};

describe("cash flow gross flows", () => {
  it("shows every flow both ways apart, and still reconciles to the cash accounts", () => {
    const flow = cashFlow(grossYear(), "2026-01-01", "2026-12-31");
    const amounts = (lines: readonly { key: string; amount: string }[]) =>
      Object.fromEntries(lines.map((line) => [line.key, line.amount]));
    expect(amounts(flow.operating.lines)).toEqual({
      pencairanPinjamanAnggota: "-2000000.00",
      angsuranPinjamanAnggota: "500000.00",
      penerimaanJasaPinjaman: "20000.00",
      penerimaanTabungan: "300000.00",
      penarikanTabungan: "-300000.00",
      pembayaranBungaPinjaman: "-100000.00",
    });
    expect(amounts(flow.financing.lines)).toEqual({
      simpananPokokWajib: "200000.00",
      pengembalianAnggotaKeluar: "-100000.00",
      penerimaanPinjaman: "20000000.00",
      pembayaranPokokPinjaman: "-1000000.00",
      penerimaanHibah: "5000000.00",
    });
    expect(flow.reconciles).toBe(true);
    expect(flow.closingCash).toBe("22520000.00");
  });
});
