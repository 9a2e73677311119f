import type { OverheadBasis, Unit } from "@bukubesar/ledger-core";
import { allocate, fromSen, senToWire, toSen, wireToSen } from "@bukubesar/money";
import type { LedgerReadModel } from "./readModel.js";
import { unitSummary } from "./unitSummary.js";

/**
 * Results per business unit (*hasil usaha per unit*, docs/accounting.md section 7) over a period, closing
 * entries left out: each unit's direct result (its own income and expense), then its share of the shared
 * overhead and its result after it. The overhead is the net cost of the office unit (`kantor`), spread over
 * the other units by the basis the cooperative's settings name (revenue share by default). Lines without
 * a unit are not guessed at: they stand on their own row, *tidak dialokasikan*, so the rows always add up
 * to the income statement's result.
 */
export interface UnitResults {
  readonly from: string;
  readonly to: string;
  readonly basis: OverheadBasis;
  readonly units: readonly UnitResultRow[];
  readonly overhead: {
    readonly unit: Unit;
    readonly income: string;
    readonly expense: string;
    /** Expense less income of the office unit: what is shared (negative when the office earns more). */
    readonly cost: string;
    readonly allocated: string;
    /** What could not be shared: no unit had anything on the basis. */
    readonly unallocated: string;
  };
  readonly unassigned: {
    readonly label: string;
    readonly income: string;
    readonly expense: string;
    readonly result: string;
  };
  readonly totals: { readonly income: string; readonly expense: string; readonly result: string };
}

export interface UnitResultRow {
  readonly unit: Unit;
  readonly memberIncome: string;
  readonly nonMemberIncome: string;
  readonly income: string;
  readonly expense: string;
  readonly directResult: string;
  /** The unit's amount on the allocation basis (its revenue or its expense); null for an equal split. */
  readonly basisAmount: string | null;
  readonly overheadShare: string;
  readonly result: string;
}

/** The unit whose costs are shared overhead: the cooperative's office (docs/accounting.md, section 7). */
export const OVERHEAD_UNIT: Unit = "kantor";

/** How lines without a unit are labelled: they are shown, never dropped or spread. */
export const UNASSIGNED_LABEL = "tidak dialokasikan";

export const OVERHEAD_BASIS_DEFAULT: OverheadBasis = "revenue";

export const unitResults = (
  model: LedgerReadModel,
  from: string,
  to: string,
  basis: OverheadBasis = OVERHEAD_BASIS_DEFAULT,
): UnitResults => {
  const summary = unitSummary(model, from, to);
  const office = summary.units.find((row) => row.unit === OVERHEAD_UNIT);
  const unassigned = summary.units.find((row) => row.unit === null);
  const businessUnits = summary.units.filter(
    (row): row is typeof row & { unit: Unit } => row.unit !== null && row.unit !== OVERHEAD_UNIT,
  );
  const costSen = office === undefined ? 0n : wireToSen(office.expense) - wireToSen(office.income);
  const weights = businessUnits.map((row) =>
    basisWeight(basis, wireToSen(row.income), wireToSen(row.expense)),
  );
  const canAllocate = costSen !== 0n && weights.some((weight) => weight > 0n);
  const shares = canAllocate
    ? allocate(fromSen(costSen), weights, { unit: "sen" }).map(toSen)
    : weights.map(() => 0n);
  const units = businessUnits.map((row, index): UnitResultRow => {
    const direct = wireToSen(row.result);
    const share = shares[index] ?? 0n;
    return {
      unit: row.unit,
      memberIncome: row.memberIncome,
      nonMemberIncome: row.nonMemberIncome,
      income: row.income,
      expense: row.expense,
      directResult: row.result,
      basisAmount: basis === "equal" ? null : senToWire(weights[index] ?? 0n),
      overheadShare: senToWire(share),
      result: senToWire(direct - share),
    };
  });
  return {
    from,
    to,
    basis,
    units,
    overhead: {
      unit: OVERHEAD_UNIT,
      income: office?.income ?? "0.00",
      expense: office?.expense ?? "0.00",
      cost: senToWire(costSen),
      allocated: senToWire(canAllocate ? costSen : 0n),
      unallocated: senToWire(canAllocate ? 0n : costSen),
    },
    unassigned: {
      label: UNASSIGNED_LABEL,
      income: unassigned?.income ?? "0.00",
      expense: unassigned?.expense ?? "0.00",
      result: unassigned?.result ?? "0.00",
    },
    totals: summary.totals,
  };
};

/** A unit's weight in sen (or 1 for an equal split); nothing negative takes a share. */
const basisWeight = (basis: OverheadBasis, incomeSen: bigint, expenseSen: bigint): bigint => {
  if (basis === "equal") return 1n;
  const amount = basis === "revenue" ? incomeSen : expenseSen;
  return amount > 0n ? amount : 0n;
};
