import { daysBetween } from "../localTime.js";
import type { Rule } from "../rule.js";
import { makeAlert } from "../rule.js";

export const BACKDATED_ENTRY_RULE = "backdated-entry";

/** FRD-06: an entry whose accounting date lies far before the (local) day it was recorded. */
export const backdatedEntryRule: Rule<null> = {
  name: BACKDATED_ENTRY_RULE,
  eventTypes: ["JournalEntryPosted"],
  initialState: () => null,
  onEvent(_state, event, { facts, entry, thresholds }, alerts) {
    if (event.type !== "JournalEntryPosted" || entry === null) return;
    if (event.data.kind !== "regular" && event.data.kind !== "reversal") return;
    const recordedOn = entry.local.date;
    // Same day (the common case): no date arithmetic needed.
    if (recordedOn === event.data.date) return;
    const days = daysBetween(event.data.date, recordedOn);
    if (days <= thresholds.backdatedDays) return;
    alerts.push(
      makeAlert({
        rule: BACKDATED_ENTRY_RULE,
        severity: "warning",
        facts,
        triggerIds: [event.metadata.eventId],
        entryIds: [event.data.entryId],
        summary: `Entri bertanggal mundur: tanggal ${event.data.date}, dicatat ${recordedOn} (${days} hari kemudian)`,
        raisedAt: event.metadata.recordedAt,
        details: { date: event.data.date, recordedOn, days, limitDays: thresholds.backdatedDays },
      }),
    );
  },
};
