/**
 * `bukubesar verify` checks every stored snapshot the service may serve from (docs/operations.md, Memory
 * budget and snapshots): each cooperative's must match the hash of its content and be built on the log's
 * chain head at its revision, and its balances (the read model's trial balance and the ledger state's
 * account balances) must equal those folded from the log up to that revision, so a snapshot edited with
 * its hash recomputed is found too. The directory of cooperatives must match its hash.
 */
import { type EventStore, readModelSnapshotTableFor } from "@bukubesar/event-store";
import { foldLedger, type RecordedLedgerEvent } from "@bukubesar/ledger-core";
import { buildReadModel, trialBalance } from "@bukubesar/projections";
import {
  cooperativeSnapshotName,
  DIRECTORY_SNAPSHOT_NAME,
  decodeDirectory,
  type LedgerSnapshot,
  readStoredSnapshot,
} from "@bukubesar/snapshots";
import { END_OF_TIME_DATE, toRecordedLedgerEvent } from "./projectionComparison.js";
import { ledgerStreamOf, readStreamPages } from "./storeAccess.js";

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

/** Where the snapshot's balances differ from the log's up to its revision, or null when they agree. */
const disagreementWithLog = async (store: EventStore, snapshot: LedgerSnapshot): Promise<string | null> => {
  const events = await eventsUpTo(store, snapshot.coopId, snapshot.revision);
  const served = JSON.stringify(trialBalance(snapshot.model, END_OF_TIME_DATE));
  const folded = JSON.stringify(trialBalance(buildReadModel(snapshot.coopId, events), END_OF_TIME_DATE));
  if (served !== folded) return "its trial balance differs from the one the log gives at its revision";
  const state = foldLedger(events);
  for (const [code, account] of state.accounts) {
    const held = snapshot.state.accounts.get(code)?.balance;
    if (held !== account.balance)
      return `account ${code}: its ledger state holds ${String(held)} sen, the log gives ${account.balance}`;
  }
  if (snapshot.state.accounts.size !== state.accounts.size)
    return "its ledger state holds accounts the log does not open";
  return null;
};

const checkCooperative = async (
  store: EventStore,
  table: NonNullable<ReturnType<typeof readModelSnapshotTableFor>>,
  coopId: string,
): Promise<SnapshotReport | null> => {
  const name = cooperativeSnapshotName(coopId);
  const stored = await readStoredSnapshot(store, table, coopId);
  if (stored.kind === "none" || stored.kind === "other_format") return null;
  if (stored.kind === "damaged") return { ok: false, name, reason: `the snapshot ${stored.reason}` };
  const reason = await disagreementWithLog(store, stored.snapshot);
  return reason === null
    ? { ok: true, name, revision: stored.snapshot.revision }
    : { ok: false, name, reason: `the snapshot at revision ${stored.snapshot.revision}: ${reason}` };
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
        reason: "its content does not match its hash",
      });
    else if (decoded !== "other_format")
      reports.push({ ok: true, name: DIRECTORY_SNAPSHOT_NAME, revision: null });
  }
  return reports;
};
