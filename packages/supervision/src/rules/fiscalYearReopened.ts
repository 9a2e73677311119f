import type { Rule } from "../rule.js";
import { makeAlert } from "../rule.js";

export const FISCAL_YEAR_REOPENED_RULE = "fiscal-year-reopened";

/**
 * A closed fiscal year reopened by an admin (for audit corrections before the RAT): its statements change
 * after they may have been shown to the pengawas or the members, so supervisors hear of it at once, with
 * the reason given. The year's adjusting entries are then on record until it is closed again.
 */
export const fiscalYearReopenedRule: Rule<null> = {
  name: FISCAL_YEAR_REOPENED_RULE,
  eventTypes: ["FiscalYearReopened"],
  initialState: () => null,
  onEvent(_state, event, { facts }, alerts) {
    if (event.type !== "FiscalYearReopened") return;
    alerts.push(
      makeAlert({
        rule: FISCAL_YEAR_REOPENED_RULE,
        severity: "high",
        facts,
        triggerIds: [event.metadata.eventId],
        entryIds: event.data.entryId === null ? [] : [event.data.entryId],
        summary: `Tahun buku ${event.data.year} yang telah ditutup dibuka kembali: ${event.data.reason}`,
        raisedAt: event.metadata.recordedAt,
        details: {
          year: event.data.year,
          reason: event.data.reason,
          reopenedBy: event.metadata.principalId,
        },
      }),
    );
  },
};
