/**
 * A member leaves the cooperative: the only way simpanan pokok is returned (UU 25/1992; docs/accounting.md,
 * section 2). One entry of kind `member_exit` debits every member control account the member holds a
 * balance on (simpanan pokok, wajib, sukarela, berjangka, and the SHU owed on 2401) and
 * credits the total to the settlement account: cash or bank when paid out on the day, or a payable such as
 * 2103 when it is owed until paid. A member who still owes a loan cannot leave until it is repaid.
 */

import { wireToSen } from "@bukubesar/money";
import type { Either } from "fp-ts/lib/Either.js";
import { left, right } from "fp-ts/lib/Either.js";
import { senToAmount, signedForNormalBalance } from "./amounts.js";
import type { ExitMember, ReverseMemberExit } from "./commands.js";
import { checkEntryIdUnused, checkReason, mirror, reversalEvents } from "./decideJournalEntry.js";
import type { EntryLine, LedgerEvent, MemberExited, Side } from "./events.js";
import {
  checkDate,
  checkLineAccount,
  checkOverdraft,
  checkPeriodOpen,
  needsApproval,
} from "./postingRules.js";
import type { Rejection } from "./rejection.js";
import { rejection } from "./rejection.js";
import type { AccountState, EntryState, LedgerState, MemberState } from "./state.js";
import { postedLinesOn } from "./state.js";

type Decision = Either<Rejection, readonly LedgerEvent[]>;

export const decideMemberExit = ({ data, actor }: ExitMember, state: LedgerState): Decision => {
  const member = state.members.get(data.memberId);
  if (member === undefined) {
    return left(rejection("MemberMustBeRegistered", `member ${data.memberId} is not registered`, "memberId"));
  }
  const problem =
    checkStillMember(member) ??
    checkNoPendingExit(member) ??
    checkReason(data.reason) ??
    checkDate(data.date, "date") ??
    checkExitDate(member, data.date) ??
    checkEntryIdUnused(state, data.entryId, "entryId") ??
    checkPeriodOpen(state, data.date, "date") ??
    checkSettlementAccount(state, data.settlementAccount);
  if (problem !== undefined) return left(problem);
  const settled = settlementLines(state, member);
  if ("_tag" in settled) return left(settled);
  const settlement = state.accounts.get(data.settlementAccount) as AccountState;
  const exited: LedgerEvent = {
    type: "MemberExited",
    data: {
      memberId: member.memberId,
      exitedOn: data.date,
      reason: data.reason,
      entryId: settled.lines.length === 0 ? null : data.entryId,
      owedOn: settled.totalSen === 0n || settlement.noOverdraft ? null : settlement.code,
    },
  };
  if (settled.lines.length === 0) return right([exited]);
  // Balances that net to nothing (sukarela moved into pokok, say) are still cleared, with no settlement line.
  const lines: EntryLine[] = [...settled.lines];
  if (settled.totalSen > 0n) {
    // Owed on a payable, the line names the member (their statement shows it, and it is the one line that
    // may name them after they left); paid in cash, the till's line names no one.
    lines.push({
      ...memberLine(settlement.code, "credit", settled.totalSen, member.memberId),
      memberId: settlement.noOverdraft ? null : member.memberId,
    });
  }
  const overdraft = checkOverdraft(state, data.date, lines);
  if (overdraft !== undefined) return left(overdraft);
  // Like a journal entry, a settlement above the approval threshold waits for a second person.
  if (needsApproval(state, settled.totalSen)) {
    const { memberId, exitedOn, reason, owedOn } = exited.data;
    return right([
      {
        type: "JournalEntryProposed",
        data: {
          entryId: data.entryId,
          date: data.date,
          memo: data.reason,
          lines,
          proposedBy: actor.principalId,
          kind: "member_exit",
        },
      },
      { type: "MemberExitRequested", data: { memberId, exitedOn, reason, entryId: data.entryId, owedOn } },
    ]);
  }
  return right([
    {
      type: "JournalEntryPosted",
      data: {
        entryId: data.entryId,
        kind: "member_exit",
        date: data.date,
        memo: data.reason,
        lines,
        postedBy: actor.principalId,
        proposedBy: null,
        reverses: null,
      },
    },
    exited,
  ]);
};

