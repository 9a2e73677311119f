import { senToWire } from "@bukubesar/money";
import { isAboveFractionOf, roundedFractionOf } from "../fraction.js";
import type { Rule } from "../rule.js";
import { makeAlert } from "../rule.js";
import { rupiahInText } from "../rupiah.js";

export const RELATED_PARTY_LOAN_RULE = "related-party-loan";

/** The members the entry lends to: a debit naming them on a loan account. */
const borrowersOf = (
  lines: readonly { readonly memberId: string | null; readonly side: string; readonly account: string }[],
  facts: { readonly accounts: ReadonlyMap<string, { readonly loan: boolean }> },
): Set<string> => {
  const borrowers = new Set<string>();
  for (const line of lines) {
    if (line.memberId !== null && line.side === "debit" && facts.accounts.get(line.account)?.loan === true)
      borrowers.add(line.memberId);
  }
  return borrowers;
};

/**
 * REG-07 (BMPP, Permenkop 8/2023 Pasal 44): a pengurus's or pengawas's outstanding loans rise above 10% of
 * the cooperative's own capital (modal sendiri: the equity accounts). Raised when the limit is crossed.
 */
export const relatedPartyLoanRule: Rule<null> = {
  name: RELATED_PARTY_LOAN_RULE,
  eventTypes: ["JournalEntryPosted"],
  initialState: () => null,
  onEvent(_state, event, { facts, previous, entry, parsed }, alerts) {
    if (event.type !== "JournalEntryPosted" || entry === null || entry.loanDeltas.count === 0) return;
    const fraction = parsed.relatedPartyLoan;
    const borrowers = borrowersOf(event.data.lines, facts);
    const capitalNow = facts.ownCapital > 0n ? facts.ownCapital : 0n;
    const capitalBefore = previous.ownCapital > 0n ? previous.ownCapital : 0n;
    for (const memberId of [...borrowers].sort()) {
      const role = facts.members.get(memberId);
      if (role !== "pengurus" && role !== "pengawas") continue;
      const outstanding = facts.loansByMember.get(memberId) ?? 0n;
      if (!isAboveFractionOf(outstanding, fraction, capitalNow)) continue;
      const outstandingBefore = outstanding - entry.loanDeltas.get(memberId);
      if (isAboveFractionOf(outstandingBefore, fraction, capitalBefore)) continue;
      const limitNow = roundedFractionOf(fraction, capitalNow);
      alerts.push(
        makeAlert({
          rule: RELATED_PARTY_LOAN_RULE,
          severity: "high",
          facts,
          triggerIds: [event.metadata.eventId, memberId],
          entryIds: [event.data.entryId],
          summary: `Pinjaman kepada ${role} ${memberId} ${rupiahInText(outstanding)} melebihi 10% modal sendiri (${rupiahInText(limitNow)})`,
          raisedAt: event.metadata.recordedAt,
          details: {
            memberId,
            role,
            outstanding: senToWire(outstanding),
            ownCapital: senToWire(facts.ownCapital),
            limit: senToWire(limitNow),
          },
        }),
      );
    }
  },
};
