import { senToWire, wireToSen } from "@bukubesar/money";
import type { LedgerReadModel } from "./readModel.js";
import { entriesBetween, entryById } from "./readModel.js";
import { type DayNumber, parseReportDate } from "./sen.js";
import { compareCodes } from "./trialBalance.js";

/**
 * The statement of changes in equity (*laporan perubahan ekuitas*, docs/domain.md section 4.3): one column per equity
 * account with a balance or movement, plus a column for the result not yet closed (income minus expense
 * still on those accounts), so the closing total equals the balance sheet's equity.
 *
 * Rows: the opening balance (the day before `from`), then the period's movements by kind:
 * - `shuTahunBerjalan`: the period's result and the closing entries that move it through 3700 into 3600
 *   SHU Belum Dibagi or 3610 Rugi Belum Tertutup (the closing entry's credit to 3600 and its debit to the
 *   unclosed column cancel in the total);
 * - `pembagianShu`: appropriation entries (the RAT decision);
 * - `setoranSimpanan` / `pengembalianSimpanan`: credits / debits to simpanan pokok and wajib (31xx, 32xx);
 * - `kapitalisasiShu`: members' SHU credited to their savings out of 2401 Utang SHU (an entry debiting 2401),
 *   which is SHU kept in the cooperative, not a new deposit;
 * A reversal is classified as what it reverses (a reversed deposit lowers `setoranSimpanan`), never as a
 * withdrawal.
 * - `hibah`: 34xx; `penghasilanKomprehensifLain`: 38xx; `lainLain`: anything else;
 * then the closing balance (as of `to`).
 */
export interface EquityChanges {
  readonly from: string;
  readonly to: string;
  readonly columns: ReadonlyArray<{ readonly key: string; readonly name: string }>;
  readonly rows: readonly EquityChangesRow[];
}

export interface EquityChangesRow {
  readonly key: string;
  readonly label: string;
  /** Amount per column key (credit minus debit), and the row's total. */
  readonly amounts: Readonly<Record<string, string>>;
  readonly total: string;
}

/** The key of the column for income minus expense not yet closed. */
export const UNCLOSED_RESULT_COLUMN = "shuBelumDitutup";

const ROWS: ReadonlyArray<readonly [string, string]> = [
  ["saldoAwal", "Saldo awal"],
  ["setoranSimpanan", "Setoran simpanan pokok dan wajib"],
  ["pengembalianSimpanan", "Pengembalian simpanan anggota keluar"],
  ["hibah", "Hibah diterima"],
  ["pembagianShu", "Pembagian SHU per keputusan RAT"],
  ["kapitalisasiShu", "SHU anggota dikapitalisasi ke simpanan"],
  ["shuTahunBerjalan", "SHU tahun berjalan"],
  ["penghasilanKomprehensifLain", "Penghasilan komprehensif lain"],
  ["lainLain", "Lain-lain"],
  ["saldoAkhir", "Saldo akhir"],
];

export const equityChanges = (model: LedgerReadModel, from: string, to: string): EquityChanges => {
  const fromDay = parseReportDate(from);
  const toDay = parseReportDate(to);
  const cells = new Map<string, Map<string, bigint>>(ROWS.map(([key]) => [key, new Map()]));
  const add = (row: string, column: string, amount: bigint) => {
    const target = cells.get(row) as Map<string, bigint>;
    target.set(column, (target.get(column) ?? 0n) + amount);
  };
  const columns = new Set<string>();
  let unclosedOpening = 0n;
  let unclosedClosing = 0n;
  for (const account of model.accounts.values()) {
    if (account.type === "income" || account.type === "expense") {
      const opening = account.totals.asOf(fromDay - 1);
      const closing = account.totals.asOf(toDay);
      unclosedOpening += opening.credit - opening.debit;
      unclosedClosing += closing.credit - closing.debit;
    } else if (account.type === "equity") {
      const opening = account.totals.asOf(fromDay - 1);
      const closing = account.totals.asOf(toDay);
      if (!opening.hasPostings && !closing.hasPostings) continue;
      columns.add(account.code);
      add("saldoAwal", account.code, opening.credit - opening.debit);
      add("saldoAkhir", account.code, closing.credit - closing.debit);
    }
  }
  add("saldoAwal", UNCLOSED_RESULT_COLUMN, unclosedOpening);
  add("saldoAkhir", UNCLOSED_RESULT_COLUMN, unclosedClosing);
  add("shuTahunBerjalan", UNCLOSED_RESULT_COLUMN, unclosedClosing - unclosedOpening);
  addEquityMovements(model, fromDay, toDay, add);
  const orderedColumns = [...columns].sort(compareCodes);
  const columnList = [
    ...orderedColumns.map((code) => ({ key: code, name: model.accounts.get(code)?.name ?? code })),
    { key: UNCLOSED_RESULT_COLUMN, name: "SHU tahun berjalan (belum ditutup)" },
  ];
  const rows = ROWS.map(([key, label]) => {
    const values = cells.get(key) as Map<string, bigint>;
    const amounts: Record<string, string> = {};
    let total = 0n;
    for (const column of columnList) {
      const amount = values.get(column.key) ?? 0n;
      amounts[column.key] = senToWire(amount);
      total += amount;
    }
    return { key, label, amounts, total: senToWire(total) };
  });
  return { from, to, columns: columnList, rows };
};

const addEquityMovements = (
  model: LedgerReadModel,
  fromDay: DayNumber,
  toDay: DayNumber,
  add: (row: string, column: string, amount: bigint) => void,
): void => {
  for (const entry of entriesBetween(model, fromDay, toDay)) {
    // A reversal sits in the row of what it reverses, as a negative amount there.
    const original = entry.reverses === null ? undefined : entryById(model, entry.reverses);
    const nature = original ?? entry;
    const capitalisesShu = nature.lines.some(
      (line) => line.account === SHU_PAYABLE_ACCOUNT && line.side === "debit",
    );
    for (const line of entry.lines) {
      const account = model.accounts.get(line.account);
      if (account === undefined || account.type !== "equity") continue;
      const sen = wireToSen(line.amount);
      const amount = line.side === "credit" ? sen : -sen;
      const creditInNature = (line.side === "credit") !== (original !== undefined);
      add(equityRow(nature.kind, line.account, creditInNature, capitalisesShu), line.account, amount);
    }
  }
};

/** The members' SHU payable: an entry that debits it and credits savings capitalises SHU. */
const SHU_PAYABLE_ACCOUNT = "2401";

const equityRow = (kind: string, code: string, isCredit: boolean, capitalisesShu: boolean): string => {
  if (kind === "closing") return "shuTahunBerjalan";
  if (kind === "appropriation") return "pembagianShu";
  if (code.startsWith("31") || code.startsWith("32")) {
    if (capitalisesShu && isCredit) return "kapitalisasiShu";
    return isCredit ? "setoranSimpanan" : "pengembalianSimpanan";
  }
  if (code.startsWith("34")) return "hibah";
  if (code.startsWith("38")) return "penghasilanKomprehensifLain";
  return "lainLain";
};
