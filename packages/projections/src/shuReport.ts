import {
  ACCUMULATED_LOSS_ACCOUNT,
  shuAllocationDefault,
  shuAllocationKeys,
  shuAllocationSen,
  type Unit,
} from "@bukubesar/ledger-core";
import { allocate, fromSen, senToWire, toSen, wireToSen } from "@bukubesar/money";
import type { DailyTotals } from "./dailyTotals.js";
import { periodResultSen } from "./incomeStatement.js";
import { entryById, type LedgerReadModel } from "./readModel.js";

/**
 * The SHU of a fiscal year and its distribution (api.md `GET …/shu?year=`, docs/domain.md section 5).
 *
 * - The SHU is the one recorded by `FiscalYearClosed` for the year, else the year's income minus expense
 *   computed from the entries (closing entries left out).
 * - The allocation is the RAT decision's percentages (`RatDecisionRecorded`). Each key gets its share in
 *   whole rupiah by the largest-remainder method; the sen left over goes to the reserve key (`cadangan`),
 *   so the keys sum exactly to the SHU. Without a decision, or with no positive SHU, nothing is allocated.
 * - Every member's jasa modal is the jasa-modal pool split pro rata to the member's capital base (by
 *   default simpanan pokok + wajib, 3100 and 3200, at year end); jasa usaha is the jasa-usaha pool split
 *   pro rata to the member's transactions with the cooperative in the year (by default the member's lines
 *   on 41xx revenue, credit minus debit, optionally weighted per unit). Both in whole rupiah by largest
 *   remainder, so the members' parts sum exactly to the pool; a pool nobody qualifies for stays whole in
 *   `undistributed` (it goes to the reserve, docs/domain.md section 5.3).
 * - Before the decision, a closed year with a profit shows the division the cooperative's allocation
 *   (its settings, else ledger-core's default) would give — `division: "proposed"`, the *rancangan
 *   pembagian SHU* — computed exactly as the decision would post it: earlier years' uncovered loss first,
 *   the rest split over the keys by ledger-core's shuAllocationSen, the member pools as above.
 */
export interface ShuReport {
  readonly year: number;
  readonly shu: string;
  readonly shuSource: "fiscalYearClosed" | "computed";
  readonly status: "allocated" | "awaitingRatDecision" | "noShuToAllocate";
  /**
   * "decided" once the RAT decision is recorded; before it "proposed": the allocation and the members'
   * parts are the division the allocation settings would give (empty when the year is open or a loss).
   */
  readonly division: "proposed" | "decided";
  /**
   * Where the allocation amounts come from: the credit lines of the posted appropriation entry (each
   * line's memo names its key, as the ledger writes them), or, when that entry carries no keyed lines,
   * computed here from the decision's percentages.
   */
  readonly allocationSource: "appropriationEntry" | "computed";
  readonly decision: { readonly decidedOn: string; readonly entryId: string | null } | null;
  /** For a decided loss year, how the RAT covered it (from the reserve, carried forward); else null. */
  readonly lossCoverage: { readonly fromReserve: string; readonly carriedForward: string } | null;
  /**
   * The part of the year's SHU that covered earlier years' loss before the allocation, so the allocation
   * sums to `shu` minus it ("0.00" when none, or before a decision).
   */
  readonly priorLossCovered: string;
  readonly allocation: ReadonlyArray<{
    readonly key: string;
    readonly percent: string;
    readonly amount: string;
  }>;
  readonly members: readonly ShuMemberRow[];
  readonly totals: { readonly jasaModal: string; readonly jasaUsaha: string; readonly total: string };
  /** Parts of the jasa modal and jasa usaha pools no member qualified for. */
  readonly undistributed: { readonly jasaModal: string; readonly jasaUsaha: string };
  readonly bases: {
    readonly capitalAccounts: readonly string[];
    readonly capitalBasis: CapitalBasis;
    readonly usageAccountPrefixes: readonly string[];
  };
}

export interface ShuMemberRow {
  readonly memberId: string;
  readonly name: string;
  readonly capitalBase: string;
  readonly usageBase: string;
  readonly jasaModal: string;
  readonly jasaUsaha: string;
  readonly total: string;
}

/** Year-end balance, or the time-weighted average daily balance over the year. */
export type CapitalBasis = "yearEnd" | "averageDaily";

