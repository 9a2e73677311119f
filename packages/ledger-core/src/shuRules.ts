/**
 * The cooperative's AD/ART rules on SHU, kept in its settings (`Settings.shuRules`) rather than in code:
 * the allocation percentages, which of them the members' meeting (RAT) may set differently, the basis of
 * *jasa modal*, the weights of the business units in *jasa usaha*, and the order in which a loss is covered
 * (docs/accounting.md section 5, docs/domain.md section 5).
 */
import { type ShuRules, UNITS, type Unit } from "./events.js";
import type { Rejection } from "./rejection.js";
import { rejection } from "./rejection.js";
import { type ShuAllocationKey, shuAllocationDefault, shuAllocationKeys } from "./shuAllocation.js";

/** A percentage: up to three integer digits and four fraction digits ("2.5", "33.3333"). */
const PERCENT_PATTERN = /^\d{1,3}(\.\d{1,4})?$/;
/** Percentages are compared exactly as integers in units of 1/10,000 of a percent. */
export const PERCENT_SCALE = 10_000n;
const HUNDRED_PERCENT = 100n * PERCENT_SCALE;

/** A unit weight: a non-negative decimal with up to four fraction digits, at most 1000 ("1", "0.5"). */
const WEIGHT_PATTERN = /^\d{1,4}(\.\d{1,4})?$/;
/** Unit weights are integers in units of 1/10,000, like percentages. */
export const WEIGHT_SCALE = 10_000n;
const WEIGHT_MAX = 1000n * WEIGHT_SCALE;

/** What the meeting may decide besides the allocation keys: how a loss year's loss is covered. */
export const LOSS_COVERAGE_DECISION = "lossCoverage";

/**
 * The rules of a cooperative whose settings name none: the default placeholder percentages, all of which
 * the meeting decides (so a decision may give any valid allocation), jasa modal on the year-end balance,
 * every unit weighted 1, and a loss carried forward to be covered first by the next years' SHU.
 */
export const shuRulesDefault: ShuRules = {
  allocation: shuAllocationDefault,
  meetingDecides: [...shuAllocationKeys, LOSS_COVERAGE_DECISION],
  jasaModalBasis: "yearEnd",
  unitWeights: {},
  lossCoverageOrder: "nextShuFirst",
};

export const shuRulesOf = (settings: { readonly shuRules?: ShuRules } | null): ShuRules =>
  settings?.shuRules ?? shuRulesDefault;

export const percentUnits = (percent: string): bigint => {
  const [integer = "0", fraction = ""] = percent.split(".");
  return BigInt(integer) * PERCENT_SCALE + BigInt(fraction.padEnd(4, "0"));
};

export const weightUnits = (weight: string | undefined): bigint => {
  if (weight === undefined) return WEIGHT_SCALE;
  const [integer = "0", fraction = ""] = weight.split(".");
  return BigInt(integer) * WEIGHT_SCALE + BigInt(fraction.padEnd(4, "0"));
};

/**
 * An allocation is valid when every key is known, every percentage a decimal string, they sum to exactly
 * 100, and the reserve gets a share (UU 25/1992 Pasal 45(2): reserves are deducted first). `path` is where
 * the allocation sits in the command ("allocation", "settings.shuRules.allocation").
 */
export const checkAllocation = (
  allocation: Readonly<Record<string, string>>,
  path: string,
): Rejection | undefined => {
  if (typeof allocation !== "object" || allocation === null) {
    return rejection("AllocationMustBeValid", "the allocation maps keys to percentages", path);
  }
  let total = 0n;
  for (const [key, percent] of Object.entries(allocation)) {
    if (!shuAllocationKeys.includes(key as ShuAllocationKey)) {
      return rejection("AllocationMustBeValid", `unknown allocation key ${key}`, `${path}.${key}`);
    }
    if (typeof percent !== "string" || !PERCENT_PATTERN.test(percent)) {
      return rejection(
        "AllocationMustBeValid",
        'a percentage is a decimal string like "2.5"',
        `${path}.${key}`,
      );
    }
    total += percentUnits(percent);
  }
  if (total !== HUNDRED_PERCENT) {
    return rejection(
      "AllocationMustSumToHundred",
      "the allocation's percentages must sum to exactly 100",
      path,
    );
  }
  if (allocation.cadangan === undefined || percentUnits(allocation.cadangan) === 0n) {
    return rejection(
      "AllocationMustBeValid",
      "the reserve (cadangan) share must be above zero",
      `${path}.cadangan`,
    );
  }
  return undefined;
};

/** A settings patch of the SHU rules: any part may be given; the rest stays as it was. */
export type ShuRulesPatch = Partial<ShuRules>;

