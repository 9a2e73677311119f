import { Decimal } from "decimal.js";
import type { Alert } from "../alert.js";
import { isLoanAccount, ownCapital, ZERO } from "../cooperativeFacts.js";
import { formatRupiah } from "../entryAnalysis.js";
import type { Rule } from "../rule.js";
import { makeAlert, unchanged } from "../rule.js";

export const RELATED_PARTY_LOAN_RULE = "related-party-loan";

/**
 * REG-07 (BMPP, Permenkop 8/2023 Pasal 44): a pengurus's or pengawas's outstanding loans rise above 10% of
 * the cooperative's own capital (modal sendiri: the equity accounts). Raised when the limit is crossed.
 */
export const relatedPartyLoanRule: Rule<null> = {
  name: RELATED_PARTY_LOAN_RULE,
  initialState: null,
  onEvent(state, event, { before, after, thresholds }) {
    if (event.type !== "JournalEntryPosted") return unchanged(state);
    const fraction = new Decimal(thresholds.relatedPartyLoanFraction);
    const borrowers = new Set<string>();
    for (const line of event.data.lines) {
      if (line.memberId !== null && line.side === "debit" && isLoanAccount(after, line.account))
        borrowers.add(line.memberId);
    }
    const alerts: Alert[] = [];
    for (const memberId of [...borrowers].sort()) {
      const role = after.members[memberId];
      if (role !== "pengurus" && role !== "pengawas") continue;
      const limitNow = Decimal.max(ownCapital(after), 0).times(fraction);
      const outstanding = after.loansByMember[memberId] ?? ZERO;
      if (outstanding.lte(limitNow)) continue;
      const limitBefore = Decimal.max(ownCapital(before), 0).times(fraction);
      if ((before.loansByMember[memberId] ?? ZERO).gt(limitBefore)) continue;
      alerts.push(
        makeAlert({
          rule: RELATED_PARTY_LOAN_RULE,
          severity: "high",
          facts: after,
          triggerIds: [event.metadata.eventId, memberId],
          entryIds: [event.data.entryId],
          summary: `Pinjaman kepada ${role} ${memberId} ${formatRupiah(outstanding)} melebihi 10% modal sendiri (${formatRupiah(limitNow)})`,
          raisedAt: event.metadata.recordedAt,
          details: {
            memberId,
            role,
            outstanding: outstanding.toFixed(2),
            ownCapital: ownCapital(after).toFixed(2),
            limit: limitNow.toFixed(2),
          },
        }),
      );
    }
    return { state, alerts };
  },
};
