import { Decimal } from "decimal.js";
import type { Alert } from "../alert.js";
import type { CooperativeFacts } from "../cooperativeFacts.js";
import { entryDeltas, isCashAccount, isWatchedForOverdraft, ZERO } from "../cooperativeFacts.js";
import { formatRupiah } from "../entryAnalysis.js";
import type { Rule } from "../rule.js";
import { makeAlert, unchanged } from "../rule.js";

export const CASH_BELOW_FLOOR_RULE = "cash-below-floor";

/** The balance on the account's normal side (positive when normal). */
function normalBalance(facts: CooperativeFacts, code: string): Decimal {
  const balance = facts.balances[code] ?? ZERO;
  return facts.accounts[code]?.normalBalance === "credit" ? balance.negated() : balance;
}

/**
 * A cash account (or any noOverdraft account) whose balance falls below zero (high), or a cash account
 * falling below the configured floor (warning). Raised when the balance crosses the line, not on every
 * later entry while it stays below.
 */
export const cashBelowFloorRule: Rule<null> = {
  name: CASH_BELOW_FLOOR_RULE,
  initialState: null,
  onEvent(state, event, { before, after, thresholds }) {
    if (event.type !== "JournalEntryPosted") return unchanged(state);
    const floor = thresholds.cashFloor === null ? null : new Decimal(thresholds.cashFloor);
    const alerts: Alert[] = [];
    for (const code of [...entryDeltas(event.data.lines).keys()].sort()) {
      if (!isWatchedForOverdraft(after, code)) continue;
      const was = normalBalance(before, code);
      const now = normalBalance(after, code);
      let severity: "high" | "warning" | null = null;
      let summary = "";
      if (now.isNegative() && !was.isNegative()) {
        severity = "high";
        summary = `Saldo akun ${code} menjadi negatif: ${formatRupiah(now)}`;
      } else if (
        floor !== null &&
        isCashAccount(after, code) &&
        now.lt(floor) &&
        was.gte(floor) &&
        !now.isNegative()
      ) {
        severity = "warning";
        summary = `Saldo kas ${code} di bawah batas minimum ${formatRupiah(floor)}: ${formatRupiah(now)}`;
      }
      if (severity === null) continue;
      alerts.push(
        makeAlert({
          rule: CASH_BELOW_FLOOR_RULE,
          severity,
          facts: after,
          triggerIds: [event.metadata.eventId, code],
          entryIds: [event.data.entryId],
          summary,
          raisedAt: event.metadata.recordedAt,
          details: {
            account: code,
            balance: now.toFixed(2),
            previousBalance: was.toFixed(2),
            floor: floor?.toFixed(2) ?? null,
          },
        }),
      );
    }
    return { state, alerts };
  },
};
