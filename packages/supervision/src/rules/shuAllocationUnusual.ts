import { allocationWarnings } from "@bukubesar/ledger-core";
import type { Rule } from "../rule.js";
import { makeAlert } from "../rule.js";

export const SHU_ALLOCATION_UNUSUAL_RULE = "shu-allocation-unusual";

/** The allocation last judged for a cooperative (canonical text), so an unchanged one is not alerted again. */
export interface ShuAllocationState {
  lastJudged: string | null;
}

/**
 * SHU percentages outside the usual ranges (ledger-core's allocationWarnings: jasa modal above jasa usaha,
 * a small reserve, a large share for the board and employees), set as the AD/ART rules in the settings or
 * recorded as a RAT decision. They are not refused, since the AD/ART and the meeting decide them
 * (docs/accounting.md section 5), but supervisors hear of them. A settings change that leaves the
 * allocation as it was raises nothing new.
 */
export const shuAllocationUnusualRule: Rule<ShuAllocationState> = {
  name: SHU_ALLOCATION_UNUSUAL_RULE,
  eventTypes: ["SettingsChanged", "RatDecisionProposed"],
  initialState: () => ({ lastJudged: null }),
  onEvent(state, event, { facts }, alerts) {
    let allocation: Readonly<Record<string, string>> | undefined;
    let source: string;
    if (event.type === "SettingsChanged") {
      allocation = event.data.settings.shuRules?.allocation;
      source = "pengaturan AD/ART";
      const judged = allocation === undefined ? null : JSON.stringify(Object.entries(allocation).sort());
      if (judged === state.lastJudged) return;
      state.lastJudged = judged;
    } else if (event.type === "RatDecisionProposed") {
      allocation = event.data.allocation;
      source = `keputusan RAT tahun buku ${event.data.year}`;
    } else {
      return;
    }
    if (allocation === undefined) return;
    const warnings = allocationWarnings(allocation, "allocation");
    if (warnings.length === 0) return;
    alerts.push(
      makeAlert({
        rule: SHU_ALLOCATION_UNUSUAL_RULE,
        severity: "warning",
        facts,
        triggerIds: [event.metadata.eventId],
        entryIds: [],
        summary: `Pembagian SHU di luar kebiasaan (${source}): ${warnings.map((warning) => warning.message).join("; ")}`,
        raisedAt: event.metadata.recordedAt,
        details: {
          source: event.type,
          allocation,
          warnings: warnings.map((warning) => warning.code),
          changedBy: event.metadata.principalId,
        },
      }),
    );
  },
};
