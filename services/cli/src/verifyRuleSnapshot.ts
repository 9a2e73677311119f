/**
 * `bukubesar verify` checks the supervisor's rule-state snapshot against the log (docs/design.md,
 * Supervision): each cooperative's stored state must equal the one the log gives up to the snapshot's
 * position, so a state edited with the snapshot's hashes recomputed is found. Each finding has a code:
 * `rule_state_differs` and `rule_snapshot_damaged` fail verification; `rule_snapshot_other_version` (a
 * snapshot of another format, thresholds or rules, which the supervisor refuses and so never uses) is
 * reported and fails nothing.
 */
import { type EventStore, readModelSnapshotTableFor } from "@bukubesar/event-store";
import { checkRuleSnapshot, RULE_SNAPSHOT_NAME } from "@bukubesar/supervisor";
import type { SnapshotReport } from "./verifySnapshots.js";

/** The codes of what the check of the rule-state snapshot finds. */
export const RULE_STATE_DIFFERS = "rule_state_differs";
export const RULE_SNAPSHOT_DAMAGED = "rule_snapshot_damaged";
export const RULE_SNAPSHOT_OTHER_VERSION = "rule_snapshot_other_version";

/**
 * The report on the stored rule-state snapshot for the cooperatives `coopIds` (every ledger verified),
 * and every cooperative the snapshot lists unless one cooperative was asked for; null when there is none.
 */
export const verifyRuleSnapshot = async (
  store: EventStore,
  coopIds: readonly string[],
  oneCooperative: boolean,
): Promise<SnapshotReport | null> => {
  const table = readModelSnapshotTableFor(store);
  if (table === null) return null;
  const name = RULE_SNAPSHOT_NAME;
  const check = await checkRuleSnapshot(store, table, {
    cooperatives: coopIds,
    everyListed: !oneCooperative,
  });
  switch (check.kind) {
    case "none":
      return null;
    case "other_version":
      return {
        ok: true,
        name,
        revision: null,
        code: RULE_SNAPSHOT_OTHER_VERSION,
        note: `${check.reason}; the supervisor does not use it and judges the whole log again`,
      };
    case "damaged":
      return { ok: false, name, code: RULE_SNAPSHOT_DAMAGED, reason: `the snapshot ${check.reason}` };
    case "differs":
      return {
        ok: false,
        name,
        code: RULE_STATE_DIFFERS,
        reason: `the snapshot at position ${check.at.position}, ${check.reason}`,
      };
    case "sound":
      return {
        ok: true,
        name,
        revision: null,
        note:
          `position ${check.at.position}, the rule state of ${check.cooperatives} cooperative${check.cooperatives === 1 ? "" : "s"} equals the log's` +
          (check.clockDrivenRules.length === 0
            ? ""
            : ` (the clock-driven ${check.clockDrivenRules.join(", ")} checked for alerts it would silence)`),
      };
  }
};
