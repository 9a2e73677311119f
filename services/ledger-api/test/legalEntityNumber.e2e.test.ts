/** The nomor badan hukum: set in the settings, printed in the heading of the statements and the RAT pack. */
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { NAME_LENGTH_MAX } from "@bukubesar/ledger-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshStore, type Harness, startHarness } from "./harness.js";

const COOP = "kkmp-badan-hukum";
const path = `/v1/cooperatives/${COOP}`;
const NUMBER = "AHU-0001234.AH.01.29.TAHUN 2025";

describe("the legal entity number", () => {
  let harness: Harness;
  let cleanup: () => Promise<void>;

  const pdfText = async (url: string): Promise<string> => {
    const response = await fetch(`${harness.base}${url}`, {
      headers: { authorization: `Bearer ${harness.admin}` },
    });
    expect([response.status, response.headers.get("content-type")]).toEqual([200, "application/pdf"]);
    const file = join(mkdtempSync(join(tmpdir(), "bukubesar-badan-hukum-")), "document.pdf");
    writeFileSync(file, Buffer.from(await response.arrayBuffer()));
    return execFileSync("pdftotext", ["-layout", file, "-"], { encoding: "utf8" });
  };

  beforeAll(async () => {
    const store = await freshStore("sqlite");
    cleanup = store.cleanup;
    harness = await startHarness(store.url, { now: () => "2027-02-01T03:00:00.000Z" });
    await harness.call("POST", "/v1/cooperatives", {
      body: { id: COOP, name: "KKMP Berbadan Hukum", regionCode: "35.74.03.1002", chart: "kkmp" },
    });
    const answer = await harness.call("POST", `${path}/journal-entries`, {
      body: {
        date: "2026-03-01",
        memo: "Jual sembako",
        lines: [
          { account: "1101", debit: "900000" },
          { account: "4101", credit: "900000" },
        ],
      },
      headers: { "idempotency-key": "badan-hukum-1" },
    });
    expect(answer.status).toBe(201);
  });

  afterAll(async () => {
    await harness.stop();
    await cleanup();
  });

  it("is absent until set, then in the settings and in every statement's and the RAT pack's heading", async () => {
    const before = await harness.call("GET", path);
    expect(before.body.settings.legalEntityNumber).toBeUndefined();
    expect(await pdfText(`${path}/balance-sheet?asOf=2026-12-31&format=pdf`)).not.toContain("Badan hukum");

    const patched = await harness.call("PATCH", `${path}/settings`, { body: { legalEntityNumber: NUMBER } });
    expect([patched.status, patched.body.legalEntityNumber]).toEqual([200, NUMBER]);
    expect((await harness.call("GET", path)).body.settings.legalEntityNumber).toBe(NUMBER);

    for (const url of [
      `${path}/balance-sheet?asOf=2026-12-31&format=pdf`,
      `${path}/income-statement?from=2026-01-01&to=2026-12-31&format=pdf`,
      `${path}/rat-pack?year=2026`,
    ])
      expect(await pdfText(url), url).toContain(`Badan hukum No. ${NUMBER}`);
    // The notes say it in their general information too, in a paragraph that may wrap.
    const notes = (await pdfText(`${path}/notes?asOf=2026-12-31&format=pdf`)).replace(/\s+/g, " ");
    expect(notes).toContain(`badan hukum nomor ${NUMBER}`);
  });

  it("refuses an over-long number with a JSON Pointer and changes nothing", async () => {
    const before = (await harness.call("GET", path)).body.settings;
    const answer = await harness.call("PATCH", `${path}/settings`, {
      body: { legalEntityNumber: "A".repeat(NAME_LENGTH_MAX + 1), timeZone: "Asia/Jayapura" },
    });
    expect([answer.status, answer.body.code]).toEqual([422, "validation_failed"]);
    expect(answer.body.errors.map((error: { path: string }) => error.path)).toEqual(["/legalEntityNumber"]);
    expect((await harness.call("GET", path)).body.settings).toEqual(before);
  });

  it("is removed again with null", async () => {
    const patched = await harness.call("PATCH", `${path}/settings`, { body: { legalEntityNumber: null } });
    expect(patched.status).toBe(200);
    expect(patched.body.legalEntityNumber).toBeUndefined();
  });
});
