/**
 * Cooperative settings: defaults, and the time zone that follows from the province (docs/domain.md
 * section 8.1, api.md).
 */
import type { Settings, TimeZone } from "./events.js";

/** Provinces on Central Indonesian Time: Bali, NTB, NTT, Kalimantan Selatan/Timur/Utara and all of Sulawesi. */
const WITA_PROVINCES: ReadonlySet<string> = new Set([
  "51",
  "52",
  "53",
  "63",
  "64",
  "65",
  "71",
  "72",
  "73",
  "74",
  "75",
  "76",
]);

/** Provinces on Eastern Indonesian Time: Maluku, Maluku Utara and the Papua provinces. */
const WIT_PROVINCES: ReadonlySet<string> = new Set(["81", "82", "91", "92", "93", "94", "95", "96", "97"]);

/** Rp100,000,000: the default large-cash threshold, at the usual reporting level for cash transactions. */
export const LARGE_CASH_THRESHOLD_DEFAULT = "100000000.00";

export const BUSINESS_HOURS_DEFAULT = { start: "07:00", end: "17:00" } as const;

/** The time zone of a region, decided by its two-digit province code; WIB when the province is unknown. */
export const timeZoneForRegion = (regionCode: string): TimeZone => {
  const province = regionCode.slice(0, 2);
  if (WITA_PROVINCES.has(province)) return "Asia/Makassar";
  if (WIT_PROVINCES.has(province)) return "Asia/Jayapura";
  return "Asia/Jakarta";
};

export const defaultSettings = (regionCode: string): Settings => ({
  approvalThreshold: null,
  largeCashThreshold: LARGE_CASH_THRESHOLD_DEFAULT,
  businessHours: { start: BUSINESS_HOURS_DEFAULT.start, end: BUSINESS_HOURS_DEFAULT.end },
  timeZone: timeZoneForRegion(regionCode),
});
