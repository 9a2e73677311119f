import { senToWire } from "@bukubesar/money";
import type { Rule } from "../rule.js";
import { makeAlert, unchanged } from "../rule.js";
import { rupiahInText } from "../rupiah.js";

export const LARGE_CASH_RULE = "large-cash";

/** A single cash line at or above the cooperative's large-cash threshold (settings.largeCashThreshold). */
export const largeCashRule: Rule<null> = {
  name: LARGE_CASH_RULE,
  initialState: () => null,
  onEvent(state, event, { facts, entry }) {
    if (event.type !== "JournalEntryPosted" || entry === null) return unchanged(state);
    const threshold = facts.largeCashThresholdSen;
    let largest: bigint | null = null;
    const accounts: string[] = [];
    entry.amounts.forEach((amount, index) => {
      if (amount < threshold || !entry.isCashLine(index)) return;
      if (largest === null || amount > largest) largest = amount;
      const account = event.data.lines[index]?.account ?? "";
      if (!accounts.includes(account)) accounts.push(account);
    });
    if (largest === null) return unchanged(state);
    return {
      state,
      alerts: [
        makeAlert({
          rule: LARGE_CASH_RULE,
          severity: "warning",
          facts,
          triggerIds: [event.metadata.eventId],
          entryIds: [event.data.entryId],
          summary: `Transaksi tunai besar ${rupiahInText(largest)} pada akun ${accounts.join(", ")}`,
          raisedAt: event.metadata.recordedAt,
          details: {
            amount: senToWire(largest),
            threshold: senToWire(threshold),
            accounts,
            date: event.data.date,
            postedBy: event.data.postedBy,
          },
        }),
      ],
    };
  },
};
