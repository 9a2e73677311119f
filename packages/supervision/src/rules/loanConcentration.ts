import { senToWire } from "@bukubesar/money";
import type { FactsTotals } from "../cooperativeFacts.js";
import { isAboveFractionOf, ratioToString } from "../fraction.js";
import type { Rule } from "../rule.js";
import { makeAlert } from "../rule.js";
import { rupiahInText } from "../rupiah.js";
import type { Thresholds } from "../thresholds.js";

export const LOAN_CONCENTRATION_RULE = "loan-concentration";

/** Digits of the share in the details, and of the percentage in the summary. */
const SHARE_PLACES = 4;
const PERCENT_PLACES = 1;

/** Whether the book is large enough to judge (enough borrowers, a positive total). */
const isJudged = (totals: FactsTotals, thresholds: Thresholds): boolean => {
  return totals.borrowers >= thresholds.loanConcentrationMinimumBorrowers && totals.loanBook > 0n;
};

/** HLT-07: one borrower holds more than 10% of the loan book (judged once the book has enough borrowers). */
export const loanConcentrationRule: Rule<null> = {
  name: LOAN_CONCENTRATION_RULE,
  eventTypes: ["JournalEntryPosted"],
  initialState: () => null,
  onEvent(_state, event, { facts, previous, entry, thresholds, parsed }, alerts) {
    if (event.type !== "JournalEntryPosted" || entry === null || entry.loanDeltas.count === 0) return;
    if (!isJudged(facts, thresholds)) return;
    const fraction = parsed.loanConcentration;
    const borrowers = new Set<string>();
    for (const line of event.data.lines) {
      if (line.memberId !== null && line.side === "debit" && facts.accounts.get(line.account)?.loan === true)
        borrowers.add(line.memberId);
    }
    for (const memberId of [...borrowers].sort()) {
      const outstanding = facts.loansByMember.get(memberId) ?? 0n;
      if (!isAboveFractionOf(outstanding, fraction, facts.loanBook)) continue;
      const outstandingBefore = outstanding - entry.loanDeltas.get(memberId);
      if (isJudged(previous, thresholds) && isAboveFractionOf(outstandingBefore, fraction, previous.loanBook))
        continue;
      alerts.push(
        makeAlert({
          rule: LOAN_CONCENTRATION_RULE,
          severity: "warning",
          facts,
          triggerIds: [event.metadata.eventId, memberId],
          entryIds: [event.data.entryId],
          summary: `Konsentrasi pinjaman: anggota ${memberId} memegang ${ratioToString(outstanding * 100n, facts.loanBook, PERCENT_PLACES)}% dari total pinjaman (${rupiahInText(outstanding)})`,
          raisedAt: event.metadata.recordedAt,
          details: {
            memberId,
            share: ratioToString(outstanding, facts.loanBook, SHARE_PLACES),
            limit: ratioToString(fraction.numerator, fraction.denominator, SHARE_PLACES),
            outstanding: senToWire(outstanding),
          },
        }),
      );
    }
  },
};
