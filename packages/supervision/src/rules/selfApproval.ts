import type { Rule } from "../rule.js";
import { makeAlert } from "../rule.js";

export const SELF_APPROVAL_RULE = "self-approval";

export interface SelfApprovalState {
  /** Pending entries and who proposed them; updated in place. */
  readonly proposers: Map<string, string>;
  /** Entries already reported, so the approval and the posting of one entry raise one alert. */
  readonly reported: Set<string>;
}

/**
 * FRD-04 / maker-checker: the proposer of an entry approves it. The API refuses that (403 self_approval)
 * and records nothing, so a refused attempt is only visible when the API sends a `SelfApprovalAttempted`
 * signal. The rule also fires on the ledger patterns it can see, which mean the control itself failed:
 * an approval by the proposer, or a posting whose postedBy equals its proposedBy.
 */
export const selfApprovalRule: Rule<SelfApprovalState> = {
  name: SELF_APPROVAL_RULE,
  eventTypes: [
    "JournalEntryProposed",
    "JournalEntryRejected",
    "JournalEntryApproved",
    "JournalEntryPosted",
    "SelfApprovalAttempted",
  ],
  initialState: () => ({ proposers: new Map(), reported: new Set() }),
  onEvent(state, event, { facts }, alerts) {
    let entryId: string;
    let principal: string;
    let attempted: boolean;
    switch (event.type) {
      case "JournalEntryProposed":
        state.proposers.set(event.data.entryId, event.data.proposedBy);
        return;
      case "JournalEntryRejected":
        state.proposers.delete(event.data.entryId);
        return;
      case "JournalEntryApproved":
        if (state.proposers.get(event.data.entryId) !== event.data.approvedBy) return;
        entryId = event.data.entryId;
        principal = event.data.approvedBy;
        attempted = false;
        break;
      case "JournalEntryPosted":
        if (state.proposers.size > 0) state.proposers.delete(event.data.entryId);
        if (event.data.proposedBy === null || event.data.proposedBy !== event.data.postedBy) return;
        entryId = event.data.entryId;
        principal = event.data.postedBy;
        attempted = false;
        break;
      case "SelfApprovalAttempted":
        entryId = event.data.entryId;
        principal = event.data.principalId;
        attempted = true;
        break;
      default:
        return;
    }
    if (!attempted) {
      if (state.reported.has(entryId)) return;
      state.reported.add(entryId);
    }
    alerts.push(
      makeAlert({
        rule: SELF_APPROVAL_RULE,
        severity: "high",
        facts,
        triggerIds: attempted ? [event.metadata.eventId] : ["entry", entryId],
        entryIds: [entryId],
        summary: attempted
          ? `Percobaan menyetujui entri sendiri oleh ${principal} (ditolak)`
          : `Entri disetujui oleh pengusulnya sendiri (${principal}): pemisahan tugas gagal`,
        raisedAt: event.metadata.recordedAt,
        details: { principalId: principal, refused: attempted },
      }),
    );
  },
};
