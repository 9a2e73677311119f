import { senToWire } from "@bukubesar/money";
import type { FactsTotals } from "../cooperativeFacts.js";
import { ratioToString } from "../fraction.js";
import type { ParsedThresholds } from "../parsedThresholds.js";
import type { Rule } from "../rule.js";
import { makeAlert } from "../rule.js";

export const LIQUIDITY_LOW_RULE = "liquidity-low";

/** Digits of the cash ratio in the details, and of the percentage in the summary. */
const RATIO_PLACES = 4;
const PERCENT_PLACES = 1;

/** Whether the cash ratio is judged (liabilities large enough) and below the minimum. */
const isLow = (totals: FactsTotals, parsed: ParsedThresholds): boolean => {
  const liabilities = totals.currentLiabilities;
  if (liabilities < parsed.cashRatioMinimumLiabilitiesSen || liabilities <= 0n) return false;
  // cash / liabilities < numerator / denominator, with liabilities > 0.
  return (
    totals.cashAndBank * parsed.cashRatioMinimum.denominator < parsed.cashRatioMinimum.numerator * liabilities
  );
};

/**
 * HLT-03: the cash ratio (cash and bank over current liabilities, docs/domain.md section 6.2) falls below the health
 * threshold (10%). Raised when it crosses below, again only after it has recovered.
 */
export const liquidityLowRule: Rule<null> = {
  name: LIQUIDITY_LOW_RULE,
  eventTypes: ["JournalEntryPosted"],
  initialState: () => null,
  onEvent(_state, event, { facts, previous, parsed }, alerts) {
    if (event.type !== "JournalEntryPosted") return;
    if (!isLow(facts, parsed) || isLow(previous, parsed)) return;
    const cash = facts.cashAndBank;
    const liabilities = facts.currentLiabilities;
    const minimum = parsed.cashRatioMinimum;
    const percent = ratioToString(cash * 100n, liabilities, PERCENT_PLACES);
    const minimumPercent = ratioToString(minimum.numerator * 100n, minimum.denominator, RATIO_PLACES);
    alerts.push(
      makeAlert({
        rule: LIQUIDITY_LOW_RULE,
        severity: "warning",
        facts,
        triggerIds: [event.metadata.eventId],
        entryIds: [event.data.entryId],
        summary: `Rasio kas turun ke ${percent}% dari kewajiban lancar (batas sehat ${minimumPercent}%)`,
        raisedAt: event.metadata.recordedAt,
        details: {
          cashRatio: ratioToString(cash, liabilities, RATIO_PLACES),
          minimum: ratioToString(minimum.numerator, minimum.denominator, RATIO_PLACES),
          cashAndBank: senToWire(cash),
          currentLiabilities: senToWire(liabilities),
        },
      }),
    );
  },
};
