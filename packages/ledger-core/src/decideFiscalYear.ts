/**
 * Periods and the fiscal year: closing and reopening months; closing the year (its result through SHU
 * Tahun Berjalan into SHU Belum Dibagi or Rugi Belum Tertutup) and the members' meeting (RAT) decision
 * (decideRatDecision.ts), each asked for by the treasurer and carried out by a second person, an approver
 * (four eyes). docs/accounting.md gives every step and control with a worked example.
 */
import type { Either } from "fp-ts/lib/Either.js";
import { left, right } from "fp-ts/lib/Either.js";
import { senToAmount } from "./amounts.js";
import type {
  Actor,
  ApproveYearEndStep,
  CloseFiscalYear,
  ClosePeriod,
  RecordRatDecision,
  RejectYearEndStep,
  ReopenFiscalYear,
  ReopenPeriod,
} from "./commands.js";
import { isLocalDate, isPeriodId, isYear, yearEnd, yearOf } from "./dates.js";
import { checkEntryIdUnused, checkReason } from "./decideJournalEntry.js";
import { approveRatDecision, proposeRatDecision } from "./decideRatDecision.js";
import type { EntryLine, LedgerEvent, LocalDate } from "./events.js";
import { REASON_LENGTH_MAX } from "./limits.js";
import type { Rejection } from "./rejection.js";
import { rejection } from "./rejection.js";
import { resultAccountFor, SHU_CURRENT_YEAR_ACCOUNT } from "./shuAllocation.js";
import type { LedgerState, PendingClose } from "./state.js";
import { assertBalanced, checkSystemAccount, systemLine } from "./yearEndLines.js";

type Decision = Either<Rejection, readonly LedgerEvent[]>;

export const decidePeriod = (command: ClosePeriod | ReopenPeriod, state: LedgerState): Decision => {
  const { period } = command.data;
  if (!isPeriodId(period)) return left(rejection("DateMustBeValid", "a period is written YYYY-MM", "period"));
  const year = yearOf(period);
  if (state.closedFiscalYears.has(year)) {
    return left(
      rejection("FiscalYearMustBeOpen", `fiscal year ${year} is closed, and its months with it`, "period"),
    );
  }
  if (command.type === "ClosePeriod") {
    if (state.closedPeriods.has(period)) {
      return left(rejection("PeriodMustNotBeClosed", `period ${period} is already closed`, "period"));
    }
    return right([{ type: "PeriodClosed", data: { period } }]);
  }
  if (!state.closedPeriods.has(period)) {
    return left(rejection("PeriodMustBeClosed", `period ${period} is not closed`, "period"));
  }
  const { reason } = command.data;
  if (typeof reason !== "string" || reason.trim().length === 0 || reason.length > REASON_LENGTH_MAX) {
    return left(
      rejection(
        "FieldMustBeValid",
        `reopening needs a reason of 1 to ${REASON_LENGTH_MAX} characters`,
        "reason",
      ),
    );
  }
  return right([{ type: "PeriodReopened", data: { period, reason } }]);
};

export const decideFiscalYear = (
  command: CloseFiscalYear | ReopenFiscalYear | RecordRatDecision | ApproveYearEndStep | RejectYearEndStep,
  state: LedgerState,
): Decision => {
  switch (command.type) {
    case "CloseFiscalYear":
      return requestClose(command, state);
    case "ReopenFiscalYear":
      return reopenYear(command, state);
    case "RecordRatDecision":
      return proposeRatDecision(command, state);
    case "ApproveYearEndStep":
      return approveYearEndStep(command, state);
    case "RejectYearEndStep":
      return rejectYearEndStep(command, state);
  }
};

/** The treasurer's step: checked in full now, recorded as a request; the year takes no postings meanwhile. */
const requestClose = ({ data, actor }: CloseFiscalYear, state: LedgerState): Decision => {
  if (isYear(data.year) && state.pendingCloses.has(data.year)) {
    return left(
      rejection(
        "YearEndStepMustNotBePending",
        `the close of ${data.year} already awaits an approver`,
        "year",
      ),
    );
  }
  const problem =
    checkClosable(state, data.year) ??
    checkYearEnded(data.year, data.today) ??
    checkEntryIdUnused(state, data.entryId, "entryId");
  if (problem !== undefined) return left(problem);
  const { shuSen } = closingLines(state, data.year);
  return right([
    {
      type: "FiscalYearCloseRequested",
      data: {
        year: data.year,
        entryId: data.entryId,
        shu: senToAmount(shuSen),
        requestedBy: actor.principalId,
      },
    },
  ]);
};

