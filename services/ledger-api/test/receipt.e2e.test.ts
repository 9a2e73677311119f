/** GET …/journal-entries/{entryId}/receipt: the kuitansi of a posted entry, read back with pdftotext. */
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshStore, type Harness, startHarness } from "./harness.js";

const COOP = "kkmp-kuitansi";
const path = `/v1/cooperatives/${COOP}`;

describe("the receipt route", () => {
  let harness: Harness;
  let cleanup: () => Promise<void>;
  const entryIds: Record<string, string> = {};

  const post = async (key: string, lines: object[], memo: string) => {
    const answer = await harness.call("POST", `${path}/journal-entries`, {
      body: { date: "2026-03-01", memo, lines },
      headers: { "idempotency-key": key },
    });
    entryIds[key] = answer.body.entryId;
    return answer;
  };

  beforeAll(async () => {
    const store = await freshStore("sqlite");
    cleanup = store.cleanup;
    harness = await startHarness(store.url, { now: () => "2026-03-02T03:00:00.000Z" });
    await harness.call("POST", "/v1/cooperatives", {
      body: { id: COOP, name: "KKMP Kuitansi", regionCode: "35.74.03.1002", chart: "kkmp" },
    });
    await harness.call("POST", `${path}/members`, {
      body: { memberId: "A-0001", name: "Siti Aminah", joinedOn: "2026-01-02" },
    });
    const deposit = await post(
      "deposit",
      [
        { account: "1101", debit: "1250000" },
        { account: "3100", credit: "1250000", memberId: "A-0001" },
      ],
      "Simpanan pokok Siti Aminah",
    );
    expect(deposit.status).toBe(201);
    const payment = await post(
      "payment",
      [
        { account: "5101", debit: "75500.50" },
        { account: "1101", credit: "75500.50" },
      ],
      "Bayar listrik Maret",
    );
    expect(payment.status).toBe(201);
    await harness.call("PATCH", `${path}/settings`, { body: { approvalThreshold: "1000000" } });
    const pending = await post(
      "pending",
      [
        { account: "1101", debit: "5000000" },
        { account: "3100", credit: "5000000", memberId: "A-0001" },
      ],
      "Setoran besar",
    );
    expect([pending.status, pending.body.status]).toEqual([202, "pending_approval"]);
  });

  afterAll(async () => {
    await harness.stop();
    await cleanup();
  });

  const pdfText = async (url: string): Promise<string> => {
    const response = await fetch(`${harness.base}${url}`, {
      headers: { authorization: `Bearer ${harness.admin}` },
    });
    expect([response.status, response.headers.get("content-type")]).toEqual([200, "application/pdf"]);
    const file = join(mkdtempSync(join(tmpdir(), "bukubesar-kuitansi-")), "receipt.pdf");
    writeFileSync(file, Buffer.from(await response.arrayBuffer()));
    return execFileSync("pdftotext", ["-layout", file, "-"], { encoding: "utf8" });
  };

  it("gives a deposit's receipt as JSON: received from the member, the amount in figures and words", async () => {
    const answer = await harness.call("GET", `${path}/journal-entries/${entryIds.deposit}/receipt`);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      receiptNumber: entryIds.deposit,
      date: "2026-03-01",
      dateInWords: "1 Maret 2026",
      direction: "received",
      memberId: "A-0001",
      party: "Siti Aminah",
      memo: "Simpanan pokok Siti Aminah",
      amount: "1250000.00",
      amountInWords: "satu juta dua ratus lima puluh ribu rupiah",
    });
    expect(answer.body.rows).toContainEqual({
      role: "total",
      indent: 0,
      cells: { label: "Jumlah", detail: "Rp1.250.000" },
    });
  });

  it("prints the receipt: heading, number, parties, amount and terbilang each whole on one line, signatures", async () => {
    const text = await pdfText(`${path}/journal-entries/${entryIds.deposit}/receipt?format=pdf`);
    const lines = text.split("\n");
    for (const expected of [
      "KKMP Kuitansi",
      "Kuitansi",
      `Nomor ${entryIds.deposit}`,
      "1 Maret 2026",
      "Simpanan pokok Siti Aminah",
      "Bendahara",
      "Penyetor",
    ])
      expect(text, expected).toContain(expected);
    expect(lines.some((line) => /Diterima dari\s+Siti Aminah \(A-0001\)/.test(line))).toBe(true);
    expect(lines.some((line) => /Jumlah\s+Rp1\.250\.000\s*$/.test(line))).toBe(true);
    expect(
      lines.some((line) => line.includes("Terbilang: Satu juta dua ratus lima puluh ribu rupiah.")),
    ).toBe(true);
  });

  it("prints a payment as paid, with sen in figures and in words", async () => {
    const json = await harness.call("GET", `${path}/journal-entries/${entryIds.payment}/receipt`);
    expect([json.body.direction, json.body.amount, json.body.party]).toEqual(["paid", "75500.50", null]);
    const text = await pdfText(`${path}/journal-entries/${entryIds.payment}/receipt?format=pdf`);
    expect(text).toMatch(/Dibayar kepada/);
    expect(text).toMatch(/Jumlah\s+Rp75\.500,50/);
    expect(text).toContain(`Terbilang: ${json.body.amountInWords.charAt(0).toUpperCase()}`);
    expect(text).toContain("Penerima");
  });

  it("answers 404 for an unknown entry and 422 entry_not_posted for a pending one", async () => {
    const unknown = await harness.call(
      "GET",
      `${path}/journal-entries/00000000-0000-4000-8000-000000000000/receipt`,
    );
    expect([unknown.status, unknown.body.code]).toEqual([404, "not_found"]);
    const pending = await harness.call("GET", `${path}/journal-entries/${entryIds.pending}/receipt`);
    expect([pending.status, pending.body.code]).toEqual([422, "entry_not_posted"]);
  });
});
