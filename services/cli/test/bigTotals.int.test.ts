/**
 * Line amounts are limited to fifteen integer digits, but the totals they make are not: one entry of four
 * lines at the limit takes an account past fifteen digits, and verify, checkpoint, trial-balance and export
 * must still agree on the exact numbers (before, verify reported equal totals as different and checkpoint
 * refused to sign).
 */
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import type { LedgerCommand } from "@bukubesar/ledger-core";
import { describe, expect, it } from "vitest";
import { openCooperative, recordCommands, runBukubesar, temporaryDirectory } from "./fixtures.js";

const COOP = "kkmp-besar";
const ENV = { DATA_DIR: "data", STORE_URL: "" };
/** The largest line amount the contract accepts. */
const LINE_AT_LIMIT = "999999999999999.99";
const TWICE_THE_LIMIT = "1999999999999999.98";

const line = (account: string, side: "debit" | "credit") => ({
  account,
  side,
  amount: LINE_AT_LIMIT,
  memberId: null,
  unit: null,
  counterparty: null,
  memo: null,
});

const bigEntry: LedgerCommand = {
  type: "PostJournalEntry",
  actor: { principalId: "test-treasurer", role: "treasurer" },
  data: {
    entryId: "entry-big",
    date: "2025-03-15",
    memo: "Dua baris di batas, dua kali",
    lines: [line("1101", "debit"), line("1101", "debit"), line("4101", "credit"), line("4101", "credit")],
  },
};

describe("totals beyond fifteen digits", () => {
  it("are verified, signed, listed and exported exactly", async () => {
    const directory = temporaryDirectory();
    const storeUrl = `sqlite:${join(directory, "data", "bukubesar.db")}`;
    await openCooperative(storeUrl, COOP);
    // The year-end closing entry moves those totals whole, so its own lines pass fifteen digits.
    await recordCommands(storeUrl, COOP, [
      bigEntry,
      {
        type: "CloseFiscalYear",
        actor: { principalId: "test-treasurer", role: "treasurer" },
        data: { year: 2025, entryId: "closing-2025", today: "2026-01-05" },
      },
      {
        type: "ApproveYearEndStep",
        actor: { principalId: "test-approver", role: "approver" },
        data: { year: 2025, step: "close" },
      },
    ]);
    const run = (args: string[]) => runBukubesar(args, { cwd: directory, env: ENV });

    const verified = await run(["verify"]);
    expect(verified.stderr + verified.stdout).not.toContain("differ");
    expect(verified.code).toBe(0);

    expect((await run(["checkpoint", "--generate-key", "auditor.pem"])).code).toBe(0);
    const signed = await run(["checkpoint", "--key", "auditor.pem", "--out", "head.checkpoint.json"]);
    expect(signed.stderr).toContain("written to head.checkpoint.json");
    expect(signed.code).toBe(0);

    const listed = await run(["trial-balance", "--coop", COOP, "--as-of", "2025-12-31", "--json"]);
    expect(listed.code).toBe(0);
    const report = JSON.parse(listed.stdout) as {
      accounts: { code: string; debit: string; credit: string }[];
      totals: { debit: string; credit: string };
    };
    expect(report.accounts.find((account) => account.code === "1101")?.debit).toBe(TWICE_THE_LIMIT);
    expect(report.accounts.find((account) => account.code === "4101")?.credit).toBe(TWICE_THE_LIMIT);
    expect(report.totals.debit).toBe(report.totals.credit);
    const sum = (side: "debit" | "credit") =>
      report.accounts.reduce((total, account) => total + BigInt(account[side].replace(".", "")), 0n);
    expect(BigInt(report.totals.debit.replace(".", ""))).toBe(sum("debit"));
    expect(sum("debit")).toBeGreaterThan(2n * BigInt(TWICE_THE_LIMIT.replace(".", "")));

    // Before its closing entry the closed year's income is still on 4101, and nothing is in 3600 yet.
    const beforeClosing = await run([
      "trial-balance",
      "--coop",
      COOP,
      "--as-of",
      "2025-12-31",
      "--before-closing",
      "--json",
    ]);
    expect(beforeClosing.code).toBe(0);
    const before = JSON.parse(beforeClosing.stdout) as {
      beforeClosing: boolean;
      accounts: { code: string; credit: string; creditBalance: string }[];
    };
    expect(before.beforeClosing).toBe(true);
    expect(before.accounts.find((account) => account.code === "4101")?.creditBalance).toBe(TWICE_THE_LIMIT);
    expect(before.accounts.some((account) => account.code === "3600")).toBe(false);

    const exported = await run(["export", "--coop", COOP, "--format", "ledger"]);
    expect(exported.code).toBe(0);
    const cash = execFileSync(
      "hledger",
      ["-f", "-", "balance", "--no-total", "--format", "%(total)", "1101"],
      {
        input: exported.stdout,
        encoding: "utf8",
      },
    );
    expect(cash.replace(/[^0-9]/g, "")).toBe(TWICE_THE_LIMIT.replace(".", ""));
    const total = execFileSync("hledger", ["-f", "-", "balance", "--format", "%(total)"], {
      input: exported.stdout,
      encoding: "utf8",
    });
    expect(total.trim().split("\n").at(-1)?.trim()).toBe("0");
  }, 120_000);
});
