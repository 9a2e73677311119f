import { execFileSync, spawnSync } from "node:child_process";
import type { RecordedLedgerEvent } from "@bukubesar/ledger-core";
import { test } from "@fast-check/vitest";
import { beforeAll, describe, expect, it } from "vitest";
import {
  balanceSheet,
  buildReadModel,
  exportLedgerJournal,
  incomeStatement,
  nextDate,
  type TrialBalance,
  trialBalance,
} from "../src/index.js";
import { arbitraryHistory, checkDates, historyEvents } from "./arbitraries.js";
import { kkmpYear } from "./kkmpYear.js";

/**
 * Our export fed to Debian's hledger and ledger-cli must give, account by account, the same balances as
 * our trial balance at several dates. Both tools print debit minus credit; zero balances are left out.
 */
const TOOL_TIMEOUT_MS = 30_000;
const DATES_CHECKED_MAX = 5;

const ensureTools = (): void => {
  const missing = ["hledger", "ledger"].filter((tool) => spawnSync("which", [tool]).status !== 0);
  if (missing.length === 0) return;
  // The issue asks the test to install the tools when missing (needs root, as on the CI machine).
  execFileSync("apt-get", ["install", "-y", "hledger", "ledger"], { stdio: "inherit", timeout: 600_000 });
};

