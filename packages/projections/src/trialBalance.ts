import type { AccountType } from "@bukubesar/ledger-core";
import { senToWire, wireToSen } from "@bukubesar/money";
import type { AccountState, LedgerReadModel } from "./readModel.js";
import { entriesBetween } from "./readModel.js";
import { type RollupOption, rollUpPositions } from "./rollUp.js";
import { type DayNumber, parseReportDate } from "./sen.js";

/** api.md "GET …/trial-balance": one row per account with postings on or before `asOf`. */
export interface TrialBalance {
  readonly asOf: string;
  /** True for the *neraca saldo sebelum penutupan*: the closing entries dated `asOf` are left out. */
  readonly beforeClosing: boolean;
  readonly accounts: readonly TrialBalanceRow[];
  /** The turnover totals, and the totals of the balance columns; each pair is equal. */
  readonly totals: {
    readonly debit: string;
    readonly credit: string;
    readonly debitBalance: string;
    readonly creditBalance: string;
  };
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
   * The balance as an Indonesian *neraca saldo* shows it: in the debit column when debits exceed credits,
   * else in the credit column; the other column is "0.00". A contra account sits on its own side.
   */
  readonly debitBalance: string;
  readonly creditBalance: string;
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
  options: TrialBalanceOptions = {},
): TrialBalance => {
  const day = parseReportDate(asOf);
  const beforeClosing = options.beforeClosing === true;
  const positions = beforeClosing ? withoutClosingEntries(model, day) : accountPositions(model, day);
  const totals = { debit: 0n, credit: 0n, debitBalance: 0n, creditBalance: 0n };
  for (const position of positions) {
    totals.debit += position.debit;
    totals.credit += position.credit;
    const net = position.debit - position.credit;
    if (net > 0n) totals.debitBalance += net;
    else totals.creditBalance -= net;
  }
  const rows = options.rollup === true ? rollUpPositions(model, positions) : positions;
  const accounts = rows.map((position): TrialBalanceRow => {
    const net = position.debit - position.credit;
    const row = {
      code: position.account.code,
      name: position.account.name,
      type: position.account.type,
      debit: senToWire(position.debit),
      credit: senToWire(position.credit),
      balance: senToWire(position.balance),
      debitBalance: senToWire(net > 0n ? net : 0n),
      creditBalance: senToWire(net < 0n ? -net : 0n),
    };
    return "rolledUp" in position && position.rolledUp ? { ...row, rollup: true } : row;
  });
  return {
    asOf,
    beforeClosing,
    accounts,
    totals: {
      debit: senToWire(totals.debit),
      credit: senToWire(totals.credit),
      debitBalance: senToWire(totals.debitBalance),
      creditBalance: senToWire(totals.creditBalance),
    },
  };
};

export interface TrialBalanceOptions extends RollupOption {
  /**
   * Leave out the closing entries dated `asOf` (the close, and a reopening's mirror and the close after
   * it, which the ledger all dates 31 December): the trial balance of a closed year as it stood before its
   * closing entries, with its income and expense still on their accounts.
   */
  readonly beforeClosing?: boolean;
}

/** The positions as of `day` minus the lines of that day's closing entries; accounts left empty drop out. */
const withoutClosingEntries = (model: LedgerReadModel, day: DayNumber): AccountPosition[] => {
  const removed = new Map<string, { debit: bigint; credit: bigint }>();
  for (const entry of entriesBetween(model, day, day)) {
    if (entry.kind !== "closing") continue;
    for (const line of entry.lines) {
      const sums = removed.get(line.account) ?? { debit: 0n, credit: 0n };
      if (line.side === "debit") sums.debit += wireToSen(line.amount);
      else sums.credit += wireToSen(line.amount);
      removed.set(line.account, sums);
    }
  }
  if (removed.size === 0) return accountPositions(model, day);
  return accountPositions(model, day).flatMap((position) => {
    const sums = removed.get(position.account.code);
    if (sums === undefined) return [position];
    const debit = position.debit - sums.debit;
    const credit = position.credit - sums.credit;
    if (debit === 0n && credit === 0n) return [];
    return [{ ...position, debit, credit, balance: signedBalance(position.account, debit, credit) }];
  });
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