export interface ShuOptions {
  readonly capitalAccounts?: readonly string[];
  readonly capitalBasis?: CapitalBasis;
  /** Revenue accounts (code prefixes) whose member lines count as the member's transactions. */
  readonly usageAccountPrefixes?: readonly string[];
  /** Weights per unit for the transactions (decimal strings, default "1" for every unit). */
  readonly usageUnitWeights?: Readonly<Partial<Record<Unit | "none", string>>>;
  /** The percentages a proposal uses before the RAT decision (the AD/ART settings; default ledger-core's). */
  readonly proposedAllocation?: Readonly<Record<string, string>>;
  /** Allocation keys of the two member pools and of the reserve. */
  readonly keys?: { readonly jasaModal?: string; readonly jasaUsaha?: string; readonly cadangan?: string };
}

export const DEFAULT_SHU_OPTIONS = {
  capitalAccounts: ["3100", "3200"],
  capitalBasis: "yearEnd" as CapitalBasis,
  usageAccountPrefixes: ["41"],
  keys: { jasaModal: "jasaModal", jasaUsaha: "jasaUsaha", cadangan: "cadangan" },
};

const SEN_PER_RUPIAH = 100n;
/** Percentages and weights are read with this many decimals (e.g. "2.5" → 250 hundredths). */
const PERCENT_SCALE_DIGITS = 2;

export const shuReport = (model: LedgerReadModel, year: number, options: ShuOptions = {}): ShuReport => {
  const settings = {
    capitalAccounts: options.capitalAccounts ?? DEFAULT_SHU_OPTIONS.capitalAccounts,
    capitalBasis: options.capitalBasis ?? DEFAULT_SHU_OPTIONS.capitalBasis,
    usageAccountPrefixes: options.usageAccountPrefixes ?? DEFAULT_SHU_OPTIONS.usageAccountPrefixes,
    keys: { ...DEFAULT_SHU_OPTIONS.keys, ...options.keys },
  };
  const yearStart = year * 10000 + 101;
  const yearEnd = year * 10000 + 1231;
  const closed = model.fiscalYearsClosed.get(year);
  const shuSen = closed?.shuSen ?? periodResultSen(model, yearStart, yearEnd);
  const decision = model.ratDecisions.get(year) ?? null;
  const status = decision === null ? "awaitingRatDecision" : shuSen <= 0n ? "noShuToAllocate" : "allocated";
  const posted =
    decision === null || decision.entryId === null
      ? null
      : postedAllocation(model, decision.entryId, decision.allocation);
  const proposal =
    decision === null && closed !== undefined && shuSen > 0n
      ? proposedDivision(model, shuSen, options.proposedAllocation ?? shuAllocationDefault)
      : null;
  const allocation =
    proposal?.allocation ??
    (decision === null
      ? []
      : (posted ?? allocateKeys(shuSen > 0n ? shuSen : 0n, decision.allocation, settings.keys.cadangan)));
  const dividing = status === "allocated" || proposal !== null;
  const pool = (key: string) => (dividing ? (allocation.find((item) => item.key === key)?.amount ?? 0n) : 0n);
  const memberIds = [...new Set([...model.members.keys(), ...model.memberTotals.keys()])].sort();
  const capital = memberIds.map((memberId) =>
    capitalBase(model, memberId, settings.capitalAccounts, settings.capitalBasis, yearStart, yearEnd),
  );
  const usage = memberIds.map((memberId) =>
    usageBase(model, memberId, settings.usageAccountPrefixes, options.usageUnitWeights, yearStart, yearEnd),
  );
  const modal = distribute(pool(settings.keys.jasaModal), capital);
  const usaha = distribute(pool(settings.keys.jasaUsaha), usage);
  let totalModal = 0n;
  let totalUsaha = 0n;
  const members = memberIds.map((memberId, index) => {
    const jasaModal = modal.parts[index] as bigint;
    const jasaUsaha = usaha.parts[index] as bigint;
    totalModal += jasaModal;
    totalUsaha += jasaUsaha;
    return {
      memberId,
      name: model.members.get(memberId)?.name ?? memberId,
      capitalBase: senToWire(capital[index] as bigint),
      usageBase: senToWire(usage[index] as bigint),
      jasaModal: senToWire(jasaModal),
      jasaUsaha: senToWire(jasaUsaha),
      total: senToWire(jasaModal + jasaUsaha),
    };
  });
  return {
    year,
    shu: senToWire(shuSen),
    shuSource: closed === undefined ? "computed" : "fiscalYearClosed",
    status,
    division: decision === null ? "proposed" : "decided",
    allocationSource: posted === null ? "computed" : "appropriationEntry",
    decision: decision === null ? null : { decidedOn: decision.decidedOn, entryId: decision.entryId },
    lossCoverage: decision?.lossCoverage ?? null,
    priorLossCovered: proposal?.priorLossCovered ?? decision?.priorLossCovered ?? "0.00",
    allocation: allocation.map((item) => ({
      key: item.key,
      percent: item.percent,
      amount: senToWire(item.amount),
    })),
    members,
    totals: {
      jasaModal: senToWire(totalModal),
      jasaUsaha: senToWire(totalUsaha),
      total: senToWire(totalModal + totalUsaha),
    },
    undistributed: { jasaModal: senToWire(modal.undistributed), jasaUsaha: senToWire(usaha.undistributed) },
    bases: {
      capitalAccounts: settings.capitalAccounts,
      capitalBasis: settings.capitalBasis,
      usageAccountPrefixes: settings.usageAccountPrefixes,
    },
  };
};

