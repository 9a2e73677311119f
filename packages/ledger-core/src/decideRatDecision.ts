/**
 * The members' meeting (RAT) decision on a closed year's SHU, with four eyes: the treasurer records it
 * (`RatDecisionProposed`), an approver other than the treasurer posts it (the appropriation entry and
 * `RatDecisionRecorded`) or turns it down. Both steps check every rule, since the ledger may change between
 * them. docs/accounting.md gives the steps with a worked example.
 */
import { allocate, fromSen, toSen } from "@bukubesar/money";
import type { Either } from "fp-ts/lib/Either.js";
import { left, right } from "fp-ts/lib/Either.js";
import type { Actor, RecordRatDecision } from "./commands.js";
import { isYear, yearEnd } from "./dates.js";
import { checkEntryIdUnused } from "./decideJournalEntry.js";
import type { EntryLine, LedgerEvent, LocalDate } from "./events.js";
import { checkDate, checkLineAccount, checkPeriodOpen } from "./postingRules.js";
import type { Rejection } from "./rejection.js";
import { rejection } from "./rejection.js";
import type { ShuAllocationKey } from "./shuAllocation.js";
import { shuAllocationAccounts, shuAllocationKeys } from "./shuAllocation.js";
import type { LedgerState, PendingRatDecision } from "./state.js";
import { assertBalanced, checkSystemAccount, systemLine } from "./yearEndLines.js";

type Decision = Either<Rejection, readonly LedgerEvent[]>;

/** A percentage: up to three integer digits and four fraction digits ("2.5", "33.3333"). */
const PERCENT_PATTERN = /^\d{1,3}(\.\d{1,4})?$/;
/** Percentages are compared exactly as integers in units of 1/10,000 of a percent. */
const PERCENT_SCALE = 10_000n;
const HUNDRED_PERCENT = 100n * PERCENT_SCALE;

/** The treasurer's step: every rule is checked now, so the approver is never asked to post a bad decision. */
export const proposeRatDecision = ({ data, actor }: RecordRatDecision, state: LedgerState): Decision => {
  if (isYear(data.year) && state.pendingRatDecisions.has(data.year)) {
    return left(
      rejection(
        "YearEndStepMustNotBePending",
        `a RAT decision for ${data.year} already awaits an approver`,
        "year",
      ),
    );
  }
  const appropriation = ratDecisionEvents(
    state,
    data.year,
    { ...data, proposedBy: actor.principalId },
    actor,
  );
  if ("_tag" in appropriation) return left(appropriation);
  return right([
    {
      type: "RatDecisionProposed",
      data: {
        year: data.year,
        decidedOn: data.decidedOn,
        allocation: data.allocation,
        entryId: data.entryId,
        proposedBy: actor.principalId,
      },
    },
  ]);
};

/** The approver's step: the proposal's appropriation entry, posted by the approver, and the decision. */
export const approveRatDecision = (
  year: number,
  proposal: PendingRatDecision,
  actor: Actor,
  state: LedgerState,
): Decision => {
  const events = ratDecisionEvents(state, year, proposal, actor);
  return "_tag" in events ? left(events) : right(events);
};

const ratDecisionEvents = (
  state: LedgerState,
  year: number,
  decision: PendingRatDecision,
  actor: Actor,
): Rejection | LedgerEvent[] => {
  if (!isYear(year)) return rejection("FieldMustBeValid", "the year must be a four-digit year", "year");
  const closing = state.closedFiscalYears.get(year);
  if (closing === undefined) {
    return rejection("FiscalYearMustBeClosed", `close fiscal year ${year} before recording its RAT`, "year");
  }
  if (state.ratDecisions.has(year)) {
    return rejection("RatDecisionMustBeFirst", `the RAT decision for ${year} is already recorded`, "year");
  }
  const problem =
    checkDate(decision.decidedOn, "decidedOn") ??
    checkDecidedAfterYearEnd(year, decision.decidedOn) ??
    checkEntryIdUnused(state, decision.entryId, "entryId") ??
    checkAllocation(decision.allocation);
  if (problem !== undefined) return problem;
  if (closing.shu <= 0n || closing.resultAccount === null) {
    return rejection("ShuMustBePositive", `fiscal year ${year} has no SHU to allocate`, "year");
  }
  const accountProblem = checkSystemAccount(state, closing.resultAccount);
  if (accountProblem !== undefined) return accountProblem;
  const lines = appropriationLines(closing.shu, closing.resultAccount, decision.allocation);
  for (const [index, line] of lines.entries()) {
    const lineProblem = checkLineAccount(state, line.account, `allocation.${line.memo ?? index}`);
    if (lineProblem !== undefined) return lineProblem;
  }
  const periodProblem = checkPeriodOpen(state, decision.decidedOn, "decidedOn");
  if (periodProblem !== undefined) return periodProblem;
  return [
    {
      type: "JournalEntryPosted",
      data: {
        entryId: decision.entryId,
        kind: "appropriation",
        date: decision.decidedOn,
        memo: `Pembagian SHU tahun buku ${year} (keputusan RAT ${decision.decidedOn})`,
        lines,
        postedBy: actor.principalId,
        proposedBy: decision.proposedBy,
        reverses: null,
      },
    },
    {
      type: "RatDecisionRecorded",
      data: {
        year,
        decidedOn: decision.decidedOn,
        allocation: decision.allocation,
        entryId: decision.entryId,
      },
    },
  ];
};

