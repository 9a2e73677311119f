import type {
  EventStore,
  LogEventData,
  ReadAllOptions,
  ReadStreamDataOptions,
  StreamEventData,
  StreamHead,
} from "./port.js";

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

/**
 * The chain hash a stored event's metadata carries, or null: read without trusting the metadata's shape
 * (a stream written before it was chained, or an event edited behind the store's back, may lack it).
 */
export const storedChainHash = (metadata: unknown): string | null => {
  const hash = (metadata as { hash?: unknown } | null)?.hash;
  return typeof hash === "string" ? hash : null;
};

/**
 * The stream's last revision and chain hash: through the store's own lean read when it has one, otherwise
 * by reading the last event, so every store answers the same.
 */
export const streamHead = async (store: EventStore, streamId: string): Promise<StreamHead | "no_stream"> => {
  if (store.streamHead !== undefined) return store.streamHead(streamId);
  const [last] = await store.readStream(streamId, { direction: "backwards", limit: 1 });
  return last === undefined ? "no_stream" : { revision: last.revision, hash: storedChainHash(last.metadata) };
};

/**
 * The recording time a stored event's metadata carries (its `recordedAt`), or null: read without trusting
 * the metadata's shape, as storedChainHash.
 */
export const storedRecordedAt = (metadata: unknown): string | null => {
  const recordedAt = (metadata as { recordedAt?: unknown } | null)?.recordedAt;
  return typeof recordedAt === "string" ? recordedAt : null;
};

/** Whether a stored event's metadata carries both chain hashes (`prevHash` and `hash`) as texts. */
export const carriesChainHashes = (metadata: unknown): boolean => {
  const chain = metadata as { prevHash?: unknown; hash?: unknown } | null;
  return typeof chain?.prevHash === "string" && typeof chain.hash === "string";
};

/**
 * The global log as a fold reads it (LogEventData): through the store's own lean read when it has one,
 * otherwise through readAll, so a caller rebuilding models from the log works with every store.
 */
export const readAllData = async (
  store: EventStore,
  options: ReadAllOptions = {},
): Promise<readonly LogEventData[]> => {
  if (store.readAllData !== undefined) return store.readAllData(options);
  const events = await store.readAll(options);
  return events.map(({ position, streamId, revision, type, data, metadata }) => ({
    position,
    streamId,
    revision,
    type,
    data,
    metadataRecordedAt: storedRecordedAt(metadata),
    chained: carriesChainHashes(metadata),
  }));
};