/**
 * A recorded exit undone (entered for the wrong member, or withdrawn before it took effect): the exit entry
 * is reversed on `date`, so the member's savings and SHU owed are back on their accounts, and the member is
 * reinstated. What the exit left owed on a payable must still be owed in full: a payment of it is reversed
 * first, or the member would be paid twice.
 */
export const decideReverseMemberExit = ({ data, actor }: ReverseMemberExit, state: LedgerState): Decision => {
  const member = state.members.get(data.memberId);
  if (member === undefined) {
    return left(rejection("MemberMustBeRegistered", `member ${data.memberId} is not registered`, "memberId"));
  }
  if (member.exitedOn === null) {
    return left(rejection("MemberMustHaveExited", `member ${member.memberId} has not left`, "memberId"));
  }
  const exitEntry = [...state.entries.values()].find(
    (entry) =>
      entry.kind === "member_exit" &&
      entry.status === "posted" &&
      entry.reversedBy === null &&
      entry.lines.some((line) => line.memberId === member.memberId),
  );
  const problem =
    checkReason(data.reason) ??
    checkDate(data.date, "date") ??
    (data.date < member.exitedOn
      ? rejection("ReversalMustNotPrecedeOriginal", `the exit is dated ${member.exitedOn}`, "date")
      : undefined) ??
    checkEntryIdUnused(state, data.reversalEntryId, "reversalEntryId") ??
    checkPeriodOpen(state, data.date, "date") ??
    (exitEntry === undefined ? undefined : checkStillOwed(state, member, exitEntry));
  if (problem !== undefined) return left(problem);
  const reinstated: LedgerEvent = {
    type: "MemberExitReversed",
    data: {
      memberId: member.memberId,
      reason: data.reason,
      entryId: exitEntry === undefined ? null : data.reversalEntryId,
    },
  };
  if (exitEntry === undefined) return right([reinstated]);
  const lines = exitEntry.lines.map(mirror);
  const overdraft = checkOverdraft(state, data.date, lines);
  if (overdraft !== undefined) return left(overdraft);
  return right([...reversalEvents(exitEntry.entryId, { ...data, lines }, actor), reinstated]);
};

/** What the exit credited the member on the payable is still owed to them in full. */
const checkStillOwed = (
  state: LedgerState,
  member: MemberState,
  exitEntry: EntryState,
): Rejection | undefined => {
  const owedOn = member.exitSettlementAccount;
  if (owedOn === null) return undefined;
  const account = state.accounts.get(owedOn) as AccountState;
  let owedSen = 0n;
  let settledSen = 0n;
  for (const line of postedLinesOn(state, owedOn)) {
    if (line.memberId !== member.memberId) continue;
    owedSen += signedForNormalBalance(line.side, account.normalBalance, wireToSen(line.amount));
  }
  for (const line of exitEntry.lines)
    if (line.account === owedOn)
      settledSen += signedForNormalBalance(line.side, account.normalBalance, wireToSen(line.amount));
  if (owedSen >= settledSen) return undefined;
  return rejection(
    "ExitSettlementMustBeUnpaid",
    `${senToAmount(settledSen - owedSen)} of the exit's settlement on ${owedOn} has been paid to member ${member.memberId}; reverse that payment first`,
    "memberId",
  );
};

const checkNoPendingExit = (member: MemberState): Rejection | undefined =>
  member.pendingExit === undefined
    ? undefined
    : rejection(
        "MemberExitMustNotBePending",
        `member ${member.memberId}'s exit (entry ${member.pendingExit.entryId}) awaits its approver`,
        "memberId",
      );

/**
 * The approval of a waiting exit: the entry posts as the treasurer proposed it, provided it still settles
 * exactly what the member holds (the request froze their postings, but a RAT may have credited SHU since).
 */
