import type { Alert } from "./alert.js";
import type { CooperativeFacts } from "./cooperativeFacts.js";
import { applyToFacts, emptyFacts } from "./cooperativeFacts.js";
import type { HolidayCalendar } from "./holidays.js";
import { indonesianHolidayCalendar } from "./holidays.js";
import type { Rule } from "./rule.js";
import { approvalThresholdAvoidanceRule } from "./rules/approvalThresholdAvoidance.js";
import { backdatedEntryRule } from "./rules/backdatedEntry.js";
import { benfordDeviationRule } from "./rules/benfordDeviation.js";
import { cashBelowFloorRule } from "./rules/cashBelowFloor.js";
import { dormantCooperativeRule } from "./rules/dormantCooperative.js";
import { duplicateEntryRule } from "./rules/duplicateEntry.js";
import { largeCashRule } from "./rules/largeCash.js";
import { liquidityLowRule } from "./rules/liquidityLow.js";
import { loanConcentrationRule } from "./rules/loanConcentration.js";
import { outOfHoursRule } from "./rules/outOfHours.js";
import { ppatkCashDailyRule } from "./rules/ppatkCashDaily.js";
import { relatedPartyLoanRule } from "./rules/relatedPartyLoan.js";
import { reopenedPeriodPostingRule } from "./rules/reopenedPeriodPosting.js";
import { reversalSpikeRule } from "./rules/reversalSpike.js";
import { roundNumbersRule } from "./rules/roundNumbers.js";
import { selfApprovalRule } from "./rules/selfApproval.js";
import { structuringRule } from "./rules/structuring.js";
import type { ClockTick, SupervisedEvent } from "./supervisedEvent.js";
import type { Thresholds } from "./thresholds.js";
import { DEFAULT_THRESHOLDS } from "./thresholds.js";

/** Forgets a rule's state type, so rules with different states fit in one list (each only sees its own state). */
export function anyRule<State>(rule: Rule<State>): Rule<unknown> {
  return rule as unknown as Rule<unknown>;
}

/** Every rule, in the order their alerts are raised for one event. */
export const ALL_RULES: readonly Rule<unknown>[] = [
  anyRule(largeCashRule),
  anyRule(ppatkCashDailyRule),
  anyRule(structuringRule),
  anyRule(outOfHoursRule),
  anyRule(backdatedEntryRule),
  anyRule(reopenedPeriodPostingRule),
  anyRule(duplicateEntryRule),
  anyRule(reversalSpikeRule),
  anyRule(selfApprovalRule),
  anyRule(approvalThresholdAvoidanceRule),
  anyRule(cashBelowFloorRule),
  anyRule(liquidityLowRule),
  anyRule(relatedPartyLoanRule),
  anyRule(loanConcentrationRule),
  anyRule(roundNumbersRule),
  anyRule(benfordDeviationRule),
  anyRule(dormantCooperativeRule),
];

export interface CooperativeSupervision {
  readonly facts: CooperativeFacts;
  readonly ruleStates: readonly unknown[];
}

export interface SupervisionOptions {
  readonly thresholds?: Partial<Thresholds>;
  readonly holidays?: HolidayCalendar;
  readonly rules?: readonly Rule<unknown>[];
}

/**
 * All supervision state: the configuration and, per cooperative, its facts and each rule's state.
 * `runRules` returns the next state; the state passed in must not be used again afterwards (the map of
 * cooperatives is carried over, not copied, so a replay of millions of events stays fast).
 */
export interface SupervisionState {
  readonly thresholds: Thresholds;
  readonly holidays: HolidayCalendar;
  readonly rules: readonly Rule<unknown>[];
  readonly cooperatives: Map<string, CooperativeSupervision>;
}

export interface SupervisionResult {
  readonly state: SupervisionState;
  readonly alerts: readonly Alert[];
}

export function createSupervisionState(options: SupervisionOptions = {}): SupervisionState {
  return {
    thresholds: { ...DEFAULT_THRESHOLDS, ...options.thresholds },
    holidays: options.holidays ?? indonesianHolidayCalendar(),
    rules: options.rules ?? ALL_RULES,
    cooperatives: new Map(),
  };
}

function cooperativeOf(state: SupervisionState, coopId: string): CooperativeSupervision {
  return (
    state.cooperatives.get(coopId) ?? {
      facts: emptyFacts(coopId),
      ruleStates: state.rules.map((rule) => rule.initialState),
    }
  );
}

/** Runs every rule on one event of one cooperative. Deterministic: the same history gives the same alerts. */
export function runRules(state: SupervisionState, event: SupervisedEvent): SupervisionResult {
  const cooperative = cooperativeOf(state, event.coopId);
  const before = cooperative.facts;
  const after = applyToFacts(before, event);
  const context = { before, after, thresholds: state.thresholds, holidays: state.holidays };
  const alerts: Alert[] = [];
  const ruleStates = state.rules.map((rule, index) => {
    const result = rule.onEvent(cooperative.ruleStates[index], event, context);
    alerts.push(...result.alerts);
    return result.state;
  });
  state.cooperatives.set(event.coopId, { facts: after, ruleStates });
  return { state, alerts };
}

/** Runs the time-driven rules (dormant cooperative) for every known cooperative at one clock tick. */
export function runClockTick(state: SupervisionState, tick: ClockTick): SupervisionResult {
  const alerts: Alert[] = [];
  for (const coopId of [...state.cooperatives.keys()].sort()) {
    const cooperative = cooperativeOf(state, coopId);
    const context = {
      before: cooperative.facts,
      after: cooperative.facts,
      thresholds: state.thresholds,
      holidays: state.holidays,
    };
    const ruleStates = state.rules.map((rule, index) => {
      const onTick = rule.onTick;
      if (onTick === undefined) return cooperative.ruleStates[index];
      const result = onTick(cooperative.ruleStates[index], tick, context);
      alerts.push(...result.alerts);
      return result.state;
    });
    state.cooperatives.set(coopId, { facts: cooperative.facts, ruleStates });
  }
  return { state, alerts };
}
