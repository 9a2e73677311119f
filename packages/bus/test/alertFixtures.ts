import type { Alert, Severity } from "@bukubesar/alerts";
import { alertIdFor } from "@bukubesar/alerts";

export const sampleAlert = (
  overrides: Partial<Alert> & { readonly seed?: string; readonly severity?: Severity } = {},
): Alert => {
  const { seed = "1", ...rest } = overrides;
  return {
    alertId: alertIdFor("large-cash", ["test", seed]),
    rule: "large-cash",
    severity: "warning",
    coopId: "kkmp-mangunharjo",
    regionCode: "35.74.03.1002",
    entryIds: ["entry-1"],
    summary: "Transaksi tunai besar Rp150.000.000 pada akun 1101",
    raisedAt: "2026-01-14T03:00:00.000Z",
    details: { amount: "150000000.00" },
    ...rest,
  };
};
