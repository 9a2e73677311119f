import type { Alert } from "./alert.js";
import type { CooperativeFacts } from "./cooperativeFacts.js";
import { applyToFacts, emptyFacts, totalsOf } from "./cooperativeFacts.js";
import { EntryAnalysis } from "./entryAnalysis.js";
import type { HolidayCalendar } from "./holidays.js";
import { indonesianHolidayCalendar } from "./holidays.js";
import type { ParsedThresholds } from "./parsedThresholds.js";
import { parseThresholds } from "./parsedThresholds.js";
import type { Rule, RuleContext } from "./rule.js";
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
  /** Updated in place by every event of the cooperative. */
  readonly facts: CooperativeFacts;
  /** Each rule's state, in the order of `rules`; replaced in place by what the rule returns. */
  readonly ruleStates: unknown[];
}

export interface SupervisionOptions {
  readonly thresholds?: Partial<Thresholds>;
  readonly holidays?: HolidayCalendar;
  readonly rules?: readonly Rule<unknown>[];
}

/**
 * All supervision state: the configuration and, per cooperative, its facts and each rule's state.
 * `runRules` updates it in place and returns it, so a replay of millions of events copies nothing; the
 * alerts it returns are new objects and stay valid.
 */
export interface SupervisionState {
  readonly thresholds: Thresholds;
  readonly parsed: ParsedThresholds;
  readonly holidays: HolidayCalendar;
  readonly rules: readonly Rule<unknown>[];
  readonly cooperatives: Map<string, CooperativeSupervision>;
}

export interface SupervisionResult {
  readonly state: SupervisionState;
  readonly alerts: readonly Alert[];
}

export function createSupervisionState(options: SupervisionOptions = {}): SupervisionState {
  const thresholds = { ...DEFAULT_THRESHOLDS, ...options.thresholds };
  return {
    thresholds,
    parsed: parseThresholds(thresholds),
    holidays: options.holidays ?? indonesianHolidayCalendar(),
    rules: options.rules ?? ALL_RULES,
    cooperatives: new Map(),
  };
}

function cooperativeOf(state: SupervisionState, coopId: string): CooperativeSupervision {
  let cooperative = state.cooperatives.get(coopId);
  if (cooperative === undefined) {
    cooperative = { facts: emptyFacts(coopId), ruleStates: state.rules.map((rule) => rule.initialState()) };
    state.cooperatives.set(coopId, cooperative);
  }
  return cooperative;
}

const NO_ALERTS: readonly Alert[] = Object.freeze([]);

/** Runs every rule on one event of one cooperative. Deterministic: the same history gives the same alerts. */
export function runRules(state: SupervisionState, event: SupervisedEvent): SupervisionResult {
  const cooperative = cooperativeOf(state, event.coopId);
  const facts = cooperative.facts;
  const previous = totalsOf(facts);
  const entry =
    event.type === "JournalEntryPosted"
      ? new EntryAnalysis(facts, event.data.lines, event.metadata.recordedAt)
      : null;
  applyToFacts(facts, event, entry);
  const context: RuleContext = {
    facts,
    previous,
    entry,
    thresholds: state.thresholds,
    parsed: state.parsed,
    holidays: state.holidays,
  };
  let alerts: Alert[] | null = null;
  const rules = state.rules;
  const ruleStates = cooperative.ruleStates;
  for (let index = 0; index < rules.length; index += 1) {
    const result = (rules[index] as Rule<unknown>).onEvent(ruleStates[index], event, context);
    ruleStates[index] = result.state;
    if (result.alerts.length > 0) {
      alerts ??= [];
      for (const alert of result.alerts) alerts.push(alert);
    }
  }
  return { state, alerts: alerts ?? NO_ALERTS };
}

/** Runs the time-driven rules (dormant cooperative) for every known cooperative at one clock tick. */
export function runClockTick(state: SupervisionState, tick: ClockTick): SupervisionResult {
  const alerts: Alert[] = [];
  for (const coopId of [...state.cooperatives.keys()].sort()) {
    const cooperative = cooperativeOf(state, coopId);
    const context: RuleContext = {
      facts: cooperative.facts,
      previous: totalsOf(cooperative.facts),
      entry: null,
      thresholds: state.thresholds,
      parsed: state.parsed,
      holidays: state.holidays,
    };
    state.rules.forEach((rule, index) => {
      const onTick = rule.onTick;
      if (onTick === undefined) return;
      const result = onTick(cooperative.ruleStates[index], tick, context);
      cooperative.ruleStates[index] = result.state;
      alerts.push(...result.alerts);
    });
  }
  return { state, alerts };
}
