import type { AccountType } from "@bukubesar/ledger-core";
import { senToWire } from "@bukubesar/money";
import type { AccountState, LedgerReadModel } from "./readModel.js";
import { type RollupOption, rollUpPositions } from "./rollUp.js";
import { type DayNumber, parseReportDate } from "./sen.js";

/** api.md "GET …/trial-balance": one row per account with postings on or before `asOf`. */
export interface TrialBalance {
  readonly asOf: string;
  readonly accounts: readonly TrialBalanceRow[];
  readonly totals: { readonly debit: string; readonly credit: string };
}

export interface TrialBalanceRow {
  readonly code: string;
  readonly name: string;
  readonly type: AccountType;
  readonly debit: string;
  readonly credit: string;
  /** Signed by the normal balance: positive when the account sits on its normal side. */
  readonly balance: string;
  /**
   * Only with `{ rollup: true }`, on a parent (summary) account: its debit, credit and balance include all
   * of its descendants. The totals never count these rows.
   */
  readonly rollup?: true;
}

/** One account's cumulative position in sen, for reports that compute on top of the trial balance. */
export interface AccountPosition {
  readonly account: AccountState;
  readonly debit: bigint;
  readonly credit: bigint;
  /** Signed by the normal balance. */
  readonly balance: bigint;
}

/**
 * The trial balance (*neraca saldo*) as of `asOf` (inclusive): the cumulative debit and credit of every
 * posted entry dated on or before it, one binary search per account. Accounts without postings by then
 * are left out; rows are sorted by code.
 *
 * With `{ rollup: true }` the parent (summary) accounts of those accounts are shown too, each with the sum
 * of its own postings and all its descendants' and marked `rollup: true`; the totals stay the sums of the
 * postings (each counted once), so they are the same with or without roll-up.
 */
export const trialBalance = (
  model: LedgerReadModel,
  asOf: string,
  options: RollupOption = {},
): TrialBalance => {
  const positions = accountPositions(model, parseReportDate(asOf));
  let totalDebit = 0n;
  let totalCredit = 0n;
  for (const position of positions) {
    totalDebit += position.debit;
    totalCredit += position.credit;
  }
  const rows = options.rollup === true ? rollUpPositions(model, positions) : positions;
  const accounts = rows.map((position): TrialBalanceRow => {
    const row = {
      code: position.account.code,
      name: position.account.name,
      type: position.account.type,
      debit: senToWire(position.debit),
      credit: senToWire(position.credit),
      balance: senToWire(position.balance),
    };
    return "rolledUp" in position && position.rolledUp ? { ...row, rollup: true } : row;
  });
  return { asOf, accounts, totals: { debit: senToWire(totalDebit), credit: senToWire(totalCredit) } };
};

/** Every account with postings on or before `day`, sorted by code, with its cumulative totals in sen. */
export const accountPositions = (model: LedgerReadModel, day: DayNumber): AccountPosition[] => {
  const positions: AccountPosition[] = [];
  for (const account of model.accounts.values()) {
    const totals = account.totals.asOf(day);
    if (!totals.hasPostings) continue;
    positions.push({
      account,
      debit: totals.debit,
      credit: totals.credit,
      balance: signedBalance(account, totals.debit, totals.credit),
    });
  }
  return positions.sort((left, right) => compareCodes(left.account.code, right.account.code));
};

/** Debit minus credit for a debit-normal account, credit minus debit otherwise. */
export const signedBalance = (account: AccountState, debit: bigint, credit: bigint): bigint =>
  account.normalBalance === "debit" ? debit - credit : credit - debit;

/** Account codes in plain string order, which is the chart's order for codes of equal length. */
export const compareCodes = (left: string, right: string): number =>
  left < right ? -1 : left > right ? 1 : 0;
