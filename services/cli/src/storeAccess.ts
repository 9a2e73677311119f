import { existsSync } from "node:fs";
import { type EventStore, isStoreFailure, openEventStore, type StoredEvent } from "@bukubesar/event-store";
import { LEDGER_STREAM_PREFIX, ledgerStreamId } from "@bukubesar/ledger-core";
import { CliError } from "./cliError.js";
import { EXIT_STORE_UNREACHABLE } from "./exitCode.js";
import { redactStoreUrl, sqliteFileOf } from "./storeLocation.js";

/** The prefix of every ledger stream, ledger-core's (re-exported for the CLI's readers). */
export { LEDGER_STREAM_PREFIX };

/** How many events one read asks the store for; bounds memory per round trip on long histories. */
export const READ_PAGE_SIZE = 5_000;

export const ledgerStreamOf = ledgerStreamId;

/** Turns store failures into exit code 3 with a one-line reason; anything else passes through. */
export const asStoreUnreachable = (error: unknown, storeUrl: string): unknown => {
  if (error instanceof CliError) return error;
  if (isStoreFailure(error)) {
    if (error.error._tag === "StoreUnavailable") {
      return new CliError(
        `store unreachable (${redactStoreUrl(storeUrl)}): ${error.error.reason}`,
        EXIT_STORE_UNREACHABLE,
      );
    }
    return error;
  }
  const code = (error as { code?: unknown } | null)?.code;
  if (
    typeof code === "string" &&
    /^(ECONNREFUSED|ENOTFOUND|ETIMEDOUT|EACCES|ENOENT|3D000|28P01|28000)$/.test(code)
  ) {
    const message = error instanceof Error ? error.message : String(error);
    return new CliError(
      `store unreachable (${redactStoreUrl(storeUrl)}): ${message}`,
      EXIT_STORE_UNREACHABLE,
    );
  }
  return error;
};

export interface OpenStoreOptions {
  /**
   * Read-only commands (verify, reports) must not create an empty database where none was: that would
   * turn a wrong DATA_DIR into a "sound, zero ledgers" answer.
   */
  readonly mustExist: boolean;
  /** The command appends many thousands of events at a time (import): see OpenEventStoreOptions. */
  readonly bulkAppends?: boolean;
}

/** Opens the store, runs `work`, and always closes it; store failures become exit code 3. */
export const withStore = async <T>(
  storeUrl: string,
  options: OpenStoreOptions,
  work: (store: EventStore) => Promise<T>,
): Promise<T> => {
  const file = sqliteFileOf(storeUrl);
  if (options.mustExist && file !== null && !existsSync(file)) {
    throw new CliError(
      `store unreachable: there is no database at ${file} (set DATA_DIR or STORE_URL)`,
      EXIT_STORE_UNREACHABLE,
    );
  }
  let store: EventStore;
  try {
    store = await openEventStore(storeUrl, { bulkAppends: options.bulkAppends === true });
  } catch (error) {
    const mapped = asStoreUnreachable(error, storeUrl);
    if (mapped instanceof CliError) throw mapped;
    const message = error instanceof Error ? error.message : String(error);
    throw new CliError(`store unreachable (${redactStoreUrl(storeUrl)}): ${message}`, EXIT_STORE_UNREACHABLE);
  }
  try {
    return await work(store);
  } catch (error) {
    throw asStoreUnreachable(error, storeUrl);
  } finally {
    await store.close().catch(() => undefined);
  }
};

/** Every event of one stream in revision order (from revision `from` on), page by page. */
export const readStreamPages = async function* (
  store: EventStore,
  streamId: string,
  from = 0,
): AsyncGenerator<readonly StoredEvent[]> {
  let fromRevision = from;
  for (;;) {
    const page = await store.readStream(streamId, { fromRevision, limit: READ_PAGE_SIZE });
    if (page.length === 0) return;
    yield page;
    const last = page[page.length - 1];
    if (last === undefined || page.length < READ_PAGE_SIZE) return;
    fromRevision = last.revision + 1;
  }
};

/** Every event whose stream starts with `streamPrefix`, in global order, page by page. */
export const readAllPages = async function* (
  store: EventStore,
  streamPrefix: string,
): AsyncGenerator<readonly StoredEvent[]> {
  let after: bigint | undefined;
  for (;;) {
    const page = await store.readAll(
      after === undefined
        ? { streamPrefix, limit: READ_PAGE_SIZE }
        : { after, streamPrefix, limit: READ_PAGE_SIZE },
    );
    if (page.length === 0) return;
    yield page;
    const last = page[page.length - 1];
    if (last === undefined || page.length < READ_PAGE_SIZE) return;
    after = last.position;
  }
};
