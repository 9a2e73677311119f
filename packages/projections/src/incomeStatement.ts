import {
  type BusinessWith,
  type Counterparty,
  isMemberBusinessLine,
  isMemberRevenueLine,
  type Unit,
} from "@bukubesar/ledger-core";
import { senToWire } from "@bukubesar/money";
import type { LedgerReadModel } from "./readModel.js";
import { type DayNumber, parseReportDate } from "./sen.js";
import { compareCodes } from "./trialBalance.js";

/**
 * The income statement (*laporan perhitungan hasil usaha*) of docs/domain.md section 4.2, one statement including
 * other comprehensive income, with business with members apart from business with non-members.
 *
 * Which side a revenue or cost line belongs to is decided by the line's counterparty: `member` is member
 * business (*partisipasi anggota*), any other counterparty is non-member business. A line without a
 * counterparty falls back on the chart: 41xx/51xx are member accounts, everything else non-member.
 * Revenue is every income account except 43xx (other income); cost of revenue is 51xx and 52xx. Then
 * 61xx operating expenses (D), 62xx cooperative expenses (E), 69xx income tax (I), and other income and
 * expense (G) for 43xx and every remaining expense account. The fiscal-year closing entries are left out,
 * so a closed year still shows its business. Other comprehensive income (K) is the movement of equity
 * accounts 38xx in the period (whole cooperative only, not per unit).
 */
export interface IncomeStatement {
  readonly from: string;
  readonly to: string;
  readonly unit: Unit | null;
  readonly memberBusiness: BusinessSection;
  readonly nonMemberBusiness: BusinessSection;
  readonly grossShu: string;
  readonly operatingExpenses: StatementSection;
  readonly cooperativeExpenses: StatementSection;
  readonly shuFromOperations: string;
  readonly otherIncomeAndExpenses: StatementSection;
  readonly shuBeforeTax: string;
  readonly incomeTax: StatementSection;
  readonly shuAfterTax: string;
  readonly otherComprehensiveIncome: StatementSection;
  readonly totalComprehensiveShu: string;
}

export interface BusinessSection {
  readonly revenue: StatementSection;
  readonly costOfRevenue: StatementSection;
  readonly net: string;
}

export interface StatementSection {
  /** Revenue positive for income sections, cost positive for expense sections; G is income minus expense. */
  readonly accounts: ReadonlyArray<{ readonly code: string; readonly name: string; readonly amount: string }>;
  readonly total: string;
}

type SectionKey =
  | "memberRevenue"
  | "memberCost"
  | "nonMemberRevenue"
  | "nonMemberCost"
  | "operating"
  | "cooperative"
  | "other"
  | "tax";

/** The sections of the statement and their sen totals per account, for reports built on top of it. */
export type ResultBreakdown = Record<SectionKey, Map<string, bigint>>;