const approveYearEndStep = ({ data, actor }: ApproveYearEndStep, state: LedgerState): Decision => {
  const pending =
    data.step === "close" ? state.pendingCloses.get(data.year) : state.pendingRatDecisions.get(data.year);
  if (pending === undefined) return left(nothingPending(data.year, data.step));
  const requester = "requestedBy" in pending ? pending.requestedBy : pending.proposedBy;
  if (requester === actor.principalId) {
    return left(
      rejection("ApproverMustNotBeProposer", "the treasurer who asked cannot approve the same step"),
    );
  }
  if ("requestedBy" in pending) return closeYear(data.year, pending, actor, state);
  return approveRatDecision(data.year, pending, actor, state);
};

const rejectYearEndStep = ({ data, actor }: RejectYearEndStep, state: LedgerState): Decision => {
  const pending =
    data.step === "close" ? state.pendingCloses.get(data.year) : state.pendingRatDecisions.get(data.year);
  if (pending === undefined) return left(nothingPending(data.year, data.step));
  const problem = checkReason(data.reason);
  if (problem !== undefined) return left(problem);
  return right([
    {
      type: "YearEndStepRejected",
      data: { year: data.year, step: data.step, rejectedBy: actor.principalId, reason: data.reason },
    },
  ]);
};

/**
 * Audit corrections between the close and the RAT: the closing entry is undone by its mirror, dated on the
 * same 31 December (kind "closing", `reverses` naming it), so the year's income and expense are back on
 * their accounts for adjusting entries; the year is then closed again. A decided year, or one whose RAT
 * decision awaits approval, stays closed: its result has been (or is being) divided.
 */
const reopenYear = ({ data, actor }: ReopenFiscalYear, state: LedgerState): Decision => {
  if (!isYear(data.year))
    return left(rejection("FieldMustBeValid", "the year must be a four-digit year", "year"));
  const closing = state.closedFiscalYears.get(data.year);
  if (closing === undefined) {
    return left(rejection("FiscalYearMustBeClosed", `fiscal year ${data.year} is not closed`, "year"));
  }
  if (state.ratDecisions.has(data.year) || state.pendingRatDecisions.has(data.year)) {
    return left(
      rejection(
        "RatDecisionMustNotBeRecorded",
        `the RAT decision for ${data.year} is recorded or awaits approval; a decided year stays closed`,
        "year",
      ),
    );
  }
  const problem = checkReason(data.reason) ?? checkEntryIdUnused(state, data.entryId, "entryId");
  if (problem !== undefined) return left(problem);
  const closingEntry = closing.entryId === null ? undefined : state.entries.get(closing.entryId);
  const reopened: LedgerEvent = {
    type: "FiscalYearReopened",
    data: { year: data.year, reason: data.reason, entryId: closingEntry === undefined ? null : data.entryId },
  };
  if (closingEntry === undefined) return right([reopened]);
  return right([
    {
      type: "JournalEntryPosted",
      data: {
        entryId: data.entryId,
        kind: "closing",
        date: closingEntry.date,
        memo: `Pembukaan kembali tahun buku ${data.year}: ${data.reason}`,
        lines: closingEntry.lines.map((line) => ({
          ...line,
          side: line.side === "debit" ? "credit" : "debit",
        })),
        postedBy: actor.principalId,
        proposedBy: null,
        reverses: closingEntry.entryId,
      },
    },
    reopened,
  ]);
};

const nothingPending = (year: number, step: "close" | "ratDecision"): Rejection =>
  rejection(
    "YearEndStepMustBePending",
    step === "close"
      ? `no close of fiscal year ${year} awaits approval`
      : `no RAT decision for ${year} awaits approval`,
    "year",
  );

/**
 * The approver's step: the closing entry (posted by the approver, proposed by the treasurer) and
 * `FiscalYearClosed`. The rules are checked again, though the year took no postings while it waited.
 */
