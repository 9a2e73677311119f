/**
 * Periods and the fiscal year: closing and reopening months, closing the year (its result into SHU Belum
 * Dibagi or Rugi Belum Tertutup through SHU Tahun Berjalan), and the members' meeting (RAT) decision with its
 * appropriation entry (docs/accounting.md, year-end and SHU).
 */
import { allocate, fromSen, toSen } from "@bukubesar/money";
import type { Either } from "fp-ts/lib/Either.js";
import { left, right } from "fp-ts/lib/Either.js";
import { senToAmount } from "./amounts.js";
import type { CloseFiscalYear, ClosePeriod, RecordRatDecision, ReopenPeriod } from "./commands.js";
import { isPeriodId, isYear, yearEnd, yearOf } from "./dates.js";
import { checkEntryIdUnused } from "./decideJournalEntry.js";
import type { EntryLine, LedgerEvent, LocalDate } from "./events.js";
import { REASON_LENGTH_MAX } from "./limits.js";
import { checkDate, checkLineAccount, checkPeriodOpen } from "./postingRules.js";
import type { Rejection } from "./rejection.js";
import { rejection } from "./rejection.js";
import type { ShuAllocationKey } from "./shuAllocation.js";
import {
  ACCUMULATED_LOSS_ACCOUNT,
  resultAccountFor,
  SHU_CURRENT_YEAR_ACCOUNT,
  SHU_UNDISTRIBUTED_ACCOUNT,
  shuAllocationAccounts,
  shuAllocationKeys,
} from "./shuAllocation.js";
import type { LedgerState } from "./state.js";

type Decision = Either<Rejection, readonly LedgerEvent[]>;

/** A percentage: up to three integer digits and four fraction digits ("2.5", "33.3333"). */
const PERCENT_PATTERN = /^\d{1,3}(\.\d{1,4})?$/;
/** Percentages are compared exactly as integers in units of 1/10,000 of a percent. */
const PERCENT_SCALE = 10_000n;
const HUNDRED_PERCENT = 100n * PERCENT_SCALE;

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
  command: CloseFiscalYear | RecordRatDecision,
  state: LedgerState,
): Decision =>
  command.type === "CloseFiscalYear" ? closeFiscalYear(command, state) : recordRatDecision(command, state);

const closeFiscalYear = ({ data, actor }: CloseFiscalYear, state: LedgerState): Decision => {
  if (!isYear(data.year))
    return left(rejection("FieldMustBeValid", "the year must be a four-digit year", "year"));
  if (state.closedFiscalYears.has(data.year)) {
    return left(rejection("FiscalYearMustBeOpen", `fiscal year ${data.year} is already closed`, "year"));
  }
  const { lines, shuSen } = closingLines(state, data.year);
  const resultAccount = shuSen === 0n ? null : resultAccountFor(shuSen);
  const problem =
    checkSystemAccount(state, SHU_CURRENT_YEAR_ACCOUNT) ??
    (resultAccount === null ? undefined : checkSystemAccount(state, resultAccount)) ??
    checkEntryIdUnused(state, data.entryId, "entryId");
  if (problem !== undefined) return left(problem);
  const closed: LedgerEvent = {
    type: "FiscalYearClosed",
    data: {
      year: data.year,
      entryId: lines.length === 0 ? null : data.entryId,
      shu: senToAmount(shuSen),
      resultAccount,
    },
  };
  if (lines.length === 0) return right([closed]);
  return right([
    {
      type: "JournalEntryPosted",
      data: {
        entryId: data.entryId,
        kind: "closing",
        date: yearEnd(data.year),
        memo: `Penutupan tahun buku ${data.year}`,
        lines,
        postedBy: actor.principalId,
        proposedBy: null,
        reverses: null,
      },
    },
    closed,
  ]);
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
  if (shuSen !== 0n) {
    const profit = shuSen > 0n;
    const magnitude = profit ? shuSen : -shuSen;
    lines.push(
      systemLine(SHU_CURRENT_YEAR_ACCOUNT, profit ? "credit" : "debit", magnitude),
      systemLine(SHU_CURRENT_YEAR_ACCOUNT, profit ? "debit" : "credit", magnitude),
      systemLine(resultAccountFor(shuSen), profit ? "credit" : "debit", magnitude),
    );
  }
  assertBalanced(lines);
  return { lines, shuSen };
};

