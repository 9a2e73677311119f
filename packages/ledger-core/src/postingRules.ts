/**
 * The rules every posting obeys, shared by posting, approving, reversing and the ledger's own closing
 * and appropriation entries. Each check returns the first broken rule, or undefined when all hold.
 */
import { amountToSen, senToAmount, signedForNormalBalance } from "./amounts.js";
import { normalBalanceOf } from "./chart.js";
import { lowestBalanceFrom } from "./dailyBalances.js";
import { isLocalDate } from "./dates.js";
import type { EntryKind, EntryLine, LocalDate } from "./events.js";
import { ENTRY_LINES_MAX, ENTRY_LINES_MIN, MEMO_LENGTH_MAX } from "./limits.js";
import { contradictsBusiness, SIMPANAN_POKOK_ACCOUNT } from "./memberAccounts.js";
import type { Rejection } from "./rejection.js";
import { rejection } from "./rejection.js";
import { MEMBER_SHU_PAYABLE_ACCOUNT } from "./shuAllocation.js";
import type { AccountState, LedgerState, MemberState } from "./state.js";
import { isDateClosed } from "./state.js";

export interface CheckedLines {
  /** The lines as they will be recorded: amounts with two fraction digits, counterparty filled in. */
  readonly lines: readonly EntryLine[];
  readonly totalDebitSen: bigint;
}

export const checkMemo = (memo: unknown, path: string): Rejection | undefined => {
  if (typeof memo !== "string") return rejection("FieldMustBeValid", "the memo must be text", path);
  if (memo.length > MEMO_LENGTH_MAX) {
    return rejection("MemoLengthExceedsMax", `the memo is longer than ${MEMO_LENGTH_MAX} characters`, path);
  }
  return undefined;
};

export const checkDate = (date: unknown, path: string): Rejection | undefined =>
  isLocalDate(date)
    ? undefined
    : rejection("DateMustBeValid", "the date must be a real day written YYYY-MM-DD", path);

export const checkPeriodOpen = (state: LedgerState, date: LocalDate, path: string): Rejection | undefined =>
  isDateClosed(state, date)
    ? rejection("PeriodMustBeOpen", `the period ${date.slice(0, 7)} is closed`, path)
    : undefined;

/** Shape, accounts, members and balance of an entry's lines; returns the lines as they will be recorded. */
export const checkLines = (state: LedgerState, lines: readonly EntryLine[]): Rejection | CheckedLines => {
  if (lines.length < ENTRY_LINES_MIN) {
    return rejection("LineCountBelowMin", `an entry needs at least ${ENTRY_LINES_MIN} lines`, "lines");
  }
  if (lines.length > ENTRY_LINES_MAX) {
    return rejection("LineCountExceedsMax", `an entry may have at most ${ENTRY_LINES_MAX} lines`, "lines");
  }
  const recorded: EntryLine[] = [];
  let debits = 0n;
  let credits = 0n;
  for (const [index, line] of lines.entries()) {
    const sen = checkLine(state, line, `lines[${index}]`);
    if (typeof sen !== "bigint") return sen;
    if (line.side === "debit") debits += sen;
    else credits += sen;
    recorded.push({
      account: line.account,
      side: line.side,
      amount: senToAmount(sen),
      memberId: line.memberId,
      unit: line.unit,
      counterparty: line.counterparty ?? (line.memberId === null ? null : "member"),
      memo: line.memo,
    });
  }
  if (debits !== credits) {
    return rejection(
      "EntryMustBalance",
      `debits ${senToAmount(debits)} and credits ${senToAmount(credits)} differ`,
      "lines",
    );
  }
  return { lines: recorded, totalDebitSen: debits };
};

/** One line's side, amount, account, member and memo; returns its amount in sen when all are valid. */
const checkLine = (state: LedgerState, line: EntryLine, path: string): Rejection | bigint => {
  if (line.side !== "debit" && line.side !== "credit") {
    return rejection("LineMustBeDebitOrCredit", "a line is either a debit or a credit", `${path}.side`);
  }
  const sen = amountToSen(line.amount);
  if (sen === null || sen <= 0n) {
    return rejection(
      "AmountMustBePositive",
      "a line's amount must be a positive rupiah amount",
      `${path}.amount`,
    );
  }
  const problem =
    checkLineAccount(state, line.account, `${path}.account`) ??
    checkLineMember(state, line, path) ??
    (line.memo === null ? undefined : checkMemo(line.memo, `${path}.memo`));
  return problem ?? sen;
};