/** Every date a ledger can hold is on or before this day: the balance "now". */
const LAST_DAY = 99991231;

/**
 * What the RAT decision would post for a closed profit year with these percentages (ledger-core's
 * decideRatDecision): the uncovered loss of earlier years (3610) is covered first, the rest is split
 * over the keys by ledger-core's own split, so the proposal never differs from the posting.
 */
const proposedDivision = (
  model: LedgerReadModel,
  shuSen: bigint,
  percentages: Readonly<Record<string, string>>,
): { allocation: Array<{ key: string; percent: string; amount: bigint }>; priorLossCovered: string } => {
  const loss = model.accounts.get(ACCUMULATED_LOSS_ACCOUNT)?.totals.asOf(LAST_DAY);
  const uncoveredSen = loss === undefined ? 0n : loss.debit - loss.credit;
  const priorLossSen = uncoveredSen > 0n ? (uncoveredSen < shuSen ? uncoveredSen : shuSen) : 0n;
  const allocation = shuAllocationSen(shuSen - priorLossSen, percentages).map((part) => ({
    key: part.key,
    percent: percentages[part.key] as string,
    amount: part.sen,
  }));
  return { allocation, priorLossCovered: senToWire(priorLossSen) };
};

/** The amounts per key as posted by the appropriation entry, or null when it has no keyed credit lines. */
const postedAllocation = (
  model: LedgerReadModel,
  entryId: string,
  percentages: Readonly<Record<string, string>>,
): Array<{ key: string; percent: string; amount: bigint }> | null => {
  const entry = entryById(model, entryId);
  if (entry === undefined) return null;
  const amounts = new Map<string, bigint>();
  for (const line of entry.lines) {
    if (line.side !== "credit" || line.memo === null || percentages[line.memo] === undefined) continue;
    amounts.set(line.memo, (amounts.get(line.memo) ?? 0n) + wireToSen(line.amount));
  }
  if (amounts.size === 0) return null;
  return allocationKeysOf(percentages).map((key) => ({
    key,
    percent: percentages[key] as string,
    amount: amounts.get(key) ?? 0n,
  }));
};

/**
 * The decision's keys in the order the ledger allocates them (ledger-core's shuAllocationKeys, as the
 * appropriation entry is built), never the order the keys happen to have in the stored event: stores
 * may give object keys back in another order (SQLite keeps canonical JSON, PostgreSQL jsonb its own),
 * and the order decides which key gets a remainder and how the report lists them.
 */
const allocationKeysOf = (percentages: Readonly<Record<string, string>>): string[] => {
  const known: readonly string[] = shuAllocationKeys;
  const others = Object.keys(percentages)
    .filter((key) => !known.includes(key))
    .sort();
  return [...known.filter((key) => percentages[key] !== undefined), ...others];
};

/** The SHU split over the decision's keys in whole rupiah; the sen remainder goes to the reserve key. */
const allocateKeys = (
  shuSen: bigint,
  percentages: Readonly<Record<string, string>>,
  reserveKey: string,
): Array<{ key: string; percent: string; amount: bigint }> => {
  const keys = allocationKeysOf(percentages);
  const weights = keys.map((key) => scaledDecimal(percentages[key] as string));
  const amounts = allocateWholeRupiah(shuSen, weights);
  const leftover = shuSen - amounts.reduce((sum, amount) => sum + amount, 0n);
  const reserveIndex = Math.max(0, keys.indexOf(reserveKey));
  if (keys.length > 0) amounts[reserveIndex] = (amounts[reserveIndex] as bigint) + leftover;
  return keys.map((key, index) => ({
    key,
    percent: percentages[key] as string,
    amount: amounts[index] as bigint,
  }));
};