const recordRatDecision = ({ data, actor }: RecordRatDecision, state: LedgerState): Decision => {
  if (!isYear(data.year))
    return left(rejection("FieldMustBeValid", "the year must be a four-digit year", "year"));
  const closing = state.closedFiscalYears.get(data.year);
  if (closing === undefined) {
    return left(
      rejection("FiscalYearMustBeClosed", `close fiscal year ${data.year} before recording its RAT`, "year"),
    );
  }
  if (state.ratDecisions.has(data.year)) {
    return left(
      rejection("RatDecisionMustBeFirst", `the RAT decision for ${data.year} is already recorded`, "year"),
    );
  }
  const problem =
    checkDate(data.decidedOn, "decidedOn") ??
    checkDecidedAfterYearEnd(data.year, data.decidedOn) ??
    checkEntryIdUnused(state, data.entryId, "entryId") ??
    checkAllocation(data.allocation);
  if (problem !== undefined) return left(problem);
  if (closing.shu <= 0n || closing.resultAccount === null) {
    return left(rejection("ShuMustBePositive", `fiscal year ${data.year} has no SHU to allocate`, "year"));
  }
  const accountProblem = checkSystemAccount(state, closing.resultAccount);
  if (accountProblem !== undefined) return left(accountProblem);
  const lines = appropriationLines(closing.shu, closing.resultAccount, data.allocation);
  for (const [index, line] of lines.entries()) {
    const accountProblem = checkLineAccount(state, line.account, `allocation.${line.memo ?? index}`);
    if (accountProblem !== undefined) return left(accountProblem);
  }
  const periodProblem = checkPeriodOpen(state, data.decidedOn, "decidedOn");
  if (periodProblem !== undefined) return left(periodProblem);
  return right([
    {
      type: "JournalEntryPosted",
      data: {
        entryId: data.entryId,
        kind: "appropriation",
        date: data.decidedOn,
        memo: `Pembagian SHU tahun buku ${data.year} (keputusan RAT ${data.decidedOn})`,
        lines,
        postedBy: actor.principalId,
        proposedBy: null,
        reverses: null,
      },
    },
    {
      type: "RatDecisionRecorded",
      data: {
        year: data.year,
        decidedOn: data.decidedOn,
        allocation: data.allocation,
        entryId: data.entryId,
      },
    },
  ]);
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
 * Dr the account holding the year's result (3600 SHU Belum Dibagi) for the whole SHU; Cr each allocation key's account for its share. The shares
 * are split by largest remainder, so they sum to the SHU exactly; a share of zero gets no line. Each
 * credit line's memo names its allocation key, so reports can tell jasa usaha from jasa modal in 2401.
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

/** The accounts the year-end entries post to must be open and postable; an `empty` chart may lack them. */
const checkSystemAccount = (state: LedgerState, code: string): Rejection | undefined => {
  const account = state.accounts.get(code);
  return account?.open && account.postable
    ? undefined
    : rejection(
        "ShuAccountMustExist",
        `the ledger needs an open, postable account ${code} (${SYSTEM_ACCOUNT_NAMES[code] ?? "year-end"})`,
      );
};

const SYSTEM_ACCOUNT_NAMES: Readonly<Record<string, string>> = {
  [SHU_CURRENT_YEAR_ACCOUNT]: "SHU Tahun Berjalan",
  [SHU_UNDISTRIBUTED_ACCOUNT]: "SHU Belum Dibagi",
  [ACCUMULATED_LOSS_ACCOUNT]: "Rugi (SHU Negatif) Belum Tertutup",
};

const systemLine = (account: string, side: "debit" | "credit", sen: bigint): EntryLine => ({
  account,
  side,
  amount: senToAmount(sen),
  memberId: null,
  unit: null,
  counterparty: null,
  memo: null,
});

/** The ledger builds these entries itself, so an unbalanced one is a bug, not a rejection. */
const assertBalanced = (lines: readonly EntryLine[]): void => {
  let net = 0n;
  for (const line of lines) net += (line.side === "debit" ? 1n : -1n) * BigInt(line.amount.replace(".", ""));
  if (net !== 0n) throw new Error("the ledger built an unbalanced entry");
};
