import { daysBetween } from "../localTime.js";
import type { Rule } from "../rule.js";
import { makeAlert } from "../rule.js";

export const FUTURE_DATED_ENTRY_RULE = "future-dated-entry";

/**
 * An entry whose accounting date lies after the (local) day it was recorded by more than
 * `futureDatedDays`: books are kept of what has happened, so a date ahead of the recording day is either
 * a typing mistake or an attempt to place a transaction in a period that is not yet open to scrutiny.
 * The recording day is taken on the cooperative's own calendar (its time zone), like the back-dated rule.
 */
export const futureDatedEntryRule: Rule<null> = {
  name: FUTURE_DATED_ENTRY_RULE,
  eventTypes: ["JournalEntryPosted"],
  initialState: () => null,
  onEvent(_state, event, { facts, entry, thresholds }, alerts) {
    if (event.type !== "JournalEntryPosted" || entry === null) return;
    if (event.data.kind !== "regular" && event.data.kind !== "reversal") return;
    const recordedOn = entry.local.date;
    // Dated on or before the recording day (the common case): nothing to judge, no date arithmetic.
    if (event.data.date <= recordedOn) return;
    const days = daysBetween(recordedOn, event.data.date);
    if (days <= thresholds.futureDatedDays) return;
    alerts.push(
      makeAlert({
        rule: FUTURE_DATED_ENTRY_RULE,
        severity: "warning",
        facts,
        triggerIds: [event.metadata.eventId],
        entryIds: [event.data.entryId],
        summary: `Entri bertanggal maju: tanggal ${event.data.date}, dicatat ${recordedOn} (${days} hari sebelumnya)`,
        raisedAt: event.metadata.recordedAt,
        details: { date: event.data.date, recordedOn, days, limitDays: thresholds.futureDatedDays },
      }),
    );
  },
};
