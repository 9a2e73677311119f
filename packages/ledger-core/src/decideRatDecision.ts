/**
 * The members' meeting (RAT) decision on a closed year's SHU, with four eyes: the treasurer records it
 * (`RatDecisionProposed`), an approver other than the treasurer posts it (the appropriation entry and
 * `RatDecisionRecorded`) or turns it down. Both steps check every rule, since the ledger may change between
 * them. docs/accounting.md gives the steps with a worked example.
 */
import { allocate, fromSen, toSen } from "@bukubesar/money";
import type { Either } from "fp-ts/lib/Either.js";
import { left, right } from "fp-ts/lib/Either.js";
import { amountToSen, senToAmount } from "./amounts.js";
import type { Actor, RecordRatDecision } from "./commands.js";
import { isYear, yearEnd } from "./dates.js";
import { checkEntryIdUnused } from "./decideJournalEntry.js";
import type { EntryLine, LedgerEvent, LocalDate } from "./events.js";
import { checkDate, checkLineAccount, checkPeriodOpen } from "./postingRules.js";
import type { Rejection } from "./rejection.js";
import { rejection } from "./rejection.js";
import type { ShuAllocationKey } from "./shuAllocation.js";
import {
  ACCUMULATED_LOSS_ACCOUNT,
  RESERVE_ACCOUNT,
  shuAllocationAccounts,
  shuAllocationKeys,
} from "./shuAllocation.js";
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
  const proposal: PendingRatDecision = {
    decidedOn: data.decidedOn,
    allocation: data.allocation,
    lossCoverage: data.lossCoverage ?? null,
    entryId: data.entryId,
    proposedBy: actor.principalId,
  };
  const checked = ratDecisionEvents(state, data.year, proposal, actor);
  if ("_tag" in checked) return left(checked);
  return right([{ type: "RatDecisionProposed", data: { year: data.year, ...proposal } }]);
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

/** What a decision posts: the appropriation of a year with SHU, or the coverage of a loss year. */
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
    checkPeriodOpen(state, decision.decidedOn, "decidedOn");
  if (problem !== undefined) return problem;
  const posting =
    closing.shu < 0n
      ? lossCoverageLines(state, -closing.shu, decision)
      : appropriation(state, closing.shu, closing.resultAccount, decision);
  if ("_tag" in posting) return posting;
  for (const [index, line] of posting.lines.entries()) {
    const lineProblem = checkLineAccount(state, line.account, `allocation.${line.memo ?? index}`);
    if (lineProblem !== undefined) return lineProblem;
  }
  const posted = posting.lines.length > 0;
  const recorded: LedgerEvent = {
    type: "RatDecisionRecorded",
    data: {
      year,
      decidedOn: decision.decidedOn,
      allocation: decision.allocation,
      entryId: posted ? decision.entryId : null,
      lossCoverage: decision.lossCoverage,
      priorLossCovered: senToAmount(posting.priorLossCoveredSen),
    },
  };
  if (!posted) return [recorded];
  const memo =
    closing.shu < 0n
      ? `Penutupan rugi tahun buku ${year} dari cadangan (keputusan RAT ${decision.decidedOn})`
      : `Pembagian SHU tahun buku ${year} (keputusan RAT ${decision.decidedOn})`;
  return [
    {
      type: "JournalEntryPosted",
      data: {
        entryId: decision.entryId,
        kind: "appropriation",
        date: decision.decidedOn,
        memo,
        lines: posting.lines,
        postedBy: actor.principalId,
        proposedBy: decision.proposedBy,
        reverses: null,
      },
    },
    recorded,
  ];
};

interface Posting {
  readonly lines: EntryLine[];
  readonly priorLossCoveredSen: bigint;
}

/**
 * A year with SHU: earlier years' loss still in 3610 is covered first from it (Dr 3600, Cr 3610, memo
 * `kerugianTahunLalu`), the cooperative's default AD/ART rule; the rest is divided by the percentages.
 */
