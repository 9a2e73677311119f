import type { Severity } from "@bukubesar/alerts";
import {
  ALL_REGIONS,
  isRegionCode,
  isRegionPrefix as isRegionCodePrefix,
  REGION_CODE_SEGMENTS,
  regionMatches,
} from "@bukubesar/ledger-core";

/** Defaults of NATS_SUBJECT_PREFIX and NATS_ALERTS_STREAM (api.md). */
export const DEFAULT_SUBJECT_PREFIX = "alerts";
export const DEFAULT_ALERTS_STREAM = "ALERTS";

/** "Every region" and region matching are the core's vocabulary; the bus's callers find them here too. */
export { ALL_REGIONS, regionMatches };

export class InvalidRegion extends Error {
  constructor(readonly region: string) {
    super(`not a region code or region prefix: ${JSON.stringify(region)}`);
    this.name = "InvalidRegion";
  }
}

/** `<prefix>.<severity>.<prov>.<kab>.<kec>.<kel>` for an alert, e.g. `alerts.high.35.74.03.1002`. */
export const alertSubject = (
  severity: Severity,
  regionCode: string,
  subjectPrefix = DEFAULT_SUBJECT_PREFIX,
): string => {
  if (!isRegionCode(regionCode)) throw new InvalidRegion(regionCode);
  return `${subjectPrefix}.${severity}.${regionCode}`;
};

/** True when `region` is "*" or 1–4 whole segments of a region code ("35", "35.74", ..., "35.74.03.1002"). */
export const isRegionPrefix = (region: string): boolean => {
  return region === ALL_REGIONS || isRegionCodePrefix(region);
};

/**
 * The subject filter that selects a region prefix: "35.74" → `alerts.*.35.74.>`, a whole code →
 * `alerts.*.35.74.03.1002`, "*" → `alerts.>`. A severity narrows the first token instead of `*`.
 */
export const alertFilterSubject = (
  regionPrefix: string,
  subjectPrefix = DEFAULT_SUBJECT_PREFIX,
  severity: Severity | "*" = "*",
): string => {
  if (!isRegionPrefix(regionPrefix)) throw new InvalidRegion(regionPrefix);
  if (regionPrefix === ALL_REGIONS)
    return severity === "*" ? `${subjectPrefix}.>` : `${subjectPrefix}.${severity}.>`;
  const whole = regionPrefix.split(".").length === REGION_CODE_SEGMENTS;
  return `${subjectPrefix}.${severity}.${regionPrefix}${whole ? "" : ".>"}`;
};
