import { senToWire } from "@bukubesar/money";
import type { Rule } from "../rule.js";
import { makeAlert } from "../rule.js";
import { rupiahInText } from "../rupiah.js";

export const LARGE_CASH_RULE = "large-cash";

/** A single cash line at or above the cooperative's large-cash threshold (settings.largeCashThreshold). */
export const largeCashRule: Rule<null> = {
  name: LARGE_CASH_RULE,
  eventTypes: ["JournalEntryPosted"],
  initialState: () => null,
  onEvent(_state, event, { facts, entry }, alerts) {
    if (event.type !== "JournalEntryPosted" || entry === null) return;
    const threshold = facts.largeCashThresholdSen;
    let largest: bigint | null = null;
    let accounts: string[] | null = null;
    for (let index = 0; index < entry.lineCount; index += 1) {
      const amount = entry.amounts[index] as bigint;
      if (amount < threshold || !entry.isCashLine(index)) continue;
      if (largest === null || amount > largest) largest = amount;
      const account = event.data.lines[index]?.account ?? "";
      accounts ??= [];
      if (!accounts.includes(account)) accounts.push(account);
    }
    if (largest === null || accounts === null) return;
    alerts.push(
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
    );
  },
};
