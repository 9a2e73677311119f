/**
 * The directory of cooperatives (id, name, region) for the list of cooperatives and the region summaries,
 * without holding any cooperative's ledger: it follows the log's ledger streams for `LedgerOpened` only.
 *
 * It starts from its stored snapshot (the directory and the position of the last event it saw, with a
 * hash of both) and follows the log from there in the background, so the service's start does not read
 * the history; the snapshot is rewritten in the background when the directory has moved on.
 */
import { createHash } from "node:crypto";
import type { EventStore, ReadModelSnapshotTable, Subscription } from "@bukubesar/event-store";
import { LEDGER_STREAM_PREFIX } from "@bukubesar/projections";

/** The snapshot table name of the directory. */
export const DIRECTORY_SNAPSHOT_NAME = "cooperative-directory";

const DIRECTORY_FORMAT = 1;

export interface DirectoryEntry {
  readonly coopId: string;
  readonly name: string;
  readonly regionCode: string;
}

export interface CooperativeDirectory {
  /** Every cooperative opened in the log up to `position()`. */
  entries(): readonly DirectoryEntry[];
  /** The global position of the last ledger event seen, -1n before any. */
  position(): bigint;
  /** Resolves once the directory has seen the event at `position`; rejects after `timeoutMs`. */
  waitForPosition(position: bigint, timeoutMs: number): Promise<void>;
  close(): Promise<void>;
}

interface StoredDirectory {
  readonly format: number;
  readonly position: string;
  readonly entries: ReadonlyArray<readonly [string, string, string]>;
  readonly contentSha256: string;
}

const contentHashOf = (position: string, entries: StoredDirectory["entries"]): string =>
  createHash("sha256")
    .update(`${DIRECTORY_FORMAT}\n${position}\n${JSON.stringify(entries)}`, "utf8")
    .digest("hex");

/** The stored directory's text, with the hash of its content. */
export const encodeDirectory = (position: bigint, entries: readonly DirectoryEntry[]): string => {
  const rows = entries.map((entry) => [entry.coopId, entry.name, entry.regionCode] as const);
  const stored: StoredDirectory = {
    format: DIRECTORY_FORMAT,
    position: String(position),
    entries: rows,
    contentSha256: contentHashOf(String(position), rows),
  };
  return JSON.stringify(stored);
};

/** The stored directory, "other_format", or null when its content does not match its hash (damaged). */
export const decodeDirectory = (
  text: string,
): { position: bigint; entries: DirectoryEntry[] } | "other_format" | null => {
  let stored: StoredDirectory;
  try {
    stored = JSON.parse(text) as StoredDirectory;
  } catch {
    return null;
  }
  if (stored.format !== DIRECTORY_FORMAT) return "other_format";
  if (contentHashOf(stored.position, stored.entries) !== stored.contentSha256) return null;
  return {
    position: BigInt(stored.position),
    entries: stored.entries.map(([coopId, name, regionCode]) => ({ coopId, name, regionCode })),
  };
};

export interface DirectoryOptions {
  readonly table: ReadModelSnapshotTable | null;
  readonly saveIntervalMs: number;
  readonly onIntegrityFailure: (reason: string) => void;
  readonly onError: (error: unknown) => void;
}

/** Opens the directory from its snapshot (checked) and follows the log from there in the background. */
export const openCooperativeDirectory = async (
  store: EventStore,
  options: DirectoryOptions,
): Promise<CooperativeDirectory> => {
  const entries = new Map<string, DirectoryEntry>();
  let position = -1n;
  let savedPosition = -1n;
  const restored = await loadDirectory(options);
  if (restored !== null) {
    for (const entry of restored.entries) entries.set(entry.coopId, entry);
    position = restored.position;
    savedPosition = position;
  }
  const waiters = new Set<{ position: bigint; resolve: () => void }>();
  const subscription: Subscription = store.subscribeToAll(
    position < 0n
      ? { streamPrefix: LEDGER_STREAM_PREFIX }
      : { after: position, streamPrefix: LEDGER_STREAM_PREFIX },
    async (event) => {
      if (event.type === "LedgerOpened") {
        const data = event.data as { coopId: string; name: string; regionCode: string };
        entries.set(data.coopId, { coopId: data.coopId, name: data.name, regionCode: data.regionCode });
      }
      position = event.position;
      for (const waiter of waiters) if (waiter.position <= position) waiter.resolve();
    },
  );
  const save = async (): Promise<void> => {
    if (options.table === null || position === savedPosition) return;
    const at = position;
    await options.table.save(DIRECTORY_SNAPSHOT_NAME, at, [encodeDirectory(at, [...entries.values()])]);
    savedPosition = at;
  };
  // The save in progress, which a close waits for (the store closes right after).
  let saving: Promise<void> = Promise.resolve();
  const timer = setInterval(() => {
    saving = saving.then(save).catch(options.onError);
  }, options.saveIntervalMs);
  timer.unref();
  return {
    entries: () => [...entries.values()],
    position: () => position,
    waitForPosition(target, timeoutMs) {
      if (position >= target) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const waiter = {
          position: target,
          resolve: () => {
            clearTimeout(timeout);
            waiters.delete(waiter);
            resolve();
          },
        };
        const timeout = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`the directory did not reach position ${target} within ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.add(waiter);
      });
    },
    async close() {
      clearInterval(timer);
      await saving;
      await subscription.close();
    },
  };
};

/** The stored directory when it passes its check; a damaged one is reported and the log read instead. */
const loadDirectory = async (
  options: DirectoryOptions,
): Promise<{ position: bigint; entries: DirectoryEntry[] } | null> => {
  const record = await options.table?.load(DIRECTORY_SNAPSHOT_NAME);
  if (record === undefined || record === null) return null;
  const decoded = decodeDirectory(record.parts[0] ?? "");
  if (decoded === "other_format") return null;
  if (decoded === null || decoded.position !== record.position) {
    options.onIntegrityFailure("the stored directory of cooperatives does not match the hash it records");
    return null;
  }
  return decoded;
};
