import { daysBetween } from "../localTime.js";
import type { Rule } from "../rule.js";
import { makeAlert, unchanged } from "../rule.js";

export const BACKDATED_ENTRY_RULE = "backdated-entry";

/** FRD-06: an entry whose accounting date lies far before the (local) day it was recorded. */
export const backdatedEntryRule: Rule<null> = {
  name: BACKDATED_ENTRY_RULE,
  initialState: () => null,
  onEvent(state, event, { facts, entry, thresholds }) {
    if (event.type !== "JournalEntryPosted" || entry === null) return unchanged(state);
    if (event.data.kind !== "regular" && event.data.kind !== "reversal") return unchanged(state);
    const recordedOn = entry.local.date;
    // Same day (the common case): no date arithmetic needed.
    if (recordedOn === event.data.date) return unchanged(state);
    const days = daysBetween(event.data.date, recordedOn);
    if (days <= thresholds.backdatedDays) return unchanged(state);
    return {
      state,
      alerts: [
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
      ],
    };
  },
};
