import type { EventStore, ReadStreamDataOptions, StreamEventData } from "./port.js";

/**
 * One stream forwards as a fold reads it (revision, type and data): through the store's own lean read
 * when it has one, otherwise through readStream, so a caller replaying into state works with every store.
 */
export const readStreamData = async (
  store: EventStore,
  streamId: string,
  options: ReadStreamDataOptions = {},
): Promise<readonly StreamEventData[]> => {
  if (store.readStreamData !== undefined) return store.readStreamData(streamId, options);
  const events = await store.readStream(streamId, options);
  return events.map(({ revision, type, data }) => ({ revision, type, data }));
};
