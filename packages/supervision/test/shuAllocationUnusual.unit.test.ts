import { shuRulesDefault } from "@bukubesar/ledger-core";
import { describe, expect, it } from "vitest";
import { SHU_ALLOCATION_UNUSUAL_RULE } from "../src/index.js";
import { alertsOf, History, replay } from "./history.js";

const settings = (allocation: Record<string, string>, approvalThreshold: string | null = null) => ({
  settings: {
    approvalThreshold,
    largeCashThreshold: "100000000.00",
    businessHours: { start: "07:00", end: "17:00" },
    timeZone: "Asia/Jakarta",
    shuRules: { ...shuRulesDefault, allocation },
  },
});

const UNUSUAL = { cadangan: "30", jasaUsaha: "20", jasaModal: "40", pendidikan: "10" };

describe("SHU percentages outside the usual ranges", () => {
  it("warns once when the AD/ART rules set them, and not again for a change of other settings", () => {
    const history = new History().standard();
    history.event("SettingsChanged", settings(UNUSUAL), undefined, "admin-1");
    history.event("SettingsChanged", settings(UNUSUAL, "5000000.00"), undefined, "admin-1");
    const alerts = alertsOf(replay(history.events), SHU_ALLOCATION_UNUSUAL_RULE);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({
      severity: "warning",
      details: { source: "SettingsChanged", warnings: ["jasa_modal_above_jasa_usaha"], changedBy: "admin-1" },
    });
  });

  it("warns of a RAT decision's unusual allocation, and of none for the usual default", () => {
    const history = new History().standard();
    history.event("SettingsChanged", settings(shuRulesDefault.allocation as Record<string, string>));
    history.event("RatDecisionProposed", {
      year: 2025,
      decidedOn: "2026-03-15",
      allocation: { cadangan: "10", jasaUsaha: "60", pengurusPengawas: "30" },
      lossCoverage: null,
      entryId: "appropriation-2025",
      proposedBy: "treasurer-1",
      unattributedJasaUsaha: null,
    });
    const alerts = alertsOf(replay(history.events), SHU_ALLOCATION_UNUSUAL_RULE);
    expect(alerts.map((alert) => alert.details.warnings)).toEqual([
      ["cadangan_below_usual", "management_share_above_usual"],
    ]);
  });
});
