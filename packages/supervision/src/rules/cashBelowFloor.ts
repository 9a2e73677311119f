import { senToWire } from "@bukubesar/money";
import type { Rule } from "../rule.js";
import { makeAlert } from "../rule.js";
import { rupiahInText } from "../rupiah.js";

export const CASH_BELOW_FLOOR_RULE = "cash-below-floor";

type Deltas = NonNullable<Parameters<Rule<null>["onEvent"]>[2]["entry"]>["deltas"];
type Facts = Parameters<Rule<null>["onEvent"]>[2]["facts"];

/** The accounts the entry moved that are watched for overdraft, or null when it moved none. */
const watchedAccountsOf = (deltas: Deltas, facts: Facts): string[] | null => {
  let watched: string[] | null = null;
  for (let index = 0; index < deltas.count; index += 1) {
    const code = deltas.key(index);
    if (facts.accounts.get(code)?.watchedForOverdraft !== true) continue;
    watched ??= [];
    watched.push(code);
  }
  return watched;
};

/** Which line the balance crossed with this entry: below zero (high), or a cash account below the floor. */
const crossing = (
  code: string,
  cash: boolean,
  now: bigint,
  was: bigint,
  floor: bigint | null,
): { readonly severity: "high" | "warning" | null; readonly summary: string } => {
  if (now < 0n && was >= 0n) {
    return { severity: "high", summary: `Saldo akun ${code} menjadi negatif: ${rupiahInText(now)}` };
  }
  if (floor !== null && cash && now < floor && was >= floor && now >= 0n) {
    return {
      severity: "warning",
      summary: `Saldo kas ${code} di bawah batas minimum ${rupiahInText(floor)}: ${rupiahInText(now)}`,
    };
  }
  return { severity: null, summary: "" };
};

/**
 * A cash account (or any noOverdraft account) whose balance falls below zero (high), or a cash account
 * falling below the configured floor (warning). Raised when the balance crosses the line, not on every
 * later entry while it stays below.
 */
export const cashBelowFloorRule: Rule<null> = {
  name: CASH_BELOW_FLOOR_RULE,
  eventTypes: ["JournalEntryPosted"],
  initialState: () => null,
  onEvent(_state, event, { facts, entry, parsed }, alerts) {
    if (event.type !== "JournalEntryPosted" || entry === null) return;
    const watched = watchedAccountsOf(entry.deltas, facts);
    if (watched === null) return;
    const floor = parsed.cashFloorSen;
    for (const code of watched.length > 1 ? watched.sort() : watched) {
      const account = facts.accounts.get(code);
      if (account === undefined) continue;
      // The balance on the account's normal side (positive when normal), after and before the entry.
      const sign = account.normalBalance === "credit" ? -1n : 1n;
      const now = sign * (facts.balances.get(code) ?? 0n);
      const was = now - sign * entry.deltas.get(code);
      const { severity, summary } = crossing(code, account.cash, now, was, floor);
      if (severity === null) continue;
      alerts.push(
        makeAlert({
          rule: CASH_BELOW_FLOOR_RULE,
          severity,
          facts,
          triggerIds: [event.metadata.eventId, code],
          entryIds: [event.data.entryId],
          summary,
          raisedAt: event.metadata.recordedAt,
          details: {
            account: code,
            balance: senToWire(now),
            previousBalance: senToWire(was),
            floor: floor === null ? null : senToWire(floor),
          },
        }),
      );
    }
  },
};
