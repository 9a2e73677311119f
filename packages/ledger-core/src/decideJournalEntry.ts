/**
 * Journal entries: post (or propose, above the approval threshold), approve, reject and reverse.
 */
import type { Either } from "fp-ts/lib/Either.js";
import { left, right } from "fp-ts/lib/Either.js";
import type {
  Actor,
  ApproveJournalEntry,
  PostJournalEntry,
  RejectJournalEntry,
  ReverseJournalEntry,
} from "./commands.js";
import { approvedExit } from "./decideMemberExit.js";
import type { EntryLine, LedgerEvent, LocalDate } from "./events.js";
import { REASON_LENGTH_MAX } from "./limits.js";
import {
  checkContraSides,
  checkDate,
  checkLines,
  checkMemberControls,
  checkMemo,
  checkOverdraft,
  checkPeriodOpen,
  isRejection,
  needsApproval,
} from "./postingRules.js";
import type { Rejection } from "./rejection.js";
import { rejection } from "./rejection.js";
import type { EntryState, LedgerState } from "./state.js";

type Decision = Either<Rejection, readonly LedgerEvent[]>;

export const decideJournalEntry = (
  command: PostJournalEntry | ApproveJournalEntry | RejectJournalEntry | ReverseJournalEntry,
  state: LedgerState,
): Decision => {
  switch (command.type) {
    case "PostJournalEntry":
      return postJournalEntry(command, state);
    case "ApproveJournalEntry":
      return approveJournalEntry(command, state);
    case "RejectJournalEntry":
      return rejectJournalEntry(command, state);
    case "ReverseJournalEntry":
      return reverseJournalEntry(command, state);
  }
};

const postJournalEntry = ({ data, actor }: PostJournalEntry, state: LedgerState): Decision => {
  const unique = checkEntryIdUnused(state, data.entryId, "entryId");
  if (unique !== undefined) return left(unique);
  const shape = checkMemo(data.memo, "memo") ?? checkDate(data.date, "date");
  if (shape !== undefined) return left(shape);
  const kind = data.kind ?? "regular";
  if (kind !== "regular" && kind !== "adjusting") {
    return left(rejection("FieldMustBeValid", "kind is regular or adjusting", "kind"));
  }
  const checked = checkLines(state, data.lines);
  if (isRejection(checked)) return left(checked);
  const rules =
    checkPeriodOpen(state, data.date, "date") ??
    checkMemberControls(state, data.date, checked.lines, kind) ??
    checkOverdraft(state, data.date, checked.lines) ??
    checkContraSides(state, checked.lines);
  if (rules !== undefined) return left(rules);
  // An adjusting entry corrects what no ordinary entry may touch, so it always waits for a second person.
  if (kind === "adjusting" || needsApproval(state, checked.totalDebitSen)) {
    return right([
      {
        type: "JournalEntryProposed",
        data: {
          entryId: data.entryId,
          date: data.date,
          memo: data.memo,
          lines: checked.lines,
          proposedBy: actor.principalId,
          ...(kind === "adjusting" ? { kind } : {}),
        },
      },
    ]);
  }
  return right([
    {
      type: "JournalEntryPosted",
      data: {
        entryId: data.entryId,
        kind: "regular",
        date: data.date,
        memo: data.memo,
        lines: checked.lines,
        postedBy: actor.principalId,
        proposedBy: null,
        reverses: null,
      },
    },
  ]);
};

const approveJournalEntry = ({ data, actor }: ApproveJournalEntry, state: LedgerState): Decision => {
  const found = pendingEntry(state, data.entryId);
  if ("_tag" in found) return left(found);
  if (found.proposedBy === actor.principalId) {
    return left(rejection("ApproverMustNotBeProposer", "the proposer of an entry cannot approve it"));
  }
  // Balances, accounts and periods may have changed since the proposal, so every rule is checked again.
  const checked = checkLines(state, found.lines);
  if (isRejection(checked)) return left(checked);
  const rules =
    checkPeriodOpen(state, found.date, "date") ??
    checkMemberControls(state, found.date, checked.lines, found.kind) ??
    checkOverdraft(state, found.date, checked.lines) ??
    checkContraSides(state, checked.lines);
  if (rules !== undefined) return left(rules);
  const exited = found.kind === "member_exit" ? approvedExit(state, found) : null;
  if (exited !== null && "_tag" in exited) return left(exited);
  return right([
    { type: "JournalEntryApproved", data: { entryId: found.entryId, approvedBy: actor.principalId } },
    {
      type: "JournalEntryPosted",
      data: {
        entryId: found.entryId,
        kind: found.kind,
        date: found.date,
        memo: found.memo,
        lines: checked.lines,
        postedBy: actor.principalId,
        proposedBy: found.proposedBy,
        reverses: null,
      },
    },
    ...(exited === null ? [] : [exited]),
  ]);
};

const rejectJournalEntry = ({ data, actor }: RejectJournalEntry, state: LedgerState): Decision => {
  const found = pendingEntry(state, data.entryId);
  if ("_tag" in found) return left(found);
  const reasonProblem = checkReason(data.reason);
  if (reasonProblem !== undefined) return left(reasonProblem);
  return right([
    {
      type: "JournalEntryRejected",
      data: { entryId: found.entryId, rejectedBy: actor.principalId, reason: data.reason },
    },
  ]);
};

