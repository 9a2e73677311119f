import { Decimal } from "decimal.js";
import { isCashAccount } from "../cooperativeFacts.js";
import { formatRupiah } from "../entryAnalysis.js";
import type { Rule } from "../rule.js";
import { makeAlert, unchanged } from "../rule.js";

export const LARGE_CASH_RULE = "large-cash";

/** A single cash line at or above the cooperative's large-cash threshold (settings.largeCashThreshold). */
export const largeCashRule: Rule<null> = {
  name: LARGE_CASH_RULE,
  initialState: null,
  onEvent(state, event, { after }) {
    if (event.type !== "JournalEntryPosted") return unchanged(state);
    const threshold = new Decimal(after.settings.largeCashThreshold);
    const largeLines = event.data.lines.filter(
      (line) => isCashAccount(after, line.account) && new Decimal(line.amount).gte(threshold),
    );
    const largest = largeLines.reduce<Decimal | null>(
      (max, line) => Decimal.max(max ?? 0, line.amount),
      null,
    );
    if (largest === null) return unchanged(state);
    const accounts = [...new Set(largeLines.map((line) => line.account))];
    return {
      state,
      alerts: [
        makeAlert({
          rule: LARGE_CASH_RULE,
          severity: "warning",
          facts: after,
          triggerIds: [event.metadata.eventId],
          entryIds: [event.data.entryId],
          summary: `Transaksi tunai besar ${formatRupiah(largest)} pada akun ${accounts.join(", ")}`,
          raisedAt: event.metadata.recordedAt,
          details: {
            amount: largest.toFixed(2),
            threshold: threshold.toFixed(2),
            accounts,
            date: event.data.date,
            postedBy: event.data.postedBy,
          },
        }),
      ],
    };
  },
};
