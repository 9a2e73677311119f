import { Decimal } from "decimal.js";
import type { Alert } from "../alert.js";
import type { CooperativeFacts } from "../cooperativeFacts.js";
import { isLoanAccount, ZERO } from "../cooperativeFacts.js";
import { formatRupiah } from "../entryAnalysis.js";
import type { Rule } from "../rule.js";
import { makeAlert, unchanged } from "../rule.js";
import type { Thresholds } from "../thresholds.js";

export const LOAN_CONCENTRATION_RULE = "loan-concentration";

/** The member's share of the loan book, or null while the book is too small to judge. */
function shareIfJudged(facts: CooperativeFacts, memberId: string, thresholds: Thresholds): Decimal | null {
  let book = ZERO;
  let borrowers = 0;
  for (const outstanding of Object.values(facts.loansByMember)) {
    if (outstanding.lte(0)) continue;
    book = book.plus(outstanding);
    borrowers += 1;
  }
  if (borrowers < thresholds.loanConcentrationMinimumBorrowers || book.lte(0)) return null;
  return (facts.loansByMember[memberId] ?? ZERO).div(book);
}

/** HLT-07: one borrower holds more than 10% of the loan book (judged once the book has enough borrowers). */
export const loanConcentrationRule: Rule<null> = {
  name: LOAN_CONCENTRATION_RULE,
  initialState: null,
  onEvent(state, event, { before, after, thresholds }) {
    if (event.type !== "JournalEntryPosted") return unchanged(state);
    const fraction = new Decimal(thresholds.loanConcentrationFraction);
    const borrowers = new Set<string>();
    for (const line of event.data.lines) {
      if (line.memberId !== null && line.side === "debit" && isLoanAccount(after, line.account))
        borrowers.add(line.memberId);
    }
    const alerts: Alert[] = [];
    for (const memberId of [...borrowers].sort()) {
      const now = shareIfJudged(after, memberId, thresholds);
      if (now === null || now.lte(fraction)) continue;
      const was = shareIfJudged(before, memberId, thresholds);
      if (was?.gt(fraction)) continue;
      const outstanding = after.loansByMember[memberId] ?? ZERO;
      alerts.push(
        makeAlert({
          rule: LOAN_CONCENTRATION_RULE,
          severity: "warning",
          facts: after,
          triggerIds: [event.metadata.eventId, memberId],
          entryIds: [event.data.entryId],
          summary: `Konsentrasi pinjaman: anggota ${memberId} memegang ${now.times(100).toDecimalPlaces(1).toString()}% dari total pinjaman (${formatRupiah(outstanding)})`,
          raisedAt: event.metadata.recordedAt,
          details: {
            memberId,
            share: now.toDecimalPlaces(4).toString(),
            limit: fraction.toString(),
            outstanding: outstanding.toFixed(2),
          },
        }),
      );
    }
    return { state, alerts };
  },
};
