/**
 * GET …/unit-results (docs/accounting.md section 7, docs/api.md Reports): each unit's direct result, its
 * share of the office's overhead by the settings' basis, lines without a unit as tidak dialokasikan; JSON,
 * CSV and PDF.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshStore, type Harness, startHarness } from "./harness.js";

const coop = "kkmp-unit";
const path = `/v1/cooperatives/${coop}`;
const range = "from=2026-01-01&to=2026-12-31";

describe("unit results over HTTP", () => {
  let harness: Harness;
  let cleanup: () => Promise<void>;
  let keyCounter = 0;
  const post = (lines: unknown[], memo: string) =>
    harness.call("POST", `${path}/journal-entries`, {
      body: { date: "2026-02-01", memo, lines },
      headers: { "idempotency-key": `unit-${++keyCounter}` },
    });

  beforeAll(async () => {
    const store = await freshStore("sqlite");
    cleanup = store.cleanup;
    harness = await startHarness(store.url, { now: () => "2026-06-01T03:00:00.000Z" });
    await harness.call("POST", "/v1/cooperatives", {
      body: { id: coop, name: "KKMP Unit", regionCode: "35.74.03.1002", chart: "kkmp" },
    });
    expect(
      (
        await post(
          [
            { account: "1101", debit: "400000" },
            { account: "4101", credit: "300000", unit: "sembako" },
            { account: "4203", credit: "100000", unit: "klinik", counterparty: "non_member" },
          ],
          "Penjualan",
        )
      ).status,
    ).toBe(201);
    expect(
      (
        await post(
          [
            { account: "6101", debit: "100000.01", unit: "kantor" },
            { account: "6104", debit: "50000" },
            { account: "1101", credit: "150000.01" },
          ],
          "Gaji kantor dan listrik",
        )
      ).status,
    ).toBe(201);
  });
  afterAll(async () => {
    await harness.stop();
    await cleanup();
  });

  it("answers the JSON: direct results, overhead by revenue share, lines without a unit apart", async () => {
    const answer = await harness.call("GET", `${path}/unit-results?${range}`);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      basis: "revenue",
      units: [
        { unit: "klinik", directResult: "100000.00", overheadShare: "25000.00", result: "75000.00" },
        { unit: "sembako", directResult: "300000.00", overheadShare: "75000.01", result: "224999.99" },
      ],
      overhead: { unit: "kantor", cost: "100000.01", allocated: "100000.01", unallocated: "0.00" },
      unassigned: { label: "tidak dialokasikan", expense: "50000.00", result: "-50000.00" },
      totals: { result: "249999.99" },
    });
  });

  it("prints CSV and PDF with the unassigned row named tidak dialokasikan", async () => {
    const csv = await harness.call("GET", `${path}/unit-results?${range}&format=csv`);
    expect(csv.headers.get("content-type")).toContain("text/csv");
    expect(csv.body).toContain("role,unit,income,expense,directResult,overheadShare,result");
    expect(csv.body).toContain("line,Tidak dialokasikan,0.00,50000.00,-50000.00,,-50000.00");
    expect(csv.body).toContain("line,Gerai sembako,300000.00,0.00,300000.00,75000.01,224999.99");
    const pdf = await fetch(`${harness.base}${path}/unit-results?${range}&format=pdf`, {
      headers: { authorization: `Bearer ${harness.admin}` },
    });
    expect(pdf.headers.get("content-type")).toBe("application/pdf");
    const directory = mkdtempSync(join(tmpdir(), "bukubesar-unit-"));
    try {
      const file = join(directory, "unit.pdf");
      writeFileSync(file, Buffer.from(await pdf.arrayBuffer()));
      const text = execFileSync("pdftotext", ["-layout", file, "-"], { encoding: "utf8" });
      expect(text).toContain("Hasil Usaha per Unit");
      expect(text).toContain("Tidak dialokasikan");
      expect(text).toMatch(/Gerai sembako.*Rp224\.999,99/);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it("follows the settings' overhead basis, and refuses an unknown one changing nothing", async () => {
    const refused = await harness.call("PATCH", `${path}/settings`, { body: { overheadBasis: "luas" } });
    expect([refused.status, refused.body.errors?.[0]?.path]).toEqual([422, "/overheadBasis"]);
    const changed = await harness.call("PATCH", `${path}/settings`, { body: { overheadBasis: "equal" } });
    expect([changed.status, changed.body.overheadBasis]).toEqual([200, "equal"]);
    const answer = await harness.call("GET", `${path}/unit-results?${range}`);
    expect(answer.body.basis).toBe("equal");
    expect(answer.body.units.map((unit: { overheadShare: string }) => unit.overheadShare)).toEqual([
      "50000.01",
      "50000.00",
    ]);
  });
});