/**
 * The whole rupiah of `poolSen` split in proportion to `weights` by @bukubesar/money's largest-remainder
 * `allocate` (the same split ledger-core posts), in sen; the sen below one rupiah are left to the caller.
 * Nothing to split (no positive rupiah or no positive weight) gives zeros rather than `allocate`'s error.
 */
const allocateWholeRupiah = (poolSen: bigint, weights: readonly bigint[]): bigint[] => {
  const wholeSen = (poolSen / SEN_PER_RUPIAH) * SEN_PER_RUPIAH;
  if (wholeSen <= 0n || !weights.some((weight) => weight > 0n)) return weights.map(() => 0n);
  return allocate(fromSen(wholeSen), weights, { unit: "rupiah" }).map(toSen);
};

/** A pool in sen split over member bases in whole rupiah; what cannot be split stays undistributed. */
const distribute = (
  poolSen: bigint,
  bases: readonly bigint[],
): { parts: bigint[]; undistributed: bigint } => {
  const weights = bases.map((base) => (base > 0n ? base : 0n));
  const parts = allocateWholeRupiah(poolSen, weights);
  return { parts, undistributed: poolSen - parts.reduce((sum, part) => sum + part, 0n) };
};

/** A decimal string ("2.5", "30") as an integer scaled by 10^PERCENT_SCALE_DIGITS. */
const scaledDecimal = (value: string): bigint => {
  const match = /^(\d+)(?:\.(\d+))?$/.exec(value.trim());
  if (match === null) throw new RangeError(`not a non-negative decimal: ${value}`);
  const fraction = (match[2] ?? "").slice(0, PERCENT_SCALE_DIGITS).padEnd(PERCENT_SCALE_DIGITS, "0");
  return BigInt(`${match[1]}${fraction}`);
};

const capitalBase = (
  model: LedgerReadModel,
  memberId: string,
  accounts: readonly string[],
  basis: CapitalBasis,
  yearStart: number,
  yearEnd: number,
): bigint => {
  const perMember = model.memberTotals.get(memberId);
  if (perMember === undefined) return 0n;
  let base = 0n;
  for (const totals of perMember.list) {
    if (!accounts.includes(totals.account)) continue;
    const account = model.accounts.get(totals.account);
    const sign = account?.normalBalance === "debit" ? -1n : 1n;
    if (basis === "yearEnd") {
      const atEnd = totals.totals.asOf(yearEnd);
      base += sign * (atEnd.credit - atEnd.debit);
    } else {
      base += sign * averageDailyCreditBalance(totals.totals, yearStart, yearEnd);
    }
  }
  return base;
};

/** The time-weighted average of (credit − debit) over the days of the year, rounded down to a sen. */
const averageDailyCreditBalance = (totals: DailyTotals, yearStart: number, yearEnd: number): bigint => {
  const opening = totals.asOf(yearStart - 1);
  let balance = opening.credit - opening.debit;
  let previous = yearStart;
  let weighted = 0n;
  for (const day of totals.daysBetween(yearStart, yearEnd)) {
    weighted += balance * BigInt(daysFrom(previous, day.day));
    balance += day.credit - day.debit;
    previous = day.day;
  }
  weighted += balance * BigInt(daysFrom(previous, yearEnd) + 1);
  const daysInYear = BigInt(daysFrom(yearStart, yearEnd) + 1);
  return weighted / daysInYear;
};

const daysFrom = (fromDay: number, toDay: number): number => {
  const utc = (day: number) =>
    Date.UTC(Math.floor(day / 10000), (Math.floor(day / 100) % 100) - 1, day % 100);
  return Math.round((utc(toDay) - utc(fromDay)) / 86_400_000);
};

const usageBase = (
  model: LedgerReadModel,
  memberId: string,
  prefixes: readonly string[],
  unitWeights: ShuOptions["usageUnitWeights"],
  yearStart: number,
  yearEnd: number,
): bigint => {
  const perMember = model.memberTotals.get(memberId);
  if (perMember === undefined) return 0n;
  let base = 0n;
  for (const totals of perMember.list) {
    const account = model.accounts.get(totals.account);
    if (account?.type !== "income" || !prefixes.some((prefix) => totals.account.startsWith(prefix))) continue;
    const movement = totals.totals.between(yearStart, yearEnd);
    const weightText = unitWeights?.[totals.unit ?? "none"] ?? "1";
    base +=
      ((movement.credit - movement.debit) * scaledDecimal(weightText)) / 10n ** BigInt(PERCENT_SCALE_DIGITS);
  }
  return base;
};
