import { millisecondsBetween } from "../localTime.js";
import type { Rule } from "../rule.js";
import { makeAlert, unchanged } from "../rule.js";

export const DUPLICATE_ENTRY_RULE = "duplicate-entry";

const MILLISECONDS_PER_MINUTE = 60_000;

interface RecentEntry {
  readonly signature: string;
  readonly entryId: string;
  readonly recordedAt: string;
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
    const windowMilliseconds = thresholds.duplicateWindowMinutes * MILLISECONDS_PER_MINUTE;
    const recent = state.recent.filter(
      (item) => millisecondsBetween(item.recordedAt, recordedAt) <= windowMilliseconds,
    );
    const signature = signatureOf(event.data.lines);
    const original = recent.find((item) => item.signature === signature);
    const next = { recent: [...recent, { signature, entryId: event.data.entryId, recordedAt }] };
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