/** The current rules with the patch applied, checked; paths are those of the settings body (`shuRules.…`). */
export const mergeShuRules = (current: ShuRules, patch: ShuRulesPatch): ShuRules | Rejection => {
  const path = "shuRules";
  const merged: ShuRules = { ...current, ...patch };
  const allocationProblem = checkAllocation(merged.allocation, `${path}.allocation`);
  if (allocationProblem !== undefined) return allocationProblem;
  const decidable: readonly string[] = [...shuAllocationKeys, LOSS_COVERAGE_DECISION];
  if (!Array.isArray(merged.meetingDecides)) {
    return rejection("FieldMustBeValid", "meetingDecides lists allocation keys", `${path}.meetingDecides`);
  }
  for (const [index, key] of merged.meetingDecides.entries()) {
    if (!decidable.includes(key)) {
      return rejection("FieldMustBeValid", `unknown decision ${key}`, `${path}.meetingDecides.${index}`);
    }
  }
  if (merged.jasaModalBasis !== "yearEnd" && merged.jasaModalBasis !== "averageDaily") {
    return rejection(
      "FieldMustBeValid",
      "jasaModalBasis is yearEnd or averageDaily",
      `${path}.jasaModalBasis`,
    );
  }
  if (merged.lossCoverageOrder !== "nextShuFirst" && merged.lossCoverageOrder !== "reserveFirst") {
    return rejection(
      "FieldMustBeValid",
      "lossCoverageOrder is nextShuFirst or reserveFirst",
      `${path}.lossCoverageOrder`,
    );
  }
  for (const [unit, weight] of Object.entries(merged.unitWeights ?? {})) {
    if (
      !UNITS.includes(unit as Unit) ||
      typeof weight !== "string" ||
      !WEIGHT_PATTERN.test(weight) ||
      weightUnits(weight) > WEIGHT_MAX
    ) {
      return rejection(
        "FieldMustBeValid",
        'a unit weight is a decimal string from 0 to 1000 ("1", "0.5") for a known unit',
        `${path}.unitWeights.${unit}`,
      );
    }
  }
  return {
    allocation: Object.fromEntries(
      shuAllocationKeys.flatMap((key) => {
        const percent = merged.allocation[key];
        return percent === undefined ? [] : [[key, percent]];
      }),
    ),
    meetingDecides: [...new Set(merged.meetingDecides)],
    jasaModalBasis: merged.jasaModalBasis,
    unitWeights: { ...merged.unitWeights },
    lossCoverageOrder: merged.lossCoverageOrder,
  };
};

/**
 * The RAT may set a percentage differently from the AD/ART only for the keys the AD/ART leaves to it
 * (`meetingDecides`); a key the AD/ART fixes must carry the AD/ART's percentage (or be left out when the
 * AD/ART gives it none).
 */
export const checkAllocationFollowsRules = (
  allocation: Readonly<Record<string, string>>,
  rules: ShuRules,
): Rejection | undefined => {
  for (const key of shuAllocationKeys) {
    if (rules.meetingDecides.includes(key)) continue;
    const decided = allocation[key] === undefined ? 0n : percentUnits(allocation[key]);
    const fixed = rules.allocation[key] === undefined ? 0n : percentUnits(rules.allocation[key]);
    if (decided !== fixed) {
      return rejection(
        "AllocationMustFollowAdArt",
        `the AD/ART fixes ${key} at ${rules.allocation[key] ?? "0"}%; the meeting may not change it`,
        `allocation.${key}`,
      );
    }
  }
  return undefined;
};

/** A percentage outside the usual ranges of docs/accounting.md section 5: warned of, never refused. */
export interface AllocationWarning {
  readonly code: string;
  readonly message: string;
  readonly path: string;
}

/** Below this reserve share an allocation is unusual (docs/domain.md section 5.2: 20–40% in practice). */
export const RESERVE_PERCENT_USUAL_MIN = 20n;
/** Above this share for the board, supervisors and employees together an allocation is unusual. */
export const MANAGEMENT_PERCENT_USUAL_MAX = 20n;

/**
 * The warnings an allocation gets: jasa modal above jasa usaha ("limited return on capital", UU 25/1992
 * Pasal 5), a reserve below the usual share, more than the usual share for the board, the supervisors and the
 * employees. `path` is where the allocation sits in the request.
 */
export const allocationWarnings = (
  allocation: Readonly<Record<string, string>>,
  path: string,
): AllocationWarning[] => {
  const share = (key: ShuAllocationKey) =>
    allocation[key] === undefined ? 0n : percentUnits(allocation[key] as string);
  const warnings: AllocationWarning[] = [];
  if (share("jasaModal") > share("jasaUsaha")) {
    warnings.push({
      code: "jasa_modal_above_jasa_usaha",
      message: "jasa modal is above jasa usaha: the law asks for a limited return on capital",
      path: `${path}.jasaModal`,
    });
  }
  if (share("cadangan") < RESERVE_PERCENT_USUAL_MIN * PERCENT_SCALE) {
    warnings.push({
      code: "cadangan_below_usual",
      message: `the reserve share is below the usual ${RESERVE_PERCENT_USUAL_MIN}%`,
      path: `${path}.cadangan`,
    });
  }
  const management = share("pengurusPengawas") + share("pengawas") + share("karyawan");
  if (management > MANAGEMENT_PERCENT_USUAL_MAX * PERCENT_SCALE) {
    warnings.push({
      code: "management_share_above_usual",
      message: `board, supervisors and employees together get more than the usual ${MANAGEMENT_PERCENT_USUAL_MAX}%`,
      path,
    });
  }
  return warnings;
};