export const approvedExit = (state: LedgerState, entry: EntryState): Rejection | MemberExited => {
  const memberId = entry.lines.find((line) => line.memberId !== null)?.memberId ?? "";
  const member = state.members.get(memberId);
  const pending = member?.pendingExit;
  if (member === undefined || pending === undefined || pending.entryId !== entry.entryId)
    throw new Error(`member_exit entry ${entry.entryId} has no pending exit`);
  const settled = settlementLines(state, member);
  const proposedSen = entry.lines.reduce(
    (total, line) =>
      line.memberId === memberId && line.account !== pending.owedOn ? total + wireToSen(line.amount) : total,
    0n,
  );
  if ("_tag" in settled) return settled;
  // The payable may have been tagged a member sub-ledger while the exit waited; the member would then leave
  // holding a balance on it, which the request itself would have refused.
  if (pending.owedOn !== null && checkSettlementAccount(state, pending.owedOn) !== undefined)
    return rejection(
      "SettlementAccountMustBeValid",
      `${pending.owedOn} has become a member sub-ledger since the exit was recorded; reject it and record the exit again with another settlement account`,
      "entryId",
    );
  if (settled.lines.length !== entry.lines.length - 1 || settled.totalSen !== proposedSen) {
    return rejection(
      "ExitSettlementMustBeUnchanged",
      `member ${memberId} now holds ${senToAmount(settled.totalSen)}, not the ${senToAmount(proposedSen)} the exit settles; reject it and record the exit again`,
      "entryId",
    );
  }
  return {
    type: "MemberExited",
    data: {
      memberId,
      exitedOn: pending.exitedOn,
      reason: pending.reason,
      entryId: entry.entryId,
      owedOn: pending.owedOn,
    },
  };
};

const checkStillMember = (member: MemberState): Rejection | undefined =>
  member.exitedOn === null
    ? undefined
    : rejection(
        "MemberMustNotHaveExited",
        `member ${member.memberId} left on ${member.exitedOn}`,
        "memberId",
      );

/** The exit settles the balances as they stand, so it comes after the member's last posted line. */
const checkExitDate = (member: MemberState, date: string): Rejection | undefined => {
  if (date < member.joinedOn) {
    return rejection(
      "MemberMustBeActiveOnDate",
      `member ${member.memberId} joined on ${member.joinedOn}`,
      "date",
    );
  }
  if (member.lastLineOn !== null && date < member.lastLineOn) {
    return rejection(
      "MemberMustBeActiveOnDate",
      `member ${member.memberId} has entries up to ${member.lastLineOn}; the exit cannot be dated before them`,
      "date",
    );
  }
  return undefined;
};

/** Paid out in cash or bank (`noOverdraft`), or owed on a liability that is not itself a member sub-ledger. */
const checkSettlementAccount = (state: LedgerState, code: string): Rejection | undefined => {
  const problem = checkLineAccount(state, code, "settlementAccount");
  if (problem !== undefined) return problem;
  const account = state.accounts.get(code) as AccountState;
  if (account.noOverdraft || (account.accountType === "liability" && !account.memberControl))
    return undefined;
  return rejection(
    "SettlementAccountMustBeValid",
    `the settlement account is a cash or bank account, or a payable such as 2103; ${code} is neither`,
    "settlementAccount",
  );
};

const settlementLines = (
  state: LedgerState,
  member: MemberState,
): Rejection | { readonly lines: readonly EntryLine[]; readonly totalSen: bigint } => {
  const lines: EntryLine[] = [];
  let totalSen = 0n;
  const balances = [...(state.memberBalances.get(member.memberId) ?? new Map<string, bigint>())].sort(
    ([a], [b]) => (a < b ? -1 : 1),
  );
  for (const [code, balance] of balances) {
    if (balance === 0n) continue;
    const account = state.accounts.get(code) as AccountState;
    if (account.accountType === "asset") {
      return rejection(
        "MemberLoanMustBeRepaid",
        `member ${member.memberId} still owes ${senToAmount(balance)} on ${code}; it is repaid before they leave`,
        "memberId",
      );
    }
    // A balance on the account's normal side is owed to the member and is debited away; one on the other
    // side (which the controls never make, kept for completeness) is credited back.
    const owedToMember = balance > 0n;
    const side: Side = owedToMember === (account.normalBalance === "credit") ? "debit" : "credit";
    lines.push(memberLine(code, side, owedToMember ? balance : -balance, member.memberId));
    totalSen += account.normalBalance === "credit" ? balance : -balance;
  }
  if (totalSen < 0n) {
    return rejection(
      "MemberLoanMustBeRepaid",
      `member ${member.memberId} owes the cooperative ${senToAmount(-totalSen)}; it is settled before they leave`,
      "memberId",
    );
  }
  return { lines, totalSen };
};

const memberLine = (account: string, side: Side, sen: bigint, memberId: string): EntryLine => ({
  account,
  side,
  amount: senToAmount(sen),
  memberId,
  unit: null,
  counterparty: "member",
  memo: null,
});
