import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  openCooperative,
  postingCommands,
  recordCommands,
  runBukubesar,
  startBukubesar,
  temporaryDirectory,
} from "./fixtures.js";

const COOP = "kkmp-mangunharjo";

/**
 * "210000.00" as the statements print it: "Rp210.000" (sen only when an amount of the report has sen,
 * then ",00" on all), as a pattern that must match whole.
 */
const puebi = (wire: string): RegExp => {
  const [whole = "0", fraction = "00"] = wire.replace("-", "").split(".");
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ".");
  return new RegExp(
    `(^|\\s|\\()Rp${grouped.replaceAll(".", "\\.")}${fraction === "00" ? "(,00)?" : `,${fraction}`}($|\\s|\\))`,
    "m",
  );
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
    expect(text).toContain("31 Desember 2025");
    expect(text).toContain("Halaman 1 dari 1");
    expect(text).toMatch(/Hash rantai terakhir: [0-9a-f]{64}/);
    for (const row of report.accounts) {
      expect(text).toContain(row.code);
      expect(text).toMatch(puebi(row.debit));
      expect(text).toMatch(puebi(row.credit));
    }
    expect(text).toMatch(puebi(report.totals.debit));
    for (const heading of [
      "Kode",
      "Nama akun",
      "Jenis",
      "Mutasi debit",
      "Mutasi kredit",
      "Saldo debit",
      "Saldo kredit",
      "JUMLAH",
      "Aset",
    ]) {
      expect(text).toContain(heading);
    }
    expect(text).not.toMatch(/\b(code|name|credit|balance|asset)\b/);
  });

  it("prints the balance sheet as a statement in the terminal and as CSV rows with their roles", async () => {
    const directory = temporaryDirectory();
    const storeUrl = `sqlite:${join(directory, "data", "bukubesar.db")}`;
    await openCooperative(storeUrl, COOP);
    await recordCommands(storeUrl, COOP, postingCommands(5));
    const env = { DATA_DIR: "data", STORE_URL: "" };
    const ask = (format: string) =>
      runBukubesar(
        ["report", "--coop", COOP, "--kind", "balance-sheet", "--as-of", "2025-12-31", "--format", format],
        {
          cwd: directory,
          env,
        },
      );
    const report = JSON.parse((await ask("json")).stdout) as { assets: { total: string } };
    const table = await ask("table");
    expect(table.code).toBe(0);
    const lines = table.stdout.split("\n");
    expect(lines.slice(0, 5)).toEqual([
      "KKMP Mangunharjo",
      "Laporan Posisi Keuangan",
      "31 Desember 2025",
      "(dalam Rupiah)",
      "",
    ]);
    expect(table.stdout).toMatch(/^Uraian\s+31 Desember 2025\s+31 Desember 2024$/m);
    const total = lines.find((line) => line.startsWith("JUMLAH ASET")) ?? "";
    expect(total).toMatch(/^JUMLAH ASET\s+Rp[\d.]+(,\d{2})?\s+—$/);
    expect(total).toMatch(puebi(report.assets.total));
    expect(table.stdout).not.toMatch(/\b(assets|liabilities|amount|Kewajiban)\b/);
    const csv = await ask("csv");
    expect(csv.stdout.split("\r\n")[0]).toBe("role,label,amount,previousAmount");
    expect(csv.stdout).toContain(`total,JUMLAH ASET,${report.assets.total},\r\n`);
  });

  it("prints the nomor badan hukum under the cooperative's name once the settings record one", async () => {
    const directory = temporaryDirectory();
    const storeUrl = `sqlite:${join(directory, "data", "bukubesar.db")}`;
    await openCooperative(storeUrl, COOP);
    await recordCommands(storeUrl, COOP, [
      ...postingCommands(2),
      {
        type: "ChangeSettings",
        actor: { principalId: "test-admin", role: "admin" as const },
        data: { settings: { legalEntityNumber: "AHU-0001234.AH.01.29.TAHUN 2025" } },
      },
    ]);
    const table = await runBukubesar(
      ["report", "--coop", COOP, "--kind", "balance-sheet", "--as-of", "2025-12-31"],
      { cwd: directory, env: { DATA_DIR: "data", STORE_URL: "" } },
    );
    expect(table.code).toBe(0);
    expect(table.stdout.split("\n").slice(0, 3)).toEqual([
      "KKMP Mangunharjo",
      "Badan hukum No. AHU-0001234.AH.01.29.TAHUN 2025",
      "Laporan Posisi Keuangan",
    ]);
  });
});

describe("bukubesar report rat-pack", () => {
  it("writes the year's RAT pack as one PDF, and refuses a format other than PDF", async () => {
    const directory = temporaryDirectory();
    const storeUrl = `sqlite:${join(directory, "data", "bukubesar.db")}`;
    await openCooperative(storeUrl, COOP);
    await recordCommands(storeUrl, COOP, postingCommands(5));
    const env = { DATA_DIR: "data", STORE_URL: "" };
    const written = await runBukubesar(
      ["report", "rat-pack", "--coop", COOP, "--year", "2025", "--out", "rat.pdf"],
      {
        cwd: directory,
        env,
      },
    );
    expect(written.code, written.stderr).toBe(0);
    const text = execFileSync("pdftotext", ["-layout", join(directory, "rat.pdf"), "-"], {
      encoding: "utf8",
    });
    for (const title of [
      "Bahan Rapat Anggota Tahunan",
      "Tahun Buku 2025",
      "Laporan Posisi Keuangan",
      "Catatan atas Laporan Keuangan",
      "Pembagian SHU",
    ])
      expect(text, title).toContain(title);
    const refused = await runBukubesar(
      ["report", "rat-pack", "--coop", COOP, "--year", "2025", "--format", "csv"],
      {
        cwd: directory,
        env,
      },
    );
    expect(refused.code).toBe(2);
  }, 60_000);
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
      expect(text).toContain("Kode wilayah 35.74.03.1002");
      expect(text).toContain("Neraca Saldo");
      expect(text).toContain("31 Desember 2025");
      expect(text).toMatch(puebi(report.totals.debit));
    } finally {
      expect(await server.stop()).toBe(0);
    }
  }, 60_000);
});

describe("bukubesar report --kind unit-results", () => {
  it("prints the results per unit with the lines without a unit as tidak dialokasikan, as JSON and CSV", async () => {
    const directory = temporaryDirectory();
    const storeUrl = `sqlite:${join(directory, "data", "bukubesar.db")}`;
    await openCooperative(storeUrl, COOP);
    await recordCommands(storeUrl, COOP, postingCommands(3));
    const env = { DATA_DIR: "data", STORE_URL: "" };
    const range = ["--from", "2025-01-01", "--to", "2025-12-31"];
    const json = await runBukubesar(
      ["report", "--coop", COOP, "--kind", "unit-results", ...range, "--format", "json"],
      { cwd: directory, env },
    );
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({
      basis: "revenue",
      units: [],
      unassigned: { label: "tidak dialokasikan", income: "6000.00", result: "6000.00" },
      totals: { result: "6000.00" },
    });
    const csv = await runBukubesar(
      ["report", "--coop", COOP, "--kind", "unit-results", ...range, "--format", "csv"],
      { cwd: directory, env },
    );
    expect(csv.code).toBe(0);
    expect(csv.stdout).toContain("line,Tidak dialokasikan,6000.00,0.00,6000.00,,6000.00");
  });
});
