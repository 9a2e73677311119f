import { wireToSen } from "@bukubesar/money";
import type { Fraction } from "./fraction.js";
import { parseFraction } from "./fraction.js";
import type { Thresholds } from "./thresholds.js";
import { PPATK_CASH_DAILY_THRESHOLD } from "./thresholds.js";

/**
 * The thresholds parsed once when the supervision state is created: amounts in sen (bigint), fractions as
 * exact ratios, statistics as numbers. The rules read these on every event, so nothing is parsed per event.
 */
export interface ParsedThresholds {
  readonly structuringBand: Fraction;
  readonly approvalAvoidanceBand: Fraction;
  readonly cashFloorSen: bigint | null;
  readonly cashRatioMinimum: Fraction;
  readonly cashRatioMinimumLiabilitiesSen: bigint;
  readonly relatedPartyLoan: Fraction;
  readonly loanConcentration: Fraction;
  readonly roundNumberUnitSen: bigint;
  readonly roundNumberFraction: Fraction;
  readonly benfordMaximumDeviation: number;
  readonly ppatkCashDailySen: bigint;
}

export const parseThresholds = (thresholds: Thresholds): ParsedThresholds => {
  return {
    structuringBand: parseFraction(thresholds.structuringBandFraction),
    approvalAvoidanceBand: parseFraction(thresholds.approvalAvoidanceBandFraction),
    cashFloorSen: thresholds.cashFloor === null ? null : wireToSen(thresholds.cashFloor),
    cashRatioMinimum: parseFraction(thresholds.cashRatioMinimum),
    cashRatioMinimumLiabilitiesSen: wireToSen(thresholds.cashRatioMinimumLiabilities),
    relatedPartyLoan: parseFraction(thresholds.relatedPartyLoanFraction),
    loanConcentration: parseFraction(thresholds.loanConcentrationFraction),
    roundNumberUnitSen: wireToSen(thresholds.roundNumberUnit),
    roundNumberFraction: parseFraction(thresholds.roundNumberFraction),
    benfordMaximumDeviation: Number(thresholds.benfordMaximumDeviation),
    ppatkCashDailySen: wireToSen(PPATK_CASH_DAILY_THRESHOLD),
  };
};
