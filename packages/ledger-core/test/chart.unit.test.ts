import { describe, expect, it } from "vitest";
import {
  ACCUMULATED_LOSS_ACCOUNT,
  chartTemplates,
  entryIdFor,
  eventIdFor,
  isRegionCode,
  kkmpChart,
  ledgerStreamId,
  normalBalanceOf,
  SHU_CURRENT_YEAR_ACCOUNT,
  shuAllocationAccounts,
  timeZoneForRegion,
} from "../src/index.js";

describe("the kkmp chart", () => {
  const byCode = new Map(kkmpChart.map((account) => [account.code, account]));

  it("has unique codes and every parent listed before its children", () => {
    expect(byCode.size).toBe(kkmpChart.length);
    const seen = new Set<string>();
    for (const account of kkmpChart) {
      if (account.parent !== null) expect(seen.has(account.parent), account.code).toBe(true);
      seen.add(account.code);
    }
  });

  it("keeps headers unpostable and children of the header's type", () => {
    for (const account of kkmpChart) {
      const parent = account.parent === null ? undefined : byCode.get(account.parent);
      if (parent !== undefined) {
        expect(parent.postable, account.code).toBe(false);
        expect(parent.accountType, account.code).toBe(account.accountType);
      }
    }
    expect(byCode.get("1100")?.postable).toBe(false);
    expect(byCode.get("4100")?.postable).toBe(false);
  });

  it("has the accounts the ledger relies on, contra accounts credit-normal", () => {
    expect(byCode.get("1101")).toMatchObject({ name: "Kas Besar", noOverdraft: true, postable: true });
    for (const code of [
      "1301",
      "3100",
      "3200",
      "3500",
      "3600",
      SHU_CURRENT_YEAR_ACCOUNT,
      "2401",
      "2407",
      "4101",
      "5101",
      "6101",
    ]) {
      expect(byCode.get(code)?.postable, code).toBe(true);
    }
    for (const code of Object.values(shuAllocationAccounts)) expect(byCode.has(code), code).toBe(true);
    for (const code of ["1209", "1219", "1309", "1690", "1709"]) {
      expect(byCode.get(code)).toMatchObject({ accountType: "asset", normalBalance: "credit" });
    }
    expect(byCode.get("4900")).toMatchObject({ accountType: "income", normalBalance: "debit" });
    expect(byCode.get(ACCUMULATED_LOSS_ACCOUNT)).toMatchObject({
      accountType: "equity",
      normalBalance: "debit",
      postable: true,
    });
  });

  it("otherwise follows the normal balance of the type, with code groups matching types", () => {
    const contra = new Set(["1209", "1219", "1309", "1690", "1709", "3610", "4900"]);
    const typeOfGroup: Record<string, string> = {
      "1": "asset",
      "2": "liability",
      "3": "equity",
      "4": "income",
      "5": "expense",
      "6": "expense",
    };
    for (const account of kkmpChart) {
      expect(account.accountType, account.code).toBe(typeOfGroup[account.code.slice(0, 1)]);
      if (!contra.has(account.code))
        expect(account.normalBalance, account.code).toBe(normalBalanceOf(account.accountType));
    }
    expect(chartTemplates.empty).toEqual([]);
  });
});

describe("ids", () => {
  it("derives the same entry id for a retried request and different ids otherwise", () => {
    const id = entryIdFor("kkmp-mangunharjo", "journal-entries", "key-1");
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(entryIdFor("kkmp-mangunharjo", "journal-entries", "key-1")).toBe(id);
    expect(entryIdFor("kkmp-mangunharjo", "journal-entries", "key-2")).not.toBe(id);
    expect(entryIdFor("kkmp-mangunharjo", "reverse", "key-1")).not.toBe(id);
    expect(eventIdFor(id, 0)).not.toBe(eventIdFor(id, 1));
    expect(eventIdFor(id, 1)).toBe(eventIdFor(id, 1));
  });

  it("names the stream after the cooperative", () => {
    expect(ledgerStreamId("kkmp-mangunharjo")).toBe("ledger-kkmp-mangunharjo");
  });
});

describe("regions", () => {
  it("accepts village-level Kemendagri codes only", () => {
    expect(isRegionCode("35.74.03.1002")).toBe(true);
    expect(isRegionCode("35.74.03.4002")).toBe(false);
    expect(isRegionCode("35.74.03")).toBe(false);
  });

  it("gives each province its time zone", () => {
    expect(timeZoneForRegion("35.74.03.1002")).toBe("Asia/Jakarta");
    expect(timeZoneForRegion("62.01.01.2001")).toBe("Asia/Jakarta");
    for (const province of ["51", "52", "53", "63", "64", "65", "71", "76"]) {
      expect(timeZoneForRegion(`${province}.01.01.2001`)).toBe("Asia/Makassar");
    }
    for (const province of ["81", "82", "91", "97"])
      expect(timeZoneForRegion(`${province}.01.01.2001`)).toBe("Asia/Jayapura");
  });
});
