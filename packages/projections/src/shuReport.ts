import {
  ACCUMULATED_LOSS_ACCOUNT,
  divideMemberPools,
  JASA_MODAL_CAPITAL_ACCOUNTS,
  MEMBER_SHU_PAYABLE_ACCOUNT,
  type MemberDivision,
  type Participation,
  type ParticipationAccount,
  RESERVE_ACCOUNT,
  RESIDUE_MEMO_PREFIX,
  type ShuRules,
  shuAllocationKeys,
  shuAllocationSen,
  shuParticipation,
  shuRulesDefault,
  type UnattributedJasaUsaha,
  type Unit,
  weightedSen,
} from "@bukubesar/ledger-core";
import { senToWire, wireToSen } from "@bukubesar/money";
import { periodResultSen } from "./incomeStatement.js";
import { entryById, type LedgerReadModel } from "./readModel.js";

/**
 * The SHU of a fiscal year and its distribution (api.md `GET …/shu?year=`, docs/domain.md section 5).
 *
 * - The SHU is the one recorded by `FiscalYearClosed` for the year, else the year's income minus expense
 *   computed from the entries (closing entries left out).
 * - The allocation is the RAT decision's, as its appropriation entry posted it (each line's memo names its
 *   key). Without a decision, or with no positive SHU, nothing is allocated.
 * - The members' parts are ledger-core's division (shuDivision.ts): jasa modal pro rata to simpanan pokok +
 *   wajib (year-end or average, as the AD/ART rules say), jasa usaha pro rata to the member's business on
 *   the income statement's member-revenue lines, weighted by unit; whole rupiah by largest remainder; the
 *   residue (`undistributed`) goes to the reserve. After the decision they are read from the appropriation
 *   entry's 2401 lines, one per member and pool.
 * - `participation` says how much of the year's member revenue names no member; the RAT decision refuses to
 *   divide jasa usaha over it unless the meeting decides how it is spread (docs/accounting.md section 5).
 * - Before the decision, a closed year with a profit shows the division the AD/ART rules in the settings
 *   (else ledger-core's default) would give — `division: "proposed"`, the *rancangan pembagian SHU* —
 *   computed exactly as the decision would post it: earlier years' uncovered loss first, the rest split over
 *   the keys by ledger-core's shuAllocationSen, the member pools as above (the unattributed part of jasa usaha
 *   held in `undistributed` until the meeting decides).
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
  /**
   * Parts of the jasa modal and jasa usaha pools no member gets (the sen below whole rupiah, a pool nobody
   * qualifies for, the unattributed part of jasa usaha when it goes to the reserve): credited to
   * `residueAccount` (3500 Cadangan) by the appropriation.
   */
  readonly undistributed: { readonly jasaModal: string; readonly jasaUsaha: string };
  readonly residueAccount: string;
  /** The year's member revenue (the income statement's) and how much of it names a member. */
  readonly participation: {
    readonly memberRevenue: string;
    readonly attributedRevenue: string;
    readonly unattributedRevenue: string;
    /** The part of the jasa usaha pool earned on the unattributed revenue. */
    readonly unattributedJasaUsaha: string;
    /** What the RAT decided for it (null before the decision, or when nothing was unattributed). */
    readonly treatment: UnattributedJasaUsaha | null;
  };
  readonly bases: {
    readonly capitalAccounts: readonly string[];
    readonly capitalBasis: CapitalBasis;
    /** Weights of the units in jasa usaha; a unit not named weighs "1". */
    readonly unitWeights: Readonly<Partial<Record<Unit, string>>>;
    /** "settings" when the cooperative's AD/ART rules are set, else "default". */
    readonly rules: "settings" | "default";
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
export type CapitalBasis = ShuRules["jasaModalBasis"];

export const shuReport = (model: LedgerReadModel, year: number): ShuReport => {
  const rules = model.shuRules ?? shuRulesDefault;
  const shuYear = shuYearOf(model, year);
  const { closed, shuSen, decision, entry, priorLossCovered, dividing } = shuYear;
  const percentages = decision?.allocation ?? rules.allocation;
  const allocation = dividing ? shuAllocation(entry, percentages, shuSen - priorLossCovered) : [];
  const pool = (key: string) => allocation.find((item) => item.key === key)?.amount ?? 0n;
  const participation = shuParticipation(model.entries, participationAccountOf(model), year, rules);
  const treatment = decision?.unattributedJasaUsaha ?? null;
  const computed = divideMemberPools(
    { jasaModalSen: pool("jasaModal"), jasaUsahaSen: pool("jasaUsaha") },
    participation,
    treatment,
  );
  const division = postedDivision(entry?.lines) ?? computed;
  const { members, totals } = memberRows(model, participation, division);
  return {
    year,
    shu: senToWire(shuSen),
    shuSource: closed ? "fiscalYearClosed" : "computed",
    status: shuYear.status,
    division: decision === null ? "proposed" : "decided",
    allocationSource:
      entry !== undefined && postedAllocation(entry.lines, percentages) !== null
        ? "appropriationEntry"
        : "computed",
    decision: decision === null ? null : { decidedOn: decision.decidedOn, entryId: decision.entryId },
    lossCoverage: decision?.lossCoverage ?? null,
    priorLossCovered: senToWire(dividing || decision !== null ? priorLossCovered : 0n),
    allocation: allocation.map((item) => ({
      key: item.key,
      percent: item.percent,
      amount: senToWire(item.amount),
    })),
    members,
    totals,
    undistributed: undistributedOf(dividing, division),
    residueAccount: RESERVE_ACCOUNT,
    participation: {
      memberRevenue: senToWire(participation.memberRevenueSen),
      attributedRevenue: senToWire(participation.attributedRevenueSen),
      unattributedRevenue: senToWire(participation.unattributedRevenueSen),
      unattributedJasaUsaha: senToWire(computed.unattributedJasaUsahaSen),
      treatment,
    },
    bases: {
      capitalAccounts: JASA_MODAL_CAPITAL_ACCOUNTS,
      capitalBasis: rules.jasaModalBasis,
      unitWeights: rules.unitWeights,
      rules: model.shuRules === null ? "default" : "settings",
    },
  };
};

/**
 * The year's SHU (as closed, or computed while the year is open), its RAT decision and appropriation if any,
 * the prior loss it covers first, and whether the report divides it (a closed profit year, or a decided one).
 */
const shuYearOf = (model: LedgerReadModel, year: number) => {
  const closed = model.fiscalYearsClosed.get(year);
  const shuSen = closed?.shuSen ?? periodResultSen(model, year * 10000 + 101, year * 10000 + 1231);
  const decision = model.ratDecisions.get(year) ?? null;
  const status = shuStatus(decision, shuSen);
  const entry = decision === null ? undefined : appropriationOf(model, decision);
  const priorLossCovered =
    decision === null
      ? priorLossCoverage(model, closed === undefined ? 0n : shuSen)
      : wireToSen(decision.priorLossCovered ?? "0.00");
  const dividing = (decision === null && closed !== undefined && shuSen > 0n) || status === "allocated";
  return { closed: closed !== undefined, shuSen, decision, status, entry, priorLossCovered, dividing };
};

const undistributedOf = (dividing: boolean, division: MemberDivision): ShuReport["undistributed"] => ({
  jasaModal: senToWire(dividing ? division.residue.jasaModalSen : 0n),
  jasaUsaha: senToWire(dividing ? division.residue.jasaUsahaSen : 0n),
});

const shuStatus = (decision: unknown, shuSen: bigint): ShuReport["status"] => {
  if (decision === null) return "awaitingRatDecision";
  return shuSen <= 0n ? "noShuToAllocate" : "allocated";
};

/** The allocation per key: as the appropriation entry posted it, or computed from the percentages. */
const shuAllocation = (
  entry: { readonly lines: EntryLines } | undefined,
  percentages: Readonly<Record<string, string>>,
  dividedSen: bigint,
): Array<{ key: string; percent: string; amount: bigint }> =>
  postedAllocation(entry?.lines, percentages) ??
  shuAllocationSen(dividedSen, percentages).map((part) => ({
    key: part.key as string,
    percent: percentages[part.key] as string,
    amount: part.sen,
  }));

const participationAccountOf =
  (model: LedgerReadModel) =>
  (code: string): ParticipationAccount | undefined => {
    const account = model.accounts.get(code);
    return account === undefined
      ? undefined
      : {
          accountType: account.type,
          normalBalance: account.normalBalance,
          businessWith: account.businessWith,
        };
  };

/** One row per member (registered, participating or credited), in member order, and the columns' totals. */
const memberRows = (
  model: LedgerReadModel,
  participation: Participation,
  division: MemberDivision,
): { readonly members: ShuMemberRow[]; readonly totals: ShuReport["totals"] } => {
  const shares = new Map(division.members.map((member) => [member.memberId, member]));
  const memberIds = [
    ...new Set([...model.members.keys(), ...participation.members.keys(), ...shares.keys()]),
  ].sort();
  let totalModal = 0n;
  let totalUsaha = 0n;
  const members = memberIds.map((memberId) => {
    const jasaModal = shares.get(memberId)?.jasaModalSen ?? 0n;
    const jasaUsaha = shares.get(memberId)?.jasaUsahaSen ?? 0n;
    const base = participation.members.get(memberId);
    totalModal += jasaModal;
    totalUsaha += jasaUsaha;
    return {
      memberId,
      name: model.members.get(memberId)?.name ?? memberId,
      capitalBase: senToWire(base?.capitalSen ?? 0n),
      usageBase: senToWire(weightedSen(base?.usageWeight ?? 0n)),
      jasaModal: senToWire(jasaModal),
      jasaUsaha: senToWire(jasaUsaha),
      total: senToWire(jasaModal + jasaUsaha),
    };
  });
  const totals = {
    jasaModal: senToWire(totalModal),
    jasaUsaha: senToWire(totalUsaha),
    total: senToWire(totalModal + totalUsaha),
  };
  return { members, totals };
};

/** Every date a ledger can hold is on or before this day: the balance "now". */
const LAST_DAY = 99991231;

/**
 * What of a closed profit year's SHU would cover earlier years' loss still in 3610 (ledger-core's
 * decideRatDecision covers it first), before the decision.
 */
const priorLossCoverage = (model: LedgerReadModel, shuSen: bigint): bigint => {
  if (shuSen <= 0n) return 0n;
  const loss = model.accounts.get(ACCUMULATED_LOSS_ACCOUNT)?.totals.asOf(LAST_DAY);
  const uncoveredSen = loss === undefined ? 0n : loss.debit - loss.credit;
  return uncoveredSen > 0n ? (uncoveredSen < shuSen ? uncoveredSen : shuSen) : 0n;
};

type EntryLines = ReadonlyArray<{
  readonly account: string;
  readonly side: string;
  readonly amount: string;
  readonly memberId: string | null;
  readonly memo: string | null;
}>;

/**
 * The appropriation's lines: its one entry, or all its parts in order when it was posted in several
 * (decideRatDecision.ts, APPROPRIATION_ENTRY_LINES_MAX); undefined when it posted nothing.
 */
const appropriationOf = (
  model: LedgerReadModel,
  decision: { readonly entryId: string | null; readonly entryIds?: readonly string[] },
): { readonly lines: EntryLines } | undefined => {
  if (decision.entryId === null) return undefined;
  const parts = (decision.entryIds ?? [decision.entryId]).map((entryId) => entryById(model, entryId));
  if (parts.some((part) => part === undefined)) return undefined;
  return parts.length === 1 ? parts[0] : { lines: parts.flatMap((part) => part?.lines ?? []) };
};

/**
 * The amounts per key as the appropriation entry posted them (each credit line's memo names its key, a
 * residue line its pool), or null when it has no keyed credit lines.
 */
const postedAllocation = (
  lines: EntryLines | undefined,
  percentages: Readonly<Record<string, string>>,
): Array<{ key: string; percent: string; amount: bigint }> | null => {
  if (lines === undefined) return null;
  const amounts = new Map<string, bigint>();
  for (const line of lines) {
    if (line.side !== "credit" || line.memo === null) continue;
    const key = line.memo.startsWith(RESIDUE_MEMO_PREFIX)
      ? line.memo.slice(RESIDUE_MEMO_PREFIX.length)
      : line.memo;
    if (percentages[key] === undefined) continue;
    amounts.set(key, (amounts.get(key) ?? 0n) + wireToSen(line.amount));
  }
  if (amounts.size === 0) return null;
  return allocationKeysOf(percentages).map((key) => ({
    key,
    percent: percentages[key] as string,
    amount: amounts.get(key) ?? 0n,
  }));
};

type MemberPool = "jasaModal" | "jasaUsaha";

/** The members' pool a residue line's memo names, or null for any other memo. */
const residuePoolOf = (memo: string): MemberPool | null => {
  const pool = memo.startsWith(RESIDUE_MEMO_PREFIX) ? memo.slice(RESIDUE_MEMO_PREFIX.length) : null;
  return pool === "jasaModal" || pool === "jasaUsaha" ? pool : null;
};

/** A credit to one member on 2401 from one of the two members' pools. */
const isMemberPoolLine = (
  line: EntryLines[number],
): line is EntryLines[number] & {
  readonly memberId: string;
  readonly memo: MemberPool;
} =>
  line.account === MEMBER_SHU_PAYABLE_ACCOUNT &&
  line.memberId !== null &&
  (line.memo === "jasaModal" || line.memo === "jasaUsaha");

/**
 * The members' parts as the appropriation entry credited them to 2401 (one line per member and pool), with
 * the residue lines; null for an entry without member lines (decisions recorded before the ledger credited
 * each member), whose division is computed instead.
 */
const postedDivision = (lines: EntryLines | undefined): MemberDivision | null => {
  if (lines === undefined) return null;
  const shares = new Map<string, { jasaModalSen: bigint; jasaUsahaSen: bigint }>();
  const residue = { jasaModalSen: 0n, jasaUsahaSen: 0n };
  let memberLines = 0;
  for (const line of lines) {
    if (line.side !== "credit" || line.memo === null) continue;
    const sen = wireToSen(line.amount);
    const pool = residuePoolOf(line.memo);
    if (pool !== null) {
      residue[`${pool}Sen`] += sen;
    } else if (isMemberPoolLine(line)) {
      memberLines += 1;
      const share = shares.get(line.memberId) ?? { jasaModalSen: 0n, jasaUsahaSen: 0n };
      share[`${line.memo}Sen`] += sen;
      shares.set(line.memberId, share);
    }
  }
  if (memberLines === 0) return null;
  return {
    members: [...shares].map(([memberId, share]) => ({ memberId, ...share })),
    residue,
    unattributedJasaUsahaSen: 0n,
  };
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
