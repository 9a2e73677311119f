/**
 * The four SAK EP statements (docs/accounting.md) as documents: sections, lines, subtotals and totals in
 * the order the statements are read, each amount beside the previous period's (or "—" in a first year).
 */
import type {
  BalanceSheet,
  BalanceSheetGroup,
  CashFlow,
  CashFlowSection,
  IncomeStatement,
  StatementSection,
} from "@bukubesar/projections";
import { amountRow, headingRow, type Keyed, negated, pairLines, statementColumns } from "./comparative.js";
import { dateInWords, rangeInWords, shortDate } from "./indonesianDate.js";
import { NOT_AVAILABLE, type ReportDocument, type ReportRow, reportDocument } from "./reportDocument.js";

export const STATEMENT_TITLES = {
  "balance-sheet": "Laporan Posisi Keuangan",
  "income-statement": "Laporan Perhitungan Hasil Usaha",
  "equity-changes": "Laporan Perubahan Ekuitas",
  "cash-flow": "Laporan Arus Kas",
} as const;

/** A report and the same report one year earlier; null when the cooperative has no earlier year. */
export interface Comparative<R> {
  readonly current: R;
  readonly previous: R | null;
}

/** "Jumlah kas dan setara kas": the section's label after "Jumlah", its first letter in lower case. */
const totalOf = (label: string): string => {
  const name = label.replace(LETTERED, "");
  return `Jumlah ${name.charAt(0).toLowerCase()}${name.slice(1)}`;
};

/** The lettered lines of the income statement ("D. Beban usaha") stand at the left like its sections. */
const LETTERED = /^[A-Z]\. /;

const previousOr = (previous: string | undefined, available: boolean): string | undefined =>
  available ? previous : NOT_AVAILABLE;

/**
 * A section's rows: none when it is empty, one line under the section's name for a single account, else
 * a heading, its accounts and a subtotal.
 */
const balanceSectionRows = (
  label: string,
  lines: ReturnType<typeof pairLines>,
  { nowTotal, beforeTotal }: { readonly nowTotal: string; readonly beforeTotal: string },
  hasPrevious: boolean,
): ReportRow[] => {
  const beforeIsEmpty = beforeTotal === "0.00" || beforeTotal === NOT_AVAILABLE;
  if (lines.length === 0 && nowTotal === "0.00" && beforeIsEmpty) return [];
  // A section of one account reads as one line under the section's own name.
  if (lines.length <= 1) return [amountRow("line", 1, label, nowTotal, beforeTotal)];
  return [
    headingRow(1, label),
    ...lines.map((line) =>
      amountRow("line", 2, line.label, line.current, previousOr(line.previous, hasPrevious)),
    ),
    amountRow("subtotal", 1, totalOf(label), nowTotal, beforeTotal),
  ];
};

const groupRows = (
  heading: string,
  totalLabel: string,
  current: BalanceSheetGroup,
  previous: BalanceSheetGroup | null,
): ReportRow[] => {
  const rows: ReportRow[] = [headingRow(0, heading)];
  const previousSections = new Map((previous?.sections ?? []).map((section) => [section.key, section]));
  const keys = [...current.sections.map((section) => section.key)];
  for (const section of previous?.sections ?? []) if (!keys.includes(section.key)) keys.push(section.key);
  for (const key of keys) {
    const now = current.sections.find((section) => section.key === key);
    const before = previousSections.get(key);
    const label = now?.label ?? before?.label ?? key;
    const accounts = (section: typeof now): Keyed[] =>
      (section?.accounts ?? []).map((account) => ({
        key: account.code,
        label: `${account.code} ${account.name}`,
        amount: account.amount,
      }));
    const lines = pairLines(accounts(now), previous === null ? null : accounts(before));
    const nowTotal = now?.total ?? "0.00";
    const beforeTotal = previous === null ? NOT_AVAILABLE : (before?.total ?? "0.00");
    rows.push(...balanceSectionRows(label, lines, { nowTotal, beforeTotal }, previous !== null));
  }
  rows.push(
    amountRow("total", 0, totalLabel, current.total, previous === null ? NOT_AVAILABLE : previous.total),
  );
  return rows;
};

