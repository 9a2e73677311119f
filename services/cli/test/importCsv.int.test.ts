/** CSV imports in the formats treasurers' spreadsheets write, and the dry run. */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openCooperative, runBukubesar, temporaryDirectory } from "./fixtures.js";

const COOP = "kkmp-mangunharjo";

const freshStore = async (): Promise<{ directory: string; env: NodeJS.ProcessEnv }> => {
  const directory = temporaryDirectory();
  await openCooperative(`sqlite:${join(directory, "data", "bukubesar.db")}`, COOP);
  return { directory, env: { DATA_DIR: "data", STORE_URL: "" } };
};

const totalDebit = async (directory: string, env: NodeJS.ProcessEnv): Promise<string> => {
  const outcome = await runBukubesar(["trial-balance", "--coop", COOP, "--as-of", "2025-12-31", "--json"], {
    cwd: directory,
    env,
  });
  expect(outcome.code).toBe(0);
  return (JSON.parse(outcome.stdout) as { totals: { debit: string } }).totals.debit;
};

/** What Excel in Indonesian writes with "CSV UTF-8": a byte order mark, semicolons, CRLF, 1.234,50. */
const INDONESIAN_EXCEL = `\uFEFF${[
  "idempotencyKey;date;memo;account;debit;credit;memberId;unit;counterparty;lineMemo",
  'jual-1;2025-03-01;"Penjualan; tunai ""grosir""";1101;1.234.567,50;;;;;',
  "jual-1;2025-03-01;;4101;;1.234.567,50;;sembako;;",
  "jual-2;2025-03-02;Penjualan;1101;2.500;;;;;",
  "jual-2;2025-03-02;;4101;;2.500;;;;",
].join("\r\n")}\r\n`;

describe("bukubesar import of a CSV", () => {
  it("imports an Indonesian-Excel CSV (BOM, semicolons, quotes, 1.234,50) with --decimal=,", async () => {
    const { directory, env } = await freshStore();
    writeFileSync(join(directory, "ekspor.csv"), INDONESIAN_EXCEL);
    const outcome = await runBukubesar(["import", "--coop", COOP, "--file", "ekspor.csv", "--decimal=,"], {
      cwd: directory,
      env,
    });
    expect(outcome.stderr).not.toContain("refused");
    expect(outcome.code).toBe(0);
    expect(outcome.stdout).toContain(`Imported 2 entries into ${COOP}`);
    expect(await totalDebit(directory, env)).toBe("1237067.50");
  });

  it("refuses the same file without --decimal=, saying which option reads it, and records nothing", async () => {
    const { directory, env } = await freshStore();
    writeFileSync(join(directory, "ekspor.csv"), INDONESIAN_EXCEL);
    const outcome = await runBukubesar(["import", "--coop", COOP, "--file", "ekspor.csv"], {
      cwd: directory,
      env,
    });
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toContain(
      'line 2, field debit: invalid_amount: "1.234.567,50" looks like Indonesian',
    );
    expect(outcome.stderr).toContain("--decimal=,");
    expect(outcome.stderr).toContain("name the columns debet and kredit");
    expect(await totalDebit(directory, env)).toBe("0.00");
  });

  it("reads Indonesian amounts without --decimal=, when the header names them debet and kredit", async () => {
    const { directory, env } = await freshStore();
    const declared = INDONESIAN_EXCEL.replace(";debit;credit;", ";debet;kredit;");
    expect(declared).not.toBe(INDONESIAN_EXCEL);
    writeFileSync(join(directory, "ekspor.csv"), declared);
    const outcome = await runBukubesar(["import", "--coop", COOP, "--file", "ekspor.csv"], {
      cwd: directory,
      env,
    });
    expect(outcome.stderr).not.toContain("refused");
    expect(outcome.code).toBe(0);
    expect(outcome.stdout).toContain(`Imported 2 entries into ${COOP}`);
    expect(await totalDebit(directory, env)).toBe("1237067.50");
  });

  it("refuses a header that names amounts both ways (debit and kredit), recording nothing", async () => {
    const { directory, env } = await freshStore();
    writeFileSync(join(directory, "ekspor.csv"), INDONESIAN_EXCEL.replace(";credit;", ";kredit;"));
    const outcome = await runBukubesar(["import", "--coop", COOP, "--file", "ekspor.csv"], {
      cwd: directory,
      env,
    });
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toContain(
      "line 1, field kredit: validation_failed: the header names amounts both as debit and as kredit",
    );
    expect(await totalDebit(directory, env)).toBe("0.00");
  });

  it("takes the separator from --delimiter, and explains a header it cannot read", async () => {
    const { directory, env } = await freshStore();
    writeFileSync(
      join(directory, "tab.csv"),
      "idempotencyKey\tdate\taccount\tdebit\tcredit\nt-1\t2025-04-01\t1101\t1000\t\nt-1\t2025-04-01\t4101\t\t1000\n",
    );
    const tab = await runBukubesar(["import", "--coop", COOP, "--file", "tab.csv", "--delimiter", "tab"], {
      cwd: directory,
      env,
    });
    expect(tab.code).toBe(0);
    writeFileSync(join(directory, "bad.csv"), "kunci;tanggal;akun\nk-1;2025-04-01;1101\n");
    const bad = await runBukubesar(["import", "--coop", COOP, "--file", "bad.csv"], { cwd: directory, env });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("line 1, field (header)");
    expect(bad.stderr).toContain("is not a header of known columns");
  });

  it("--dry-run lists every refused line, records nothing, and says what would be recorded", async () => {
    const { directory, env } = await freshStore();
    writeFileSync(
      join(directory, "campur.csv"),
      [
        "idempotencyKey,date,memo,account,debit,credit",
        "ok-1,2025-05-01,baik,1101,1000,",
        "ok-1,2025-05-01,,4101,,1000",
        "bad-1,2025-05-02,akun salah,9999,500,",
        "bad-1,2025-05-02,,4101,,500",
        "bad-2,2025-05-03,tidak seimbang,1101,700,",
        "bad-2,2025-05-03,,4101,,600",
        'bad-3,2025-05-04,koma,1101,"1,5",',
        "bad-3,2025-05-04,,4101,,1.5",
        "ok-2,2025-05-05,baik,1101,2000,",
        "ok-2,2025-05-05,,4101,,2000",
      ].join("\n"),
    );
    const dry = await runBukubesar(["import", "--coop", COOP, "--file", "campur.csv", "--dry-run"], {
      cwd: directory,
      env,
    });
    expect(dry.code).toBe(1);
    expect(dry.stderr).toMatch(/line 4, field [^:]*: unknown_account/);
    expect(dry.stderr).toMatch(/line 6, field [^:]*: unbalanced_entry/);
    expect(dry.stderr).toContain("line 8, field debit: invalid_amount");
    expect(dry.stdout).toContain(
      "Dry run: 3 refused line(s); 2 other entries would be recorded. Nothing was recorded.",
    );
    expect(await totalDebit(directory, env)).toBe("0.00");
  });
});
