import { senToWire } from "@bukubesar/money";
import type { LedgerReadModel } from "./readModel.js";
import { type RolledPosition, type RollupOption, rollUpPositions } from "./rollUp.js";
import { parseReportDate } from "./sen.js";
import { type AccountPosition, accountPositions } from "./trialBalance.js";

/**
 * The statement of financial position (*laporan posisi keuangan / neraca*) in docs/domain.md section 4.1's structure:
 * assets in liquidity order and liabilities in maturity order (Permenkop 2/2024 presents neither split
 * into current and non-current), then equity. Equity includes the result not yet closed into SHU Tahun
 * Berjalan (income minus expense still on the income and expense accounts), so assets always equal
 * liabilities plus equity.
 *
 * Amounts are shown in the direction of their group: assets as debit minus credit (a contra account such
 * as 1209 shows negative), liabilities and equity as credit minus debit.
 */
export interface BalanceSheet {
  readonly asOf: string;
  readonly assets: BalanceSheetGroup;
  readonly liabilities: BalanceSheetGroup;
  readonly equity: BalanceSheetGroup;
  readonly liabilitiesAndEquity: string;
  readonly balanced: boolean;
}

export interface BalanceSheetGroup {
  readonly sections: readonly BalanceSheetSection[];
  readonly total: string;
}

export interface BalanceSheetSection {
  readonly key: string;
  readonly label: string;
  readonly accounts: ReadonlyArray<{
    readonly code: string;
    readonly name: string;
    readonly amount: string;
    /** Only with `{ rollup: true }`, on a parent account: the amount includes its descendants'. */
    readonly rollup?: true;
  }>;
  readonly total: string;
}

interface SectionRule {
  readonly key: string;
  readonly label: string;
  /** Inclusive code ranges (compared as strings of the same length). */
  readonly ranges: ReadonlyArray<readonly [string, string]>;
}

/** Asset lines of docs/domain.md section 4.1, in liquidity order; anything not matched falls into the last one. */
export const ASSET_SECTIONS: readonly SectionRule[] = [
  { key: "kasDanSetaraKas", label: "Kas dan setara kas", ranges: [["1100", "1199"]] },
  { key: "pinjamanDiberikan", label: "Pinjaman yang diberikan - neto", ranges: [["1200", "1209"]] },
  { key: "piutangUsaha", label: "Piutang usaha - neto", ranges: [["1210", "1219"]] },
  { key: "piutangLain", label: "Piutang jasa pinjaman dan piutang lain", ranges: [["1220", "1299"]] },
  { key: "persediaan", label: "Persediaan - neto", ranges: [["1300", "1399"]] },
  { key: "uangMuka", label: "Uang muka dan beban dibayar di muka", ranges: [["1400", "1499"]] },
  { key: "investasi", label: "Investasi dan penyertaan", ranges: [["1500", "1599"]] },
  { key: "asetTetap", label: "Aset tetap - neto", ranges: [["1600", "1699"]] },
  { key: "asetLain", label: "Aset tak berwujud dan aset lain", ranges: [] },
];

/** Liability lines of docs/domain.md section 4.1, in maturity order; anything not matched falls into the last one. */
export const LIABILITY_SECTIONS: readonly SectionRule[] = [
  { key: "simpananSukarela", label: "Tabungan koperasi / simpanan sukarela", ranges: [["2101", "2101"]] },
  { key: "utangUsaha", label: "Utang usaha", ranges: [["2200", "2299"]] },
  { key: "utangPajak", label: "Utang pajak", ranges: [["2300", "2399"]] },
  { key: "utangShuDanDana", label: "Utang SHU dan dana-dana", ranges: [["2400", "2499"]] },
  { key: "bebanMasihHarusDibayar", label: "Beban masih harus dibayar", ranges: [["2500", "2599"]] },
  {
    key: "simpananBerjangka",
    label: "Simpanan berjangka dan simpanan anggota keluar",
    ranges: [["2100", "2199"]],
  },
  {
    key: "pinjamanDiterima",
    label: "Pinjaman bank (Himbara), LPDB, koperasi lain",
    ranges: [["2600", "2603"]],
  },
  { key: "utangTalangan", label: "Utang talangan pemdes/pemda", ranges: [["2604", "2699"]] },
  { key: "liabilitasLain", label: "Liabilitas lain", ranges: [] },
];

/** Equity lines of docs/domain.md section 4.1; the unclosed current result is added as its own section. */
export const EQUITY_SECTIONS: readonly SectionRule[] = [
  { key: "simpananPokok", label: "Simpanan pokok", ranges: [["3100", "3199"]] },
  { key: "simpananWajib", label: "Simpanan wajib", ranges: [["3200", "3299"]] },
  { key: "modalPenyertaan", label: "Modal penyertaan", ranges: [["3300", "3399"]] },
  { key: "hibah", label: "Hibah", ranges: [["3400", "3499"]] },
  { key: "cadangan", label: "Cadangan", ranges: [["3500", "3599"]] },
  {
    key: "shuBelumDibagi",
    label: "SHU belum dibagi",
    ranges: [
      ["3600", "3609"],
      ["3620", "3699"],
    ],
  },
  // A closed year's loss awaiting coverage: debit-normal, so it shows as a deduction from equity.
  { key: "rugiBelumTertutup", label: "Rugi (SHU negatif) belum tertutup", ranges: [["3610", "3619"]] },
  { key: "shuTahunBerjalan", label: "SHU tahun berjalan", ranges: [["3700", "3799"]] },
  { key: "penghasilanKomprehensifLain", label: "Penghasilan komprehensif lain", ranges: [["3800", "3899"]] },
  { key: "ekuitasLain", label: "Ekuitas lain", ranges: [] },
];