const appropriation = (
  state: LedgerState,
  shuSen: bigint,
  resultAccount: string | null,
  decision: PendingRatDecision,
): Rejection | Posting => {
  if (decision.lossCoverage !== null) {
    return rejection("LossCoverageMustBeValid", "only a loss year's decision covers a loss", "lossCoverage");
  }
  const allocationProblem = checkAllocation(decision.allocation);
  if (allocationProblem !== undefined) return allocationProblem;
  if (shuSen === 0n || resultAccount === null) {
    return rejection("ShuMustBePositive", "the year has no SHU to allocate", "year");
  }
  const accountProblem = checkSystemAccount(state, resultAccount);
  if (accountProblem !== undefined) return accountProblem;
  const uncovered = state.accounts.get(ACCUMULATED_LOSS_ACCOUNT)?.balance ?? 0n;
  const priorLossCoveredSen = uncovered > 0n ? (uncovered < shuSen ? uncovered : shuSen) : 0n;
  const lines = [systemLine(resultAccount, "debit", shuSen)];
  if (priorLossCoveredSen > 0n) {
    lines.push({
      ...systemLine(ACCUMULATED_LOSS_ACCOUNT, "credit", priorLossCoveredSen),
      memo: PRIOR_LOSS_MEMO,
    });
  }
  lines.push(...allocationLines(shuSen - priorLossCoveredSen, decision.allocation));
  assertBalanced(lines);
  return { lines, priorLossCoveredSen };
};

/** The line memo of the part of a year's SHU that covers earlier years' loss. */
export const PRIOR_LOSS_MEMO = "kerugianTahunLalu";

/**
 * A loss year: the parts must sum exactly to the loss; the part from the reserve is charged to 3500
 * Cadangan (Dr 3500, Cr 3610, memo `cadangan`), at most what the reserve holds; the part carried forward
 * stays in 3610 and needs no entry.
 */
const lossCoverageLines = (
  state: LedgerState,
  lossSen: bigint,
  decision: PendingRatDecision,
): Rejection | Posting => {
  const coverage = decision.lossCoverage;
  if (coverage === null || Object.keys(decision.allocation).length > 0) {
    return rejection(
      "LossCoverageMustBeValid",
      "a loss year's decision says how the loss is covered (lossCoverage) and divides nothing (no allocation)",
      "lossCoverage",
    );
  }
  const fromReserve = amountToSen(coverage.fromReserve);
  const carriedForward = amountToSen(coverage.carriedForward);
  if (fromReserve === null || carriedForward === null) {
    return rejection("LossCoverageMustBeValid", "the coverage parts are amounts", "lossCoverage");
  }
  if (fromReserve + carriedForward !== lossSen) {
    return rejection(
      "LossCoverageMustEqualLoss",
      `the coverage parts must sum exactly to the loss of ${senToAmount(lossSen)}`,
      "lossCoverage",
    );
  }
  const reserve = state.accounts.get(RESERVE_ACCOUNT)?.balance ?? 0n;
  if (fromReserve > reserve) {
    return rejection(
      "LossCoverageMustNotExceedReserve",
      `the reserve (${RESERVE_ACCOUNT}) holds ${senToAmount(reserve)}; it cannot cover ${senToAmount(fromReserve)}`,
      "lossCoverage.fromReserve",
    );
  }
  const problem = checkSystemAccount(state, ACCUMULATED_LOSS_ACCOUNT);
  if (problem !== undefined) return problem;
  if (fromReserve === 0n) return { lines: [], priorLossCoveredSen: 0n };
  return {
    lines: [
      { ...systemLine(RESERVE_ACCOUNT, "debit", fromReserve), memo: "cadangan" },
      systemLine(ACCUMULATED_LOSS_ACCOUNT, "credit", fromReserve),
    ],
    priorLossCoveredSen: 0n,
  };
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
 * Cr each allocation key's account for its share of `poolSen`. The shares are split by largest remainder,
 * so they sum to the pool exactly; a share of zero gets no line. Each line's memo names its allocation key,
 * so reports can tell jasa usaha from jasa modal in 2401.
 */
/**
 * The SHU pool split over an allocation's keys in sen by @bukubesar/money's largest remainder, in the
 * ledger's key order (shuAllocationKeys): what the RAT decision posts. The SHU report uses the same split
 * for the proposed division before the decision, so the proposal is exactly what the RAT would post.
 */
export const shuAllocationSen = (
  poolSen: bigint,
  allocation: Readonly<Record<string, string>>,
): Array<{ readonly key: ShuAllocationKey; readonly sen: bigint }> => {
  if (poolSen <= 0n) return [];
  const keys = shuAllocationKeys.filter((key) => allocation[key] !== undefined);
  const parts = allocate(
    fromSen(poolSen),
    keys.map((key) => allocation[key] as string),
    { unit: "sen" },
  );
  return keys.map((key, index) => ({ key, sen: toSen(parts[index] ?? fromSen(0n)) }));
};

const allocationLines = (poolSen: bigint, allocation: Readonly<Record<string, string>>): EntryLine[] =>
  shuAllocationSen(poolSen, allocation)
    .filter((part) => part.sen > 0n)
    .map((part) => ({ ...systemLine(shuAllocationAccounts[part.key], "credit", part.sen), memo: part.key }));

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
