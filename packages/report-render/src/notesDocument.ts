/**
 * Catatan atas Laporan Keuangan (CaLK), generated from the ledger: general information from the
 * cooperative's register, the accounting policies the engine applies, and a note per significant line
 * with its breakdown (cash and banks per account, member loans per member, fixed assets and
 * depreciation, the Himbara loan, savings per kind, the SHU and its division, related parties), each
 * beside the previous year-end (or "—" in a first year).
 */
import { senToWire, wireToSen } from "@bukubesar/money";
import {
  incomeStatement,
  type LedgerReadModel,
  memberStatement,
  type ShuReport,
  shuReport,
  type TrialBalance,
  trialBalance,
} from "@bukubesar/projections";
import { amountRow, headingRow, statementColumns } from "./comparative.js";
import { dateInWords, hasHistoryUpTo, previousYearEnd } from "./indonesianDate.js";
import { NOT_AVAILABLE, type ReportDocument, type ReportRow, reportDocument, row } from "./reportDocument.js";
import { ALLOCATION_NAMES } from "./tableDocuments.js";

export const NOTES_TITLE = "Catatan atas Laporan Keuangan";

/** The policies the engine applies, stated as the notes state them (docs/accounting.md explains them). */
export const ACCOUNTING_POLICIES: readonly string[] = [
  "Laporan keuangan disusun berdasarkan Standar Akuntansi Keuangan Indonesia untuk Entitas Privat (SAK EP) sebagaimana diwajibkan oleh Peraturan Menteri Koperasi dan UKM Nomor 2 Tahun 2024, dengan dasar akrual dan biaya historis, dalam mata uang Rupiah.",
  "Tahun buku koperasi adalah 1 Januari sampai dengan 31 Desember. Aset disajikan menurut urutan likuiditas dan liabilitas menurut urutan jatuh tempo, tanpa pemisahan lancar dan tidak lancar.",
  "Pendapatan dari transaksi dengan anggota (partisipasi bruto anggota) dan dengan non-anggota dicatat dan disajikan terpisah; pendapatan diakui pada saat barang diserahkan atau jasa diberikan, beban pada saat terjadinya.",
  "Simpanan pokok dan simpanan wajib disajikan sebagai ekuitas; simpanan sukarela dan simpanan berjangka sebagai liabilitas. Simpanan anggota yang keluar dipindahkan ke liabilitas sampai dikembalikan.",
  "Laporan arus kas disusun dengan metode langsung; pemberian dan pelunasan pinjaman anggota termasuk aktivitas operasi karena merupakan kegiatan utama unit simpan pinjam.",
  "Pada akhir tahun buku hasil usaha ditutup ke SHU belum dibagi atau, bila rugi, ke rugi belum tertutup; SHU dibagi menurut keputusan Rapat Anggota Tahunan, bagian anggota dicatat sebagai utang SHU sampai dibayarkan, dan rugi ditutup dari cadangan atau dibawa ke tahun berikutnya menurut keputusan yang sama.",
  "Setiap transaksi dicatat sebagai peristiwa yang tidak dapat diubah dan dirantai dengan hash SHA-256; koreksi dilakukan dengan jurnal pembalik, bukan dengan mengubah catatan.",
];

/** The accounts of each breakdown note, by code prefix of the kkmp chart (docs/accounting.md). */
const CASH_PREFIX = "11";
const FIXED_ASSET_PREFIX = "16";
const HIMBARA_LOAN = "2601";
const MEMBER_LOAN = "1201";
const SAVINGS_ACCOUNTS = ["3100", "3200", "2101", "2102", "2103"];
const BOARD_FEES = ["6102", "6103"];

interface Balances {
  readonly current: TrialBalance;
  readonly previous: TrialBalance | null;
}

/** Which side a note counts positive: assets debit minus credit (a contra account then reads negative). */
type Direction = "debit" | "credit";

