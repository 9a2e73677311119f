/**
 * Checks the stored rule-state snapshot against the log, for `bukubesar verify`. Its hashes catch damage,
 * not someone who can write the database and recompute them: such an edit (a cooperative's near misses
 * cleared, say) would silence the alerts that depended on that state. So each cooperative's state is
 * rebuilt from the log up to the snapshot's position with the supervisor's own fold
 * (rebuildCooperativeRuleState) and compared with the stored one, value by value.
 *
 * The state of a rule judged on clock ticks (dormant cooperative) also depends on when the clock ticked,
 * which the log does not record, so it is not compared value by value: instead a clock tick run on both
 * states must raise, from the stored one, every alert it raises from the log's that was never recorded.
 */
import { deserialize } from "node:v8";
import type { EventStore, ReadModelSnapshotTable } from "@bukubesar/event-store";
import type { Rule, SupervisionOptions, SupervisionState } from "@bukubesar/supervision";
import { createSupervisionState, encodeCooperativeSupervision, runClockTick } from "@bukubesar/supervision";
import { rebuildCooperativeRuleState } from "./rebuildRuleState.js";
import {
  type EncodedPart,
  openRuleSnapshot,
  type RuleSnapshotPosition,
  restorePart,
} from "./ruleSnapshot.js";

/** What checking the stored rule-state snapshot found. */
export type RuleSnapshotCheck =
  | { readonly kind: "none" }
  /** Of another format, thresholds, holidays or rules: the supervisor refuses it and judges the whole log. */
  | { readonly kind: "other_version"; readonly reason: string }
  /** Does not match its hashes, cannot be read, or is not of this log: the supervisor refuses it too. */
  | { readonly kind: "damaged"; readonly reason: string }
  /** Matches its hashes but a cooperative's state differs from the log's: the supervisor would use it. */
  | { readonly kind: "differs"; readonly at: RuleSnapshotPosition; readonly reason: string }
  | {
      readonly kind: "sound";
      readonly at: RuleSnapshotPosition;
      /** How many cooperatives' states were compared. */
      readonly cooperatives: number;
      /** The rules whose state depends on the clock: checked for the alerts it would silence only. */
      readonly clockDrivenRules: readonly string[];
    };

/** Which cooperatives to check. */
export interface RuleSnapshotScope {
  /** Cooperatives the log holds (a ledger each): each must have the state the log gives it, or none. */
  readonly cooperatives: readonly string[];
  /** Also every cooperative the snapshot lists (when the whole store is checked, not one cooperative). */
  readonly everyListed: boolean;
}

const isClockDriven = (rule: Rule<unknown>): boolean => rule.onTick !== undefined;

/**
 * A text that two values share exactly when they hold the same data: numbers, bigints, strings, arrays,
 * typed arrays, Maps and Sets (in their order, which the rules' windows rely on) and plain objects (keys
 * sorted, since the order properties were added in does not change what a state means). So a state
 * restored from a snapshot and the same state folded from the log compare equal however v8 encoded them.
 */
const comparableText = (value: unknown): string => {
  if (value === null) return "null";
  if (typeof value === "number") return Object.is(value, -0) ? "-0" : String(value);
  if (typeof value === "bigint") return `${value}n`;
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "object") return comparableObjectText(value);
  return String(value);
};

