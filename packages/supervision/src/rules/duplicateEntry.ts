import type { Rule } from "../rule.js";
import { makeAlert, unchanged } from "../rule.js";

export const DUPLICATE_ENTRY_RULE = "duplicate-entry";

const MILLISECONDS_PER_MINUTE = 60_000;
/**
 * Only the most recent entries are compared, so a busy cooperative costs bounded work per entry. A double-
 * keyed slip is almost always among the last few entries of the same till.
 */
export const DUPLICATE_RECENT_ENTRIES_MAX = 100;

interface RecentEntry {
  readonly signature: string;
  readonly entryId: string;
  /** Recording instant in epoch milliseconds. */
  readonly recordedAtMilliseconds: number;
}

export interface DuplicateEntryState {
  readonly recent: readonly RecentEntry[];
}

/** Lines compared as a multiset: account, side, amount and member of every line. */
function signatureOf(
  lines: readonly { account: string; side: string; amount: string; memberId: string | null }[],
) {
  return lines
    .map((line) => `${line.account}|${line.side}|${line.amount}|${line.memberId ?? ""}`)
    .sort()
    .join(";");
}

/** The same lines and amounts posted again within a short window (a double-keyed slip, or a copied one). */
export const duplicateEntryRule: Rule<DuplicateEntryState> = {
  name: DUPLICATE_ENTRY_RULE,
  initialState: { recent: [] },
  onEvent(state, event, { after, thresholds }) {
    if (event.type !== "JournalEntryPosted" || event.data.kind !== "regular") return unchanged(state);
    const recordedAt = event.metadata.recordedAt;
    const now = Date.parse(recordedAt);
    const windowMilliseconds = thresholds.duplicateWindowMinutes * MILLISECONDS_PER_MINUTE;
    const signature = signatureOf(event.data.lines);
    let original: RecentEntry | undefined;
    for (const item of state.recent) {
      if (item.signature === signature && now - item.recordedAtMilliseconds <= windowMilliseconds)
        original = item;
    }
    const kept = state.recent.length >= DUPLICATE_RECENT_ENTRIES_MAX ? state.recent.slice(1) : state.recent;
    const next = {
      recent: [...kept, { signature, entryId: event.data.entryId, recordedAtMilliseconds: now }],
    };
    if (original === undefined) return { state: next, alerts: [] };
    return {
      state: next,
      alerts: [
        makeAlert({
          rule: DUPLICATE_ENTRY_RULE,
          severity: "warning",
          facts: after,
          triggerIds: [event.metadata.eventId],
          entryIds: [original.entryId, event.data.entryId],
          summary: `Dugaan entri ganda: baris dan jumlah sama dengan entri ${original.entryId} dalam ${thresholds.duplicateWindowMinutes} menit`,
          raisedAt: recordedAt,
          details: { originalEntryId: original.entryId, windowMinutes: thresholds.duplicateWindowMinutes },
        }),
      ],
    };
  },
};
