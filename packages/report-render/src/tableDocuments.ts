/** The books and registers (not statements) as documents: one row per account, line or member. */

import type { Unit } from "@bukubesar/ledger-core";
import { senToWire, wireToSen } from "@bukubesar/money";
import type {
  GeneralLedger,
  Journal,
  MemberStatement,
  ShuReport,
  TrialBalance,
  UnitResults,
  UnitSummary,
} from "@bukubesar/projections";
import { dateInWords, rangeInWords } from "./indonesianDate.js";
import { type ReportDocument, type ReportRow, reportDocument, row } from "./reportDocument.js";

export const ACCOUNT_TYPE_NAMES: Readonly<Record<string, string>> = {
  asset: "Aset",
  liability: "Liabilitas",
  equity: "Ekuitas",
  income: "Pendapatan",
  expense: "Beban",
};

/**
 * The neraca saldo: each account's turnover (debit and credit) and its balance in the debit or the credit
 * column, so both balance columns total the same; "sebelum penutupan" when the day's closing entries are
 * left out.
 */
export const trialBalanceDocument = (report: TrialBalance): ReportDocument =>
  reportDocument({
    kind: "trial-balance",
    title: report.beforeClosing ? "Neraca Saldo sebelum Penutupan" : "Neraca Saldo",
    period: dateInWords(report.asOf),
    inRupiah: true,
    columns: [
      { key: "code", header: "Kode", kind: "code" },
      { key: "name", header: "Nama akun", kind: "text" },
      { key: "type", header: "Jenis", kind: "text" },
      { key: "debit", header: "Mutasi debit", kind: "amount" },
      { key: "credit", header: "Mutasi kredit", kind: "amount" },
      { key: "debitBalance", header: "Saldo debit", kind: "amount" },
      { key: "creditBalance", header: "Saldo kredit", kind: "amount" },
    ],
    landscape: true,
    rows: [
      ...report.accounts.map((account) =>
        row("line", 0, {
          code: account.code,
          name: account.name,
          type: ACCOUNT_TYPE_NAMES[account.type] ?? account.type,
          debit: account.debit,
          credit: account.credit,
          debitBalance: account.debitBalance,
          creditBalance: account.creditBalance,
        }),
      ),
      row("total", 0, {
        name: "JUMLAH",
        debit: report.totals.debit,
        credit: report.totals.credit,
        debitBalance: report.totals.debitBalance,
        creditBalance: report.totals.creditBalance,
      }),
    ],
  });

export const generalLedgerDocument = (report: GeneralLedger): ReportDocument =>
  reportDocument({
    kind: "general-ledger",
    title: "Buku Besar",
    period: rangeInWords(report.from, report.to),
    subtitles: [`Akun ${report.account.code} ${report.account.name}`],
    inRupiah: true,
    columns: [
      { key: "date", header: "Tanggal", kind: "date" },
      { key: "entryId", header: "No. jurnal", kind: "code" },
      { key: "memo", header: "Keterangan", kind: "text" },
      { key: "debit", header: "Debit", kind: "amount" },
      { key: "credit", header: "Kredit", kind: "amount" },
      { key: "balance", header: "Saldo", kind: "amount" },
    ],
    rows: [
      row("subtotal", 0, { date: report.from, memo: "Saldo awal", balance: report.openingBalance }),
      ...report.lines.map((line) =>
        row("line", 0, {
          date: line.date,
          entryId: line.entryId,
          memo: line.lineMemo === null ? line.memo : `${line.memo} — ${line.lineMemo}`,
          debit: line.debit,
          credit: line.credit,
          balance: line.balance,
        }),
      ),
      row("total", 0, { date: report.to, memo: "Saldo akhir", balance: report.closingBalance }),
    ],
  });