export const checkLineAccount = (state: LedgerState, code: string, path: string): Rejection | undefined => {
  const account = state.accounts.get(code);
  if (account === undefined) return rejection("AccountMustExist", `there is no account ${code}`, path);
  if (!account.open) return rejection("AccountMustBeOpen", `account ${code} is closed`, path);
  if (!account.postable) {
    return rejection(
      "AccountMustBePostable",
      `account ${code} is a header; post to one of its sub-accounts`,
      path,
    );
  }
  return undefined;
};

const checkLineMember = (state: LedgerState, line: EntryLine, path: string): Rejection | undefined =>
  line.memberId === null || state.members.has(line.memberId)
    ? undefined
    : rejection("MemberMustBeRegistered", `member ${line.memberId} is not registered`, `${path}.memberId`);

/**
 * No `noOverdraft` account may be below zero on its normal side as of ANY date once all lines are
 * posted. An entry dated `date` changes the balance at the end of that day and of every later day, so
 * the lowest of those balances plus the entry's change must stay at or above zero. (The balance after
 * all postings is the last of them, so the old all-dates check is part of this one.) An entry that
 * adds to the account cannot take it below zero and is not looked at further. Lines on the same
 * account are summed first.
 */
export const checkOverdraft = (
  state: LedgerState,
  date: LocalDate,
  lines: readonly EntryLine[],
): Rejection | undefined => {
  const deltas = new Map<string, { delta: bigint; firstIndex: number }>();
  for (const [index, line] of lines.entries()) {
    const account = state.accounts.get(line.account);
    if (account === undefined || !account.noOverdraft) continue;
    const sen = amountToSen(line.amount) ?? 0n;
    const current = deltas.get(line.account) ?? { delta: 0n, firstIndex: index };
    deltas.set(line.account, {
      delta: current.delta + signedForNormalBalance(line.side, account.normalBalance, sen),
      firstIndex: current.firstIndex,
    });
  }
  for (const [code, { delta, firstIndex }] of deltas) {
    if (delta >= 0n) continue;
    const lowest = lowestBalanceFrom(state.dailyBalances.get(code), date);
    if (lowest.balance + delta < 0n) {
      return rejection(
        "BalanceMustNotGoBelowZero",
        `account ${code} holds ${senToAmount(lowest.balance)} at the end of ${lowest.date}; this entry dated ${date} would take it below zero`,
        `lines[${firstIndex}].amount`,
      );
    }
  }
  return undefined;
};

/**
 * A contra account (one whose normal balance is the opposite of its type's: the allowances 1209/1219/1309,
 * accumulated depreciation 1690/1709, sales returns 4900, the uncovered loss 3610) reduces its group and
 * never crosses to the other side: accumulated depreciation cannot be debited beyond what was credited to
 * it. Checked against the balance after every posted entry, as the ledger holds it now.
 */
export const checkContraSides = (state: LedgerState, lines: readonly EntryLine[]): Rejection | undefined => {
  const deltas = new Map<string, { delta: bigint; firstIndex: number }>();
  for (const [index, line] of lines.entries()) {
    const account = state.accounts.get(line.account);
    if (account === undefined || account.normalBalance === normalBalanceOf(account.accountType)) continue;
    const sen = amountToSen(line.amount) ?? 0n;
    const current = deltas.get(line.account) ?? { delta: 0n, firstIndex: index };
    deltas.set(line.account, {
      delta: current.delta + signedForNormalBalance(line.side, account.normalBalance, sen),
      firstIndex: current.firstIndex,
    });
  }
  for (const [code, { delta, firstIndex }] of deltas) {
    const balance = state.accounts.get(code)?.balance ?? 0n;
    if (delta >= 0n || balance + delta >= 0n) continue;
    return rejection(
      "ContraAccountMustNotCrossSide",
      `account ${code} is a contra account holding ${senToAmount(balance)}; this entry would push it to the wrong side`,
      `lines[${firstIndex}].amount`,
    );
  }
  return undefined;
};

export const isRejection = (value: Rejection | CheckedLines): value is Rejection => "_tag" in value;

/**
 * The cooperative controls on the lines of an entry a person posts (docs/accounting.md, section 2), checked
 * after `checkLines` (so accounts exist and members are registered). `kind` says which apply: a reversal
 * may undo a mistaken simpanan pokok deposit, an adjusting entry may also post the system accounts. The
 * ledger's own closing, appropriation and member exit entries are built to obey them and are not checked.
 */
