/**
 * The members' share of a year's SHU: each member's participation (capital for *jasa modal*, business for
 * *jasa usaha*) measured on the ledger's posted entries, and the two member pools split over it in whole
 * rupiah. The RAT decision posts exactly this division (one 2401 line per member and pool), and the SHU
 * report shows it before and after the decision, so the two can never differ (docs/accounting.md section 5).
 */
import { allocate, fromSen, toSen } from "@bukubesar/money";
import type {
  AccountType,
  BusinessWith,
  Counterparty,
  EntryKind,
  EntryLine,
  NormalBalance,
  ShuRules,
  UnattributedJasaUsaha,
} from "./events.js";
import { JASA_MODAL_CAPITAL_ACCOUNTS } from "./shuAllocation.js";
import { WEIGHT_SCALE, weightUnits } from "./shuRules.js";

/** What participation needs to know of an account. */
export interface ParticipationAccount {
  readonly accountType: AccountType;
  readonly normalBalance: NormalBalance;
  readonly businessWith: BusinessWith | null;
}

/** A posted entry as participation reads it (the decider's and the read model's entries both fit). */
export interface ParticipationEntry {
  readonly kind: EntryKind;
  readonly date: string;
  readonly lines: readonly EntryLine[];
}

/** The prefix of other income (43xx): income, but not business with anyone (docs/domain.md section 3.4). */
const OTHER_INCOME_PREFIX = "43";
/**
 * Whether an income line is business with members, as the income statement (PHU) classifies it: the line's
 * counterparty decides (`member`); a line without a counterparty falls back on the account's own tag
 * (`businessWith: "member"`, docs/accounting.md section 1), never on its code: a revenue account outside
 * 41xx tagged member business is member revenue, an untagged 41xx is not (tag it). Other income (43xx) is
 * nobody's business.
 */
export const isMemberRevenueLine = (
  code: string,
  businessWith: BusinessWith | null,
  counterparty: Counterparty | null,
): boolean => {
  if (code.startsWith(OTHER_INCOME_PREFIX)) return false;
  return isMemberBusinessLine(businessWith, counterparty);
};

/** Whether a line is business with members: its counterparty when it has one, else its account's tag. */
export const isMemberBusinessLine = (
  businessWith: BusinessWith | null,
  counterparty: Counterparty | null,
): boolean => (counterparty === null ? businessWith === "member" : counterparty === "member");

export interface MemberParticipation {
  /** Jasa modal's weight: year-end capital in sen, or capital × days over the year (average basis). */
  readonly capitalWeight: bigint;
  /** What the report shows: the capital in sen (the average rounded down to a sen). */
  readonly capitalSen: bigint;
  /** Jasa usaha's weight: the member's revenue in sen times its unit's weight (in WEIGHT_SCALE units). */
  readonly usageWeight: bigint;
  /** The member's revenue of the year in sen, unweighted. */
  readonly usageSen: bigint;
}

export interface Participation {
  readonly members: ReadonlyMap<string, MemberParticipation>;
  /** The PHU's member revenue of the year (revenue from members less returns), in sen. */
  readonly memberRevenueSen: bigint;
  /** The part of it on lines naming a member. */
  readonly attributedRevenueSen: bigint;
  /** The part on lines naming no member: the members' business nobody can be credited for. */
  readonly unattributedRevenueSen: bigint;
}

const dayCount = (from: string, to: string): bigint =>
  BigInt(Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000));

const signed = (line: EntryLine, account: ParticipationAccount): bigint => {
  const sen = BigInt(line.amount.replace(".", ""));
  return (line.side === account.normalBalance ? 1n : -1n) * sen;
};

interface Accumulator {
  capitalEnd: bigint;
  capitalDays: bigint;
  usageWeight: bigint;
  usageSen: bigint;
}

/**
 * Every member's participation in `year`: capital on simpanan pokok + wajib (JASA_MODAL_CAPITAL_ACCOUNTS) by
 * the rules' basis, business on the PHU's member-revenue lines weighted by unit. Closing and appropriation
 * entries are the ledger's own and never participation; a reversal cancels what it reverses.
 */
export const shuParticipation = (
  entries: Iterable<ParticipationEntry>,
  accountOf: (code: string) => ParticipationAccount | undefined,
  year: number,
  rules: ShuRules,
): Participation => {
  const yearStart = `${year}-01-01`;
  const yearEnd = `${year}-12-31`;
  const totals: ParticipationTotals = {
    yearStart,
    yearEnd,
    daysInYear: dayCount(yearStart, yearEnd) + 1n,
    rules,
    members: new Map<string, Accumulator>(),
    memberRevenueSen: 0n,
    attributedRevenueSen: 0n,
  };
  for (const entry of entries) {
    if (entry.kind === "closing" || entry.kind === "appropriation" || entry.date > yearEnd) continue;
    for (const line of entry.lines) {
      const account = accountOf(line.account);
      if (account !== undefined) addParticipationLine(totals, entry.date, line, account);
    }
  }
  return {
    members: memberParticipation(totals),
    memberRevenueSen: totals.memberRevenueSen,
    attributedRevenueSen: totals.attributedRevenueSen,
    unattributedRevenueSen: totals.memberRevenueSen - totals.attributedRevenueSen,
  };
};

/** The year's running sums while `shuParticipation` reads the entries. */
interface ParticipationTotals {
  readonly yearStart: string;
  readonly yearEnd: string;
  readonly daysInYear: bigint;
  readonly rules: ShuRules;
  readonly members: Map<string, Accumulator>;
  memberRevenueSen: bigint;
  attributedRevenueSen: bigint;
}

