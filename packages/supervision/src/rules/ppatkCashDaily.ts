import { senToWire } from "@bukubesar/money";
import { daysBetween } from "../localTime.js";
import type { Rule } from "../rule.js";
import { makeAlert } from "../rule.js";
import { rupiahInText } from "../rupiah.js";

export const PPATK_CASH_DAILY_RULE = "ppatk-cash-daily";

/** Member-days older than this (before the latest accounting date seen) are forgotten; late entries are rare. */
const RETAINED_DAYS = 7;
/** At most this many entry ids are named in one alert (and kept per member-day); the total still counts all. */
export const PPATK_ENTRY_IDS_MAX = 200;

interface MemberDay {
  amountSen: bigint;
  readonly entryIds: string[];
  reported: boolean;
}

export interface PpatkCashDailyState {
  /** By accounting date, then member; updated in place. */
  readonly days: Map<string, Map<string, MemberDay>>;
  latestDate: string | null;
}

/** The members' totals of one accounting date; days long before the latest date seen are forgotten. */
const membersOfDay = (state: PpatkCashDailyState, date: string): Map<string, MemberDay> => {
  if (state.latestDate === null || date > state.latestDate) {
    state.latestDate = date;
    // Forget old days only when the latest date moves, not on every entry.
    for (const day of state.days.keys()) if (daysBetween(day, date) > RETAINED_DAYS) state.days.delete(day);
  }
  let members = state.days.get(date);
  if (members === undefined) {
    // A late entry for a day already forgotten counts afresh.
    members = new Map();
    state.days.set(date, members);
  }
  return members;
};

const memberDayOf = (members: Map<string, MemberDay>, memberId: string): MemberDay => {
  let day = members.get(memberId);
  if (day === undefined) {
    day = { amountSen: 0n, entryIds: [], reported: false };
    members.set(memberId, day);
  }
  return day;
};

/**
 * REG-01: a member's cash transactions on one (accounting) day add up to Rp500 million or more: the
 * cooperative owes PPATK a cash transaction report (LTKT). Raised once per member and day.
 */
export const ppatkCashDailyRule: Rule<PpatkCashDailyState> = {
  name: PPATK_CASH_DAILY_RULE,
  eventTypes: ["JournalEntryPosted"],
  initialState: () => ({ days: new Map(), latestDate: null }),
  onEvent(state, event, { facts, entry, parsed }, alerts) {
    if (event.type !== "JournalEntryPosted" || entry === null || entry.netCash === 0n) return;
    const byMember = entry.cashByMember;
    if (byMember.count === 0) return;
    const date = event.data.date;
    const members = membersOfDay(state, date);
    const threshold = parsed.ppatkCashDailySen;
    for (let index = 0; index < byMember.count; index += 1) {
      const memberId = byMember.key(index);
      const amount = byMember.amount(index);
      const day = memberDayOf(members, memberId);
      if (day.reported) continue;
      day.amountSen += amount;
      if (day.entryIds.length < PPATK_ENTRY_IDS_MAX) day.entryIds.push(event.data.entryId);
      if (day.amountSen < threshold) continue;
      day.reported = true;
      alerts.push(
        makeAlert({
          rule: PPATK_CASH_DAILY_RULE,
          severity: "high",
          facts,
          triggerIds: [memberId, date],
          entryIds: day.entryIds,
          summary: `Transaksi tunai anggota ${memberId} pada ${date} mencapai ${rupiahInText(day.amountSen)}: wajib lapor LTKT ke PPATK`,
          raisedAt: event.metadata.recordedAt,
          details: { memberId, date, total: senToWire(day.amountSen), threshold: senToWire(threshold) },
        }),
      );
    }
  },
};
