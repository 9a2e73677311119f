import { senToWire } from "@bukubesar/money";
import { isAtLeastFractionOf } from "../fraction.js";
import { noteWithinWindow } from "../noteWithinWindow.js";
import type { Rule } from "../rule.js";
import { makeAlert } from "../rule.js";
import { rupiahInText } from "../rupiah.js";

export const APPROVAL_THRESHOLD_AVOIDANCE_RULE = "approval-threshold-avoidance";

const MS_PER_DAY = 86_400_000;

interface NearMiss {
  readonly entryId: string;
  readonly eventId: string;
  readonly recordedAtMs: number;
  readonly totalSen: bigint;
}

export interface ApprovalAvoidanceState {
  /** Recent near misses per principal, oldest first; updated in place. */
  readonly byPrincipal: Map<string, NearMiss[]>;
}

/**
 * Entries kept just at or under the approval threshold, so they post without an approver: several by one
 * principal within a window. One such entry is normal; a run of them is a pattern.
 */
export const approvalThresholdAvoidanceRule: Rule<ApprovalAvoidanceState> = {
  name: APPROVAL_THRESHOLD_AVOIDANCE_RULE,
  eventTypes: ["JournalEntryPosted"],
  initialState: () => ({ byPrincipal: new Map() }),
  onEvent(state, event, { facts, entry, thresholds, parsed }, alerts) {
    if (
      event.type !== "JournalEntryPosted" ||
      entry === null ||
      event.data.kind !== "regular" ||
      event.data.proposedBy !== null
    ) {
      return;
    }
    const limit = facts.approvalThresholdSen;
    if (limit === null) return;
    const total = entry.total;
    if (total > limit || !isAtLeastFractionOf(total, parsed.approvalAvoidanceBand, limit)) return;
    const principal = event.data.postedBy;
    const recent = noteWithinWindow(
      state.byPrincipal,
      principal,
      {
        entryId: event.data.entryId,
        eventId: event.metadata.eventId,
        recordedAtMs: entry.recordedAtMs,
        totalSen: total,
      },
      thresholds.approvalAvoidanceWindowDays * MS_PER_DAY,
      thresholds.approvalAvoidanceMinimumCount,
    );
    if (recent === null) return;
    alerts.push(
      makeAlert({
        rule: APPROVAL_THRESHOLD_AVOIDANCE_RULE,
        severity: "warning",
        facts,
        triggerIds: recent.map((item) => item.eventId),
        entryIds: recent.map((item) => item.entryId),
        summary: `${recent.length} entri oleh ${principal} tepat di bawah batas persetujuan ${rupiahInText(limit)}`,
        raisedAt: event.metadata.recordedAt,
        details: {
          principalId: principal,
          approvalThreshold: senToWire(limit),
          totals: recent.map((item) => senToWire(item.totalSen)),
          windowDays: thresholds.approvalAvoidanceWindowDays,
        },
      }),
    );
  },
};