const accumulatorOf = (totals: ParticipationTotals, memberId: string): Accumulator => {
  let found = totals.members.get(memberId);
  if (found === undefined) {
    found = { capitalEnd: 0n, capitalDays: 0n, usageWeight: 0n, usageSen: 0n };
    totals.members.set(memberId, found);
  }
  return found;
};

/** Adds one line of an entry dated on or before the year's end: a member's capital, or member revenue. */
const addParticipationLine = (
  totals: ParticipationTotals,
  date: string,
  line: EntryLine,
  account: ParticipationAccount,
): void => {
  const inYear = date >= totals.yearStart;
  if (JASA_MODAL_CAPITAL_ACCOUNTS.includes(line.account) && line.memberId !== null) {
    const member = accumulatorOf(totals, line.memberId);
    const amount = signed(line, account);
    member.capitalEnd += amount;
    // A change on day d counts for the days d … 31 December; one from an earlier year, all year.
    member.capitalDays += amount * (inYear ? dayCount(date, totals.yearEnd) + 1n : totals.daysInYear);
  } else if (
    inYear &&
    account.accountType === "income" &&
    isMemberRevenueLine(line.account, account.businessWith, line.counterparty)
  ) {
    const amount = signed(line, account);
    totals.memberRevenueSen += amount;
    if (line.memberId === null) return;
    totals.attributedRevenueSen += amount;
    const member = accumulatorOf(totals, line.memberId);
    member.usageSen += amount;
    member.usageWeight +=
      amount * weightUnits(line.unit === null ? undefined : totals.rules.unitWeights[line.unit]);
  }
};

/** Each member's weights and amounts, in member order, by the rules' basis for capital. */
const memberParticipation = (totals: ParticipationTotals): Map<string, MemberParticipation> => {
  const average = totals.rules.jasaModalBasis === "averageDaily";
  const participation = new Map<string, MemberParticipation>();
  for (const memberId of [...totals.members.keys()].sort()) {
    const member = totals.members.get(memberId) as Accumulator;
    participation.set(memberId, {
      capitalWeight: average ? member.capitalDays : member.capitalEnd,
      capitalSen: average ? member.capitalDays / totals.daysInYear : member.capitalEnd,
      usageWeight: member.usageWeight,
      usageSen: member.usageSen,
    });
  }
  return participation;
};

const SEN_PER_RUPIAH = 100n;

/** One member's share of the two pools, in sen (whole rupiah). */
export interface MemberShare {
  readonly memberId: string;
  readonly jasaModalSen: bigint;
  readonly jasaUsahaSen: bigint;
}

export interface MemberDivision {
  readonly members: readonly MemberShare[];
  /**
   * What of each pool no member gets, credited to the reserve (docs/accounting.md section 5): the sen below
   * whole rupiah, a pool nobody qualifies for, and (when the meeting sends it there) the jasa usaha on
   * unattributed member revenue.
   */
  readonly residue: { readonly jasaModalSen: bigint; readonly jasaUsahaSen: bigint };
  /** The part of the jasa usaha pool earned on member revenue recorded without a member. */
  readonly unattributedJasaUsahaSen: bigint;
}

/** A pool's whole rupiah split over the weights by largest remainder; nothing when nobody has a weight. */
const splitWholeRupiah = (poolSen: bigint, weights: readonly bigint[]): bigint[] => {
  const wholeSen = (poolSen / SEN_PER_RUPIAH) * SEN_PER_RUPIAH;
  if (wholeSen <= 0n || !weights.some((weight) => weight > 0n)) return weights.map(() => 0n);
  return allocate(fromSen(wholeSen), weights, { unit: "rupiah" }).map(toSen);
};

/**
 * The jasa modal and jasa usaha pools split over the members. The part of the jasa usaha pool earned on
 * unattributed member revenue (pool × unattributed ÷ member revenue, rounded down to a sen) goes to the
 * attributed members with `attributedMembers`, and to the reserve with `reserve` or when nothing was decided
 * (the proposal before the RAT shows it apart).
 */
export const divideMemberPools = (
  pools: { readonly jasaModalSen: bigint; readonly jasaUsahaSen: bigint },
  participation: Participation,
  unattributed: UnattributedJasaUsaha | null,
): MemberDivision => {
  const memberIds = [...participation.members.keys()];
  const capital = memberIds.map((id) => positive(participation.members.get(id)?.capitalWeight));
  const usage = memberIds.map((id) => positive(participation.members.get(id)?.usageWeight));
  const unattributedJasaUsahaSen =
    participation.memberRevenueSen > 0n && participation.unattributedRevenueSen > 0n
      ? (pools.jasaUsahaSen * participation.unattributedRevenueSen) / participation.memberRevenueSen
      : 0n;
  const usagePoolSen =
    unattributed === "attributedMembers" ? pools.jasaUsahaSen : pools.jasaUsahaSen - unattributedJasaUsahaSen;
  const modalParts = splitWholeRupiah(pools.jasaModalSen, capital);
  const usahaParts = splitWholeRupiah(usagePoolSen, usage);
  const sum = (parts: readonly bigint[]) => parts.reduce((total, part) => total + part, 0n);
  return {
    members: memberIds.map((memberId, index) => ({
      memberId,
      jasaModalSen: modalParts[index] as bigint,
      jasaUsahaSen: usahaParts[index] as bigint,
    })),
    residue: {
      jasaModalSen: pools.jasaModalSen - sum(modalParts),
      jasaUsahaSen: pools.jasaUsahaSen - sum(usahaParts),
    },
    unattributedJasaUsahaSen,
  };
};

const positive = (value: bigint | undefined): bigint => (value !== undefined && value > 0n ? value : 0n);

/** Unit weights are kept in WEIGHT_SCALE units; a weighted base shown in sen divides it back. */
export const weightedSen = (weight: bigint): bigint => weight / WEIGHT_SCALE;
