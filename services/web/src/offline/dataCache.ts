/**
 * The API answers the service worker keeps for offline reading (public/sw.js): when one was served from
 * the cache instead of the network, its response says when it was fetched, and the page shows "data as of"
 * that time. The kept answers belong to the signed-in user and are deleted at sign-in and sign-out.
 */

/** Keep this name equal to DATA_CACHE in public/sw.js. */
const DATA_CACHE = "bukubesar-data-v1";
const CACHED_AT_HEADER = "x-bukubesar-cached-at";

let oldestShown: string | null = null;
const listeners = new Set<(cachedAt: string | null) => void>();

/** Called with every API response: remembers the oldest kept answer the page is showing. */
export const noteResponse = (response: Response): void => {
  const cachedAt = response.headers.get(CACHED_AT_HEADER);
  if (cachedAt === null || cachedAt === "") return;
  if (oldestShown !== null && oldestShown <= cachedAt) return;
  oldestShown = cachedAt;
  for (const listener of listeners) listener(oldestShown);
};

/** A new page starts with nothing stale shown. */
export const forgetShownData = (): void => {
  oldestShown = null;
  for (const listener of listeners) listener(null);
};

export const onStaleData = (listener: (cachedAt: string | null) => void): (() => void) => {
  listeners.add(listener);
  listener(oldestShown);
  return () => listeners.delete(listener);
};

/** Deletes every kept API answer (at sign-in and sign-out). */
export const clearDataCache = async (): Promise<void> => {
  if (globalThis.caches !== undefined) await caches.delete(DATA_CACHE);
};
