/**
 * What the ledger's own year-end entries (the close and the RAT appropriation) are made of: lines without a
 * member or unit, on system accounts that must exist, always balanced.
 */
import { senToAmount } from "./amounts.js";
import type { EntryLine } from "./events.js";
import type { Rejection } from "./rejection.js";
import { rejection } from "./rejection.js";
import {
  ACCUMULATED_LOSS_ACCOUNT,
  SHU_CURRENT_YEAR_ACCOUNT,
  SHU_UNDISTRIBUTED_ACCOUNT,
} from "./shuAllocation.js";
import type { LedgerState } from "./state.js";

const SYSTEM_ACCOUNT_NAMES: Readonly<Record<string, string>> = {
  [SHU_CURRENT_YEAR_ACCOUNT]: "SHU Tahun Berjalan",
  [SHU_UNDISTRIBUTED_ACCOUNT]: "SHU Belum Dibagi",
  [ACCUMULATED_LOSS_ACCOUNT]: "Rugi (SHU Negatif) Belum Tertutup",
};

/** The accounts the year-end entries post to must be open and postable; an `empty` chart may lack them. */
export const checkSystemAccount = (state: LedgerState, code: string): Rejection | undefined => {
  const account = state.accounts.get(code);
  return account?.open && account.postable
    ? undefined
    : rejection(
        "ShuAccountMustExist",
        `the ledger needs an open, postable account ${code} (${SYSTEM_ACCOUNT_NAMES[code] ?? "year-end"})`,
      );
};

export const systemLine = (account: string, side: "debit" | "credit", sen: bigint): EntryLine => ({
  account,
  side,
  amount: senToAmount(sen),
  memberId: null,
  unit: null,
  counterparty: null,
  memo: null,
});

/** The ledger builds these entries itself, so an unbalanced one is a bug, not a rejection. */
export const assertBalanced = (lines: readonly EntryLine[]): void => {
  let net = 0n;
  for (const line of lines) net += (line.side === "debit" ? 1n : -1n) * BigInt(line.amount.replace(".", ""));
  if (net !== 0n) throw new Error("the ledger built an unbalanced entry");
};
