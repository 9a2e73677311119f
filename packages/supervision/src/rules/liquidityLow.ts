import { Decimal } from "decimal.js";
import type { CooperativeFacts } from "../cooperativeFacts.js";
import { cashAndBank, currentLiabilities } from "../cooperativeFacts.js";
import type { Rule } from "../rule.js";
import { makeAlert, unchanged } from "../rule.js";
import type { Thresholds } from "../thresholds.js";

export const LIQUIDITY_LOW_RULE = "liquidity-low";

function cashRatioIfJudged(facts: CooperativeFacts, thresholds: Thresholds): Decimal | null {
  const liabilities = currentLiabilities(facts);
  if (liabilities.lt(thresholds.cashRatioMinimumLiabilities) || liabilities.lte(0)) return null;
  return cashAndBank(facts).div(liabilities);
}

/**
 * HLT-03: the cash ratio (cash and bank over current liabilities, domain.md §6.2) falls below the health
 * threshold (10%). Raised when it crosses below, again only after it has recovered.
 */
export const liquidityLowRule: Rule<null> = {
  name: LIQUIDITY_LOW_RULE,
  initialState: null,
  onEvent(state, event, { before, after, thresholds }) {
    if (event.type !== "JournalEntryPosted") return unchanged(state);
    const minimum = new Decimal(thresholds.cashRatioMinimum);
    const now = cashRatioIfJudged(after, thresholds);
    if (now === null || now.gte(minimum)) return unchanged(state);
    const was = cashRatioIfJudged(before, thresholds);
    if (was?.lt(minimum)) return unchanged(state);
    const percent = now.times(100).toDecimalPlaces(1).toString();
    return {
      state,
      alerts: [
        makeAlert({
          rule: LIQUIDITY_LOW_RULE,
          severity: "warning",
          facts: after,
          triggerIds: [event.metadata.eventId],
          entryIds: [event.data.entryId],
          summary: `Rasio kas turun ke ${percent}% dari kewajiban lancar (batas sehat ${minimum.times(100).toString()}%)`,
          raisedAt: event.metadata.recordedAt,
          details: {
            cashRatio: now.toDecimalPlaces(4).toString(),
            minimum: minimum.toString(),
            cashAndBank: cashAndBank(after).toFixed(2),
            currentLiabilities: currentLiabilities(after).toFixed(2),
          },
        }),
      ],
    };
  },
};
