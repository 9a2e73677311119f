/** GET /v1/regions/{prefix}/summary: the supervisors' roll-up, within their scope, as JSON, CSV and PDF. */
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshStore, type Harness, startHarness } from "./harness.js";

const COOPERATIVES = [
  { id: "kkmp-mangunharjo", name: "KKMP Mangunharjo", regionCode: "35.74.03.1002" },
  { id: "kkmp-jrebeng", name: "KKMP Jrebeng Kidul", regionCode: "35.74.04.1001" },
  { id: "kdmp-klaten", name: "KDMP Bentangan", regionCode: "33.10.19.2005" },
];

describe("the region summary", () => {
  let harness: Harness;
  let cleanup: () => Promise<void>;
  let supervisor: string;
  let treasurer: string;

  beforeAll(async () => {
    const store = await freshStore("sqlite");
    cleanup = store.cleanup;
    harness = await startHarness(store.url, { now: () => "2026-06-30T05:00:00.000Z" });
    for (const [index, coop] of COOPERATIVES.entries()) {
      expect(
        (await harness.call("POST", "/v1/cooperatives", { body: { ...coop, chart: "kkmp" } })).status,
      ).toBe(201);
      const path = `/v1/cooperatives/${coop.id}`;
      const post = async (key: string, body: unknown) =>
        expect(
          (
            await harness.call("POST", `${path}/journal-entries`, {
              body,
              headers: { "idempotency-key": key },
            })
          ).status,
        ).toBe(201);
      await harness.call("POST", `${path}/members`, {
        body: { memberId: "A-0001", name: "Siti Aminah", joinedOn: "2026-01-02", role: "member" },
      });
      await post(`${coop.id}-1`, {
        date: "2026-01-05",
        memo: "Simpanan pokok",
        lines: [
          { account: "1101", debit: `${100000 * (index + 1)}` },
          { account: "3100", credit: `${100000 * (index + 1)}`, memberId: "A-0001" },
        ],
      });
      await post(`${coop.id}-2`, {
        date: "2026-02-01",
        memo: "Pinjaman bank",
        lines: [
          { account: "1111", debit: "10000000" },
          { account: "2601", credit: "10000000" },
        ],
      });
      await post(`${coop.id}-3`, {
        date: "2026-03-01",
        memo: "Pinjaman anggota",
        lines: [
          { account: "1201", debit: "2000000", memberId: "A-0001" },
          { account: "1111", credit: "2000000" },
        ],
      });
      await post(`${coop.id}-4`, {
        date: "2026-06-20",
        memo: "Jual sembako",
        lines: [
          { account: "1101", debit: "750000", unit: "sembako" },
          { account: "4101", credit: "750000", unit: "sembako", memberId: "A-0001" },
        ],
      });
    }
    supervisor = (
      await harness.call("POST", "/v1/tokens", { body: { role: "supervisor", scope: "35.74", name: "dkup" } })
    ).body.token;
    treasurer = (
      await harness.call("POST", "/v1/tokens", {
        body: { role: "treasurer", scope: "kkmp-mangunharjo", name: "b" },
      })
    ).body.token;
  });

  afterAll(async () => {
    await harness.stop();
    await cleanup();
  });

  it("lists every cooperative of the prefix in scope with the figures of its statements", async () => {
    const answer = await harness.call("GET", "/v1/regions/35.74/summary?asOf=2026-06-30", {
      token: supervisor,
    });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(answer.body.cooperatives.map((coop: { coopId: string }) => coop.coopId)).toEqual([
      "kkmp-mangunharjo",
      "kkmp-jrebeng",
    ]);
    const sheet = await harness.call(
      "GET",
      "/v1/cooperatives/kkmp-mangunharjo/balance-sheet?asOf=2026-06-30",
    );
    expect(answer.body.cooperatives[0]).toEqual({
      coopId: "kkmp-mangunharjo",
      name: "KKMP Mangunharjo",
      regionCode: "35.74.03.1002",
      totalAssets: sheet.body.assets.total,
      membersSavings: "100000.00",
      loansOutstanding: "2000000.00",
      revenue: "750000.00",
      shu: "750000.00",
      // 100,000 + 10,000,000 borrowed − 2,000,000 lent + 750,000 sold, all in cash or at the bank.
      cash: "8850000.00",
      cashRatioPercent: "88.5",
      daysSinceLastPosting: 0,
      lastPostingAt: "2026-06-30T05:00:00.000Z",
      openAlerts: expect.any(Number),
    });
    expect(answer.body.totals).toMatchObject({ membersSavings: "300000.00", loansOutstanding: "4000000.00" });
  });

  it("refuses a region outside the scope and a cooperative's own principals", async () => {
    expect((await harness.call("GET", "/v1/regions/33/summary", { token: supervisor })).status).toBe(403);
    expect((await harness.call("GET", "/v1/regions/35.74/summary", { token: treasurer })).status).toBe(403);
    // Not a whole segment: no such region (a bad path segment is not found, as elsewhere in the API).
    expect((await harness.call("GET", "/v1/regions/35.7/summary", { token: supervisor })).status).toBe(404);
    const everywhere = await harness.call("GET", "/v1/regions/33/summary?asOf=2026-06-30");
    expect(everywhere.body.cooperatives).toHaveLength(1);
  });

  it("prints the same figures as CSV rows and a landscape PDF", async () => {
    const csv = await harness.call("GET", "/v1/regions/35.74/summary?asOf=2026-06-30&format=csv", {
      token: supervisor,
    });
    const lines = String(csv.body).trimEnd().split("\r\n");
    expect(lines[0]).toBe(
      "role,name,regionCode,totalAssets,membersSavings,loansOutstanding,revenue,shu,cashRatio,daysSinceLastPosting,openAlerts",
    );
    expect(lines).toHaveLength(4);
    const response = await fetch(`${harness.base}/v1/regions/35.74/summary?asOf=2026-06-30&format=pdf`, {
      headers: { authorization: `Bearer ${supervisor}` },
    });
    expect(response.headers.get("content-type")).toBe("application/pdf");
    const file = join(mkdtempSync(join(tmpdir(), "bukubesar-region-")), "region.pdf");
    writeFileSync(file, Buffer.from(await response.arrayBuffer()));
    const text = execFileSync("pdftotext", ["-layout", file, "-"], { encoding: "utf8" });
    expect(text).toContain("Ringkasan Koperasi Wilayah 35.74");
    expect(text).toMatch(
      /KKMP Mangunharjo\s+35\.74\.03\.1002\s+Rp10\.850\.000\s+Rp100\.000\s+Rp2\.000\.000\s+Rp750\.000\s+Rp750\.000\s+88,5%\s+0\s+\d+/,
    );
    expect(text).toMatch(/JUMLAH\s+Rp21\.800\.000/);
  });
});
