/** GET …/rat-pack?year=: the RAT pack as one PDF, read back with pdftotext. */
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshStore, type Harness, startHarness } from "./harness.js";

const COOP = "kkmp-rat";
const path = `/v1/cooperatives/${COOP}`;

describe("the RAT pack route", () => {
  let harness: Harness;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    const store = await freshStore("sqlite");
    cleanup = store.cleanup;
    harness = await startHarness(store.url, { now: () => "2027-02-01T03:00:00.000Z" });
    await harness.call("POST", "/v1/cooperatives", {
      body: { id: COOP, name: "KKMP Rapat", regionCode: "35.74.03.1002", chart: "kkmp" },
    });
    for (const [memberId, name, role] of [
      ["A-0001", "Siti Aminah", "pengurus"],
      ["A-0002", "Budi Santoso", "pengurus"],
      ["A-0003", "Agus Salim", "pengawas"],
    ])
      await harness.call("POST", `${path}/members`, {
        body: { memberId, name, joinedOn: "2026-01-02", role },
      });
    const entries = [
      ["2026-01-05", "Simpanan pokok", "1101", "3100", "300000", "A-0001"],
      ["2026-03-01", "Jual sembako", "1101", "4101", "900000", "A-0002"],
    ] as const;
    for (const [index, [date, memo, debit, credit, amount, memberId]] of entries.entries()) {
      const answer = await harness.call("POST", `${path}/journal-entries`, {
        body: {
          date,
          memo,
          lines: [
            { account: debit, debit: amount },
            { account: credit, credit: amount, memberId },
          ],
        },
        headers: { "idempotency-key": `rat-${index}` },
      });
      expect(answer.status).toBe(201);
    }
  });

  afterAll(async () => {
    await harness.stop();
    await cleanup();
  });

  it("serves the cover, the statements, the notes and the SHU of last year by default as one PDF", async () => {
    const response = await fetch(`${harness.base}${path}/rat-pack`, {
      headers: { authorization: `Bearer ${harness.admin}` },
    });
    expect([response.status, response.headers.get("content-type")]).toEqual([200, "application/pdf"]);
    const file = join(mkdtempSync(join(tmpdir(), "bukubesar-rat-")), "rat.pdf");
    writeFileSync(file, Buffer.from(await response.arrayBuffer()));
    const text = execFileSync("pdftotext", ["-layout", file, "-"], { encoding: "utf8" });
    for (const title of [
      "Bahan Rapat Anggota Tahunan",
      "Tahun Buku 2026",
      "Laporan Posisi Keuangan",
      "Laporan Perhitungan Hasil Usaha",
      "Laporan Perubahan Ekuitas",
      "Laporan Arus Kas",
      "Catatan atas Laporan Keuangan",
      // 2026 is not decided yet: its SHU page is the proposal.
      "Rancangan Pembagian SHU",
      "Siti Aminah",
      "Agus Salim",
    ])
      expect(text, title).toContain(title);
    expect(text).toMatch(/SISA HASIL USAHA SETELAH PAJAK\s+Rp900\.000\s+—/);
  });

  it("adds the previous period to a statement's JSON on compare=previous, null in a first year", async () => {
    const withPrevious = await harness.call("GET", `${path}/balance-sheet?asOf=2027-01-31&compare=previous`);
    const yearEnd = await harness.call("GET", `${path}/balance-sheet?asOf=2026-12-31`);
    expect(withPrevious.status).toBe(200);
    expect(withPrevious.body.previous).toEqual(yearEnd.body);
    expect(withPrevious.body.asOf).toBe("2027-01-31");
    const first = await harness.call(
      "GET",
      `${path}/income-statement?from=2026-01-01&to=2026-12-31&compare=previous`,
    );
    expect(first.body.previous).toBeNull();
    expect(first.body.shuAfterTax).toBe("900000.00");
    // Not a statement: no comparative (refusing unknown parameters is the API's general rule).
    expect(
      (await harness.call("GET", `${path}/trial-balance?compare=previous`)).body.previous,
    ).toBeUndefined();
  });

  it("refuses a format other than PDF", async () => {
    const answer = await harness.call("GET", `${path}/rat-pack?year=2026&format=csv`);
    expect([answer.status, answer.body.code]).toEqual([422, "validation_failed"]);
  });
});
