import type { Account } from "./types.js";

/** Cash and bank accounts: the four-digit asset accounts 1100–1199 of the chart (as the cash-flow report reads them). */
export const isCashAccount = (account: Pick<Account, "type" | "code">): boolean =>
  account.type === "asset" && account.code >= "1100" && account.code <= "1199" && account.code.length === 4;
