import { senToWire, wireToSen } from "@bukubesar/money";
import type { LedgerReadModel } from "./readModel.js";
import { entriesBetween } from "./readModel.js";
import { type DayNumber, parseReportDate } from "./sen.js";
import { compareCodes } from "./trialBalance.js";

/**
 * The statement of changes in equity (*laporan perubahan ekuitas*, domain.md §4.3): one column per equity
 * account with a balance or movement, plus a column for the result not yet closed (income minus expense
 * still on those accounts), so the closing total equals the balance sheet's equity.
 *
 * Rows: the opening balance (the day before `from`), then the period's movements by kind:
 * - `shuTahunBerjalan`: the period's result and the closing entries that move it through 3700 into 3600
 *   SHU Belum Dibagi or 3610 Rugi Belum Tertutup (the closing entry's credit to 3600 and its debit to the
 *   unclosed column cancel in the total);
 * - `pembagianShu`: appropriation entries (the RAT decision);
 * - `setoranSimpanan` / `pengembalianSimpanan`: credits / debits to simpanan pokok and wajib (31xx, 32xx);
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
    for (const line of entry.lines) {
      const account = model.accounts.get(line.account);
      if (account === undefined || account.type !== "equity") continue;
      const sen = wireToSen(line.amount);
      const amount = line.side === "credit" ? sen : -sen;
      add(equityRow(entry.kind, line.account, line.side === "credit"), line.account, amount);
    }
  }
};

const equityRow = (kind: string, code: string, isCredit: boolean): string => {
  if (kind === "closing") return "shuTahunBerjalan";
  if (kind === "appropriation") return "pembagianShu";
  if (code.startsWith("31") || code.startsWith("32"))
    return isCredit ? "setoranSimpanan" : "pengembalianSimpanan";
  if (code.startsWith("34")) return "hibah";
  if (code.startsWith("38")) return "penghasilanKomprehensifLain";
  return "lainLain";
};
