import type { Unit } from "@bukubesar/ledger-core";
import { senToWire } from "@bukubesar/money";
import type { LedgerReadModel } from "./readModel.js";
import { parseReportDate } from "./sen.js";

/**
 * Income and expense per business unit (*unit usaha*) over a period, closing entries left out; revenue
 * split by the line's counterparty into member and non-member business. Lines without a unit are
 * gathered under `unit: null`.
 */
export interface UnitSummary {
  readonly from: string;
  readonly to: string;
  readonly units: readonly UnitSummaryRow[];
  readonly totals: { readonly income: string; readonly expense: string; readonly result: string };
}

export interface UnitSummaryRow {
  readonly unit: Unit | null;
  readonly memberIncome: string;
  readonly nonMemberIncome: string;
  readonly income: string;
  readonly expense: string;
  readonly result: string;
}

interface UnitRow {
  member: bigint;
  nonMember: bigint;
  expense: bigint;
}

/** Income by counterparty (its own, or the chart's for a line without one), or expense. */
const addMovement = (
  row: UnitRow,
  account: { readonly type: string; readonly code: string },
  counterparty: string | null,
  movement: { readonly debit: bigint; readonly credit: bigint },
): void => {
  if (account.type !== "income") {
    row.expense += movement.debit - movement.credit;
    return;
  }
  const isMember = counterparty === null ? account.code.startsWith("41") : counterparty === "member";
  if (isMember) row.member += movement.credit - movement.debit;
  else row.nonMember += movement.credit - movement.debit;
};

export const unitSummary = (model: LedgerReadModel, from: string, to: string): UnitSummary => {
  const fromDay = parseReportDate(from);
  const toDay = parseReportDate(to);
  const perUnit = new Map<Unit | null, UnitRow>();
  for (const dimension of model.resultDimensions) {
    const account = model.accounts.get(dimension.account);
    if (account === undefined) continue;
    const movement = dimension.totals.between(fromDay, toDay);
    if (movement.debit === 0n && movement.credit === 0n) continue;
    let row = perUnit.get(dimension.unit);
    if (row === undefined) {
      row = { member: 0n, nonMember: 0n, expense: 0n };
      perUnit.set(dimension.unit, row);
    }
    addMovement(row, account, dimension.counterparty, movement);
  }
  let income = 0n;
  let expense = 0n;
  const units = [...perUnit.entries()]
    .sort(([left], [right]) => (left ?? "~").localeCompare(right ?? "~"))
    .map(([unit, row]) => {
      income += row.member + row.nonMember;
      expense += row.expense;
      return {
        unit,
        memberIncome: senToWire(row.member),
        nonMemberIncome: senToWire(row.nonMember),
        income: senToWire(row.member + row.nonMember),
        expense: senToWire(row.expense),
        result: senToWire(row.member + row.nonMember - row.expense),
      };
    });
  return {
    from,
    to,
    units,
    totals: { income: senToWire(income), expense: senToWire(expense), result: senToWire(income - expense) },
  };
};
