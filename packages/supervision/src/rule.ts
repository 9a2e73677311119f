import type { Alert, Severity } from "./alert.js";
import { alertIdFor } from "./alert.js";
import type { CooperativeFacts } from "./cooperativeFacts.js";
import type { HolidayCalendar } from "./holidays.js";
import type { ClockTick, SupervisedEvent } from "./supervisedEvent.js";
import type { Thresholds } from "./thresholds.js";

export interface RuleContext {
  /** The cooperative's facts before the event... */
  readonly before: CooperativeFacts;
  /** ...and after it (balances include the entry being judged). */
  readonly after: CooperativeFacts;
  readonly thresholds: Thresholds;
  readonly holidays: HolidayCalendar;
}

export interface RuleResult<State> {
  readonly state: State;
  readonly alerts: readonly Alert[];
}

/**
 * A rule: (rule state, event, cooperative facts) → (rule state, alerts). Deterministic: no clock, no
 * randomness, no input other than its arguments. Its state is per cooperative and treated as immutable.
 */
export interface Rule<State = unknown> {
  readonly name: string;
  readonly initialState: State;
  onEvent(state: State, event: SupervisedEvent, context: RuleContext): RuleResult<State>;
  /** Time-driven rules also see clock ticks (context.before === context.after). */
  onTick?(state: State, tick: ClockTick, context: RuleContext): RuleResult<State>;
}

export function unchanged<State>(state: State): RuleResult<State> {
  return { state, alerts: [] };
}

export interface AlertDraft {
  readonly rule: string;
  readonly severity: Severity;
  readonly facts: CooperativeFacts;
  /** Event ids (or other stable ids) that make this alert unique within its cooperative; with the rule and the
   * cooperative id they determine the alert id. */
  readonly triggerIds: readonly string[];
  readonly entryIds: readonly string[];
  readonly summary: string;
  readonly raisedAt: string;
  readonly details: Readonly<Record<string, unknown>>;
}

export function makeAlert(draft: AlertDraft): Alert {
  return {
    alertId: alertIdFor(draft.rule, [draft.facts.coopId, ...draft.triggerIds]),
    rule: draft.rule,
    severity: draft.severity,
    coopId: draft.facts.coopId,
    regionCode: draft.facts.regionCode,
    entryIds: [...draft.entryIds],
    summary: draft.summary,
    raisedAt: draft.raisedAt,
    details: draft.details,
  };
}