export const balanceSheetDocument = (
  { current, previous }: Comparative<BalanceSheet>,
  previousAsOf: string,
): ReportDocument =>
  reportDocument({
    kind: "balance-sheet",
    title: STATEMENT_TITLES["balance-sheet"],
    period: dateInWords(current.asOf),
    inRupiah: true,
    signatures: "pengurusDanPengawas",
    columns: statementColumns(dateInWords(current.asOf), dateInWords(previousAsOf)),
    rows: [
      ...groupRows("ASET", "JUMLAH ASET", current.assets, previous?.assets ?? null),
      ...groupRows("LIABILITAS", "JUMLAH LIABILITAS", current.liabilities, previous?.liabilities ?? null),
      ...groupRows("EKUITAS", "JUMLAH EKUITAS", current.equity, previous?.equity ?? null),
      amountRow(
        "total",
        0,
        "JUMLAH LIABILITAS DAN EKUITAS",
        current.liabilitiesAndEquity,
        previous === null ? NOT_AVAILABLE : previous.liabilitiesAndEquity,
      ),
    ],
  });

/** One section of the income statement: its accounts (costs shown negative, in parentheses) and a subtotal. */
const sectionRows = (
  label: string,
  current: StatementSection,
  previous: StatementSection | null,
  cost: boolean,
): ReportRow[] => {
  const sign = (wire: string) => (cost ? negated(wire) : wire);
  const keyed = (section: StatementSection): Keyed[] =>
    section.accounts.map((account) => ({
      key: account.code,
      label: `${account.code} ${account.name}`,
      amount: sign(account.amount),
    }));
  const lines = pairLines(keyed(current), previous === null ? null : keyed(previous));
  const total = sign(current.total);
  const previousTotal = previous === null ? NOT_AVAILABLE : sign(previous.total);
  const indent = LETTERED.test(label) ? 0 : 1;
  if (lines.length <= 1) return [amountRow("line", indent, label, total, previousTotal)];
  return [
    headingRow(indent, label),
    ...lines.map((line) =>
      amountRow("line", indent + 1, line.label, line.current, previousOr(line.previous, previous !== null)),
    ),
    amountRow("subtotal", indent, totalOf(label), total, previousTotal),
  ];
};

export const incomeStatementDocument = (
  { current, previous }: Comparative<IncomeStatement>,
  previousRange: { from: string; to: string },
): ReportDocument => {
  const result = (label: string, role: "subtotal" | "total", pick: (report: IncomeStatement) => string) =>
    amountRow(role, 0, label, pick(current), previous === null ? NOT_AVAILABLE : pick(previous));
  const section = (label: string, pick: (report: IncomeStatement) => StatementSection, cost: boolean) =>
    sectionRows(label, pick(current), previous === null ? null : pick(previous), cost);
  return reportDocument({
    kind: "income-statement",
    title: STATEMENT_TITLES["income-statement"],
    period: rangeInWords(current.from, current.to),
    subtitles: current.unit === null ? [] : [`Unit usaha: ${current.unit}`],
    inRupiah: true,
    signatures: "pengurusDanPengawas",
    columns: statementColumns(
      yearHeader(current.from, current.to),
      yearHeader(previousRange.from, previousRange.to),
    ),
    rows: [
      headingRow(0, "A. PARTISIPASI ANGGOTA"),
      ...section("Partisipasi bruto anggota", (report) => report.memberBusiness.revenue, false),
      ...section("Beban pokok anggota", (report) => report.memberBusiness.costOfRevenue, true),
      result("Partisipasi neto", "subtotal", (report) => report.memberBusiness.net),
      headingRow(0, "B. HASIL USAHA DENGAN NON-ANGGOTA"),
      ...section("Pendapatan dari non-anggota", (report) => report.nonMemberBusiness.revenue, false),
      ...section("Beban pokok non-anggota", (report) => report.nonMemberBusiness.costOfRevenue, true),
      result("Laba kotor non-anggota", "subtotal", (report) => report.nonMemberBusiness.net),
      result("C. SISA HASIL USAHA KOTOR", "subtotal", (report) => report.grossShu),
      ...section("D. Beban usaha", (report) => report.operatingExpenses, true),
      ...section("E. Beban perkoperasian", (report) => report.cooperativeExpenses, true),
      result("F. SHU DARI USAHA", "subtotal", (report) => report.shuFromOperations),
      ...section("G. Pendapatan (beban) lain-lain", (report) => report.otherIncomeAndExpenses, false),
      result("H. SHU SEBELUM PAJAK", "subtotal", (report) => report.shuBeforeTax),
      ...section("I. Beban pajak penghasilan", (report) => report.incomeTax, true),
      result("J. SHU SETELAH PAJAK", "total", (report) => report.shuAfterTax),
      ...section("K. Penghasilan komprehensif lain", (report) => report.otherComprehensiveIncome, false),
      result("L. TOTAL SHU KOMPREHENSIF", "total", (report) => report.totalComprehensiveShu),
    ],
  });
};

