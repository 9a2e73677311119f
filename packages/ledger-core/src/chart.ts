/**
 * Chart-of-accounts templates: the accounts a new cooperative may be opened with.
 */
import type { AccountType, NormalBalance } from "./events.js";
import { kkmpChart } from "./kkmpChart.js";

export interface ChartAccount {
  readonly code: string;
  readonly name: string;
  readonly accountType: AccountType;
  readonly normalBalance: NormalBalance;
  readonly parent: string | null;
  readonly postable: boolean;
  readonly noOverdraft: boolean;
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
