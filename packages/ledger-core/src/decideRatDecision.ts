/**
 * The members' meeting (RAT) decision on a closed year's SHU, with four eyes: the treasurer records it
 * (`RatDecisionProposed`), an approver other than the treasurer posts it (the appropriation entry and
 * `RatDecisionRecorded`) or turns it down. Both steps check every rule, since the ledger may change between
 * them. docs/accounting.md gives the steps with a worked example.
 */
import { allocate, fromSen, toSen } from "@bukubesar/money";
import type { Either } from "fp-ts/lib/Either.js";
import { left, right } from "fp-ts/lib/Either.js";
import { amountToSen, recordedAmountToSen, senToAmount } from "./amounts.js";
import type { Actor, RecordRatDecision } from "./commands.js";
import { isYear, yearEnd } from "./dates.js";
import { checkEntryIdUnused } from "./decideJournalEntry.js";
import type {
  EntryLine,
  LedgerEvent,
  LocalDate,
  LossCoverage,
  RatDecisionRecorded,
  ShuRules,
} from "./events.js";
import { ENTRY_ID_NAMESPACE, uuidV5 } from "./ids.js";
import { checkDate, checkLineAccount, checkPeriodOpen } from "./postingRules.js";
import type { Rejection } from "./rejection.js";
import { rejection } from "./rejection.js";
import type { ShuAllocationKey } from "./shuAllocation.js";
import {
  ACCUMULATED_LOSS_ACCOUNT,
  MEMBER_SHU_PAYABLE_ACCOUNT,
  RESERVE_ACCOUNT,
  RESIDUE_MEMO_PREFIX,
  shuAllocationAccounts,
  shuAllocationKeys,
} from "./shuAllocation.js";
import { divideMemberPools, type MemberDivision, shuParticipation } from "./shuDivision.js";
import {
  checkAllocation,
  checkAllocationFollowsRules,
  LOSS_COVERAGE_DECISION,
  shuRulesOf,
} from "./shuRules.js";
import type { EntryState, FiscalYearClosing, LedgerState, PendingRatDecision } from "./state.js";
import { assertBalanced, checkSystemAccount, systemLine } from "./yearEndLines.js";

type Decision = Either<Rejection, readonly LedgerEvent[]>;

/** The sen of an amount the ledger built itself (no digit limit, never malformed). */
const recordedSen = (amount: string): bigint => recordedAmountToSen(amount) ?? 0n;

/**
 * Lines one appropriation entry holds. An appropriation has two lines per member (jasa modal and jasa usaha
 * on 2401) and a few for the other keys; at about 200 bytes a line, 2,000 lines keep one event near 400 KB,
 * well under the store's 1 MiB per event. A larger appropriation is posted as several entries (parts), each
 * balanced on its own by a debit of the result account for its credits.
 */
export const APPROPRIATION_ENTRY_LINES_MAX = 2_000;

/**
 * Lines an appropriation may have in all (its parts are appended in one atomic append): 100,000, two per
 * member for 50,000 members, ten times the largest KKMP expected; the append is then about 20 MB.
 */
export const APPROPRIATION_LINES_MAX = 100_000;

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
    ...withAdArtDefaults(state, data),
    decidedOn: data.decidedOn,
    entryId: data.entryId,
    proposedBy: actor.principalId,
    unattributedJasaUsaha: data.unattributedJasaUsaha ?? null,
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
  const closing = closingToDecide(state, year, decision);
  if ("_tag" in closing) return closing;
  const posting =
    closing.shu < 0n
      ? lossCoverageLines(state, -closing.shu, decision)
      : appropriation(state, year, closing.shu, closing.resultAccount, decision);
  if ("_tag" in posting) return posting;
  const postingProblem = checkPostingLines(state, posting);
  if (postingProblem !== undefined) return postingProblem;
  const posted = posting.lines.length > 0;
  const recorded: RatDecisionRecorded = {
    type: "RatDecisionRecorded",
    data: {
      year,
      decidedOn: decision.decidedOn,
      allocation: decision.allocation,
      entryId: posted ? decision.entryId : null,
      lossCoverage: decision.lossCoverage,
      priorLossCovered: senToAmount(posting.priorLossCoveredSen),
      unattributedJasaUsaha: decision.unattributedJasaUsaha,
    },
  };
  if (!posted) return [recorded];
  return appropriationEvents(state, { year, closing, decision, actor, posting, recorded });
};