const closeYear = (year: number, request: PendingClose, actor: Actor, state: LedgerState): Decision => {
  const problem = checkClosable(state, year);
  if (problem !== undefined) return left(problem);
  const { lines, shuSen } = closingLines(state, year);
  const closed: LedgerEvent = {
    type: "FiscalYearClosed",
    data: {
      year,
      entryId: lines.length === 0 ? null : request.entryId,
      shu: senToAmount(shuSen),
      resultAccount: shuSen === 0n ? null : resultAccountFor(shuSen),
    },
  };
  if (lines.length === 0) return right([closed]);
  return right([
    {
      type: "JournalEntryPosted",
      data: {
        entryId: request.entryId,
        kind: "closing",
        date: yearEnd(year),
        memo: `Penutupan tahun buku ${year}`,
        lines,
        postedBy: actor.principalId,
        proposedBy: request.requestedBy,
        reverses: null,
      },
    },
    closed,
  ]);
};

/**
 * What must hold to close a year, at the request and again at the approval: a valid year not yet closed,
 * no entry of it (or earlier) still awaiting an approver, whose result would otherwise be missing from the
 * close, and the accounts the closing entry posts to.
 */
const checkClosable = (state: LedgerState, year: number): Rejection | undefined => {
  if (!isYear(year)) return rejection("FieldMustBeValid", "the year must be a four-digit year", "year");
  if (state.closedFiscalYears.has(year)) {
    return rejection("FiscalYearMustBeOpen", `fiscal year ${year} is already closed`, "year");
  }
  const lastDay = yearEnd(year);
  const pendingCount = [...state.entries.values()].filter(
    (entry) => entry.status === "pending" && entry.date <= lastDay,
  ).length;
  if (pendingCount > 0) {
    return rejection(
      "EntriesMustNotBePending",
      `${pendingCount} entr${pendingCount === 1 ? "y" : "ies"} dated in or before ${year} await approval; approve or reject them first`,
      "year",
    );
  }
  const { shuSen } = closingLines(state, year);
  return (
    checkSystemAccount(state, SHU_CURRENT_YEAR_ACCOUNT) ??
    (shuSen === 0n ? undefined : checkSystemAccount(state, resultAccountFor(shuSen)))
  );
};

/** A year is closed only once it has ended in the cooperative's own time zone (`today` is that date). */
const checkYearEnded = (year: number, today: LocalDate): Rejection | undefined => {
  if (!isLocalDate(today)) return rejection("DateMustBeValid", "today must be YYYY-MM-DD", "today");
  return today > yearEnd(year)
    ? undefined
    : rejection(
        "FiscalYearMustHaveEnded",
        `fiscal year ${year} ends on ${yearEnd(year)}; it can be closed from ${year + 1}-01-01 on`,
        "year",
      );
};

/**
 * The closing entry, in two steps a reader of the ledger of 3700 can follow: every income and expense
 * account's balance for the year back to zero with the net (the year's result) into SHU Tahun Berjalan,
 * then the result out of SHU Tahun Berjalan into SHU Belum Dibagi (a profit, awaiting the RAT) or Rugi
 * Belum Tertutup (a loss, awaiting its coverage), so 3700 starts the next year at zero. Accounts are in
 * code order so the entry is deterministic.
 */
const closingLines = (state: LedgerState, year: number): { lines: EntryLine[]; shuSen: bigint } => {
  const balances = state.yearBalances.get(year) ?? new Map<string, bigint>();
  const lines: EntryLine[] = [];
  let shuSen = 0n;
  for (const code of [...balances.keys()].sort()) {
    const balance = balances.get(code) ?? 0n;
    const account = state.accounts.get(code);
    if (balance === 0n || account === undefined) continue;
    const opposite = account.normalBalance === "debit" ? "credit" : "debit";
    shuSen += account.normalBalance === "credit" ? balance : -balance;
    lines.push(
      systemLine(code, balance > 0n ? opposite : account.normalBalance, balance > 0n ? balance : -balance),
    );
  }
  lines.push(...resultLines(shuSen));
  assertBalanced(lines);
  return { lines, shuSen };
};

/** The year's result into SHU Tahun Berjalan and out again into the account that awaits the RAT. */
const resultLines = (shuSen: bigint): EntryLine[] => {
  if (shuSen === 0n) return [];
  const profit = shuSen > 0n;
  const magnitude = profit ? shuSen : -shuSen;
  return [
    systemLine(SHU_CURRENT_YEAR_ACCOUNT, profit ? "credit" : "debit", magnitude),
    systemLine(SHU_CURRENT_YEAR_ACCOUNT, profit ? "debit" : "credit", magnitude),
    systemLine(resultAccountFor(shuSen), profit ? "credit" : "debit", magnitude),
  ];
};
