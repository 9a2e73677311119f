/** Something noted at a moment, kept in a sliding window of recent ones. */
export interface TimedItem {
  readonly recordedAtMs: number;
}

/**
 * Notes `item` for `key` (a principal) in a sliding window: keeps only the items noted at most
 * `windowMs` before it, oldest first. When they number `minimumCount` or more they are returned
 * and forgotten, so the count restarts after an alert; otherwise they are kept and null is returned.
 */
export const noteWithinWindow = <T extends TimedItem>(
  byKey: Map<string, T[]>,
  key: string,
  item: T,
  windowMs: number,
  minimumCount: number,
): T[] | null => {
  const now = item.recordedAtMs;
  const recent = (byKey.get(key) ?? []).filter((earlier) => now - earlier.recordedAtMs <= windowMs);
  recent.push(item);
  if (recent.length < minimumCount) {
    byKey.set(key, recent);
    return null;
  }
  byKey.delete(key);
  return recent;
};