const comparableObjectText = (value: object): string => {
  if (Array.isArray(value)) return `[${value.map(comparableText).join(",")}]`;
  if (value instanceof Map)
    return `Map{${[...value].map(([key, item]) => `${comparableText(key)}=>${comparableText(item)}`).join(",")}}`;
  if (value instanceof Set) return `Set{${[...value].map(comparableText).join(",")}}`;
  if (value instanceof Date) return `Date(${value.getTime()})`;
  if (ArrayBuffer.isView(value))
    return `${value.constructor.name}[${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString("hex")}]`;
  const record = value as Record<string, unknown>;
  const fields = Object.keys(record)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${comparableText(record[key])}`);
  return `{${fields.join(",")}}`;
};

interface CooperativeState {
  readonly facts: unknown;
  readonly ruleStates: readonly unknown[];
}

/** Where the stored state differs from the one the log gives, or null when they hold the same data. */
const differenceOf = (
  rules: readonly Rule<unknown>[],
  stored: CooperativeState,
  rebuilt: CooperativeState,
): string | null => {
  if (comparableText(stored.facts) !== comparableText(rebuilt.facts)) return "its facts differ";
  for (const [index, rule] of rules.entries()) {
    if (isClockDriven(rule)) continue;
    if (comparableText(stored.ruleStates[index]) !== comparableText(rebuilt.ruleStates[index]))
      return `its state of rule ${rule.name} differs`;
  }
  return null;
};

/**
 * A clock tick at an instant after any quiet spell could end: it raises every alert the clock-driven
 * rules still have to raise for the state it is given.
 */
const PROBE_TICK = { now: "9999-12-31T23:59:59.999Z" } as const;

/**
 * Where the stored state of the clock-driven rules would silence an alert: one a clock tick raises from
 * the log's state but not from the stored one, and which was never recorded. A tick that ran before the
 * snapshot left the state of a rule that raised its alert, and that alert is in the log; an edit that
 * silences a dormant cooperative's coming alert leaves no such record. Runs the tick on both scratch
 * states, which hold the one cooperative being checked.
 */
const silencedAlert = async (store: EventStore, scratch: Scratch): Promise<string | null> => {
  const kept = new Set(runClockTick(scratch.stored, PROBE_TICK).alerts.map((alert) => alert.alertId));
  for (const alert of runClockTick(scratch.rebuilt, PROBE_TICK).alerts) {
    if (kept.has(alert.alertId) || (await store.readEventById(alert.alertId)) !== null) continue;
    return `its state of rule ${alert.rule} keeps a clock tick from raising an alert never recorded (${alert.alertId})`;
  }
  return null;
};

/** The two states of one cooperative the check works in: the log's and the snapshot's. */
interface Scratch {
  readonly rebuilt: SupervisionState;
  readonly stored: SupervisionState;
}

type CooperativeOutcome = { readonly damaged: string } | { readonly differs: string } | null;

/** Compares one cooperative's stored part (undefined: not in the snapshot) with the log's state. */
const checkCooperative = async (
  store: EventStore,
  scratch: Scratch,
  at: RuleSnapshotPosition,
  coopId: string,
  part: EncodedPart | undefined,
): Promise<CooperativeOutcome> => {
  try {
    await rebuildCooperativeRuleState(store, scratch.rebuilt, coopId, at.position);
    const rebuilt = encodeCooperativeSupervision(scratch.rebuilt, coopId);
    if (part === undefined)
      return rebuilt === null ? null : { differs: "the snapshot has no state of it, the log gives it one" };
    // The same bytes hold the same values; other bytes may still (a state restored from an earlier
    // snapshot encodes its arrays as sparse ones), so only then are the values compared one by one.
    if (rebuilt !== null && Buffer.from(part.text, "base64").equals(rebuilt)) return null;
    const unreadable = restorePart(scratch.stored, coopId, part);
    if (unreadable !== null) return { damaged: unreadable };
    if (rebuilt === null) return { differs: "the snapshot has a state of it, the log has no event of it" };
    const difference = differenceOf(
      scratch.rebuilt.rules,
      scratch.stored.cooperatives.get(coopId) as CooperativeState,
      deserialize(rebuilt) as CooperativeState,
    );
    if (difference !== null) return { differs: `${difference} from the one the log gives` };
    const silenced = await silencedAlert(store, scratch);
    return silenced === null ? null : { differs: silenced };
  } finally {
    scratch.rebuilt.cooperatives.delete(coopId);
    scratch.stored.cooperatives.delete(coopId);
  }
};

/**
 * Checks the stored rule-state snapshot against the log for the cooperatives of `scope`, one cooperative
 * at a time (so the check holds one cooperative's state at a time), under the configuration the
 * supervisor runs with (`supervision`, the defaults when undefined).
 */
export const checkRuleSnapshot = async (
  store: EventStore,
  table: ReadModelSnapshotTable,
  scope: RuleSnapshotScope,
  supervision?: SupervisionOptions,
): Promise<RuleSnapshotCheck> => {
  const scratch: Scratch = {
    rebuilt: createSupervisionState(supervision),
    stored: createSupervisionState(supervision),
  };
  const opened = await openRuleSnapshot(table, store, scratch.stored);
  if (opened.kind === "none") return opened;
  if (opened.kind === "refused") return { kind: opened.refusal, reason: opened.reason };
  const coopIds = new Set(scope.cooperatives);
  if (scope.everyListed) for (const coopId of opened.parts.keys()) coopIds.add(coopId);
  for (const coopId of [...coopIds].sort()) {
    const outcome = await checkCooperative(store, scratch, opened.at, coopId, opened.parts.get(coopId));
    if (outcome === null) continue;
    if ("damaged" in outcome) return { kind: "damaged", reason: outcome.damaged };
    return { kind: "differs", at: opened.at, reason: `cooperative ${coopId}: ${outcome.differs}` };
  }
  return {
    kind: "sound",
    at: opened.at,
    cooperatives: coopIds.size,
    clockDrivenRules: scratch.rebuilt.rules.filter(isClockDriven).map((rule) => rule.name),
  };
};
