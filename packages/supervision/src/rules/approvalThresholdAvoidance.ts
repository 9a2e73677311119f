import { Decimal } from "decimal.js";
import { entryTotal, formatRupiah } from "../entryAnalysis.js";
import { millisecondsBetween } from "../localTime.js";
import type { Rule } from "../rule.js";
import { makeAlert, unchanged } from "../rule.js";

export const APPROVAL_THRESHOLD_AVOIDANCE_RULE = "approval-threshold-avoidance";

const MILLISECONDS_PER_DAY = 86_400_000;

interface NearMiss {
  readonly entryId: string;
  readonly eventId: string;
  readonly recordedAt: string;
  readonly total: string;
}

export interface ApprovalAvoidanceState {
  readonly byPrincipal: Readonly<Record<string, readonly NearMiss[]>>;
}

/**
 * Entries kept just at or under the approval threshold, so they post without an approver: several by one
 * principal within a window. One such entry is normal; a run of them is a pattern.
 */
export const approvalThresholdAvoidanceRule: Rule<ApprovalAvoidanceState> = {
  name: APPROVAL_THRESHOLD_AVOIDANCE_RULE,
  initialState: { byPrincipal: {} },
  onEvent(state, event, { after, thresholds }) {
    if (
      event.type !== "JournalEntryPosted" ||
      event.data.kind !== "regular" ||
      event.data.proposedBy !== null
    ) {
      return unchanged(state);
    }
    if (after.settings.approvalThreshold === null) return unchanged(state);
    const limit = new Decimal(after.settings.approvalThreshold);
    const total = entryTotal(event.data.lines);
    if (total.gt(limit) || total.lt(limit.times(thresholds.approvalAvoidanceBandFraction)))
      return unchanged(state);
    const principal = event.data.postedBy;
    const recordedAt = event.metadata.recordedAt;
    const windowMilliseconds = thresholds.approvalAvoidanceWindowDays * MILLISECONDS_PER_DAY;
    const recent = [
      ...(state.byPrincipal[principal] ?? []).filter(
        (item) => millisecondsBetween(item.recordedAt, recordedAt) <= windowMilliseconds,
      ),
      { entryId: event.data.entryId, eventId: event.metadata.eventId, recordedAt, total: total.toFixed(2) },
    ];
    if (recent.length < thresholds.approvalAvoidanceMinimumCount) {
      return { state: { byPrincipal: { ...state.byPrincipal, [principal]: recent } }, alerts: [] };
    }
    return {
      state: { byPrincipal: { ...state.byPrincipal, [principal]: [] } },
      alerts: [
        makeAlert({
          rule: APPROVAL_THRESHOLD_AVOIDANCE_RULE,
          severity: "warning",
          facts: after,
          triggerIds: recent.map((item) => item.eventId),
          entryIds: recent.map((item) => item.entryId),
          summary: `${recent.length} entri oleh ${principal} tepat di bawah batas persetujuan ${formatRupiah(limit)}`,
          raisedAt: recordedAt,
          details: {
            principalId: principal,
            approvalThreshold: limit.toFixed(2),
            totals: recent.map((item) => item.total),
            windowDays: thresholds.approvalAvoidanceWindowDays,
          },
        }),
      ],
    };
  },
};