export const journalDocument = (report: Journal): ReportDocument =>
  reportDocument({
    kind: "journal",
    title: "Jurnal Umum",
    period: rangeInWords(report.from, report.to),
    inRupiah: true,
    columns: [
      { key: "date", header: "Tanggal", kind: "date" },
      { key: "entryId", header: "No. jurnal", kind: "code" },
      { key: "account", header: "Akun", kind: "code" },
      { key: "memo", header: "Keterangan", kind: "text" },
      { key: "debit", header: "Debit", kind: "amount" },
      { key: "credit", header: "Kredit", kind: "amount" },
    ],
    rows: [
      ...report.entries.flatMap((entry) => [
        row("heading", 0, { date: entry.date, entryId: entry.entryId, memo: entry.memo }),
        ...entry.lines.map((line) =>
          row("line", 1, {
            account: line.account,
            memo: line.memo === null ? line.accountName : `${line.accountName} — ${line.memo}`,
            debit: line.debit,
            credit: line.credit,
          }),
        ),
      ]),
      row("total", 0, { memo: "JUMLAH", debit: report.totals.debit, credit: report.totals.credit }),
    ],
  });

const MEMBER_CATEGORY_NAMES: Readonly<Record<string, string>> = {
  simpananPokok: "Simpanan pokok",
  simpananWajib: "Simpanan wajib",
  simpananSukarela: "Simpanan sukarela",
  pinjaman: "Pinjaman",
  utangShu: "SHU bagian anggota",
};

export const memberStatementDocument = (report: MemberStatement): ReportDocument =>
  reportDocument({
    kind: "member-statement",
    title: "Laporan Simpanan dan Pinjaman Anggota",
    period: dateInWords(report.asOf),
    subtitles: [
      report.member === null
        ? `Anggota ${report.memberId}`
        : `Anggota ${report.member.memberId} — ${report.member.name}, sejak ${dateInWords(report.member.joinedOn)}`,
    ],
    inRupiah: true,
    columns: [
      { key: "date", header: "Tanggal", kind: "date" },
      { key: "entryId", header: "No. jurnal", kind: "code" },
      { key: "memo", header: "Keterangan", kind: "text" },
      { key: "debit", header: "Debit", kind: "amount" },
      { key: "credit", header: "Kredit", kind: "amount" },
      { key: "balance", header: "Saldo", kind: "amount" },
    ],
    rows: report.accounts.flatMap((account) => [
      row("heading", 0, {
        memo: `${MEMBER_CATEGORY_NAMES[account.category] ?? account.category}: ${account.code} ${account.name}`,
      }),
      ...account.lines.map((line) =>
        row("line", 1, {
          date: line.date,
          entryId: line.entryId,
          memo: line.memo,
          debit: line.debit,
          credit: line.credit,
          balance: line.balance,
        }),
      ),
      row("subtotal", 0, { date: report.asOf, memo: "Saldo", balance: account.balance }),
    ]),
  });

/** The business units by the `unit` values lines carry (docs/api.md, Journal entries). */
const UNIT_NAMES: Readonly<Record<Unit, string>> = {
  kantor: "Kantor koperasi",
  sembako: "Gerai sembako",
  simpan_pinjam: "Unit simpan pinjam",
  klinik: "Klinik",
  apotek: "Apotek",
  gudang: "Gudang / cold storage",
  logistik: "Logistik",
  lainnya: "Lainnya",
};

/** A unit's printed name; lines without a unit are shown as *tidak dialokasikan*, never dropped. */
const unitName = (unit: Unit | null): string => (unit === null ? "Tidak dialokasikan" : UNIT_NAMES[unit]);

