import type { LedgerReadModel } from "./readModel.js";
import type { AccountPosition } from "./trialBalance.js";
import { compareCodes, signedBalance } from "./trialBalance.js";

/** Report option: also show parent (summary, *induk*) accounts with the sum of their descendants. */
export interface RollupOption {
  readonly rollup?: boolean;
}

/** A position that may stand for a parent account: its own postings plus all of its descendants'. */
export interface RolledPosition extends AccountPosition {
  /** True for an account that is the parent of another: its totals include its descendants'. */
  readonly rolledUp: boolean;
  /** The codes of the accounts with postings whose totals this position includes (itself for a leaf). */
  readonly sources: readonly string[];
}

/**
 * A chart deeper than this is taken as a cycle in the `parent` links (which AccountOpened does not rule
 * out in old data); the walk stops there instead of looping.
 */
export const ROLLUP_DEPTH_MAX = 32;

/**
 * The positions with every ancestor of an account with postings added (sorted by code): a parent's debit
 * and credit are its own postings plus those of all its descendants, and its balance is signed by its own
 * normal balance. Accounts that are nobody's parent keep their own totals. Sums over rows of a roll-up
 * would count a posting once per level, so totals must come from the leaf positions.
 */
export const rollUpPositions = (
  model: LedgerReadModel,
  positions: readonly AccountPosition[],
): RolledPosition[] => {
  const sums = new Map<string, { debit: bigint; credit: bigint; rolledUp: boolean; sources: string[] }>();
  const sumOf = (code: string) => {
    let sum = sums.get(code);
    if (sum === undefined) {
      sum = { debit: 0n, credit: 0n, rolledUp: false, sources: [] };
      sums.set(code, sum);
    }
    return sum;
  };
  for (const position of positions) {
    const own = sumOf(position.account.code);
    own.debit += position.debit;
    own.credit += position.credit;
    own.sources.push(position.account.code);
    let parent = position.account.parent;
    for (let depth = 0; parent !== null && depth < ROLLUP_DEPTH_MAX; depth++) {
      const ancestor = model.accounts.get(parent);
      if (ancestor === undefined || ancestor.code === position.account.code) break;
      const sum = sumOf(ancestor.code);
      sum.debit += position.debit;
      sum.credit += position.credit;
      sum.rolledUp = true;
      sum.sources.push(position.account.code);
      parent = ancestor.parent;
    }
  }
  const rolled: RolledPosition[] = [];
  for (const [code, sum] of sums) {
    const account = model.accounts.get(code);
    if (account === undefined) continue;
    rolled.push({
      account,
      debit: sum.debit,
      credit: sum.credit,
      balance: signedBalance(account, sum.debit, sum.credit),
      rolledUp: sum.rolledUp,
      sources: sum.sources,
    });
  }
  return rolled.sort((left, right) => compareCodes(left.account.code, right.account.code));
};
