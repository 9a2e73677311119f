import type { StoredEvent } from "@bukubesar/event-store";
import type { RecordedLedgerEvent } from "@bukubesar/ledger-core";
import { buildReadModel, type LedgerReadModel, trialBalance } from "@bukubesar/projections";
import type { IndependentAccountTotals } from "./ledgerVerifier.js";
import { formatSen, signedAmountToSen } from "./ledgerVerifier.js";

/** A date after any a ledger can hold, so the trial balance covers every posted entry. */
export const END_OF_TIME_DATE = "9999-12-31";

/**
 * A stored event in the shape the ledger packages read, unchecked: only `verify` uses it, because the
 * verifier must report an ill-formed event as a finding (ledgerVerifier.ts, wellFormed.ts) rather than
 * stop at it. Every other reader uses ledger-core's checked `recordedLedgerEventOf`.
 */
export const toRecordedLedgerEvent = (event: StoredEvent): RecordedLedgerEvent =>
  ({
    type: event.type,
    data: event.data,
    revision: event.revision,
    metadata: event.metadata,
  }) as RecordedLedgerEvent;

/**
 * Compares the verifier's own per-account totals with the trial balance the projections compute from
 * the same events. Returns the first disagreement as a sentence, or null when they agree on every
 * account's debit, credit and balance and on the totals.
 */
export const compareWithProjections = (
  coopId: string,
  events: readonly StoredEvent[],
  independent: ReadonlyMap<string, IndependentAccountTotals>,
): string | null =>
  compareModelWithLog(buildReadModel(coopId, events.map(toRecordedLedgerEvent)), independent);

/** How the projections' row of one account differs from the log's own totals, or null when they agree. */
const accountDifference = (
  row: { readonly code: string; readonly debit: string; readonly credit: string; readonly balance: string },
  own: IndependentAccountTotals | undefined,
): string | null => {
  const ownDebit = own?.debitSen ?? 0n;
  const ownCredit = own?.creditSen ?? 0n;
  if (signedAmountToSen(row.debit) !== ownDebit || signedAmountToSen(row.credit) !== ownCredit) {
    return `account ${row.code}: the projections show debit ${row.debit} credit ${row.credit}, the log gives debit ${formatSen(ownDebit)} credit ${formatSen(ownCredit)}`;
  }
  const normalIsCredit = (own?.normalBalance ?? "debit") === "credit";
  const ownBalance = normalIsCredit ? ownCredit - ownDebit : ownDebit - ownCredit;
  if (own?.normalBalance !== null && signedAmountToSen(row.balance) !== ownBalance) {
    return `account ${row.code}: the projections show balance ${row.balance}, the log gives ${formatSen(ownBalance)}`;
  }
  return null;
};

/** As `compareWithProjections`, with the projections' model already built (event by event, as verify does). */
export const compareModelWithLog = (
  model: LedgerReadModel,
  independent: ReadonlyMap<string, IndependentAccountTotals>,
): string | null => {
  const report = trialBalance(model, END_OF_TIME_DATE);
  const seen = new Set<string>();
  let independentDebit = 0n;
  let independentCredit = 0n;
  for (const totals of independent.values()) {
    independentDebit += totals.debitSen;
    independentCredit += totals.creditSen;
  }
  for (const row of report.accounts) {
    seen.add(row.code);
    const difference = accountDifference(row, independent.get(row.code));
    if (difference !== null) return difference;
  }
  for (const [code, totals] of independent) {
    if (!seen.has(code) && (totals.debitSen !== 0n || totals.creditSen !== 0n)) {
      return `account ${code}: the log gives debit ${formatSen(totals.debitSen)} credit ${formatSen(totals.creditSen)} but the projections leave it out`;
    }
  }
  if (
    signedAmountToSen(report.totals.debit) !== independentDebit ||
    signedAmountToSen(report.totals.credit) !== independentCredit
  ) {
    return `totals: the projections show debit ${report.totals.debit} credit ${report.totals.credit}, the log gives debit ${formatSen(independentDebit)} credit ${formatSen(independentCredit)}`;
  }
  return null;
};
