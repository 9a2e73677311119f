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
