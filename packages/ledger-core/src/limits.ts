/**
 * Every limit the decider enforces, named once so the HTTP edge, the CLI and the tests agree.
 */

/** A journal entry needs at least a debit and a credit, so two lines is the smallest balanced entry. */
export const ENTRY_LINES_MIN = 2;

/** More lines than this make one event (and one stored row) too large to append atomically and cheaply. */
export const ENTRY_LINES_MAX = 500;

/** Memos are free text for people; a thousand characters is room for a paragraph and no more. */
export const MEMO_LENGTH_MAX = 1000;

/** Names of cooperatives, accounts and members; longer names break printed reports. */
export const NAME_LENGTH_MAX = 200;

/** Reasons for rejecting, reversing or reopening are memos too. */
export const REASON_LENGTH_MAX = MEMO_LENGTH_MAX;

/** The wire allows at most fifteen integer digits of rupiah (api.md, Conventions). */
export const AMOUNT_INTEGER_DIGITS_MAX = 15;

/**
 * How far a stream's last recordedAt may be ahead of this machine's clock before a writer treats it as a
 * clock fault rather than ordinary disagreement between hosts. Hosts kept by NTP agree within
 * milliseconds and a writer on another host (an import) within seconds, so five minutes is far beyond
 * honest disagreement, yet short next to what the time-windowed supervision rules measure (an hour and
 * more) and to a working day. Beyond it, some writer recorded with its clock set ahead, and every later
 * event of the stream is pinned to that instant (recordedAt never goes backwards) until the clocks meet.
 */
export const RECORDED_AT_LEAD_MAX_MS = 5 * 60 * 1000;