/** "2026" for a calendar year, else "1 Jan 2026 – 30 Jun 2026" written out. */
const yearHeader = (from: string, to: string): string =>
  from.slice(5) === "01-01" && to.slice(5) === "12-31" && from.slice(0, 4) === to.slice(0, 4)
    ? from.slice(0, 4)
    : `${shortDate(from)} – ${shortDate(to)}`;

const ACTIVITIES = [
  ["operating", "ARUS KAS DARI AKTIVITAS OPERASI", "Arus kas bersih dari aktivitas operasi"],
  ["investing", "ARUS KAS DARI AKTIVITAS INVESTASI", "Arus kas bersih dari aktivitas investasi"],
  ["financing", "ARUS KAS DARI AKTIVITAS PENDANAAN", "Arus kas bersih dari aktivitas pendanaan"],
] as const;

export const cashFlowDocument = (
  { current, previous }: Comparative<CashFlow>,
  previousRange: { from: string; to: string },
): ReportDocument => {
  const rows: ReportRow[] = [];
  const before = (pick: (report: CashFlow) => string) => (previous === null ? NOT_AVAILABLE : pick(previous));
  for (const [activity, heading, totalLabel] of ACTIVITIES) {
    const lines = (section: CashFlowSection): readonly Keyed[] => section.lines;
    rows.push(headingRow(0, heading));
    for (const line of pairLines(
      lines(current[activity]),
      previous === null ? null : lines(previous[activity]),
    ))
      rows.push(amountRow("line", 1, line.label, line.current, previousOr(line.previous, previous !== null)));
    rows.push(
      amountRow(
        "subtotal",
        0,
        totalLabel,
        current[activity].total,
        before((report) => report[activity].total),
      ),
    );
  }
  rows.push(
    amountRow(
      "subtotal",
      0,
      "KENAIKAN (PENURUNAN) KAS DAN SETARA KAS",
      current.netChange,
      before((report) => report.netChange),
    ),
    amountRow(
      "line",
      0,
      "Kas dan setara kas awal periode",
      current.openingCash,
      before((report) => report.openingCash),
    ),
    amountRow(
      "total",
      0,
      "KAS DAN SETARA KAS AKHIR PERIODE",
      current.closingCash,
      before((report) => report.closingCash),
    ),
  );
  return reportDocument({
    kind: "cash-flow",
    title: STATEMENT_TITLES["cash-flow"],
    period: rangeInWords(current.from, current.to),
    inRupiah: true,
    signatures: "pengurusDanPengawas",
    columns: statementColumns(
      yearHeader(current.from, current.to),
      yearHeader(previousRange.from, previousRange.to),
    ),
    rows,
  });
};
