/**
 * The service's per-cooperative state (docs/operations.md, Memory budget): the cooperatives held in memory
 * within the budget, the background writer of their snapshots, and the directory of cooperatives. Nothing
 * here reads the history at start: a cooperative is loaded when a request first needs it.
 */
import { type EventStore, openForeignCommitWatch, readModelSnapshotTableFor } from "@bukubesar/event-store";
import { type CooperativeDirectory, openCooperativeDirectory } from "@bukubesar/snapshots";
import { type DivergenceListener, LedgerCache, type SnapshotAdvance } from "./ledgerCache.js";
import { MEMORY_BUDGET_MB_DEFAULT, SNAPSHOT_TAIL_EVENTS, SNAPSHOT_WRITE_INTERVAL_MS } from "./limits.js";
import { recordServiceAlert } from "./serviceAlert.js";
import { type SnapshotWriter, startSnapshotWriter } from "./snapshotWriter.js";

export interface CooperativeStateConfig {
  /** MEMORY_BUDGET_MB in bytes: what the held cooperatives may take together (estimated). */
  readonly memoryBudgetBytes?: number;
  /** Keep per-cooperative snapshots and the directory's in the store (default true). */
  readonly snapshots?: boolean;
  /** A held cooperative's snapshot is rewritten once its log is this many events past it. */
  readonly snapshotTailEvents?: number;
  readonly snapshotIntervalMs?: number;
}

export interface CooperativeState {
  readonly cache: LedgerCache;
  readonly directory: CooperativeDirectory;
  /** Null when snapshots are off or the store keeps none. */
  readonly writer: SnapshotWriter | null;
  close(): Promise<void>;
}

/** The rule of the critical alert raised when a stored snapshot fails its integrity check. */
export const SNAPSHOT_INTEGRITY_RULE = "snapshot_integrity";

export interface StateServices {
  readonly now: () => string;
  readonly log: (level: "warn" | "error", message: string, error?: unknown) => void;
  /** How events read from the store are folded in: through the chain check (ledgerIntegrity.ts). */
  readonly advance?: SnapshotAdvance;
  readonly onDiverged?: DivergenceListener;
}

export const openCooperativeState = async (
  store: EventStore,
  config: CooperativeStateConfig,
  services: StateServices,
): Promise<CooperativeState> => {
  const table = config.snapshots === false ? null : readModelSnapshotTableFor(store);
  // A SQLite store's file is watched for other connections' commits, so a held cooperative is not asked
  // about while nobody wrote to it (ledgerCache.ts); other stores are asked every time.
  const foreignCommits = openForeignCommitWatch(store);
  const cache: LedgerCache = new LedgerCache(store, {
    budgetBytes: config.memoryBudgetBytes ?? MEMORY_BUDGET_MB_DEFAULT * 1024 * 1024,
    snapshots: table,
    foreignCommits,
    ...(services.advance === undefined ? {} : { advance: services.advance }),
    ...(services.onDiverged === undefined ? {} : { onDiverged: services.onDiverged }),
    onIntegrityFailure: (coopId, reason) => {
      services.log("error", `cooperative ${coopId}: ${reason}; rebuilt from the log`);
      // The rebuild in progress gives the region; the alert follows it.
      void cache
        .load(coopId)
        .then((snapshot) =>
          recordServiceAlert(
            store,
            {
              coopId,
              regionCode: snapshot.state.regionCode ?? "",
              rule: SNAPSHOT_INTEGRITY_RULE,
              severity: "high",
              summary: "Snapshot koperasi tidak utuh: laporan dibangun ulang dari jurnal",
              details: { reason },
              triggerIds: [reason],
            },
            services.now(),
          ),
        )
        .catch((error: unknown) => services.log("error", "could not record the integrity alert", error));
    },
  });
  const writer =
    table === null
      ? null
      : startSnapshotWriter({
          cache,
          table,
          intervalMs: config.snapshotIntervalMs ?? SNAPSHOT_WRITE_INTERVAL_MS,
          tailEvents: config.snapshotTailEvents ?? SNAPSHOT_TAIL_EVENTS,
          onError: (error, coopId) =>
            services.log("warn", `could not save the snapshot of cooperative ${coopId}`, error),
        });
  const directory = await openCooperativeDirectory(store, {
    table,
    saveIntervalMs: config.snapshotIntervalMs ?? SNAPSHOT_WRITE_INTERVAL_MS,
    onIntegrityFailure: (reason) => services.log("error", `${reason}; rebuilt from the log`),
    onError: (error) => services.log("warn", "could not save the directory of cooperatives", error),
  });
  return {
    cache,
    directory,
    writer,
    async close() {
      await writer?.stop();
      await directory.close();
    },
  };
};