/** The closed year whose result the decision distributes or covers, or why it cannot be decided now. */
const closingToDecide = (
  state: LedgerState,
  year: number,
  decision: PendingRatDecision,
): FiscalYearClosing | Rejection => {
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
    checkPeriodOpen(state, decision.decidedOn, "decidedOn") ??
    checkResultStillHeld(state, closing);
  return problem ?? closing;
};

/** Refuses a posting with more lines than the decision may post, or a line on an account it may not use. */
const checkPostingLines = (state: LedgerState, posting: Posting): Rejection | undefined => {
  if (posting.lines.length > APPROPRIATION_LINES_MAX) {
    return rejection(
      "LineCountExceedsMax",
      `the appropriation would have ${posting.lines.length} lines; at most ${APPROPRIATION_LINES_MAX}`,
      "year",
    );
  }
  for (const [index, line] of posting.lines.entries()) {
    const lineProblem = checkLineAccount(state, line.account, `allocation.${keyOfMemo(line.memo) ?? index}`);
    if (lineProblem !== undefined) return lineProblem;
  }
  return undefined;
};

/** The posting as one or more appropriation entries, then the decision (naming every part's id if split). */
const appropriationEvents = (
  state: LedgerState,
  context: {
    readonly year: number;
    readonly closing: FiscalYearClosing;
    readonly decision: PendingRatDecision;
    readonly actor: Actor;
    readonly posting: Posting;
    readonly recorded: RatDecisionRecorded;
  },
): Rejection | LedgerEvent[] => {
  const { year, closing, decision, actor, posting, recorded } = context;
  const memo =
    closing.shu < 0n
      ? `Penutupan rugi tahun buku ${year} dari cadangan (keputusan RAT ${decision.decidedOn})`
      : `Pembagian SHU tahun buku ${year} (keputusan RAT ${decision.decidedOn})`;
  const parts = appropriationParts(posting.lines, decision.entryId);
  for (const part of parts.slice(1)) {
    const unused = checkEntryIdUnused(state, part.entryId, "entryId");
    if (unused !== undefined) return unused;
  }
  const entries: LedgerEvent[] = parts.map((part, index) => ({
    type: "JournalEntryPosted",
    data: {
      entryId: part.entryId,
      kind: "appropriation",
      date: decision.decidedOn,
      memo: parts.length === 1 ? memo : `${memo}, bagian ${index + 1} dari ${parts.length}`,
      lines: part.lines,
      postedBy: actor.principalId,
      proposedBy: decision.proposedBy,
      reverses: null,
    },
  }));
  if (parts.length === 1) return [...entries, recorded];
  const entryIds = parts.map((part) => part.entryId);
  return [...entries, { ...recorded, data: { ...recorded.data, entryIds } }];
};

/**
 * The appropriation's lines as entries of at most APPROPRIATION_ENTRY_LINES_MAX lines. The first keeps the
 * decision's entry id and the lines before the members' (the result's debit, the loss covered, the other
 * keys); every part after it debits the result account (the first line's account) for exactly the credits
 * it carries, and the first part's debit is lowered by as much, so each part balances and together they
 * post the same amounts as one entry would. Later parts get ids derived from the first
 * (`appropriationPartId`).
 */
const appropriationParts = (
  lines: readonly EntryLine[],
  entryId: string,
): Array<{ readonly entryId: string; readonly lines: EntryLine[] }> => {
  if (lines.length <= APPROPRIATION_ENTRY_LINES_MAX) return [{ entryId, lines: [...lines] }];
  const [resultLine, ...credits] = lines as [EntryLine, ...EntryLine[]];
  const perPart = APPROPRIATION_ENTRY_LINES_MAX - 1;
  const chunks: EntryLine[][] = [];
  for (let start = 0; start < credits.length; start += perPart)
    chunks.push(credits.slice(start, start + perPart));
  const creditSen = (chunk: readonly EntryLine[]) =>
    chunk.reduce((total, line) => total + recordedSen(line.amount), 0n);
  const later = chunks.slice(1).map((chunk, index) => ({
    entryId: appropriationPartId(entryId, index + 2),
    lines: [{ ...resultLine, amount: senToAmount(creditSen(chunk)) }, ...chunk],
  }));
  const first = chunks[0] as EntryLine[];
  return [{ entryId, lines: [{ ...resultLine, amount: senToAmount(creditSen(first)) }, ...first] }, ...later];
};

/** The id of part `part` (2, 3, …) of an appropriation whose first entry is `entryId`: derived, so a replay gives the same. */
export const appropriationPartId = (entryId: string, part: number): string =>
  uuidV5(ENTRY_ID_NAMESPACE, `${entryId}\u0000appropriation-part\u0000${part}`);