export const unitSummaryDocument = (report: UnitSummary): ReportDocument =>
  reportDocument({
    kind: "unit-summary",
    title: "Hasil Usaha per Unit",
    period: rangeInWords(report.from, report.to),
    inRupiah: true,
    columns: [
      { key: "unit", header: "Unit usaha", kind: "text" },
      { key: "memberIncome", header: "Pendapatan anggota", kind: "amount" },
      { key: "nonMemberIncome", header: "Pendapatan non-anggota", kind: "amount" },
      { key: "income", header: "Pendapatan", kind: "amount" },
      { key: "expense", header: "Beban", kind: "amount" },
      { key: "result", header: "Hasil", kind: "amount" },
    ],
    rows: [
      ...report.units.map((unit) =>
        row("line", 0, {
          unit: unitName(unit.unit),
          memberIncome: unit.memberIncome,
          nonMemberIncome: unit.nonMemberIncome,
          income: unit.income,
          expense: unit.expense,
          result: unit.result,
        }),
      ),
      row("total", 0, {
        unit: "JUMLAH",
        income: report.totals.income,
        expense: report.totals.expense,
        result: report.totals.result,
      }),
    ],
  });

const OVERHEAD_BASIS_NAMES: Readonly<Record<UnitResults["basis"], string>> = {
  revenue: "pendapatan",
  expense: "beban",
  equal: "sama rata",
};

/**
 * Results per unit (docs/accounting.md section 7): each unit's direct result, its share of the office's
 * overhead and its result after it; then the overhead itself and the lines without a unit, apart.
 */
export const unitResultsDocument = (report: UnitResults): ReportDocument =>
  reportDocument({
    kind: "unit-results",
    title: "Hasil Usaha per Unit",
    period: rangeInWords(report.from, report.to),
    inRupiah: true,
    columns: [
      { key: "unit", header: "Unit usaha", kind: "text" },
      { key: "income", header: "Pendapatan", kind: "amount" },
      { key: "expense", header: "Beban langsung", kind: "amount" },
      { key: "directResult", header: "Hasil langsung", kind: "amount" },
      { key: "overheadShare", header: "Alokasi overhead", kind: "amount" },
      { key: "result", header: "Hasil setelah overhead", kind: "amount" },
    ],
    rows: [
      row("heading", 0, { unit: "Unit usaha" }),
      ...report.units.map((unit) =>
        row("line", 1, {
          unit: unitName(unit.unit),
          income: unit.income,
          expense: unit.expense,
          directResult: unit.directResult,
          overheadShare: unit.overheadShare,
          result: unit.result,
        }),
      ),
      row("heading", 0, {
        unit: `Overhead bersama (${unitName(report.overhead.unit)}), dialokasikan menurut ${OVERHEAD_BASIS_NAMES[report.basis]}`,
      }),
      row("line", 1, {
        unit: unitName(report.overhead.unit),
        income: report.overhead.income,
        expense: report.overhead.expense,
        directResult: negated(report.overhead.cost),
        overheadShare: negated(report.overhead.allocated),
        result: negated(report.overhead.unallocated),
      }),
      row("line", 0, {
        unit: unitName(null),
        income: report.unassigned.income,
        expense: report.unassigned.expense,
        directResult: report.unassigned.result,
        result: report.unassigned.result,
      }),
      row("total", 0, {
        unit: "JUMLAH",
        income: report.totals.income,
        expense: report.totals.expense,
        result: report.totals.result,
      }),
    ],
  });

/** "1500.00" → "-1500.00" and back: the overhead row shows its cost as a deduction. */
const negated = (amount: string): string =>
  amount.startsWith("-") ? amount.slice(1) : amount === "0.00" ? amount : `-${amount}`;

/** The printed name of each SHU allocation key (ledger-core's shuAllocationAccounts). */
export const ALLOCATION_NAMES: Readonly<Record<string, string>> = {
  cadangan: "Cadangan",
  jasaUsaha: "Jasa usaha anggota",
  jasaModal: "Jasa modal anggota",
  pengurusPengawas: "Dana pengurus dan pengawas",
  karyawan: "Dana karyawan",
  pendidikan: "Dana pendidikan",
  sosial: "Dana sosial",
  pembangunanDaerahKerja: "Dana pembangunan daerah kerja",
  pengawas: "Dana pengawas",
};

