import type { BalanceSheet } from "./balanceSheet.js";
import type { CashFlow } from "./cashFlow.js";
import type { EquityChanges } from "./equityChanges.js";
import type { GeneralLedger } from "./generalLedger.js";
import type { IncomeStatement, StatementSection } from "./incomeStatement.js";
import type { Journal } from "./journal.js";
import type { MemberStatement } from "./memberStatement.js";
import type { ShuReport } from "./shuReport.js";
import type { TrialBalance } from "./trialBalance.js";
import type { UnitSummary } from "./unitSummary.js";

/** The reports `reportToCsv` renders, by the name used in `format=csv` routes. */
export interface ReportsByKind {
  "trial-balance": TrialBalance;
  "general-ledger": GeneralLedger;
  /** The same as "general-ledger" (the route is `…/ledger/{code}`). */
  ledger: GeneralLedger;
  journal: Journal;
  "balance-sheet": BalanceSheet;
  "income-statement": IncomeStatement;
  "equity-changes": EquityChanges;
  "cash-flow": CashFlow;
  "member-statement": MemberStatement;
  "unit-summary": UnitSummary;
  shu: ShuReport;
}

export type ReportKind = keyof ReportsByKind;

type Row = ReadonlyArray<string | number | null | undefined>;

/**
 * A report as CSV (RFC 4180: comma-separated, CRLF line ends, fields quoted when they hold a comma, quote
 * or line break): a header row, then simple rows; amounts plain ("50000.00"). A field that a spreadsheet
 * would read as a formula (starting with =, +, - or @ and not a number) is prefixed with a single quote.
 */
export const reportToCsv = <K extends ReportKind>(kind: K, report: ReportsByKind[K]): string => {
  const rows = rowsOf(kind, report as never);
  return `${rows.map((row) => row.map(csvField).join(",")).join("\r\n")}\r\n`;
};

const rowsOf = (kind: ReportKind, report: never): Row[] => {
  switch (kind) {
    case "trial-balance":
      return trialBalanceRows(report);
    case "general-ledger":
    case "ledger":
      return generalLedgerRows(report);
    case "journal":
      return journalRows(report);
    case "balance-sheet":
      return balanceSheetRows(report);
    case "income-statement":
      return incomeStatementRows(report);
    case "equity-changes":
      return equityChangesRows(report);
    case "cash-flow":
      return cashFlowRows(report);
    case "member-statement":
      return memberStatementRows(report);
    case "unit-summary":
      return unitSummaryRows(report);
    case "shu":
      return shuRows(report);
    default:
      // Callers may pass a kind from a URL or a command line; say which one is unknown.
      throw new RangeError(`no CSV rendering for report kind ${String(kind)}`);
  }
};

const trialBalanceRows = (report: TrialBalance): Row[] => [
  ["code", "name", "type", "debit", "credit", "balance"],
  ...report.accounts.map((row) => [row.code, row.name, row.type, row.debit, row.credit, row.balance]),
  ["", "Total", "", report.totals.debit, report.totals.credit, ""],
];

const generalLedgerRows = (report: GeneralLedger): Row[] => [
  ["date", "entryId", "memo", "debit", "credit", "balance", "memberId", "unit"],
  [report.from, "", "Saldo awal", "", "", report.openingBalance, "", ""],
  ...report.lines.map((line) => [
    line.date,
    line.entryId,
    line.memo,
    line.debit ?? "",
    line.credit ?? "",
    line.balance,
    line.memberId,
    line.unit,
  ]),
  [report.to, "", "Saldo akhir", "", "", report.closingBalance, "", ""],
];

const journalRows = (report: Journal): Row[] => [
  [
    "date",
    "entryId",
    "kind",
    "memo",
    "account",
    "accountName",
    "debit",
    "credit",
    "memberId",
    "unit",
    "counterparty",
    "lineMemo",
  ],
  ...report.entries.flatMap((entry) =>
    entry.lines.map((line) => [
      entry.date,
      entry.entryId,
      entry.kind,
      entry.memo,
      line.account,
      line.accountName,
      line.debit ?? "",
      line.credit ?? "",
      line.memberId,
      line.unit,
      line.counterparty,
      line.memo,
    ]),
  ),
];