const balanceIn = (
  report: TrialBalance | null,
  code: string,
  direction: Direction = "credit",
): string | undefined => {
  if (report === null) return NOT_AVAILABLE;
  const account = report.accounts.find((line) => line.code === code);
  if (account === undefined) return "0.00";
  const net = wireToSen(account.debit) - wireToSen(account.credit);
  return senToWire(direction === "debit" ? net : -net);
};

const sumOf = (amounts: readonly (string | undefined)[]): string =>
  amounts.includes(NOT_AVAILABLE)
    ? NOT_AVAILABLE
    : senToWire(amounts.reduce((sum, amount) => sum + wireToSen(amount ?? "0.00"), 0n));

/** One line per account whose code starts with a prefix (or is listed), with a total. */
const accountNote = (
  title: string,
  balances: Balances,
  picks: (code: string) => boolean,
  totalLabel: string,
  direction: Direction,
): ReportRow[] => {
  const codes = [
    ...new Set(
      [...balances.current.accounts, ...(balances.previous?.accounts ?? [])].map((account) => account.code),
    ),
  ]
    .filter(picks)
    .sort();
  const named = new Map(
    [...balances.current.accounts, ...(balances.previous?.accounts ?? [])].map((account) => [
      account.code,
      account.name,
    ]),
  );
  const lines = codes.map((code) => ({
    label: `${code} ${named.get(code) ?? ""}`,
    current: balanceIn(balances.current, code, direction),
    previous: balanceIn(balances.previous, code, direction),
  }));
  return [
    headingRow(0, title),
    ...lines.map((line) => amountRow("line", 1, line.label, line.current, line.previous)),
    amountRow(
      "subtotal",
      0,
      totalLabel,
      sumOf(lines.map((line) => line.current)),
      balances.previous === null ? NOT_AVAILABLE : sumOf(lines.map((line) => line.previous)),
    ),
  ];
};

const textRows = (paragraphs: readonly string[]): ReportRow[] =>
  paragraphs.map((paragraph) => row("line", 1, { label: paragraph }));

const generalInformation = (
  model: LedgerReadModel,
  asOf: string,
  legalEntityNumber: string | null,
): ReportRow[] => {
  const members = [...model.members.values()].filter((member) => member.joinedOn <= asOf);
  const board = (role: "pengurus" | "pengawas") =>
    members.filter((member) => member.role === role).map((member) => member.name);
  const pengurus = board("pengurus");
  const pengawas = board("pengawas");
  return [
    headingRow(0, "Informasi umum"),
    ...textRows([
      `${model.name ?? model.coopId} adalah koperasi desa/kelurahan dengan kode wilayah ${model.regionCode ?? "—"}${
        legalEntityNumber === null ? "" : `, badan hukum nomor ${legalEntityNumber}`
      }.`,
      `Jumlah anggota per ${dateInWords(asOf)}: ${members.length} orang.`,
      `Pengurus: ${pengurus.length === 0 ? "belum tercatat" : pengurus.join(", ")}. Pengawas: ${
        pengawas.length === 0 ? "belum tercatat" : pengawas.join(", ")
      }.`,
    ]),
  ];
};

/** Every member's loan balance (account 1201) at both dates, members without a loan in either left out. */
const memberLoansNote = (model: LedgerReadModel, asOf: string, previousAsOf: string | null): ReportRow[] => {
  const loanOf = (memberId: string, date: string | null): string | undefined =>
    date === null ? NOT_AVAILABLE : (memberStatement(model, memberId, date)?.pinjaman ?? "0.00");
  const lines = [...model.members.values()]
    .map((member) => ({
      label: `${member.memberId} ${member.name}`,
      current: loanOf(member.memberId, asOf),
      previous: loanOf(member.memberId, previousAsOf),
    }))
    .filter(
      (line) => line.current !== "0.00" || (line.previous !== "0.00" && line.previous !== NOT_AVAILABLE),
    );
  return [
    headingRow(0, `Pinjaman yang diberikan kepada anggota (akun ${MEMBER_LOAN})`),
    ...lines.map((line) => amountRow("line", 1, line.label, line.current, line.previous)),
    amountRow(
      "subtotal",
      0,
      "Jumlah pinjaman anggota",
      sumOf(lines.map((line) => line.current)),
      previousAsOf === null ? NOT_AVAILABLE : sumOf(lines.map((line) => line.previous)),
    ),
  ];
};

