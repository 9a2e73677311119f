import type { Rule } from "../rule.js";
import { makeAlert } from "../rule.js";

export const OUT_OF_HOURS_RULE = "out-of-hours";

const SUNDAY = 0;

/**
 * A posting recorded outside the cooperative's business hours, on a Sunday or on a national holiday, on
 * the cooperative's own clock (settings.timeZone, e.g. Asia/Jakarta).
 */
export const outOfHoursRule: Rule<null> = {
  name: OUT_OF_HOURS_RULE,
  eventTypes: ["JournalEntryPosted"],
  initialState: () => null,
  onEvent(_state, event, { facts, entry, holidays }, alerts) {
    if (event.type !== "JournalEntryPosted" || entry === null) return;
    if (event.data.kind !== "regular" && event.data.kind !== "reversal") return;
    const { start, end } = facts.settings.businessHours;
    const local = entry.local;
    const holiday = holidays.get(local.date);
    let reason: string | null = null;
    if (holiday !== undefined) reason = `hari libur nasional (${holiday})`;
    else if (local.weekday === SUNDAY) reason = "hari Minggu";
    else if (local.time < start || local.time >= end) reason = `di luar jam kerja ${start}–${end}`;
    if (reason === null) return;
    alerts.push(
      makeAlert({
        rule: OUT_OF_HOURS_RULE,
        severity: "warning",
        facts,
        triggerIds: [event.metadata.eventId],
        entryIds: [event.data.entryId],
        summary: `Entri dicatat ${reason} pada ${local.date} pukul ${local.time} ${facts.settings.timeZone}`,
        raisedAt: event.metadata.recordedAt,
        details: {
          localDate: local.date,
          localTime: local.time,
          timeZone: facts.settings.timeZone,
          businessHours: { start, end },
          holiday: holiday ?? null,
          postedBy: event.data.postedBy,
        },
      }),
    );
  },
};