/**
 * The RAT distributes a year's SHU only after that year has ended, and its appropriation entry is dated
 * on the decision day; dated inside the year (or before it) the entry would change the very year whose
 * result it distributes, or an earlier one.
 */
const checkDecidedAfterYearEnd = (year: number, decidedOn: LocalDate): Rejection | undefined =>
  decidedOn > yearEnd(year)
    ? undefined
    : rejection(
        "RatDecisionMustFollowYearEnd",
        `the RAT decision for fiscal year ${year} must be dated after ${yearEnd(year)}`,
        "decidedOn",
      );

/**
 * Dr the account holding the year's result (3600 SHU Belum Dibagi) for the whole SHU; Cr each allocation
 * key's account for its share. The shares are split by largest remainder, so they sum to the SHU exactly;
 * a share of zero gets no line. Each credit line's memo names its allocation key, so reports can tell
 * jasa usaha from jasa modal in 2401.
 */
const appropriationLines = (
  shuSen: bigint,
  resultAccount: string,
  allocation: Readonly<Record<string, string>>,
): EntryLine[] => {
  const keys = shuAllocationKeys.filter((key) => allocation[key] !== undefined);
  const parts = allocate(
    fromSen(shuSen),
    keys.map((key) => allocation[key] as string),
    { unit: "sen" },
  );
  const lines: EntryLine[] = [systemLine(resultAccount, "debit", shuSen)];
  keys.forEach((key, index) => {
    const sen = toSen(parts[index] ?? fromSen(0n));
    if (sen > 0n) lines.push({ ...systemLine(shuAllocationAccounts[key], "credit", sen), memo: key });
  });
  assertBalanced(lines);
  return lines;
};

const checkAllocation = (allocation: Readonly<Record<string, string>>): Rejection | undefined => {
  if (typeof allocation !== "object" || allocation === null) {
    return rejection("AllocationMustBeValid", "the allocation maps keys to percentages", "allocation");
  }
  let total = 0n;
  for (const [key, percent] of Object.entries(allocation)) {
    if (!shuAllocationKeys.includes(key as ShuAllocationKey)) {
      return rejection("AllocationMustBeValid", `unknown allocation key ${key}`, `allocation.${key}`);
    }
    if (typeof percent !== "string" || !PERCENT_PATTERN.test(percent)) {
      return rejection(
        "AllocationMustBeValid",
        'a percentage is a decimal string like "2.5"',
        `allocation.${key}`,
      );
    }
    total += percentUnits(percent);
  }
  if (total !== HUNDRED_PERCENT) {
    return rejection(
      "AllocationMustSumToHundred",
      "the allocation's percentages must sum to exactly 100",
      "allocation",
    );
  }
  // UU 25/1992 Pasal 45(2): reserves are deducted first, so a decision without them is not valid.
  if (allocation.cadangan === undefined || percentUnits(allocation.cadangan) === 0n) {
    return rejection(
      "AllocationMustBeValid",
      "the reserve (cadangan) share must be above zero",
      "allocation.cadangan",
    );
  }
  return undefined;
};

const percentUnits = (percent: string): bigint => {
  const [integer = "0", fraction = ""] = percent.split(".");
  return BigInt(integer) * PERCENT_SCALE + BigInt(fraction.padEnd(4, "0"));
};
