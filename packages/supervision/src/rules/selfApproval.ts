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
 * FRD-04 / maker-checker: the proposer of an entry approves it. The API refuses that (403 self_approval,
 * or 403 forbidden when the proposer's role may not approve at all) and records nothing in the ledger,
 * but it records a `CommandRefused` audit event, on which the rule fires (high: someone tried to get
 * round the four-eyes control). The rule also fires on the ledger patterns it can see, which mean the
 * control itself failed: an approval by the proposer, or a posting whose postedBy equals its proposedBy.
 */
type SupervisedEventOf = Parameters<Rule<SelfApprovalState>["onEvent"]>[1];

/**
 * Keeps who proposed each waiting entry and returns the self-approval an event shows, if any: an approval
 * or a posting by the entry's proposer, or a refused attempt at one.
 */
const selfApprovalOf = (
  state: SelfApprovalState,
  event: SupervisedEventOf,
): { readonly entryId: string; readonly principal: string; readonly attempted: boolean } | null => {
  switch (event.type) {
    case "JournalEntryProposed":
      state.proposers.set(event.data.entryId, event.data.proposedBy);
      return null;
    case "JournalEntryRejected":
      state.proposers.delete(event.data.entryId);
      return null;
    case "JournalEntryApproved":
      if (state.proposers.get(event.data.entryId) !== event.data.approvedBy) return null;
      return { entryId: event.data.entryId, principal: event.data.approvedBy, attempted: false };
    case "JournalEntryPosted":
      if (state.proposers.size > 0) state.proposers.delete(event.data.entryId);
      if (event.data.proposedBy === null || event.data.proposedBy !== event.data.postedBy) return null;
      return { entryId: event.data.entryId, principal: event.data.postedBy, attempted: false };
    case "CommandRefused": {
      // A refused approval of one's own proposal: refused as self_approval, or as forbidden for a role
      // that may not approve (a treasurer approving what it proposed is the same attempt).
      if (event.data.commandType !== "ApproveJournalEntry" || event.data.entryId === null) return null;
      const ownProposal = state.proposers.get(event.data.entryId) === event.data.principalId;
      if (event.data.code !== "self_approval" && !ownProposal) return null;
      return { entryId: event.data.entryId, principal: event.data.principalId, attempted: true };
    }
    default:
      return null;
  }
};

export const selfApprovalRule: Rule<SelfApprovalState> = {
  name: SELF_APPROVAL_RULE,
  eventTypes: [
    "JournalEntryProposed",
    "JournalEntryRejected",
    "JournalEntryApproved",
    "JournalEntryPosted",
    "CommandRefused",
  ],
  initialState: () => ({ proposers: new Map(), reported: new Set() }),
  onEvent(state, event, { facts }, alerts) {
    const found = selfApprovalOf(state, event);
    if (found === null) return;
    const { entryId, principal, attempted } = found;
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
        details: attempted
          ? { principalId: principal, refused: true, code: (event.data as { code?: string }).code ?? null }
          : { principalId: principal, refused: false },
      }),
    );
  },
};
