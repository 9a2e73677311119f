/**
 * Tagging an existing account with the chart's control tags (docs/accounting.md, section 1). A ledger
 * opened before the tags existed has accounts without them, so simpanan wajib posted there is no member
 * sub-ledger and a member's exit leaves it behind. The tag is set as an event of its own; the history
 * before it is not re-read under the new rule, but it must not contradict the rule from now on: a member
 * sub-ledger must add up, member business must not already hold non-member lines.
 */

import { wireToSen } from "@bukubesar/money";
import type { Either } from "fp-ts/lib/Either.js";
import { left, right } from "fp-ts/lib/Either.js";
import { senToAmount, signedForNormalBalance } from "./amounts.js";
import type { TagAccount } from "./commands.js";
import type { AccountTagged, BusinessWith, LedgerEvent } from "./events.js";
import { contradictsBusiness } from "./memberAccounts.js";
import type { Rejection } from "./rejection.js";
import { rejection } from "./rejection.js";
import type { AccountState, LedgerState } from "./state.js";
import { postedLinesOn } from "./state.js";

type Decision = Either<Rejection, readonly LedgerEvent[]>;

/** Member sub-ledgers hold what members own or owe, never a year's income or expense (the close empties those). */
const MEMBER_CONTROL_TYPES: ReadonlySet<string> = new Set(["asset", "liability", "equity"]);

export const decideAccountTags = ({ data }: TagAccount, state: LedgerState): Decision => {
  const account = state.accounts.get(data.code);
  if (account === undefined)
    return left(rejection("AccountMustExist", `there is no account ${data.code}`, "code"));
  if (!account.open) return left(rejection("AccountMustBeOpen", `account ${data.code} is closed`, "code"));
  const tagged = newTags(account, data);
  if ("_tag" in tagged) return left(tagged);
  const problem =
    (tagged.data.memberControl === true ? checkMemberControl(state, account) : undefined) ??
    (tagged.data.businessWith !== undefined
      ? checkBusinessHistory(state, account.code, tagged.data.businessWith)
      : undefined) ??
    (tagged.data.systemAccount === true ? checkSystemAccount(account) : undefined);
  return problem === undefined ? right([tagged]) : left(problem);
};

/** The tags the command adds; refused when it adds none, or would remove or change one already set. */
const newTags = (account: AccountState, data: TagAccount["data"]): AccountTagged | Rejection => {
  const changed = changedTagProblem(account, data);
  if (changed !== undefined) return changed;
  const tags = addedTags(account, data);
  if (Object.keys(tags).length === 1) {
    return rejection(
      "FieldMustBeValid",
      `give at least one tag account ${account.code} does not have yet (memberControl, businessWith, systemAccount)`,
    );
  }
  if (tags.memberControl === true && (tags.systemAccount === true || account.systemAccount)) {
    return rejection(
      "FieldMustBeValid",
      "a system account names no member, so it cannot also be a member sub-ledger",
      "memberControl",
    );
  }
  return { type: "AccountTagged", data: tags };
};

/** Refuses a command that would remove or change a control tag already set. */
const changedTagProblem = (account: AccountState, data: TagAccount["data"]): Rejection | undefined => {
  const locked = (field: string, now: string) =>
    rejection(
      "AccountTagMustNotChange",
      `account ${account.code} already has ${field} ${now}; a control tag once set is not removed or changed`,
      field,
    );
  if (data.memberControl === false && account.memberControl) return locked("memberControl", "true");
  if (data.systemAccount === false && account.systemAccount) return locked("systemAccount", "true");
  const businessWith = data.businessWith;
  if (businessWith !== undefined && account.businessWith !== null && businessWith !== account.businessWith)
    return locked("businessWith", account.businessWith);
  return undefined;
};

/** The tags the command sets that the account does not have yet (always with the account's code). */
const addedTags = (account: AccountState, data: TagAccount["data"]): AccountTagged["data"] => {
  const tags: { -readonly [K in keyof AccountTagged["data"]]: AccountTagged["data"][K] } = {
    code: account.code,
  };
  const businessWith = data.businessWith;
  if (data.memberControl === true && !account.memberControl) tags.memberControl = true;
  if ((businessWith === "member" || businessWith === "non_member") && account.businessWith === null)
    tags.businessWith = businessWith;
  if (data.systemAccount === true && !account.systemAccount) tags.systemAccount = true;
  return tags;
};

/**
 * A member sub-ledger adds up only if what was posted there without a member nets to zero, and settles only
 * if no member who already left still holds a balance there (their exit could not have settled it).
 */
const checkMemberControl = (state: LedgerState, account: AccountState): Rejection | undefined => {
  if (!MEMBER_CONTROL_TYPES.has(account.accountType) || account.noOverdraft) {
    return rejection(
      "FieldMustBeValid",
      `account ${account.code} is ${account.noOverdraft ? "cash or bank" : `an ${account.accountType} account`}; a member sub-ledger is an asset, liability or equity account other than cash`,
      "memberControl",
    );
  }
  const { unnamed, byMember } = balancesByMember(state, account);
  if (unnamed !== 0n) {
    return rejection(
      "AccountHistoryMustFitTag",
      `${senToAmount(unnamed < 0n ? -unnamed : unnamed)} on account ${account.code} names no member; move it to the members it belongs to (a line without a member against one naming each member) before tagging`,
      "memberControl",
    );
  }
  return exitedMemberHoldingProblem(state, account, byMember);
};

/** What the account's posted lines hold per member, and what they hold naming no member. */
const balancesByMember = (
  state: LedgerState,
  account: AccountState,
): { readonly unnamed: bigint; readonly byMember: ReadonlyMap<string, bigint> } => {
  const byMember = new Map<string, bigint>();
  let unnamed = 0n;
  for (const line of postedLinesOn(state, account.code)) {
    const delta = signedForNormalBalance(line.side, account.normalBalance, wireToSen(line.amount));
    if (line.memberId === null) unnamed += delta;
    else byMember.set(line.memberId, (byMember.get(line.memberId) ?? 0n) + delta);
  }
  return { unnamed, byMember };
};

const exitedMemberHoldingProblem = (
  state: LedgerState,
  account: AccountState,
  byMember: ReadonlyMap<string, bigint>,
): Rejection | undefined => {
  for (const [memberId, balance] of byMember) {
    const member = state.members.get(memberId);
    if (balance !== 0n && member !== undefined && member.exitedOn !== null) {
      return rejection(
        "AccountHistoryMustFitTag",
        `member ${memberId}, who left on ${member.exitedOn}, still holds ${senToAmount(balance)} on ${account.code}; reverse their exit, tag the account, and record the exit again`,
        "memberControl",
      );
    }
  }
  return undefined;
};

const checkBusinessHistory = (
  state: LedgerState,
  code: string,
  businessWith: BusinessWith,
): Rejection | undefined => {
  for (const line of postedLinesOn(state, code)) {
    if (!contradictsBusiness(businessWith, line)) continue;
    return rejection(
      "AccountHistoryMustFitTag",
      `account ${code} already holds a line tagged ${line.counterparty}; it cannot be tagged ${businessWith} business only`,
      "businessWith",
    );
  }
  return undefined;
};

/** The close, the RAT decision and loss coverage move equity only; a system account is an equity account. */
const checkSystemAccount = (account: AccountState): Rejection | undefined =>
  account.accountType === "equity"
    ? undefined
    : rejection(
        "FieldMustBeValid",
        `account ${account.code} is an ${account.accountType} account; system accounts are equity accounts`,
        "systemAccount",
      );
