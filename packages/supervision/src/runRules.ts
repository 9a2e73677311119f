import type { Alert } from "@bukubesar/alerts";
import type { CooperativeFacts, FactsTotals } from "./cooperativeFacts.js";
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
import { closedPeriodAttemptRule } from "./rules/closedPeriodAttempt.js";
import { dormantCooperativeRule } from "./rules/dormantCooperative.js";
import { duplicateEntryRule } from "./rules/duplicateEntry.js";
import { fiscalYearReopenedRule } from "./rules/fiscalYearReopened.js";
import { futureDatedEntryRule } from "./rules/futureDatedEntry.js";
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
import { shuAllocationUnusualRule } from "./rules/shuAllocationUnusual.js";
import { structuringRule } from "./rules/structuring.js";
import type { ClockTick, SupervisedEvent } from "./supervisedEvent.js";
import type { Thresholds } from "./thresholds.js";
import { DEFAULT_THRESHOLDS } from "./thresholds.js";

/** Forgets a rule's state type, so rules with different states fit in one list (each only sees its own state). */
export const anyRule = <State>(rule: Rule<State>): Rule<unknown> => {
  return rule as unknown as Rule<unknown>;
};

/** Every rule, in the order their alerts are raised for one event. */
export const ALL_RULES: readonly Rule<unknown>[] = [
  anyRule(largeCashRule),
  anyRule(ppatkCashDailyRule),
  anyRule(structuringRule),
  anyRule(outOfHoursRule),
  anyRule(backdatedEntryRule),
  anyRule(futureDatedEntryRule),
  anyRule(reopenedPeriodPostingRule),
  anyRule(fiscalYearReopenedRule),
  anyRule(shuAllocationUnusualRule),
  anyRule(closedPeriodAttemptRule),
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
  /** Each rule's state, in the order of `rules`; each rule updates its own in place. */
  readonly ruleStates: unknown[];
}

export interface SupervisionOptions {
  readonly thresholds?: Partial<Thresholds>;
  readonly holidays?: HolidayCalendar;
  readonly rules?: readonly Rule<unknown>[];
}

/** The rules one event type reaches, with their positions in `rules` (where their states are kept). */
interface Dispatch {
  readonly rules: readonly Rule<unknown>[];
  readonly positions: readonly number[];
}

/** What the fold reuses from event to event, so judging an event that raises nothing allocates (almost) nothing. */
interface Scratch {
  readonly entry: EntryAnalysis;
  readonly previous: { -readonly [Key in keyof FactsTotals]: FactsTotals[Key] };
  readonly context: { -readonly [Key in keyof RuleContext]: RuleContext[Key] };
  readonly alerts: Alert[];
  /** Returned for every event that raises nothing. */
  readonly quiet: SupervisionResult;
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
  /** The rules by the event type they judge (built once from `rules`). */
  readonly dispatch: ReadonlyMap<string, Dispatch>;
  readonly scratch: Scratch;
}

export interface SupervisionResult {
  readonly state: SupervisionState;
  readonly alerts: readonly Alert[];
}

const NO_ALERTS: readonly Alert[] = Object.freeze([]);

const dispatchOf = (rules: readonly Rule<unknown>[]): Map<string, Dispatch> => {
  const byType = new Map<string, { rules: Rule<unknown>[]; positions: number[] }>();
  rules.forEach((rule, position) => {
    for (const type of rule.eventTypes) {
      let entry = byType.get(type);
      if (entry === undefined) {
        entry = { rules: [], positions: [] };
        byType.set(type, entry);
      }
      entry.rules.push(rule);
      entry.positions.push(position);
    }
  });
  return byType;
};

export const createSupervisionState = (options: SupervisionOptions = {}): SupervisionState => {
  const thresholds = { ...DEFAULT_THRESHOLDS, ...options.thresholds };
  const parsed = parseThresholds(thresholds);
  const holidays = options.holidays ?? indonesianHolidayCalendar();
  const rules = options.rules ?? ALL_RULES;
  const facts = emptyFacts("");
  const previous = totalsOf(facts);
  const state: SupervisionState = {
    thresholds,
    parsed,
    holidays,
    rules,
    cooperatives: new Map(),
    dispatch: dispatchOf(rules),
    scratch: {
      entry: new EntryAnalysis(),
      previous,
      context: { facts, previous, entry: null, thresholds, parsed, holidays },
      alerts: [],
      quiet: undefined as unknown as SupervisionResult,
    },
  };
  (state.scratch as { quiet: SupervisionResult }).quiet = { state, alerts: NO_ALERTS };
  return state;
};

const cooperativeOf = (state: SupervisionState, coopId: string): CooperativeSupervision => {
  let cooperative = state.cooperatives.get(coopId);
  if (cooperative === undefined) {
    cooperative = { facts: emptyFacts(coopId), ruleStates: state.rules.map((rule) => rule.initialState()) };
    state.cooperatives.set(coopId, cooperative);
  }
  return cooperative;
};

/** Copies the running totals into `into` (taken before an entry is applied). */
const copyTotals = (from: FactsTotals, into: Scratch["previous"]): void => {
  into.cashAndBank = from.cashAndBank;
  into.currentLiabilities = from.currentLiabilities;
  into.ownCapital = from.ownCapital;
  into.loanBook = from.loanBook;
  into.borrowers = from.borrowers;
};

/** Runs every rule on one event of one cooperative. Deterministic: the same history gives the same alerts. */
export const runRules = (state: SupervisionState, event: SupervisedEvent): SupervisionResult => {
  const cooperative = cooperativeOf(state, event.coopId);
  const facts = cooperative.facts;
  const scratch = state.scratch;
  const context = scratch.context;
  copyTotals(facts, scratch.previous);
  const entry =
    event.type === "JournalEntryPosted"
      ? scratch.entry.analyse(facts, event.data.lines, event.metadata.recordedAt)
      : null;
  applyToFacts(facts, event, entry);
  const dispatch = state.dispatch.get(event.type);
  if (dispatch === undefined) return scratch.quiet;
  context.facts = facts;
  context.entry = entry;
  const alerts = scratch.alerts;
  const rules = dispatch.rules;
  const positions = dispatch.positions;
  const ruleStates = cooperative.ruleStates;
  for (let index = 0; index < rules.length; index += 1) {
    (rules[index] as Rule<unknown>).onEvent(ruleStates[positions[index] as number], event, context, alerts);
  }
  if (alerts.length === 0) return scratch.quiet;
  const raised = alerts.slice();
  alerts.length = 0;
  return { state, alerts: raised };
};

/** Runs the time-driven rules (dormant cooperative) for every known cooperative at one clock tick. */
export const runClockTick = (state: SupervisionState, tick: ClockTick): SupervisionResult => {
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
      rule.onTick?.(cooperative.ruleStates[index], tick, context, alerts);
    });
  }
  return { state, alerts };
};
