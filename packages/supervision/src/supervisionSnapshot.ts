import { createHash } from "node:crypto";
import { deserialize, serialize } from "node:v8";
import type { CooperativeFacts } from "./cooperativeFacts.js";
import type { CooperativeSupervision, SupervisionState } from "./runRules.js";

/**
 * The encoding of one cooperative's supervision state (its facts and every rule's state) for a snapshot
 * of the rule state. The body is the structured clone of the held objects (node:v8: Maps, Sets, bigints,
 * typed arrays and NaN survive, and reading it is native code), so a rule's state needs no codec of its
 * own as long as it is plain data, which the Rule contract asks for.
 *
 * Format 1: `{ coopId, facts, ruleStates }`, rule states in the order of the state's `rules`. Format 2:
 * each rule state as its `snapshotState` gives it (the duplicate-entry ring with signatures, no lines).
 * Format 3: the rule states' instants and windows named in `Ms` (`recordedAtMs`, was
 * `recordedAtMilliseconds`), so a format 2 state would restore rings and windows without their times.
 * A change to any rule's state shape or to the facts must raise the format, so an older snapshot is
 * ignored and the state is rebuilt from the log.
 */
export const SUPERVISION_SNAPSHOT_FORMAT = 3;

interface EncodedCooperative {
  readonly coopId: string;
  readonly facts: CooperativeFacts;
  readonly ruleStates: unknown[];
}

/**
 * What the rule state depends on besides the log: the thresholds, the holiday calendar and which rules
 * run in which order. A snapshot taken under another configuration would judge the tail with state the
 * log and this configuration would not have produced, so it is refused (SHA-256, hex).
 */
export const supervisionConfigurationOf = (state: SupervisionState): string => {
  const configuration = JSON.stringify({
    format: SUPERVISION_SNAPSHOT_FORMAT,
    thresholds: Object.entries(state.thresholds).sort(([left], [right]) => (left < right ? -1 : 1)),
    holidays: [...state.holidays].sort(([left], [right]) => (left < right ? -1 : 1)),
    rules: state.rules.map((rule) => rule.name),
  });
  return createHash("sha256").update(configuration, "utf8").digest("hex");
};

/** One cooperative's state as bytes, or null when the state holds no such cooperative. */
export const encodeCooperativeSupervision = (state: SupervisionState, coopId: string): Buffer | null => {
  const cooperative = state.cooperatives.get(coopId);
  if (cooperative === undefined) return null;
  const rules = state.rules;
  return serialize({
    coopId,
    facts: cooperative.facts,
    ruleStates: cooperative.ruleStates.map(
      (ruleState, index) => rules[index]?.snapshotState?.(ruleState) ?? ruleState,
    ),
  } satisfies EncodedCooperative);
};

/**
 * Puts a cooperative decoded from `encodeCooperativeSupervision` bytes into `state` (fresh objects, owned
 * by the state from now on) and returns its id. Throws when the bytes are not such a cooperative or hold
 * another number of rule states than the state has rules.
 */
export const restoreCooperativeSupervision = (state: SupervisionState, bytes: Uint8Array): string => {
  const decoded = deserialize(bytes) as Partial<EncodedCooperative> | null;
  if (
    decoded === null ||
    typeof decoded !== "object" ||
    typeof decoded.coopId !== "string" ||
    typeof decoded.facts !== "object" ||
    decoded.facts === null ||
    !Array.isArray(decoded.ruleStates) ||
    decoded.ruleStates.length !== state.rules.length
  ) {
    throw new Error("not the supervision state of a cooperative for these rules");
  }
  const cooperative: CooperativeSupervision = { facts: decoded.facts, ruleStates: decoded.ruleStates };
  state.cooperatives.set(decoded.coopId, cooperative);
  return decoded.coopId;
};