const run = (command: string, args: readonly string[], input: string): string => {
  const result = spawnSync(command, args, { input, encoding: "utf8", timeout: TOOL_TIMEOUT_MS });
  if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} failed: ${result.stderr}\n${input}`);
  return result.stdout;
};

const parseAmount = (text: string): string => {
  const match = /^IDR\s*(-?)(\d+)(?:\.(\d+))?$/.exec(text.trim());
  if (match === null) throw new Error(`unexpected amount ${JSON.stringify(text)}`);
  const fraction = (match[3] ?? "").padEnd(2, "0");
  const value = BigInt(`${match[1]}${match[2]}${fraction}`);
  return value.toString();
};

/** Account name → debit minus credit in sen, from `hledger balance -O csv`. */
const hledgerBalances = (journal: string, endExclusive: string): Map<string, string> => {
  const csv = run(
    "hledger",
    ["-f", "-", "balance", "--flat", "--no-total", "-O", "csv", "-e", endExclusive],
    journal,
  );
  const balances = new Map<string, string>();
  for (const line of csv.trim().split("\n").slice(1)) {
    const match = /^"((?:[^"]|"")*)","((?:[^"]|"")*)"$/.exec(line);
    if (match === null) throw new Error(`unexpected hledger line ${line}`);
    const amount = (match[2] as string).replace(/""/g, '"');
    if (amount === "0") continue;
    balances.set((match[1] as string).replace(/""/g, '"'), parseAmount(amount));
  }
  return balances;
};

/** Account name → debit minus credit in sen, from `ledger balance` with a tab-separated format. */
const ledgerBalances = (journal: string, endExclusive: string): Map<string, string> => {
  const output = run(
    "ledger",
    [
      "-f",
      "-",
      "balance",
      "--flat",
      "--no-total",
      "-e",
      endExclusive,
      "--format",
      "%(account)\t%(display_total)\n",
    ],
    journal,
  );
  const balances = new Map<string, string>();
  for (const line of output.split("\n")) {
    if (line === "") continue;
    const [account, amount] = line.split("\t") as [string, string];
    if (amount.trim() === "0") continue;
    balances.set(account, parseAmount(amount));
  }
  return balances;
};

/** Our trial balance as account name (as exported) → debit minus credit in sen, zero balances left out. */
const ourBalances = (tb: TrialBalance, names: ReadonlyMap<string, string>): Map<string, string> => {
  const balances = new Map<string, string>();
  for (const row of tb.accounts) {
    const net = BigInt(row.debit.replace(".", "")) - BigInt(row.credit.replace(".", ""));
    if (net !== 0n) balances.set(names.get(row.code) as string, net.toString());
  }
  return balances;
};

/** The exported account names by code, read back from the `account` directives. */
const exportedNames = (journal: string): Map<string, string> => {
  const names = new Map<string, string>();
  for (const line of journal.split("\n")) {
    const match = /^account ([^:]+):(\S+)/.exec(line);
    if (match !== null)
      names.set(match[2] as string, line.slice("account ".length).replace(/ {2}; type: [ALERX]$/, ""));
  }
  return names;
};

const wireToSenText = (wire: string): string => BigInt(wire.replace(".", "")).toString();

/** The section totals (the rows with no account name) and the "Net:" row of `hledger bs` / `is`, in sen. */
const hledgerReportTotals = (output: string): { sections: string[]; net: string } => {
  const sections: string[] = [];
  let net = "";
  for (const line of output.split("\n")) {
    const total = /^\s+\|\|\s+(IDR -?[\d.]+)\s*$/.exec(line);
    if (total !== null) sections.push(parseAmount(total[1] as string));
    const netMatch = /^\s*Net:\s+\|\|\s+(IDR -?[\d.]+)\s*$/.exec(line);
    if (netMatch !== null) net = parseAmount(netMatch[1] as string);
  }
  return { sections, net };
};

const sortedEntries = (map: Map<string, string>) =>
  [...map.entries()].sort(([left], [right]) => (left < right ? -1 : 1));

const checkAgreement = (events: readonly RecordedLedgerEvent[], hostile: boolean): void => {
  const model = buildReadModel("kkmp-acak", events);
  const journal = exportLedgerJournal(model);
  const names = exportedNames(journal);
  const dates = checkDates(events);
  const step = Math.max(1, Math.ceil(dates.length / DATES_CHECKED_MAX));
  const chosen = dates.filter((_date, index) => index % step === 0).concat(dates[dates.length - 1] as string);
  for (const date of chosen) {
    const ours = sortedEntries(ourBalances(trialBalance(model, date), names));
    expect(sortedEntries(hledgerBalances(journal, nextDate(date)))).toEqual(ours);
    expect(sortedEntries(ledgerBalances(journal, nextDate(date)))).toEqual(ours);
  }
  if (hostile) {
    // Every transaction keeps its own header line and every posting its own line: nothing leaked a newline.
    const postingCount = events.reduce(
      (count, event) => count + (event.type === "JournalEntryPosted" ? event.data.lines.length : 0),
      0,
    );
    expect(
      journal.split("\n").filter((line) => /^ {4}\S.* {2}IDR -?\d+\.\d{2}( {2};.*)?$/.test(line)),
    ).toHaveLength(postingCount);
    expect(journal).not.toMatch(/[\u202A-\u202E\u2066-\u2069\u200B\uFEFF\t\r]/u);
  }
};

/**
 * Each property run starts hledger and ledger-cli as processes, 50 runs per property: a few seconds on a quiet
 * machine, but over the suite's default 60 s on two cores shared with the rest of the suite (seen at load 20).
 * The budget is for the external processes, not a retry: a wrong balance still fails at once.
 */
const EXTERNAL_TOOL_PROPERTY_TIMEOUT_MS = 300_000;

describe("agreement with hledger and ledger-cli", () => {
  beforeAll(ensureTools);

  test.prop([arbitraryHistory({ maxEntries: 30 })], { numRuns: 25 })(
    "random histories",
    (entries) => {
      checkAgreement(historyEvents(entries), false);
    },
    EXTERNAL_TOOL_PROPERTY_TIMEOUT_MS,
  );

  test.prop([arbitraryHistory({ hostile: true, maxEntries: 20 })], { numRuns: 25 })(
    "hostile memos and account names keep the file readable with the same balances",
    (entries) => {
      checkAgreement(historyEvents(entries, true), true);
    },
    EXTERNAL_TOOL_PROPERTY_TIMEOUT_MS,
  );

  it("agrees on the KKMP year at month ends and around the close", () => {
    const { builder } = kkmpYear();
    const model = buildReadModel(builder.coopId, builder.events);
    const journal = exportLedgerJournal(model);
    const names = exportedNames(journal);
    for (const date of [
      "2026-01-31",
      "2026-03-30",
      "2026-03-31",
      "2026-05-02",
      "2026-12-30",
      "2026-12-31",
      "2027-03-15",
    ]) {
      const ours = sortedEntries(ourBalances(trialBalance(model, date), names));
      expect(ours.length).toBeGreaterThan(3);
      expect(sortedEntries(hledgerBalances(journal, nextDate(date)))).toEqual(ours);
      expect(sortedEntries(ledgerBalances(journal, nextDate(date)))).toEqual(ours);
    }
    // The export as of a date holds only the entries up to it.
    const upToJune = exportLedgerJournal(model, { asOf: "2026-06-30" });
    expect(sortedEntries(hledgerBalances(upToJune, "2099-01-01"))).toEqual(
      sortedEntries(ourBalances(trialBalance(model, "2026-06-30"), names)),
    );
  });

  it("gives hledger bs and is (by the declared account types) the totals of our statements", () => {
    const { builder } = kkmpYear();
    const model = buildReadModel(builder.coopId, builder.events);
    const journal = exportLedgerJournal(model);
    // Before the close: assets, liabilities and, as hledger's "Net", equity with the year's result.
    const sheet = balanceSheet(model, "2026-12-30");
    const bs = hledgerReportTotals(run("hledger", ["-f", "-", "bs", "-e", "2026-12-31"], journal));
    expect(bs).toEqual({
      sections: [wireToSenText(sheet.assets.total), wireToSenText(sheet.liabilities.total)],
      net: wireToSenText(sheet.equity.total),
    });
    // The closed year without its closing entry (tagged kind:closing): the SHU after tax.
    const statement = incomeStatement(model, "2026-01-01", "2026-12-31");
    const is = hledgerReportTotals(
      run(
        "hledger",
        ["-f", "-", "is", "-b", "2026-01-01", "-e", "2027-01-01", "not:tag:kind=closing"],
        journal,
      ),
    );
    expect(is.net).toBe(wireToSenText(statement.shuAfterTax));
    expect(is.sections).toHaveLength(2);
    // After the close, the year's result sits in equity and the balance sheet still agrees.
    const closed = balanceSheet(model, "2026-12-31");
    const bsClosed = hledgerReportTotals(run("hledger", ["-f", "-", "bs", "-e", "2027-01-01"], journal));
    expect(bsClosed.net).toBe(wireToSenText(closed.equity.total));
    expect(bsClosed.sections[0]).toBe(wireToSenText(closed.assets.total));
  });

  it("reads large amounts exactly", () => {
    const events = historyEvents([
      {
        dayOfYear: 3,
        debits: [{ account: "1101", sen: 99_999_999_999_999_99n, memberId: null, memo: "besar" }],
        creditAccounts: [{ account: "3200", memberId: null }],
        memo: "Setoran besar",
        reverseIndex: null,
      },
    ]);
    checkAgreement(events, false);
    expect(exportLedgerJournal(buildReadModel("kkmp-acak", events))).toContain("IDR 99999999999999.99");
  });
});
