import { Decimal } from "decimal.js";
import { cashByMember, formatRupiah } from "../entryAnalysis.js";
import { daysBetween } from "../localTime.js";
import type { Rule } from "../rule.js";
import { makeAlert, unchanged } from "../rule.js";
import { PPATK_CASH_DAILY_THRESHOLD } from "../thresholds.js";

export const PPATK_CASH_DAILY_RULE = "ppatk-cash-daily";

/** Member-days older than this (before the latest accounting date seen) are forgotten; late entries are rare. */
const RETAINED_DAYS = 7;
/** At most this many entry ids are named in one alert (and kept per member-day); the total still counts all. */
export const PPATK_ENTRY_IDS_MAX = 200;

interface MemberDay {
  readonly memberId: string;
  readonly date: string;
  readonly amount: Decimal;
  readonly entryIds: readonly string[];
  readonly reported: boolean;
}

export interface PpatkCashDailyState {
  readonly memberDays: Readonly<Record<string, MemberDay>>;
  readonly latestDate: string | null;
}

/**
 * REG-01: a member's cash transactions on one (accounting) day add up to Rp500 million or more: the
 * cooperative owes PPATK a cash transaction report (LTKT). Raised once per member and day.
 */
export const ppatkCashDailyRule: Rule<PpatkCashDailyState> = {
  name: PPATK_CASH_DAILY_RULE,
  initialState: { memberDays: {}, latestDate: null },
  onEvent(state, event, { after }) {
    if (event.type !== "JournalEntryPosted") return unchanged(state);
    const byMember = cashByMember(after, event.data.lines);
    if (byMember.size === 0) return unchanged(state);
    const date = event.data.date;
    const latestDate = state.latestDate === null || date > state.latestDate ? date : state.latestDate;
    const memberDays: Record<string, MemberDay> = {};
    for (const [key, day] of Object.entries(state.memberDays)) {
      if (daysBetween(day.date, latestDate) <= RETAINED_DAYS) memberDays[key] = day;
    }
    const threshold = new Decimal(PPATK_CASH_DAILY_THRESHOLD);
    const alerts = [];
    for (const [memberId, amount] of byMember) {
      const key = `${memberId}|${date}`;
      const previous = memberDays[key];
      if (previous?.reported === true) continue;
      const day: MemberDay = {
        memberId,
        date,
        amount: (previous?.amount ?? new Decimal(0)).plus(amount),
        entryIds:
          (previous?.entryIds.length ?? 0) < PPATK_ENTRY_IDS_MAX
            ? [...(previous?.entryIds ?? []), event.data.entryId]
            : (previous?.entryIds ?? []),
        reported: false,
      };
      if (!day.reported && day.amount.gte(threshold)) {
        alerts.push(
          makeAlert({
            rule: PPATK_CASH_DAILY_RULE,
            severity: "high",
            facts: after,
            triggerIds: [memberId, date],
            entryIds: day.entryIds,
            summary: `Transaksi tunai anggota ${memberId} pada ${date} mencapai ${formatRupiah(day.amount)}: wajib lapor LTKT ke PPATK`,
            raisedAt: event.metadata.recordedAt,
            details: { memberId, date, total: day.amount.toFixed(2), threshold: threshold.toFixed(2) },
          }),
        );
        memberDays[key] = { ...day, reported: true };
      } else {
        memberDays[key] = day;
      }
    }
    return { state: { memberDays, latestDate }, alerts };
  },
};
