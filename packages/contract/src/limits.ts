/**
 * The bounds of the wire formats that are not the ledger's own (those are @bukubesar/ledger-core's
 * limits.ts, which the codecs import).
 */

/** JSON nested deeper than this is refused; no body of the API needs more than four levels. */
export const JSON_DEPTH_MAX = 32;

/**
 * Principals' names and alert notes: generous for people, bounded for the store. The ledger's own limits
 * (lines per entry, memos, names, reasons) are @bukubesar/ledger-core's.
 */
export const TEXT_LENGTH_MAX = 1000;
