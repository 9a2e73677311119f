import { credit, debit, LedgerBuilder, withKkmpAccounts } from "./ledgerBuilder.js";

/**
 * A year (2026) of a small KKMP: three members, simpanan pokok/wajib/sukarela, a government grant, a
 * Himbara loan, sembako sales to members and non-members, a member loan with an instalment, a wrong
 * entry reversed and posted again, a back-dated bank-interest entry recorded last, the fiscal-year close
 * and the RAT decision with its appropriation in 2027 (split in sen by largest remainder, each credit
 * line's memo naming its allocation key, as ledger-core posts it). The expected numbers are worked out by hand in
 * kkmpYear.unit.test.ts.
 */
export const kkmpYear = (): {
  builder: LedgerBuilder;
  wrongEntry: string;
  reversal: string;
  closingEntry: string;
} => {
  const builder = withKkmpAccounts(new LedgerBuilder());
  builder.member("A-0001", "Siti Aminah").member("A-0002", "Budi Santoso").member("A-0003", "Wati Lestari");
  builder.post("2026-01-02", "Simpanan pokok anggota pendiri", [
    debit("1101", "300000.00", { unit: "kantor" }),
    credit("3100", "100000.00", { memberId: "A-0001" }),
    credit("3100", "100000.00", { memberId: "A-0002" }),
    credit("3100", "100000.00", { memberId: "A-0003" }),
  ]);
  builder.post("2026-01-05", "Hibah Pemda", [
    debit("1111", "10000000.00", { counterparty: "government" }),
    credit("3400", "10000000.00", { counterparty: "government" }),
  ]);
  builder.post("2026-01-10", "Pencairan pinjaman Himbara", [
    debit("1111", "50000000.00", { counterparty: "bank" }),
    credit("2601", "50000000.00", { counterparty: "bank" }),
  ]);
  builder.post("2026-01-15", "Pembelian persediaan sembako", [
    debit("1301", "8000000.00", { unit: "sembako", counterparty: "supplier" }),
    credit("1111", "8000000.00", { counterparty: "supplier" }),
  ]);
  builder.post("2026-01-31", "Simpanan wajib Januari", [
    debit("1101", "125000.00"),
    credit("3200", "50000.00", { memberId: "A-0001" }),
    credit("3200", "50000.00", { memberId: "A-0002" }),
    credit("3200", "25000.00", { memberId: "A-0003" }),
  ]);
  sale(builder, "2026-02-01", "A-0001", "3000000.00", "2000000.00");
  sale(builder, "2026-02-03", "A-0002", "1500000.00", "1000000.00");
  sale(builder, "2026-02-10", null, "4000000.00", "3000000.00");
  builder.post("2026-03-01", "Setoran simpanan sukarela", [
    debit("1101", "500000.00"),
    credit("2101", "500000.00", { memberId: "A-0003" }),
  ]);
  builder.post("2026-03-05", "Pencairan pinjaman anggota", [
    debit("1201", "3000000.00", { memberId: "A-0002", unit: "simpan_pinjam" }),
    credit("1111", "3000000.00", { unit: "simpan_pinjam" }),
  ]);
  builder.post("2026-04-30", "Gaji pengelola", [
    debit("6101", "500000.00", { unit: "kantor", counterparty: "other" }),
    credit("1111", "500000.00"),
  ]);
  const wrongEntry = builder.post("2026-05-02", "Listrik Mei", [
    debit("6104", "250000.00", { unit: "gudang", counterparty: "other" }),
    credit("1101", "250000.00"),
  ]);
  const reversal = builder.reverse(wrongEntry, "2026-05-03", "salah akun kas");
  builder.post("2026-05-03", "Listrik Mei (dibayar dari bank)", [
    debit("6104", "250000.00", { unit: "gudang", counterparty: "other" }),
    credit("1111", "250000.00"),
  ]);
  builder.post("2026-06-05", "Angsuran pinjaman A-0002", [
    debit("1111", "1030000.00", { unit: "simpan_pinjam" }),
    credit("1201", "1000000.00", { memberId: "A-0002", unit: "simpan_pinjam" }),
    credit("4106", "30000.00", { memberId: "A-0002", unit: "simpan_pinjam" }),
  ]);
  builder.post("2026-07-31", "Simpanan wajib Juli", [
    debit("1101", "50000.00"),
    credit("3200", "50000.00", { memberId: "A-0001" }),
  ]);
  builder.post("2026-12-20", "Beban RAT", [
    debit("6201", "300000.00", { unit: "kantor", counterparty: "other" }),
    credit("1101", "300000.00"),
  ]);
  builder.post("2026-12-31", "PPh badan", [
    debit("6900", "100000.00", { counterparty: "government" }),
    credit("1111", "100000.00"),
  ]);
  // Recorded last but dated in March: the bank's interest statement arrived late.
  builder.post("2026-03-31", "Jasa giro Maret", [
    debit("1111", "12345.67", { counterparty: "bank" }),
    credit("4301", "12345.67", { counterparty: "bank" }),
  ]);
  const closingEntry = builder.post(
    "2026-12-31",
    "Tutup buku 2026",
    [
      debit("4101", "4500000.00"),
      debit("4106", "30000.00"),
      debit("4201", "4000000.00"),
      debit("4301", "12345.67"),
      credit("5101", "3000000.00"),
      credit("5201", "3000000.00"),
      credit("6101", "500000.00"),
      credit("6104", "250000.00"),
      credit("6201", "300000.00"),
      credit("6900", "100000.00"),
      credit("3700", "1392345.67"),
      debit("3700", "1392345.67"),
      credit("3600", "1392345.67"),
    ],
    "closing",
  );
  builder.push({
    type: "FiscalYearClosed",
    data: { year: 2026, entryId: closingEntry, shu: "1392345.67", resultAccount: "3600" },
  });
  const appropriation = builder.post(
    "2027-03-15",
    "Pembagian SHU 2026 per keputusan RAT",
    [
      debit("3600", "1392345.67"),
      credit("3500", "417703.70", { memo: "cadangan" }),
      credit("2401", "417703.70", { memo: "jasaUsaha" }),
      credit("2401", "278469.14", { memo: "jasaModal" }),
      credit("2402", "69617.29", { memo: "pengurusPengawas" }),
      credit("2404", "69617.28", { memo: "karyawan" }),
      credit("2405", "69617.28", { memo: "pendidikan" }),
      credit("2406", "34808.64", { memo: "sosial" }),
      credit("2407", "34808.64", { memo: "pembangunanDaerahKerja" }),
    ],
    "appropriation",
  );
  builder.push({
    type: "RatDecisionRecorded",
    data: {
      year: 2026,
      decidedOn: "2027-03-15",
      allocation: {
        cadangan: "30",
        jasaUsaha: "30",
        jasaModal: "20",
        pengurusPengawas: "5",
        karyawan: "5",
        pendidikan: "5",
        sosial: "2.5",
        pembangunanDaerahKerja: "2.5",
      },
      entryId: appropriation,
    },
  });
  return { builder, wrongEntry, reversal, closingEntry };
};

const sale = (
  builder: LedgerBuilder,
  date: string,
  memberId: string | null,
  price: string,
  cost: string,
): void => {
  const who = memberId === null ? { counterparty: "non_member" as const } : { memberId };
  builder.post(date, memberId === null ? "Penjualan sembako non-anggota" : `Penjualan sembako ${memberId}`, [
    debit("1103", price, { unit: "sembako" }),
    credit(memberId === null ? "4201" : "4101", price, { unit: "sembako", ...who }),
    debit(memberId === null ? "5201" : "5101", cost, { unit: "sembako", ...who }),
    credit("1301", cost, { unit: "sembako" }),
  ]);
};
