import type { Alert, Severity } from "@bukubesar/alerts";
import { alertIdFor } from "@bukubesar/alerts";
import type { CooperativeFacts, FactsTotals } from "./cooperativeFacts.js";
import type { EntryAnalysis } from "./entryAnalysis.js";
import type { HolidayCalendar } from "./holidays.js";
import type { ParsedThresholds } from "./parsedThresholds.js";
import type { ClockTick, SupervisedEvent } from "./supervisedEvent.js";
import type { Thresholds } from "./thresholds.js";

export interface RuleContext {
  /** The cooperative's facts after the event (balances include the entry being judged); read only. */
  readonly facts: CooperativeFacts;
  /** The running totals before the event (a balance before it is `facts` minus `entry.deltas`). */
  readonly previous: FactsTotals;
  /** For a JournalEntryPosted: its amounts in sen and what it changes, computed once; otherwise null. */
  readonly entry: EntryAnalysis | null;
  readonly thresholds: Thresholds;
  readonly parsed: ParsedThresholds;
  readonly holidays: HolidayCalendar;
}

/**
 * A rule: (rule state, event, cooperative facts) → (rule state, alerts). Deterministic: no clock, no
 * randomness, no input other than its arguments. Its state is per cooperative and owned by the fold in
 * `runRules`, and the rule updates it in place (so a replay of millions of events copies no windows and
 * allocates no result per rule); `initialState` makes a fresh one for each cooperative. Alerts are pushed
 * onto `alerts`, which the fold shares between all rules of one event.
 */
export interface Rule<State = unknown> {
  readonly name: string;
  /**
   * The event types the rule judges. The fold dispatches by event type and never calls the rule for any
   * other type, so most rules skip member registrations, proposals and the like at no cost.
   */
  readonly eventTypes: readonly SupervisedEvent["type"][];
  initialState(): State;
  onEvent(state: State, event: SupervisedEvent, context: RuleContext, alerts: Alert[]): void;
  /** Time-driven rules also see clock ticks. */
  onTick?(state: State, tick: ClockTick, context: RuleContext, alerts: Alert[]): void;
  /**
   * The state as a rule-state snapshot keeps it, when a smaller equivalent exists (the rule judges the
   * restored copy exactly as it would the state); without it the state is written as it is. It must
   * not change what the state means.
   */
  snapshotState?(state: State): State;
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

export const makeAlert = (draft: AlertDraft): Alert => {
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
};
