import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { renderReportPdf } from "../src/report-pdf.js";
import {
  openCooperative,
  postingCommands,
  recordCommands,
  runBukubesar,
  startBukubesar,
  temporaryDirectory,
} from "./fixtures.js";

const COOP = "kkmp-mangunharjo";

/** "210000.00" as formatRupiah writes it: "Rp210.000,00". */
const puebi = (wire: string): string => {
  const [whole = "0", fraction = "00"] = wire.replace("-", "").split(".");
  return `Rp${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ".")},${fraction}`;
};

describe("bukubesar report --format pdf", () => {
  it("prints the trial balance's numbers, the cooperative, its region, the period and page numbers", async () => {
    const directory = temporaryDirectory();
    const storeUrl = `sqlite:${join(directory, "data", "bukubesar.db")}`;
    await openCooperative(storeUrl, COOP);
    await recordCommands(storeUrl, COOP, postingCommands(15));
    const env = { DATA_DIR: "data", STORE_URL: "" };

    const json = await runBukubesar(
      ["report", "--coop", COOP, "--kind", "trial-balance", "--as-of", "2025-12-31", "--format", "json"],
      { cwd: directory, env },
    );
    expect(json.code).toBe(0);
    const report = JSON.parse(json.stdout) as {
      accounts: { code: string; debit: string; credit: string; balance: string }[];
      totals: { debit: string; credit: string };
    };
    expect(report.accounts.length).toBeGreaterThan(0);

    const pdf = await runBukubesar(
      [
        "report",
        "--coop",
        COOP,
        "--kind",
        "trial-balance",
        "--as-of",
        "2025-12-31",
        "--format",
        "pdf",
        "--out",
        "tb.pdf",
      ],
      { cwd: directory, env },
    );
    expect(pdf.code).toBe(0);
    const text = execFileSync("pdftotext", ["-layout", join(directory, "tb.pdf"), "-"], { encoding: "utf8" });
    expect(text).toContain("KKMP Mangunharjo");
    expect(text).toContain("35.74.03.1002");
    expect(text).toContain("Neraca Saldo");
    expect(text).toContain("per 31-12-2025");
    expect(text).toContain("Halaman 1 dari 1");
    for (const row of report.accounts) {
      expect(text).toContain(row.code);
      expect(text).toContain(puebi(row.debit));
      expect(text).toContain(puebi(row.credit));
    }
    expect(text).toContain(puebi(report.totals.debit));
    for (const heading of ["Kode", "Nama Akun", "Jenis", "Debit", "Kredit", "Saldo", "Jumlah", "Aset"]) {
      expect(text).toContain(heading);
    }
    expect(text).not.toMatch(/\b(code|name|credit|balance|asset)\b/);
  });

  it("prints the balance sheet with Indonesian groups and a period taken from the report when no cooperative is given", async () => {
    const directory = temporaryDirectory();
    const storeUrl = `sqlite:${join(directory, "data", "bukubesar.db")}`;
    await openCooperative(storeUrl, COOP);
    await recordCommands(storeUrl, COOP, postingCommands(5));
    const env = { DATA_DIR: "data", STORE_URL: "" };
    const json = await runBukubesar(
      ["report", "--coop", COOP, "--kind", "balance-sheet", "--as-of", "2025-12-31", "--format", "json"],
      { cwd: directory, env },
    );
    expect(json.code).toBe(0);
    const report = JSON.parse(json.stdout) as { assets: { total: string }; liabilitiesAndEquity: string };
    // What the API's PDF seam does: only the kind and the report.
    const pdf = await renderReportPdf("balance-sheet", report);
    writeFileSync(join(directory, "neraca.pdf"), pdf);
    const text = execFileSync("pdftotext", ["-layout", join(directory, "neraca.pdf"), "-"], {
      encoding: "utf8",
    });
    expect(text).toContain("Neraca");
    expect(text).toContain("per 31-12-2025");
    for (const label of ["Kelompok", "Kode", "Nama Akun", "Jumlah", "Aset", "Kewajiban", "Ekuitas"]) {
      expect(text).toContain(label);
    }
    expect(text).toContain("Kas dan setara kas");
    expect(text).toContain(puebi(report.assets.total));
    expect(text).not.toMatch(/\b(assets|liabilities|liabilitiesAndEquity|amount)\b/);
  });
});

describe("GET …?format=pdf from bukubesar serve", () => {
  it("names the cooperative, its region code and the period asked for in the header, like the CLI's PDF", async () => {
    const directory = temporaryDirectory();
    const storeUrl = `sqlite:${join(directory, "data", "bukubesar.db")}`;
    await openCooperative(storeUrl, COOP);
    await recordCommands(storeUrl, COOP, postingCommands(5));
    const adminToken = "pdf-test-admin-token-0123456789";
    const server = startBukubesar(["serve"], {
      cwd: directory,
      env: {
        DATA_DIR: "data",
        STORE_URL: "",
        PORT: "0",
        BUKUBESAR_ADMIN_TOKEN: adminToken,
        LOG_LEVEL: "silent",
      },
    });
    try {
      const [, url] = await server.waitFor(/listening on (http:\/\/\S+)/);
      const authorization = { authorization: `Bearer ${adminToken}` };
      const json = await fetch(`${url}/v1/cooperatives/${COOP}/trial-balance?asOf=2025-12-31`, {
        headers: authorization,
      });
      const report = (await json.json()) as { totals: { debit: string } };
      const answer = await fetch(`${url}/v1/cooperatives/${COOP}/trial-balance?asOf=2025-12-31&format=pdf`, {
        headers: authorization,
      });
      expect([answer.status, answer.headers.get("content-type")]).toEqual([200, "application/pdf"]);
      writeFileSync(join(directory, "api.pdf"), Buffer.from(await answer.arrayBuffer()));
      const text = execFileSync("pdftotext", ["-layout", join(directory, "api.pdf"), "-"], {
        encoding: "utf8",
      });
      expect(text).toContain("KKMP Mangunharjo");
      expect(text).toContain("Kode wilayah: 35.74.03.1002");
      expect(text).toContain("Neraca Saldo");
      expect(text).toContain("per 31-12-2025");
      expect(text).toContain(puebi(report.totals.debit));
    } finally {
      expect(await server.stop()).toBe(0);
    }
  }, 60_000);
});