/** The Himbara loan: balance at both dates and the year's drawdowns and repayments. */
const himbaraNote = (balances: Balances, yearStart: TrialBalance | null): ReportRow[] => {
  const account = (report: TrialBalance | null) =>
    report?.accounts.find((line) => line.code === HIMBARA_LOAN);
  const movement = (side: "debit" | "credit") => {
    const end = wireToSen(account(balances.current)?.[side] ?? "0.00");
    const start = wireToSen(account(yearStart)?.[side] ?? "0.00");
    return senToWire(end - start);
  };
  return [
    headingRow(0, `Pinjaman bank Himbara – PMK 49/2025 (akun ${HIMBARA_LOAN})`),
    amountRow("line", 1, "Pencairan dalam tahun berjalan", movement("credit"), undefined),
    amountRow("line", 1, "Angsuran pokok dalam tahun berjalan", movement("debit"), undefined),
    amountRow(
      "subtotal",
      0,
      "Saldo pinjaman",
      balanceIn(balances.current, HIMBARA_LOAN),
      balanceIn(balances.previous, HIMBARA_LOAN),
    ),
  ];
};

/**
 * The division of a year's SHU as the members' meeting decided it, in the column of that year (the
 * meeting is held after the year ends, so a printed year may already carry its own decision).
 */
const divisionRows = (report: ShuReport, column: "amount" | "previousAmount"): ReportRow[] =>
  report.decision === null
    ? textRows([`Pembagian SHU tahun buku ${report.year} belum diputuskan Rapat Anggota Tahunan.`])
    : [
        row("line", 1, {
          label: `Pembagian SHU tahun buku ${report.year} menurut keputusan Rapat Anggota Tahunan ${dateInWords(report.decision.decidedOn)}:`,
        }),
        ...report.allocation.map((part) =>
          row("line", 2, {
            label: `${ALLOCATION_NAMES[part.key] ?? part.key} (${part.percent.replace(".", ",")}%)`,
            [column]: part.amount,
          }),
        ),
      ];

/** The year's SHU and the divisions the members' meetings decided. */
const shuNote = (model: LedgerReadModel, asOf: string, hasPrevious: boolean): ReportRow[] => {
  const year = Number(asOf.slice(0, 4));
  const current = shuReport(model, year);
  const previous = shuReport(model, year - 1);
  const shuAfterTax = (from: string, to: string) => incomeStatement(model, from, to).shuAfterTax;
  return [
    headingRow(0, "Sisa hasil usaha dan pembagiannya"),
    amountRow(
      "line",
      1,
      "SHU setelah pajak",
      shuAfterTax(`${year}-01-01`, asOf),
      hasPrevious ? shuAfterTax(`${year - 1}-01-01`, `${year - 1}-12-31`) : NOT_AVAILABLE,
    ),
    ...divisionRows(current, "amount"),
    ...divisionRows(previous, "previousAmount"),
  ];
};