export const checkMemberControls = (
  state: LedgerState,
  date: LocalDate,
  lines: readonly EntryLine[],
  kind: EntryKind,
): Rejection | undefined => {
  for (const [index, line] of lines.entries()) {
    const account = state.accounts.get(line.account);
    if (account === undefined) continue;
    const problem =
      checkBusinessTags(account, line, `lines[${index}]`) ??
      checkMembership(state, date, line, kind, `lines[${index}].memberId`) ??
      checkHandPosting(account, line, kind, `lines[${index}].account`);
    if (problem !== undefined) return problem;
  }
  return undefined;
};

const checkBusinessTags = (account: AccountState, line: EntryLine, path: string): Rejection | undefined => {
  if (line.memberId !== null && line.counterparty === "non_member") {
    return rejection(
      "CounterpartyMustMatchMember",
      `a line naming member ${line.memberId} cannot say non_member`,
      `${path}.counterparty`,
    );
  }
  if (account.memberControl && line.memberId === null) {
    return rejection(
      "MemberMustBeNamed",
      `account ${account.code} is a member sub-ledger; every line on it names a member`,
      `${path}.memberId`,
    );
  }
  const opposite = account.businessWith === "member" ? "non_member" : "member";
  if (contradictsBusiness(account.businessWith, line)) {
    return rejection(
      "BusinessMustMatchAccount",
      `account ${account.code} holds ${account.businessWith === "member" ? "member" : "non-member"} business only; this line is tagged ${opposite}`,
      `${path}.${line.memberId !== null ? "memberId" : "counterparty"}`,
    );
  }
  return undefined;
};

/**
 * Nothing is posted for a member before they joined, nor once they have left, whatever its date (the exit
 * settled their balances as they stood; a back-dated line would leave a balance nobody settles), except the
 * payment of what the exit left owed to them and the payout of SHU owed to them: a RAT after the exit still
 * credits a member who took part in the year their share on 2401, and only a line naming them can pay it.
 */
const checkMembership = (
  state: LedgerState,
  date: LocalDate,
  line: EntryLine,
  kind: EntryKind,
  path: string,
): Rejection | undefined => {
  if (line.memberId === null) return undefined;
  const member = state.members.get(line.memberId);
  if (member?.pendingExit !== undefined && kind !== "member_exit") {
    // The approver approves the balances the exit settles; a posting in between would change them.
    return rejection(
      "MemberExitMustNotBePending",
      `member ${member.memberId}'s exit awaits its approver; nothing is posted for them until it is approved or rejected`,
      path,
    );
  }
  if (member === undefined || isMemberOn(member, date, line)) return undefined;
  return rejection(
    "MemberMustBeActiveOnDate",
    member.exitedOn !== null
      ? `member ${member.memberId} left on ${member.exitedOn}`
      : `member ${member.memberId} joined on ${member.joinedOn}`,
    path,
  );
};

const isMemberOn = (member: MemberState, date: LocalDate, line: EntryLine): boolean =>
  date >= member.joinedOn &&
  (member.exitedOn === null ||
    line.account === member.exitSettlementAccount ||
    (line.account === MEMBER_SHU_PAYABLE_ACCOUNT && line.side === "debit"));

const checkHandPosting = (
  account: AccountState,
  line: EntryLine,
  kind: EntryKind,
  path: string,
): Rejection | undefined => {
  if (account.systemAccount && kind !== "adjusting") {
    return rejection(
      "SystemAccountMustNotBePostedByHand",
      `account ${account.code} moves only through the close, the RAT decision or an approved adjusting entry`,
      path,
    );
  }
  if (account.code === SIMPANAN_POKOK_ACCOUNT && line.side === "debit" && kind === "regular") {
    return rejection(
      "SimpananPokokMustStayUntilExit",
      "simpanan pokok is returned only when the member leaves (member exit)",
      path,
    );
  }
  return undefined;
};

/** Above the threshold (strictly) an entry waits for a second officer; no threshold means none wait. */
export const needsApproval = (state: LedgerState, totalDebitSen: bigint): boolean => {
  const threshold = state.settings?.approvalThreshold ?? null;
  if (threshold === null) return false;
  const thresholdSen = amountToSen(threshold);
  return thresholdSen !== null && totalDebitSen > thresholdSen;
};
