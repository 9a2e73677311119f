import type { Severity } from "@bukubesar/supervision";

/** Defaults of NATS_SUBJECT_PREFIX and NATS_ALERTS_STREAM (api.md). */
export const DEFAULT_SUBJECT_PREFIX = "alerts";
export const DEFAULT_ALERTS_STREAM = "ALERTS";

/** A Kemendagri region code: province, kabupaten/kota, kecamatan, desa/kelurahan (api.md's regionCode pattern). */
const REGION_CODE = /^\d{2}\.\d{2}\.\d{2}\.[123]\d{3}$/;
/** The segments of a region prefix, one pattern per depth. */
const REGION_SEGMENTS: readonly RegExp[] = [/^\d{2}$/, /^\d{2}$/, /^\d{2}$/, /^[123]\d{3}$/];
/** "Every region", as a supervisor with scope `*` asks for it. */
export const ALL_REGIONS = "*";

export class InvalidRegion extends Error {
  constructor(readonly region: string) {
    super(`not a region code or region prefix: ${JSON.stringify(region)}`);
    this.name = "InvalidRegion";
  }
}

/** `<prefix>.<severity>.<prov>.<kab>.<kec>.<kel>` for an alert, e.g. `alerts.high.35.74.03.1002`. */
export function alertSubject(
  severity: Severity,
  regionCode: string,
  subjectPrefix = DEFAULT_SUBJECT_PREFIX,
): string {
  if (!REGION_CODE.test(regionCode)) throw new InvalidRegion(regionCode);
  return `${subjectPrefix}.${severity}.${regionCode}`;
}

/** True when `region` is "*" or 1–4 whole segments of a region code ("35", "35.74", ..., "35.74.03.1002"). */
export function isRegionPrefix(region: string): boolean {
  if (region === ALL_REGIONS) return true;
  const segments = region.split(".");
  return (
    segments.length <= REGION_SEGMENTS.length &&
    segments.every((segment, index) => REGION_SEGMENTS[index]?.test(segment))
  );
}

/**
 * The subject filter that selects a region prefix: "35.74" → `alerts.*.35.74.>`, a whole code →
 * `alerts.*.35.74.03.1002`, "*" → `alerts.>`. A severity narrows the first token instead of `*`.
 */
export function alertFilterSubject(
  regionPrefix: string,
  subjectPrefix = DEFAULT_SUBJECT_PREFIX,
  severity: Severity | "*" = "*",
): string {
  if (!isRegionPrefix(regionPrefix)) throw new InvalidRegion(regionPrefix);
  if (regionPrefix === ALL_REGIONS)
    return severity === "*" ? `${subjectPrefix}.>` : `${subjectPrefix}.${severity}.>`;
  const whole = regionPrefix.split(".").length === REGION_SEGMENTS.length;
  return `${subjectPrefix}.${severity}.${regionPrefix}${whole ? "" : ".>"}`;
}

/** Whether a region code lies inside a region prefix (whole segments only: "35.7" is not a prefix of "35.74"). */
export function regionMatches(regionPrefix: string, regionCode: string): boolean {
  return (
    regionPrefix === ALL_REGIONS || regionCode === regionPrefix || regionCode.startsWith(`${regionPrefix}.`)
  );
}