/** Pengurus and pengawas: their savings and loans with the cooperative, and the fees paid to the board. */
const relatedPartiesNote = (model: LedgerReadModel, balances: Balances, asOf: string): ReportRow[] => {
  const board = [...model.members.values()].filter((member) => member.role !== "member");
  const rows: ReportRow[] = [headingRow(0, "Pihak berelasi")];
  rows.push(
    ...textRows([
      "Pihak berelasi adalah pengurus dan pengawas koperasi. Transaksi dengan mereka dilakukan dengan syarat yang sama dengan anggota lain.",
    ]),
  );
  for (const member of board) {
    const statement = memberStatement(model, member.memberId, asOf);
    if (statement === null) continue;
    const savings = sumOf([statement.simpananPokok, statement.simpananWajib, statement.simpananSukarela]);
    rows.push(amountRow("line", 1, `${member.name} (${member.role}) – simpanan`, savings, undefined));
    if (statement.pinjaman !== "0.00")
      rows.push(
        amountRow("line", 1, `${member.name} (${member.role}) – pinjaman`, statement.pinjaman, undefined),
      );
  }
  // Fees are the year's expense, read from the income statement (the close empties the accounts).
  const year = Number(asOf.slice(0, 4));
  const feesOf = (statementYear: number) =>
    incomeStatement(model, `${statementYear}-01-01`, `${statementYear}-12-31`).operatingExpenses.accounts;
  const current = feesOf(year);
  const previous = balances.previous === null ? null : feesOf(year - 1);
  for (const code of BOARD_FEES) {
    const now = current.find((account) => account.code === code);
    const before = previous?.find((account) => account.code === code);
    if (now === undefined && before === undefined) continue;
    const name = now?.name ?? before?.name ?? code;
    rows.push(
      amountRow(
        "line",
        1,
        `${code} ${name}`,
        now?.amount ?? "0.00",
        previous === null ? NOT_AVAILABLE : (before?.amount ?? "0.00"),
      ),
    );
  }
  return rows;
};

/**
 * Numbers the notes (the headings at the left) in order, leaving out a breakdown note with no line (a
 * cooperative without fixed assets has no note on them).
 */
const numbered = (rows: readonly ReportRow[]): ReportRow[] => {
  const notes: ReportRow[][] = [];
  for (const line of rows) {
    if (line.role === "heading" && line.indent === 0) notes.push([line]);
    else notes[notes.length - 1]?.push(line);
  }
  return notes
    .filter((note) => note.some((line) => line.role === "line"))
    .flatMap((note, index) =>
      note.map((line, position) =>
        position === 0
          ? row("heading", 0, { ...line.cells, label: `${index + 1}. ${line.cells.label ?? ""}` })
          : line,
      ),
    );
};

/** The notes for the year ending `asOf` (normally 31 December), with the previous year-end beside it. */
export const notesDocument = (
  model: LedgerReadModel,
  asOf: string,
  legalEntityNumber: string | null = null,
): ReportDocument => {
  const previousAsOf = previousYearEnd(asOf);
  const hasPrevious = hasHistoryUpTo(model, previousAsOf);
  const balances: Balances = {
    current: trialBalance(model, asOf),
    previous: hasPrevious ? trialBalance(model, previousAsOf) : null,
  };
  return reportDocument({
    kind: "notes",
    title: NOTES_TITLE,
    period: dateInWords(asOf),
    inRupiah: true,
    signatures: "pengurusDanPengawas",
    columns: statementColumns(dateInWords(asOf), dateInWords(previousAsOf)),
    rows: numbered([
      ...generalInformation(model, asOf, legalEntityNumber),
      headingRow(0, "Pernyataan kepatuhan dan kebijakan akuntansi"),
      ...textRows(ACCOUNTING_POLICIES),
      ...accountNote(
        "Kas dan setara kas",
        balances,
        (code) => code.startsWith(CASH_PREFIX),
        "Jumlah kas dan setara kas",
        "debit",
      ),
      ...memberLoansNote(model, asOf, hasPrevious ? previousAsOf : null),
      ...accountNote(
        "Aset tetap dan akumulasi penyusutan",
        balances,
        (code) => code.startsWith(FIXED_ASSET_PREFIX),
        "Aset tetap - neto",
        "debit",
      ),
      ...himbaraNote(balances, hasPrevious ? balances.previous : null),
      ...accountNote(
        "Simpanan anggota per jenis",
        balances,
        (code) => SAVINGS_ACCOUNTS.includes(code),
        "Jumlah simpanan anggota",
        "credit",
      ),
      ...shuNote(model, asOf, hasPrevious),
      ...relatedPartiesNote(model, balances, asOf),
    ]),
  });
};