const balanceSheetRows = (report: BalanceSheet): Row[] => {
  const rows: Row[] = [["group", "section", "code", "name", "amount"]];
  for (const [group, value] of [
    ["assets", report.assets],
    ["liabilities", report.liabilities],
    ["equity", report.equity],
  ] as const) {
    for (const section of value.sections) {
      for (const account of section.accounts)
        rows.push([group, section.key, account.code, account.name, account.amount]);
      rows.push([group, section.key, "", section.label, section.total]);
    }
    rows.push([group, "total", "", "", value.total]);
  }
  rows.push(["liabilitiesAndEquity", "total", "", "", report.liabilitiesAndEquity]);
  return rows;
};

const incomeStatementRows = (report: IncomeStatement): Row[] => {
  const rows: Row[] = [["line", "code", "name", "amount"]];
  const section = (line: string, value: StatementSection) => {
    for (const account of value.accounts) rows.push([line, account.code, account.name, account.amount]);
    rows.push([line, "", "total", value.total]);
  };
  section("A.revenue", report.memberBusiness.revenue);
  section("A.costOfRevenue", report.memberBusiness.costOfRevenue);
  rows.push(["A.net", "", "Partisipasi neto", report.memberBusiness.net]);
  section("B.revenue", report.nonMemberBusiness.revenue);
  section("B.costOfRevenue", report.nonMemberBusiness.costOfRevenue);
  rows.push(["B.net", "", "Laba kotor non-anggota", report.nonMemberBusiness.net]);
  rows.push(["C", "", "Sisa hasil usaha kotor", report.grossShu]);
  section("D", report.operatingExpenses);
  section("E", report.cooperativeExpenses);
  rows.push(["F", "", "SHU dari usaha", report.shuFromOperations]);
  section("G", report.otherIncomeAndExpenses);
  rows.push(["H", "", "SHU sebelum pajak", report.shuBeforeTax]);
  section("I", report.incomeTax);
  rows.push(["J", "", "SHU setelah pajak", report.shuAfterTax]);
  section("K", report.otherComprehensiveIncome);
  rows.push(["L", "", "Total SHU komprehensif", report.totalComprehensiveShu]);
  return rows;
};

const equityChangesRows = (report: EquityChanges): Row[] => [
  ["row", "label", ...report.columns.map((column) => column.key), "total"],
  ...report.rows.map((row) => [
    row.key,
    row.label,
    ...report.columns.map((column) => row.amounts[column.key]),
    row.total,
  ]),
];

const cashFlowRows = (report: CashFlow): Row[] => {
  const rows: Row[] = [["activity", "line", "label", "amount"]];
  for (const [activity, section] of [
    ["operating", report.operating],
    ["investing", report.investing],
    ["financing", report.financing],
  ] as const) {
    for (const line of section.lines) rows.push([activity, line.key, line.label, line.amount]);
    rows.push([activity, "total", "", section.total]);
  }
  rows.push(
    ["", "netChange", "", report.netChange],
    ["", "openingCash", "", report.openingCash],
    ["", "closingCash", "", report.closingCash],
  );
  return rows;
};

const memberStatementRows = (report: MemberStatement): Row[] => [
  ["account", "name", "category", "date", "entryId", "memo", "debit", "credit", "balance"],
  ...report.accounts.flatMap((account) => [
    ...account.lines.map((line) => [
      account.code,
      account.name,
      account.category,
      line.date,
      line.entryId,
      line.memo,
      line.debit ?? "",
      line.credit ?? "",
      line.balance,
    ]),
    [account.code, account.name, account.category, report.asOf, "", "Saldo", "", "", account.balance],
  ]),
];

const unitSummaryRows = (report: UnitSummary): Row[] => [
  ["unit", "memberIncome", "nonMemberIncome", "income", "expense", "result"],
  ...report.units.map((row) => [
    row.unit ?? "",
    row.memberIncome,
    row.nonMemberIncome,
    row.income,
    row.expense,
    row.result,
  ]),
  ["total", "", "", report.totals.income, report.totals.expense, report.totals.result],
];

const shuRows = (report: ShuReport): Row[] => [
  ["memberId", "name", "capitalBase", "usageBase", "jasaModal", "jasaUsaha", "total"],
  ...report.members.map((row) => [
    row.memberId,
    row.name,
    row.capitalBase,
    row.usageBase,
    row.jasaModal,
    row.jasaUsaha,
    row.total,
  ]),
  ["total", "", "", "", report.totals.jasaModal, report.totals.jasaUsaha, report.totals.total],
];

const NUMBER = /^-?\d+(\.\d+)?$/;

const csvField = (value: string | number | null | undefined): string => {
  if (value === null || value === undefined) return "";
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text) && !NUMBER.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};