interface Posting {
  readonly lines: EntryLine[];
  readonly priorLossCoveredSen: bigint;
}

/**
 * A year with SHU: earlier years' loss still in 3610 is covered first from it (Dr 3600, Cr 3610, memo
 * `kerugianTahunLalu`), the cooperative's AD/ART rule; the rest is divided by the percentages, the two member
 * pools member by member on 2401 (shuDivision.ts), their rounding residue to the reserve.
 */
const appropriation = (
  state: LedgerState,
  year: number,
  shuSen: bigint,
  resultAccount: string | null,
  decision: PendingRatDecision,
): Rejection | Posting => {
  if (decision.lossCoverage !== null) {
    return rejection("LossCoverageMustBeValid", "only a loss year's decision covers a loss", "lossCoverage");
  }
  const rules = shuRulesOf(state.settings);
  const allocationProblem =
    checkAllocation(decision.allocation, "allocation") ??
    checkAllocationFollowsRules(decision.allocation, rules);
  if (allocationProblem !== undefined) return allocationProblem;
  if (shuSen === 0n || resultAccount === null) {
    return rejection("ShuMustBePositive", "the year has no SHU to allocate", "year");
  }
  const accountProblem = checkSystemAccount(state, resultAccount);
  if (accountProblem !== undefined) return accountProblem;
  const priorLossCoveredSen = priorLossCoveredBy(state, shuSen);
  const keyed = shuAllocationSen(shuSen - priorLossCoveredSen, decision.allocation);
  const pool = (key: ShuAllocationKey) => keyed.find((part) => part.key === key)?.sen ?? 0n;
  const participation = shuParticipation(
    postedEntries(state),
    (code) => state.accounts.get(code),
    year,
    rules,
  );
  if (pool("jasaUsaha") > 0n) {
    const unattributed = checkJasaUsahaAttributed(participation.unattributedRevenueSen, decision);
    if (unattributed !== undefined) return unattributed;
  }
  const division = divideMemberPools(
    { jasaModalSen: pool("jasaModal"), jasaUsahaSen: pool("jasaUsaha") },
    participation,
    decision.unattributedJasaUsaha,
  );
  const lines = [systemLine(resultAccount, "debit", shuSen)];
  if (priorLossCoveredSen > 0n) {
    lines.push({
      ...systemLine(ACCUMULATED_LOSS_ACCOUNT, "credit", priorLossCoveredSen),
      memo: PRIOR_LOSS_MEMO,
    });
  }
  lines.push(...keyedPoolLines(keyed), ...memberPoolLines(division));
  assertBalanced(lines);
  return { lines, priorLossCoveredSen };
};

/** How much of an uncovered loss carried forward the year's SHU covers first (all of it, or all the SHU). */
const priorLossCoveredBy = (state: LedgerState, shuSen: bigint): bigint => {
  const uncovered = state.accounts.get(ACCUMULATED_LOSS_ACCOUNT)?.balance ?? 0n;
  if (uncovered <= 0n) return 0n;
  return uncovered < shuSen ? uncovered : shuSen;
};

const checkJasaUsahaAttributed = (
  unattributedRevenueSen: bigint,
  decision: PendingRatDecision,
): Rejection | undefined =>
  unattributedRevenueSen > 0n && decision.unattributedJasaUsaha === null
    ? rejection(
        "JasaUsahaMustBeAttributed",
        `${senToAmount(unattributedRevenueSen)} of the year's member revenue names no member; attribute it, or decide how its jasa usaha is spread (unattributedJasaUsaha)`,
        "unattributedJasaUsaha",
      )
    : undefined;

/** The credits of the keyed pools other than the members' (those are divided member by member). */
const keyedPoolLines = (keyed: ReturnType<typeof shuAllocationSen>): EntryLine[] =>
  keyed
    .filter((part) => part.sen !== 0n && part.key !== "jasaModal" && part.key !== "jasaUsaha")
    .map((part) => ({ ...systemLine(shuAllocationAccounts[part.key], "credit", part.sen), memo: part.key }));

/**
 * The decision distributes (or covers) the result the close recorded, so the result account must still hold
 * it. An approved adjusting entry can move 3600 or 3610 between the close and the RAT; had it lowered the
 * account, the RAT would pay out SHU that is no longer there and push the account to the wrong side. Such a
 * finding goes through a reopened year instead (docs/accounting.md section 4), which closes again with the
 * corrected result. A balance above the recorded result (an earlier year's SHU still undecided, a loss
 * carried forward) is left as it is.
 */
