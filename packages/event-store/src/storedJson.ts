/**
 * A stored JSON text parsed, or null when it is not JSON at all. Every store writes its texts with
 * JSON.stringify or as canonical JSON, so only a row edited behind the store's back holds one that is
 * not; null is not an object, so ledger-core's checked decoder refuses the event as a malformed stored
 * event, and no chain hash can match it. Every reader, and verify, then name that event as a break of
 * its chain instead of failing on it.
 */
export const parseStoredJson = (text: string): unknown => {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
};
