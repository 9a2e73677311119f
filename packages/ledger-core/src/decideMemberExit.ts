/**
 * A member leaves the cooperative: the only way simpanan pokok is returned (UU 25/1992; docs/accounting.md,
 * section 2). One entry of kind `member_exit` debits every member control account the member holds a
 * balance on (simpanan pokok, wajib, sukarela, berjangka, and the SHU owed on 2401) and
 * credits the total to the settlement account: cash or bank when paid out on the day, or a payable such as
 * 2103 when it is owed until paid. A member who still owes a loan cannot leave until it is repaid.
 */
import type { Either } from "fp-ts/lib/Either.js";
import { left, right } from "fp-ts/lib/Either.js";
import { senToAmount } from "./amounts.js";
import type { ExitMember } from "./commands.js";
import { checkEntryIdUnused, checkReason } from "./decideJournalEntry.js";
import type { EntryLine, LedgerEvent, Side } from "./events.js";
import { checkDate, checkLineAccount, checkOverdraft, checkPeriodOpen } from "./postingRules.js";
import type { Rejection } from "./rejection.js";
import { rejection } from "./rejection.js";
import type { AccountState, LedgerState, MemberState } from "./state.js";

type Decision = Either<Rejection, readonly LedgerEvent[]>;

export const decideMemberExit = ({ data, actor }: ExitMember, state: LedgerState): Decision => {
  const member = state.members.get(data.memberId);
  if (member === undefined) {
    return left(rejection("MemberMustBeRegistered", `member ${data.memberId} is not registered`, "memberId"));
  }
  const problem =
    checkStillMember(member) ??
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
      entryId: settled.totalSen === 0n ? null : data.entryId,
      owedOn: settled.totalSen === 0n || settlement.noOverdraft ? null : settlement.code,
    },
  };
  if (settled.totalSen === 0n) return right([exited]);
  const lines: EntryLine[] = [
    ...settled.lines,
    // Owed on a payable, the line names the member (their statement shows it, and it is the one line that
    // may name them after they left); paid in cash, the till's line names no one.
    {
      ...memberLine(settlement.code, "credit", settled.totalSen, member.memberId),
      memberId: settlement.noOverdraft ? null : member.memberId,
    },
  ];
  const overdraft = checkOverdraft(state, data.date, lines);
  if (overdraft !== undefined) return left(overdraft);
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
