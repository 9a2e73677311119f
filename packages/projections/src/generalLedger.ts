import type { AccountType, Counterparty, NormalBalance, Unit } from "@bukubesar/ledger-core";
import { senToWire, wireToSen } from "@bukubesar/money";
import type { LedgerReadModel } from "./readModel.js";
import { entriesBetween } from "./readModel.js";
import { parseReportDate } from "./sen.js";
import { signedBalance } from "./trialBalance.js";

/** The general ledger (*buku besar*) of one account over a period, with a running balance. */
export interface GeneralLedger {
  readonly account: {
    readonly code: string;
    readonly name: string;
    readonly type: AccountType;
    readonly normalBalance: NormalBalance;
  };
  readonly from: string;
  readonly to: string;
  readonly openingBalance: string;
  readonly lines: readonly GeneralLedgerLine[];
  readonly closingBalance: string;
}

export interface GeneralLedgerLine {
  readonly date: string;
  readonly entryId: string;
  readonly memo: string;
  readonly lineMemo: string | null;
  readonly debit?: string;
  readonly credit?: string;
  /** The running balance after this line, signed by the account's normal balance. */
  readonly balance: string;
  readonly memberId: string | null;
  readonly unit: Unit | null;
  readonly counterparty: Counterparty | null;
}

/**
 * The lines posted to `code` dated from `from` to `to` (inclusive), by date then recording order. The
 * opening balance comes from the cumulative index; returns null when the account is unknown.
 */
export const generalLedger = (
  model: LedgerReadModel,
  code: string,
  from: string,
  to: string,
): GeneralLedger | null => {
  const account = model.accounts.get(code);
  if (account === undefined) return null;
  const fromDay = parseReportDate(from);
  const toDay = parseReportDate(to);
  const opening = account.totals.asOf(fromDay - 1);
  const openingBalance = signedBalance(account, opening.debit, opening.credit);
  let running = openingBalance;
  const lines: GeneralLedgerLine[] = [];
  const debitNormal = account.normalBalance === "debit";
  for (const entry of entriesBetween(model, fromDay, toDay)) {
    for (const line of entry.lines) {
      if (line.account !== code) continue;
      const sen = wireToSen(line.amount);
      const isDebit = line.side === "debit";
      running += isDebit === debitNormal ? sen : -sen;
      lines.push({
        date: entry.date,
        entryId: entry.entryId,
        memo: entry.memo,
        lineMemo: line.memo,
        ...(isDebit ? { debit: senToWire(sen) } : { credit: senToWire(sen) }),
        balance: senToWire(running),
        memberId: line.memberId,
        unit: line.unit,
        counterparty: line.counterparty,
      });
    }
  }
  return {
    account: { code, name: account.name, type: account.type, normalBalance: account.normalBalance },
    from,
    to,
    openingBalance: senToWire(openingBalance),
    lines,
    closingBalance: senToWire(running),
  };
};