const reverseJournalEntry = ({ data, actor }: ReverseJournalEntry, state: LedgerState): Decision => {
  const original = state.entries.get(data.entryId);
  if (original === undefined)
    return left(rejection("EntryMustExist", `there is no entry ${data.entryId}`, "entryId"));
  const linkProblem = checkReversible(original);
  if (linkProblem !== undefined) return left(linkProblem);
  const problem =
    checkEntryIdUnused(state, data.reversalEntryId, "reversalEntryId") ??
    checkReason(data.reason) ??
    checkDate(data.date, "date") ??
    checkReversalDate(original, data.date);
  if (problem !== undefined) return left(problem);
  const mirrored = original.lines.map(mirror);
  const checked = checkLines(state, mirrored);
  if (isRejection(checked)) return left(checked);
  const rules =
    checkPeriodOpen(state, data.date, "date") ??
    checkMemberControls(state, data.date, checked.lines, "reversal") ??
    checkOverdraft(state, data.date, checked.lines) ??
    checkContraSides(state, checked.lines);
  if (rules !== undefined) return left(rules);
  return right(reversalEvents(original.entryId, { ...data, lines: checked.lines }, actor));
};

/**
 * The two events of a reversal: the mirrored entry, dated and explained by the reversal, and the mark on
 * the original that it is reversed (a journal entry's reversal and a member exit's reversal alike).
 */
export const reversalEvents = (
  originalEntryId: string,
  reversal: {
    readonly reversalEntryId: string;
    readonly date: string;
    readonly reason: string;
    readonly lines: readonly EntryLine[];
  },
  actor: Actor,
): LedgerEvent[] => [
  {
    type: "JournalEntryPosted",
    data: {
      entryId: reversal.reversalEntryId,
      kind: "reversal",
      date: reversal.date,
      memo: reversal.reason,
      lines: reversal.lines,
      postedBy: actor.principalId,
      proposedBy: null,
      reverses: originalEntryId,
    },
  },
  {
    type: "JournalEntryReversed",
    data: { entryId: originalEntryId, reversedBy: reversal.reversalEntryId, reason: reversal.reason },
  },
];

const checkReversible = (original: EntryState): Rejection | undefined => {
  if (original.status !== "posted") {
    return rejection(
      "EntryMustBePosted",
      `entry ${original.entryId} is ${original.status}, not posted`,
      "entryId",
    );
  }
  if (original.kind === "reversal") {
    return rejection(
      "ReversalMustNotBeReversed",
      "a reversal cannot itself be reversed; post a new entry",
      "entryId",
    );
  }
  if (original.kind !== "regular") {
    return rejection(
      "SystemEntryMustNotBeReversed",
      original.kind === "member_exit"
        ? "a member_exit entry is undone by reversing the exit (members/{memberId}/exit/reverse), which reinstates the member"
        : original.kind === "adjusting"
          ? "an adjusting entry is corrected by another adjusting entry, not reversed"
          : `a ${original.kind} entry is undone by reopening, not reversal`,
      "entryId",
    );
  }
  if (original.reversedBy !== null) {
    return rejection("EntryMustNotBeReversed", `entry ${original.entryId} is already reversed`, "entryId");
  }
  return undefined;
};

/**
 * A reversal undoes its original from its own date on; dated before the original it would show the
 * undoing before the thing undone, with reports in between showing neither or the mirror alone.
 */
const checkReversalDate = (original: EntryState, date: LocalDate): Rejection | undefined =>
  date < original.date
    ? rejection(
        "ReversalMustNotPrecedeOriginal",
        `a reversal must be dated on or after the entry it reverses; ${original.entryId} is dated ${original.date}`,
        "date",
      )
    : undefined;

const mirror = (line: EntryLine): EntryLine => ({
  ...line,
  side: line.side === "debit" ? "credit" : "debit",
});

const pendingEntry = (state: LedgerState, entryId: string): EntryState | Rejection => {
  const entry = state.entries.get(entryId);
  if (entry === undefined) return rejection("EntryMustExist", `there is no entry ${entryId}`, "entryId");
  if (entry.status !== "pending")
    return rejection("EntryMustBePending", `entry ${entryId} is ${entry.status}`);
  return entry;
};

export { mirror };

export const checkEntryIdUnused = (
  state: LedgerState,
  entryId: string,
  path: string,
): Rejection | undefined =>
  typeof entryId === "string" && entryId.length > 0 && !state.entries.has(entryId)
    ? undefined
    : rejection("EntryIdMustBeUnique", `entry id ${entryId} is empty or already used`, path);

export const checkReason = (reason: unknown): Rejection | undefined =>
  typeof reason === "string" && reason.trim().length > 0 && reason.length <= REASON_LENGTH_MAX
    ? undefined
    : rejection("FieldMustBeValid", `a reason is 1 to ${REASON_LENGTH_MAX} characters`, "reason");