const SHU_STATUS: Readonly<Record<ShuReport["status"], string>> = {
  allocated: "Pembagian menurut keputusan Rapat Anggota Tahunan",
  awaitingRatDecision: "Usulan pembagian, menunggu keputusan Rapat Anggota Tahunan",
  noShuToAllocate: "Tidak ada SHU untuk dibagi",
};

/** Before the RAT decision the division is only a proposal (*rancangan*); the title says which. */
const SHU_TITLE: Readonly<Record<ShuReport["division"], string>> = {
  proposed: "Rancangan Pembagian SHU",
  decided: "Pembagian SHU",
};

export const shuDocument = (report: ShuReport): ReportDocument =>
  reportDocument({
    kind: "shu",
    title: SHU_TITLE[report.division],
    period: `Tahun buku ${report.year}`,
    subtitles: [
      SHU_STATUS[report.status],
      ...(report.decision === null ? [] : [`Diputuskan ${dateInWords(report.decision.decidedOn)}`]),
    ],
    inRupiah: true,
    signatures: "pengurusDanPengawas",
    columns: [
      { key: "memberId", header: "No. anggota", kind: "code" },
      { key: "name", header: "Uraian", kind: "text" },
      { key: "percent", header: "%", kind: "code" },
      { key: "jasaModal", header: "Jasa modal", kind: "amount" },
      { key: "jasaUsaha", header: "Jasa usaha", kind: "amount" },
      { key: "total", header: "Jumlah", kind: "amount" },
    ],
    rows: [
      row("subtotal", 0, { name: "SHU tahun buku", total: report.shu }),
      ...(report.priorLossCovered === "0.00"
        ? []
        : [row("line", 1, { name: "Menutup rugi tahun lalu", total: report.priorLossCovered })]),
      row("heading", 0, { name: "PEMBAGIAN SHU" }),
      ...report.allocation.map((part) =>
        row("line", 1, {
          name: ALLOCATION_NAMES[part.key] ?? part.key,
          percent: `${part.percent.replace(".", ",")}%`,
          total: part.amount,
        }),
      ),
      ...(report.lossCoverage === null
        ? []
        : [
            row("heading", 0, { name: "PENUTUPAN RUGI" }),
            row("line", 1, { name: "Ditutup dari cadangan", total: report.lossCoverage.fromReserve }),
            row("line", 1, { name: "Dibawa ke tahun berikutnya", total: report.lossCoverage.carriedForward }),
          ]),
      row("heading", 0, { name: "BAGIAN ANGGOTA" }),
      ...report.members.map((member) =>
        row("line", 1, {
          memberId: member.memberId,
          name: member.name,
          jasaModal: member.jasaModal,
          jasaUsaha: member.jasaUsaha,
          total: member.total,
        }),
      ),
      row("total", 0, {
        name: "JUMLAH BAGIAN ANGGOTA",
        jasaModal: report.totals.jasaModal,
        jasaUsaha: report.totals.jasaUsaha,
        total: report.totals.total,
      }),
      ...shuResidueRows(report),
    ],
  });

/**
 * What of the member pools no member gets, credited to the reserve (docs/accounting.md section 5), and the
 * member revenue that names no member; shown only when there is any.
 */
const shuResidueRows = (report: ShuReport): ReportRow[] => {
  const { jasaModal, jasaUsaha } = report.undistributed;
  const residue = senToWire(wireToSen(jasaModal) + wireToSen(jasaUsaha));
  const unattributed = report.participation.unattributedRevenue;
  return [
    ...(residue === "0.00"
      ? []
      : [
          row("line", 0, {
            name: `Sisa pembulatan ke cadangan (${report.residueAccount})`,
            jasaModal,
            jasaUsaha,
            total: residue,
          }),
        ]),
    ...(unattributed === "0.00"
      ? []
      : [
          row("line", 0, {
            name: "Pendapatan dari anggota tanpa nomor anggota",
            total: unattributed,
          }),
          row("line", 1, {
            name: "Jasa usaha atasnya",
            jasaUsaha: report.participation.unattributedJasaUsaha,
          }),
        ]),
  ];
};
