/**
 * `bukubesar verify` checks every stored snapshot the service may serve from (docs/operations.md, Memory
 * budget and snapshots): each cooperative's must match the hash of its content and be built on the log's
 * chain head at its revision, and ALL of it must equal the snapshot the log gives up to that revision: its
 * balances (the read model's trial balance and the ledger state's account balances, checked first for
 * the plainest finding), then the rest of its ledger state and read model, its order of entries and its
 * packed per-entry collections (verifySnapshotContent.ts). So a snapshot edited with its hash recomputed
 * is found wherever it was edited. The directory of cooperatives must match its hash. Cooperatives are
 * checked one at a time, so memory holds one cooperative's events and snapshots at most.
 *
 * Each finding on a cooperative's snapshot has a code: `snapshot_differs` (it holds something the log
 * does not give) and `snapshot_damaged` (it fails its hash or chain head, or cannot be read) both fail
 * verification; the service refuses a damaged one and rebuilds the cooperative from the log.
 */
import { type EventStore, readModelSnapshotTableFor } from "@bukubesar/event-store";
import type { RecordedLedgerEvent } from "@bukubesar/ledger-core";
import { trialBalance } from "@bukubesar/projections";
import {
  advanceSnapshot,
  cooperativeSnapshotName,
  DIRECTORY_SNAPSHOT_NAME,
  decodeDirectory,
  emptySnapshot,
  type LedgerSnapshot,
  readStoredSnapshot,
} from "@bukubesar/snapshots";
import { END_OF_TIME_DATE, toRecordedLedgerEvent } from "./projectionComparison.js";
import { ledgerStreamOf, readStreamPages } from "./storeAccess.js";
import {
  SNAPSHOT_DAMAGED,
  SNAPSHOT_DIFFERS,
  type SnapshotFinding,
  snapshotContentDifference,
} from "./verifySnapshotContent.js";

/**
 * What the check of one stored snapshot found. `code` names a finding that has one (the rule-state
 * snapshot's, verifyRuleSnapshot.ts); `note` says more about a snapshot that checks or is only reported.
 */
export type SnapshotReport =
  | {
      readonly ok: true;
      readonly name: string;
      readonly revision: number | null;
      readonly code?: string;
      readonly note?: string;
    }
  | { readonly ok: false; readonly name: string; readonly reason: string; readonly code?: string };

/** The cooperative's events from revision 0 to `revision`. */
const eventsUpTo = async (store: EventStore, coopId: string, revision: number) => {
  const events: RecordedLedgerEvent[] = [];
  for await (const page of readStreamPages(store, ledgerStreamOf(coopId))) {
    for (const event of page) if (event.revision <= revision) events.push(toRecordedLedgerEvent(event));
    if ((page.at(-1)?.revision ?? revision) >= revision) break;
  }
  return events;
};

/** The snapshot the log gives at `revision`, folded the way the service folds one it loads. */
const foldedFromLog = async (
  store: EventStore,
  coopId: string,
  revision: number,
): Promise<LedgerSnapshot> => {
  const folded = emptySnapshot(coopId);
  advanceSnapshot(folded, await eventsUpTo(store, coopId, revision));
  return folded;
};

/** Where the snapshot's balances differ from the log's, or null when they agree. */
const balancesDifference = (snapshot: LedgerSnapshot, folded: LedgerSnapshot): string | null => {
  const served = JSON.stringify(trialBalance(snapshot.model, END_OF_TIME_DATE));
  const logs = JSON.stringify(trialBalance(folded.model, END_OF_TIME_DATE));
  if (served !== logs) return "its trial balance differs from the one the log gives at its revision";
  for (const [code, account] of folded.state.accounts) {
    const held = snapshot.state.accounts.get(code)?.balance;
    if (held !== account.balance)
      return `account ${code}: its ledger state holds ${String(held)} sen, the log gives ${account.balance}`;
  }
  if (snapshot.state.accounts.size !== folded.state.accounts.size)
    return "its ledger state holds accounts the log does not open";
  return null;
};

/** Where the snapshot differs from the log's fold up to its revision, or null when it holds the same. */
const disagreementWithLog = async (
  store: EventStore,
  snapshot: LedgerSnapshot,
): Promise<SnapshotFinding | null> => {
  let folded: LedgerSnapshot;
  try {
    folded = await foldedFromLog(store, snapshot.coopId, snapshot.revision);
  } catch (error) {
    // The ledger's own check names the event; the snapshot cannot be compared with a log that does not fold.
    const why = error instanceof Error ? error.message : String(error);
    return { code: SNAPSHOT_DIFFERS, reason: `the log does not fold up to its revision (${why})` };
  }
  const balances = balancesDifference(snapshot, folded);
  if (balances !== null) return { code: SNAPSHOT_DIFFERS, reason: balances };
  return snapshotContentDifference(snapshot, folded);
};

const checkCooperative = async (
  store: EventStore,
  table: NonNullable<ReturnType<typeof readModelSnapshotTableFor>>,
  coopId: string,
): Promise<SnapshotReport | null> => {
  const name = cooperativeSnapshotName(coopId);
  const stored = await readStoredSnapshot(store, table, coopId);
  if (stored.kind === "none" || stored.kind === "other_format") return null;
  if (stored.kind === "damaged")
    return { ok: false, name, code: SNAPSHOT_DAMAGED, reason: `the snapshot ${stored.reason}` };
  const finding = await disagreementWithLog(store, stored.snapshot);
  return finding === null
    ? { ok: true, name, revision: stored.snapshot.revision }
    : {
        ok: false,
        name,
        code: finding.code,
        reason: `the snapshot at revision ${stored.snapshot.revision}: ${finding.reason}`,
      };
};

/** Checks the stored snapshots of `coopIds` and the directory's; a store without a snapshot table has none. */
export const verifyStoredSnapshots = async (
  store: EventStore,
  coopIds: readonly string[],
): Promise<SnapshotReport[]> => {
  const table = readModelSnapshotTableFor(store);
  if (table === null) return [];
  const reports: SnapshotReport[] = [];
  for (const coopId of coopIds) {
    const report = await checkCooperative(store, table, coopId);
    if (report !== null) reports.push(report);
  }
  const directory = await table.load(DIRECTORY_SNAPSHOT_NAME);
  if (directory !== null) {
    const decoded = decodeDirectory(directory.parts[0] ?? "");
    if (decoded === null || (decoded !== "other_format" && decoded.position !== directory.position))
      reports.push({
        ok: false,
        name: DIRECTORY_SNAPSHOT_NAME,
        code: SNAPSHOT_DAMAGED,
        reason: "its content does not match its hash",
      });
    else if (decoded !== "other_format")
      reports.push({ ok: true, name: DIRECTORY_SNAPSHOT_NAME, revision: null });
  }
  return reports;
};
