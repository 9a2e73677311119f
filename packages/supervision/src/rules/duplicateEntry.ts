import type { EntryLine } from "@bukubesar/ledger-core";
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
  /** The total in sen as a number: only a lookup key (entries are compared line by line afterwards). */
  readonly totalKey: number;
  readonly lines: readonly EntryLine[];
  /** Computed only when another entry with the same total comes along. */
  signature: string | null;
  readonly entryId: string;
  /** Recording instant in epoch milliseconds. */
  readonly recordedAtMilliseconds: number;
}

export interface DuplicateEntryState {
  /** The last DUPLICATE_RECENT_ENTRIES_MAX entries (a ring: `next` is the slot to overwrite). */
  readonly ring: (RecentEntry | undefined)[];
  next: number;
  /**
   * Those entries by total, oldest first: identical lines have identical totals, so only entries with the
   * same total are compared line by line, and most entries build no signature at all.
   */
  readonly byTotal: Map<number, RecentEntry[]>;
}

function lineSignature(line: EntryLine): string {
  return `${line.account}|${line.side}|${line.amount}|${line.memberId ?? ""}`;
}

/** Lines compared as a multiset: account, side, amount and member of every line. */
function signatureOf(entry: RecentEntry): string {
  entry.signature ??= entry.lines.map(lineSignature).sort().join(";");
  return entry.signature;
}

/** The same lines and amounts posted again within a short window (a double-keyed slip, or a copied one). */
export const duplicateEntryRule: Rule<DuplicateEntryState> = {
  name: DUPLICATE_ENTRY_RULE,
  initialState: () => ({ ring: [], next: 0, byTotal: new Map() }),
  onEvent(state, event, { facts, entry, thresholds }) {
    if (event.type !== "JournalEntryPosted" || event.data.kind !== "regular" || entry === null)
      return unchanged(state);
    const now = entry.recordedAtMilliseconds;
    const windowMilliseconds = thresholds.duplicateWindowMinutes * MILLISECONDS_PER_MINUTE;
    const totalKey = Number(entry.total);
    const current: RecentEntry = {
      totalKey,
      lines: event.data.lines,
      signature: null,
      entryId: event.data.entryId,
      recordedAtMilliseconds: now,
    };
    const sameTotal = state.byTotal.get(totalKey);
    let original: RecentEntry | undefined;
    if (sameTotal !== undefined) {
      // Newest first: the latest identical entry within the window is the original.
      for (let index = sameTotal.length - 1; index >= 0; index -= 1) {
        const candidate = sameTotal[index] as RecentEntry;
        if (now - candidate.recordedAtMilliseconds > windowMilliseconds) break;
        if (signatureOf(candidate) === signatureOf(current)) {
          original = candidate;
          break;
        }
      }
    }

    const evicted = state.ring[state.next];
    if (evicted !== undefined) {
      // The evicted entry is the oldest in the ring, so the oldest of its total.
      const list = state.byTotal.get(evicted.totalKey);
      list?.shift();
      if (list?.length === 0) state.byTotal.delete(evicted.totalKey);
    }
    state.ring[state.next] = current;
    state.next = (state.next + 1) % DUPLICATE_RECENT_ENTRIES_MAX;
    const list = state.byTotal.get(totalKey);
    if (list === undefined) state.byTotal.set(totalKey, [current]);
    else list.push(current);

    if (original === undefined) return unchanged(state);
    return {
      state,
      alerts: [
        makeAlert({
          rule: DUPLICATE_ENTRY_RULE,
          severity: "warning",
          facts,
          triggerIds: [event.metadata.eventId],
          entryIds: [original.entryId, event.data.entryId],
          summary: `Dugaan entri ganda: baris dan jumlah sama dengan entri ${original.entryId} dalam ${thresholds.duplicateWindowMinutes} menit`,
          raisedAt: event.metadata.recordedAt,
          details: { originalEntryId: original.entryId, windowMinutes: thresholds.duplicateWindowMinutes },
        }),
      ],
    };
  },
};