export const incomeStatement = (
  model: LedgerReadModel,
  from: string,
  to: string,
  unit?: Unit,
): IncomeStatement => {
  const fromDay = parseReportDate(from);
  const toDay = parseReportDate(to);
  const breakdown = resultBreakdown(model, fromDay, toDay, unit ?? null);
  const sum = (key: SectionKey) => [...breakdown[key].values()].reduce((total, amount) => total + amount, 0n);
  const memberNet = sum("memberRevenue") - sum("memberCost");
  const nonMemberNet = sum("nonMemberRevenue") - sum("nonMemberCost");
  const gross = memberNet + nonMemberNet;
  const fromOperations = gross - sum("operating") - sum("cooperative");
  const beforeTax = fromOperations + sum("other");
  const afterTax = beforeTax - sum("tax");
  const otherComprehensive = new Map<string, bigint>();
  if (unit === undefined) {
    for (const account of model.accounts.values()) {
      if (account.type !== "equity" || !account.code.startsWith("38")) continue;
      const movement = account.totals.between(fromDay, toDay);
      if (movement.credit !== movement.debit)
        otherComprehensive.set(account.code, movement.credit - movement.debit);
    }
  }
  const present = (amounts: Map<string, bigint>): StatementSection => {
    const accounts = [...amounts.entries()]
      .sort(([left], [right]) => compareCodes(left, right))
      .map(([code, amount]) => ({
        code,
        name: model.accounts.get(code)?.name ?? code,
        amount: senToWire(amount),
      }));
    return {
      accounts,
      total: senToWire([...amounts.values()].reduce((total, amount) => total + amount, 0n)),
    };
  };
  const otherComprehensiveTotal = [...otherComprehensive.values()].reduce(
    (total, amount) => total + amount,
    0n,
  );
  return {
    from,
    to,
    unit: unit ?? null,
    memberBusiness: {
      revenue: present(breakdown.memberRevenue),
      costOfRevenue: present(breakdown.memberCost),
      net: senToWire(memberNet),
    },
    nonMemberBusiness: {
      revenue: present(breakdown.nonMemberRevenue),
      costOfRevenue: present(breakdown.nonMemberCost),
      net: senToWire(nonMemberNet),
    },
    grossShu: senToWire(gross),
    operatingExpenses: present(breakdown.operating),
    cooperativeExpenses: present(breakdown.cooperative),
    shuFromOperations: senToWire(fromOperations),
    otherIncomeAndExpenses: present(breakdown.other),
    shuBeforeTax: senToWire(beforeTax),
    incomeTax: present(breakdown.tax),
    shuAfterTax: senToWire(afterTax),
    otherComprehensiveIncome: present(otherComprehensive),
    totalComprehensiveShu: senToWire(afterTax + otherComprehensiveTotal),
  };
};

/** The period's income and expense (closing entries left out) by statement section and account, in sen. */
export const resultBreakdown = (
  model: LedgerReadModel,
  fromDay: DayNumber,
  toDay: DayNumber,
  unit: Unit | null,
): ResultBreakdown => {
  const breakdown: ResultBreakdown = {
    memberRevenue: new Map(),
    memberCost: new Map(),
    nonMemberRevenue: new Map(),
    nonMemberCost: new Map(),
    operating: new Map(),
    cooperative: new Map(),
    other: new Map(),
    tax: new Map(),
  };
  for (const dimension of model.resultDimensions) {
    if (unit !== null && dimension.unit !== unit) continue;
    const account = model.accounts.get(dimension.account);
    if (account === undefined) continue;
    const movement = dimension.totals.between(fromDay, toDay);
    if (movement.debit === 0n && movement.credit === 0n) continue;
    const isIncome = account.type === "income";
    const key = sectionOf(account.code, isIncome, account.businessWith, dimension.counterparty);
    // G nets income against expense; every other section shows its own natural sign.
    const amount =
      isIncome || key === "other" ? movement.credit - movement.debit : movement.debit - movement.credit;
    const target = breakdown[key];
    target.set(account.code, (target.get(account.code) ?? 0n) + amount);
  }
  return breakdown;
};

/** The net result (income minus expense, closing entries left out) of a period, in sen. */
export const periodResultSen = (model: LedgerReadModel, fromDay: DayNumber, toDay: DayNumber): bigint => {
  let result = 0n;
  for (const dimension of model.resultDimensions) {
    const account = model.accounts.get(dimension.account);
    if (account === undefined) continue;
    const movement = dimension.totals.between(fromDay, toDay);
    result += movement.credit - movement.debit;
  }
  return result;
};

const sectionOf = (
  code: string,
  isIncome: boolean,
  businessWith: BusinessWith | null,
  counterparty: Counterparty | null,
): SectionKey => {
  if (isIncome) {
    if (code.startsWith("43")) return "other";
    // The same test the SHU base uses, so jasa usaha is measured on exactly the PHU's member revenue.
    return isMemberRevenueLine(code, businessWith, counterparty) ? "memberRevenue" : "nonMemberRevenue";
  }
  // Cost of revenue follows the same rule: the line's counterparty, else the account's tag.
  const isMember = isMemberBusinessLine(businessWith, counterparty);
  if (code.startsWith("51") || code.startsWith("52")) return isMember ? "memberCost" : "nonMemberCost";
  if (code.startsWith("61")) return "operating";
  if (code.startsWith("62")) return "cooperative";
  if (code.startsWith("69")) return "tax";
  return "other";
};
