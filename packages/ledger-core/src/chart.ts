/**
 * Chart-of-accounts templates: the accounts a new cooperative may be opened with.
 */
import type { AccountType, BusinessWith, NormalBalance } from "./events.js";
import { kkmpChart } from "./kkmpChart.js";

export interface ChartAccount {
  readonly code: string;
  readonly name: string;
  readonly accountType: AccountType;
  readonly normalBalance: NormalBalance;
  readonly parent: string | null;
  readonly postable: boolean;
  readonly noOverdraft: boolean;
  /** Every line names a member; the members' balances sum to the account (docs/accounting.md, section 2). */
  readonly memberControl?: boolean;
  /** Member-only or non-member-only business: a line tagged the other way is refused. */
  readonly businessWith?: BusinessWith;
  /** Moved only by the close, the RAT decision and adjusting entries. */
  readonly systemAccount?: boolean;
}

export type ChartTemplateName = "kkmp" | "empty";

/** By the name api.md uses in `POST /v1/cooperatives` (`"chart":"kkmp"`; `"empty"` is the default). */
export const chartTemplates: Readonly<Record<ChartTemplateName, readonly ChartAccount[]>> = {
  kkmp: kkmpChart,
  empty: [],
};

/** Debit for asset and expense accounts, credit otherwise; contra accounts say otherwise explicitly. */
export const normalBalanceOf = (accountType: AccountType): NormalBalance =>
  accountType === "asset" || accountType === "expense" ? "debit" : "credit";