const checkResultStillHeld = (state: LedgerState, closing: FiscalYearClosing): Rejection | undefined => {
  if (closing.resultAccount === null) return undefined;
  const held = state.accounts.get(closing.resultAccount)?.balance ?? 0n;
  const closed = closing.shu < 0n ? -closing.shu : closing.shu;
  if (held >= closed) return undefined;
  return rejection(
    "ResultMustStillBeHeld",
    `${closing.resultAccount} holds ${senToAmount(held)}, less than the ${senToAmount(closed)} the close recorded: reopen the year and close it again to correct its result`,
    "year",
  );
};

/** Cr 2401 per member and pool (memo the pool's key), then each pool's residue to the reserve. */
const memberPoolLines = (division: MemberDivision): EntryLine[] => {
  const lines: EntryLine[] = [];
  for (const key of MEMBER_POOL_KEYS) {
    for (const share of division.members) {
      const sen = key === "jasaModal" ? share.jasaModalSen : share.jasaUsahaSen;
      if (sen === 0n) continue;
      lines.push({
        ...systemLine(MEMBER_SHU_PAYABLE_ACCOUNT, "credit", sen),
        memberId: share.memberId,
        memo: key,
      });
    }
    const residue = key === "jasaModal" ? division.residue.jasaModalSen : division.residue.jasaUsahaSen;
    if (residue > 0n) {
      lines.push({ ...systemLine(RESERVE_ACCOUNT, "credit", residue), memo: `${RESIDUE_MEMO_PREFIX}${key}` });
    }
  }
  return lines;
};

const MEMBER_POOL_KEYS = ["jasaModal", "jasaUsaha"] as const;

/** The allocation key a line of the appropriation belongs to (a residue line's memo names its pool). */
const keyOfMemo = (memo: string | null): string | null =>
  memo?.startsWith(RESIDUE_MEMO_PREFIX) ? memo.slice(RESIDUE_MEMO_PREFIX.length) : memo;

/** The posted entries the decider holds (reversed ones too: their reversals cancel them). */
const postedEntries = function* (state: LedgerState): Iterable<EntryState> {
  for (const entry of state.entries.values()) if (entry.status === "posted") yield entry;
};

/**
 * The decision as the AD/ART completes it: a profit year's decision that gives no percentages adopts the
 * AD/ART's; a loss year's that says nothing of the coverage follows the AD/ART's order (`reserveFirst`: the
 * reserve covers what it holds; `nextShuFirst`: all carried forward).
 */
const withAdArtDefaults = (
  state: LedgerState,
  data: RecordRatDecision["data"],
): { allocation: Readonly<Record<string, string>>; lossCoverage: LossCoverage | null } => {
  const closing = isYear(data.year) ? state.closedFiscalYears.get(data.year) : undefined;
  const rules = shuRulesOf(state.settings);
  const given = data.lossCoverage ?? null;
  if (closing === undefined) return { allocation: data.allocation, lossCoverage: given };
  if (closing.shu < 0n) {
    return {
      allocation: data.allocation,
      lossCoverage: given ?? lossCoverageByRule(state, -closing.shu, rules),
    };
  }
  const allocation =
    Object.keys(data.allocation).length === 0 && given === null ? rules.allocation : data.allocation;
  return { allocation, lossCoverage: given };
};

const lossCoverageByRule = (state: LedgerState, lossSen: bigint, rules: ShuRules): LossCoverage => {
  const reserve = state.accounts.get(RESERVE_ACCOUNT)?.balance ?? 0n;
  const available = reserve > 0n ? reserve : 0n;
  const fromReserve =
    rules.lossCoverageOrder === "reserveFirst" ? (available < lossSen ? available : lossSen) : 0n;
  return { fromReserve: senToAmount(fromReserve), carriedForward: senToAmount(lossSen - fromReserve) };
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
  const rules = shuRulesOf(state.settings);
  const byRule = lossCoverageByRule(state, lossSen, rules);
  if (
    !rules.meetingDecides.includes(LOSS_COVERAGE_DECISION) &&
    (amountToSen(byRule.fromReserve) !== fromReserve || amountToSen(byRule.carriedForward) !== carriedForward)
  ) {
    return rejection(
      "AllocationMustFollowAdArt",
      `the AD/ART covers a loss ${rules.lossCoverageOrder === "reserveFirst" ? "from the reserve first" : "from later years' SHU"}; the meeting may not cover it otherwise`,
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
