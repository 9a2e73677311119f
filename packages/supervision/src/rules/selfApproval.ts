import type { Rule } from "../rule.js";
import { makeAlert, unchanged } from "../rule.js";

export const SELF_APPROVAL_RULE = "self-approval";

export interface SelfApprovalState {
  /** Pending entries and who proposed them. */
  readonly proposers: Readonly<Record<string, string>>;
  /** Entries already reported, so the approval and the posting of one entry raise one alert. */
  readonly reported: Readonly<Record<string, true>>;
}

/**
 * FRD-04 / maker-checker: the proposer of an entry approves it. The API refuses that (403 self_approval)
 * and records nothing, so a refused attempt is only visible when the API sends a `SelfApprovalAttempted`
 * signal. The rule also fires on the ledger patterns it can see, which mean the control itself failed:
 * an approval by the proposer, or a posting whose postedBy equals its proposedBy.
 */
export const selfApprovalRule: Rule<SelfApprovalState> = {
  name: SELF_APPROVAL_RULE,
  initialState: { proposers: {}, reported: {} },
  onEvent(state, event, { after }) {
    let entryId: string;
    let principal: string;
    let attempted: boolean;
    switch (event.type) {
      case "JournalEntryProposed":
        return unchanged({
          ...state,
          proposers: { ...state.proposers, [event.data.entryId]: event.data.proposedBy },
        });
      case "JournalEntryRejected": {
        const { [event.data.entryId]: _done, ...proposers } = state.proposers;
        return unchanged({ ...state, proposers });
      }
      case "JournalEntryApproved":
        if (state.proposers[event.data.entryId] !== event.data.approvedBy) return unchanged(state);
        entryId = event.data.entryId;
        principal = event.data.approvedBy;
        attempted = false;
        break;
      case "JournalEntryPosted": {
        const { [event.data.entryId]: _done, ...proposers } = state.proposers;
        const next = state.proposers[event.data.entryId] === undefined ? state : { ...state, proposers };
        if (event.data.proposedBy === null || event.data.proposedBy !== event.data.postedBy)
          return unchanged(next);
        state = next;
        entryId = event.data.entryId;
        principal = event.data.postedBy;
        attempted = false;
        break;
      }
      case "SelfApprovalAttempted":
        entryId = event.data.entryId;
        principal = event.data.principalId;
        attempted = true;
        break;
      default:
        return unchanged(state);
    }
    if (!attempted && state.reported[entryId] === true) return unchanged(state);
    return {
      state: attempted ? state : { ...state, reported: { ...state.reported, [entryId]: true } },
      alerts: [
        makeAlert({
          rule: SELF_APPROVAL_RULE,
          severity: "high",
          facts: after,
          triggerIds: attempted ? [event.metadata.eventId] : ["entry", entryId],
          entryIds: [entryId],
          summary: attempted
            ? `Percobaan menyetujui entri sendiri oleh ${principal} (ditolak)`
            : `Entri disetujui oleh pengusulnya sendiri (${principal}): pemisahan tugas gagal`,
          raisedAt: event.metadata.recordedAt,
          details: { principalId: principal, refused: attempted },
        }),
      ],
    };
  },
};
