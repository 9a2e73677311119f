import type { EntryLine } from "@bukubesar/ledger-core";
import type { Rule } from "../rule.js";
import { makeAlert } from "../rule.js";

export const DUPLICATE_ENTRY_RULE = "duplicate-entry";

const MS_PER_MINUTE = 60_000;
/**
 * Only the most recent entries are compared, so a busy cooperative costs bounded work per entry. A double-
 * keyed slip is almost always among the last few entries of the same till.
 */
export const DUPLICATE_RECENT_ENTRIES_MAX = 100;

interface RecentEntry {
  lines: readonly EntryLine[];
  /** Computed only when another entry with the same total comes along. */
  signature: string | null;
  entryId: string;
}

export interface DuplicateEntryState {
  /**
   * The last DUPLICATE_RECENT_ENTRIES_MAX entries as a ring (`next` is the slot to overwrite, `size` how
   * many slots are filled). Totals (in sen, as numbers: only a lookup key, entries are then compared line
   * by line) and recording instants sit in flat arrays, so the scan for an equal total touches no object,
   * and the slots' objects are reused, so an entry allocates nothing here.
   */
  readonly totals: Float64Array;
  readonly recordedAtMs: Float64Array;
  readonly entries: RecentEntry[];
  next: number;
  size: number;
}

/** The lines of a recent entry restored from a snapshot, which carries its signature instead. */
const NO_LINES: readonly EntryLine[] = Object.freeze([]);

const lineSignature = (line: EntryLine): string => {
  return `${line.account}|${line.side}|${line.amount}|${line.memberId ?? ""}`;
};

/** Lines compared as a multiset: account, side, amount and member of every line. */
const signatureOfLines = (lines: readonly EntryLine[]): string => {
  return lines.map(lineSignature).sort().join(";");
};

const signatureOf = (entry: RecentEntry): string => {
  entry.signature ??= signatureOfLines(entry.lines);
  return entry.signature;
};

/** The same lines and amounts posted again within a short window (a double-keyed slip, or a copied one). */
export const duplicateEntryRule: Rule<DuplicateEntryState> = {
  name: DUPLICATE_ENTRY_RULE,
  eventTypes: ["JournalEntryPosted"],
  initialState: () => ({
    totals: new Float64Array(DUPLICATE_RECENT_ENTRIES_MAX),
    recordedAtMs: new Float64Array(DUPLICATE_RECENT_ENTRIES_MAX),
    entries: [],
    next: 0,
    size: 0,
  }),
  // Each recent entry with its signature instead of its lines: the lines were nine tenths of a
  // cooperative's snapshot, and the signature is all a later comparison reads.
  snapshotState: (state) => ({
    ...state,
    entries: state.entries.map((entry) => ({
      lines: NO_LINES,
      signature: signatureOf(entry),
      entryId: entry.entryId,
    })),
  }),
  onEvent(state, event, { facts, entry, thresholds }, alerts) {
    if (event.type !== "JournalEntryPosted" || event.data.kind !== "regular" || entry === null) return;
    const now = entry.recordedAtMs;
    const windowMs = thresholds.duplicateWindowMinutes * MS_PER_MINUTE;
    const total = Number(entry.total);
    const lines = event.data.lines;
    let originalEntryId: string | null = null;
    let signature: string | null = null;
    // Newest first: the latest identical entry within the window is the original.
    for (let back = 1; back <= state.size; back += 1) {
      const slot = (state.next - back + DUPLICATE_RECENT_ENTRIES_MAX) % DUPLICATE_RECENT_ENTRIES_MAX;
      if (now - (state.recordedAtMs[slot] as number) > windowMs) break;
      if (state.totals[slot] !== total) continue;
      const candidate = state.entries[slot] as RecentEntry;
      signature ??= signatureOfLines(lines);
      if (signatureOf(candidate) === signature) {
        originalEntryId = candidate.entryId;
        break;
      }
    }

    const slot = state.next;
    state.totals[slot] = total;
    state.recordedAtMs[slot] = now;
    const reused = state.entries[slot];
    if (reused === undefined) state.entries[slot] = { lines, signature, entryId: event.data.entryId };
    else {
      reused.lines = lines;
      reused.signature = signature;
      reused.entryId = event.data.entryId;
    }
    state.next = (slot + 1) % DUPLICATE_RECENT_ENTRIES_MAX;
    if (state.size < DUPLICATE_RECENT_ENTRIES_MAX) state.size += 1;

    if (originalEntryId === null) return;
    alerts.push(
      makeAlert({
        rule: DUPLICATE_ENTRY_RULE,
        severity: "warning",
        facts,
        triggerIds: [event.metadata.eventId],
        entryIds: [originalEntryId, event.data.entryId],
        summary: `Dugaan entri ganda: baris dan jumlah sama dengan entri ${originalEntryId} dalam ${thresholds.duplicateWindowMinutes} menit`,
        raisedAt: event.metadata.recordedAt,
        details: { originalEntryId, windowMinutes: thresholds.duplicateWindowMinutes },
      }),
    );
  },
};