/** The key of the equity section holding income minus expense not yet closed. */
export const UNCLOSED_RESULT_SECTION = "shuBelumDitutup";

/**
 * With `{ rollup: true }` every section also lists the parent (summary) accounts of its accounts, each with
 * the sum of its descendants and marked `rollup: true`, in the section of its descendants (a parent whose
 * descendants span several sections is not listed); section and group totals still count every posting
 * once, so they do not change.
 */
export const balanceSheet = (
  model: LedgerReadModel,
  asOf: string,
  options: RollupOption = {},
): BalanceSheet => {
  const positions = accountPositions(model, parseReportDate(asOf));
  const rolled = options.rollup === true ? rollUpPositions(model, positions) : null;
  const assets = positions.filter((position) => position.account.type === "asset");
  const liabilities = positions.filter((position) => position.account.type === "liability");
  const equity = positions.filter((position) => position.account.type === "equity");
  let unclosedResult = 0n;
  for (const position of positions) {
    if (position.account.type === "income" || position.account.type === "expense") {
      unclosedResult += position.credit - position.debit;
    }
  }
  const headersOf = (type: string) =>
    rolled?.filter((position) => position.rolledUp && position.account.type === type) ?? [];
  const assetGroup = group(
    assets,
    ASSET_SECTIONS,
    (position) => position.debit - position.credit,
    headersOf("asset"),
  );
  const liabilityGroup = group(liabilities, LIABILITY_SECTIONS, creditDirection, headersOf("liability"));
  const equityGroup = group(equity, EQUITY_SECTIONS, creditDirection, headersOf("equity"));
  if (unclosedResult !== 0n) {
    equityGroup.sections.push({
      key: UNCLOSED_RESULT_SECTION,
      label: "SHU tahun berjalan (belum ditutup)",
      accounts: [],
      total: unclosedResult,
    });
    equityGroup.total += unclosedResult;
  }
  const liabilitiesAndEquity = liabilityGroup.total + equityGroup.total;
  return {
    asOf,
    assets: present(assetGroup),
    liabilities: present(liabilityGroup),
    equity: present(equityGroup),
    liabilitiesAndEquity: senToWire(liabilitiesAndEquity),
    balanced: assetGroup.total === liabilitiesAndEquity,
  };
};

interface WorkingSection {
  readonly key: string;
  readonly label: string;
  readonly accounts: Array<{ code: string; name: string; amount: bigint; rollup: boolean }>;
  total: bigint;
}

const creditDirection = (position: AccountPosition): bigint => position.credit - position.debit;

const group = (
  positions: readonly AccountPosition[],
  rules: readonly SectionRule[],
  amountOf: (position: AccountPosition) => bigint,
  headers: readonly RolledPosition[] = [],
): { sections: WorkingSection[]; total: bigint } => {
  const sections: WorkingSection[] = rules.map((rule) => ({
    key: rule.key,
    label: rule.label,
    accounts: [],
    total: 0n,
  }));
  const sectionOf = (code: string): WorkingSection => {
    let index = rules.findIndex((rule) => rule.ranges.some(([low, high]) => code >= low && code <= high));
    if (index < 0) index = rules.length - 1;
    return sections[index] as WorkingSection;
  };
  let total = 0n;
  // A parent that also has its own postings is shown once, as the roll-up.
  const headerCodes = new Set(headers.map((header) => header.account.code));
  for (const position of positions) {
    const code = position.account.code;
    const section = sectionOf(code);
    const amount = amountOf(position);
    if (!headerCodes.has(code))
      section.accounts.push({ code, name: position.account.name, amount, rollup: false });
    section.total += amount;
    total += amount;
  }
  // A parent is shown in the section all of its accounts with postings fall into; one whose children are
  // spread over several sections (e.g. "1000 Aset") has no single place and is left to the group total.
  for (const header of headers) {
    const homes = new Set(header.sources.map(sectionOf));
    const [home] = homes;
    if (homes.size !== 1 || home === undefined) continue;
    home.accounts.push({
      code: header.account.code,
      name: header.account.name,
      amount: amountOf(header),
      rollup: true,
    });
  }
  if (headers.length > 0) {
    for (const section of sections)
      section.accounts.sort((left, right) => (left.code < right.code ? -1 : left.code > right.code ? 1 : 0));
  }
  return { sections: sections.filter((section) => section.accounts.length > 0), total };
};

const present = (working: { sections: WorkingSection[]; total: bigint }): BalanceSheetGroup => ({
  sections: working.sections.map((section) => ({
    key: section.key,
    label: section.label,
    accounts: section.accounts.map((account) => {
      const row = { code: account.code, name: account.name, amount: senToWire(account.amount) };
      return account.rollup ? { ...row, rollup: true as const } : row;
    }),
    total: senToWire(section.total),
  })),
  total: senToWire(working.total),
});
