/**
 * The roll-up a Dinas asks for: for every cooperative of a region, the key figures of its books and of
 * its supervision (total assets, members' savings, loans outstanding, revenue, SHU, cash ratio, days
 * since the last posting, open alerts), with totals. Pure: the caller passes the models it may see,
 * the open-alert counts and today's date.
 */
import { localDateOf } from "@bukubesar/ledger-core";
import { senToWire, wireToSen } from "@bukubesar/money";
import { balanceSheet, incomeStatement, type LedgerReadModel, trialBalance } from "@bukubesar/projections";
import { dateInWords } from "./indonesianDate.js";
import { type ReportDocument, reportDocument, row } from "./reportDocument.js";

export interface RegionCooperativeFigures {
  readonly coopId: string;
  readonly name: string;
  readonly regionCode: string;
  readonly totalAssets: string;
  /** Simpanan pokok, wajib, sukarela and berjangka. */
  readonly membersSavings: string;
  /** Loans to members and to other cooperatives, net of nothing (gross outstanding). */
  readonly loansOutstanding: string;
  /** Member and non-member revenue from 1 January to the date. */
  readonly revenue: string;
  /** SHU after tax from 1 January to the date. */
  readonly shu: string;
  /** Cash and cash equivalents (the 11xx accounts) as of the date. */
  readonly cash: string;
  /** Cash and cash equivalents over total liabilities, in percent with one decimal; null without liabilities. */
  readonly cashRatioPercent: string | null;
  /** Whole days from the last recorded posting to the date; null before any. */
  readonly daysSinceLastPosting: number | null;
  /** When the last posting dated on or before the date was recorded; null before any. */
  readonly lastPostingAt: string | null;
  readonly openAlerts: number;
}

export interface RegionSummary {
  readonly region: string;
  readonly asOf: string;
  readonly cooperatives: readonly RegionCooperativeFigures[];
  readonly totals: {
    readonly totalAssets: string;
    readonly membersSavings: string;
    readonly loansOutstanding: string;
    readonly revenue: string;
    readonly shu: string;
    readonly openAlerts: number;
  };
}

const SAVINGS_ACCOUNTS: ReadonlySet<string> = new Set(["3100", "3200", "2101", "2102"]);
const LOAN_ACCOUNTS: ReadonlySet<string> = new Set(["1201", "1202"]);
const CASH_PREFIX = "11";
const MS_PER_DAY = 86_400_000;
/** Percent with one decimal: the ratio is kept in tenths of a percent. */
const TENTHS_OF_PERCENT = 1000n;

const daysBetween = (from: string, to: string): number =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / MS_PER_DAY);

const percentText = (numerator: bigint, denominator: bigint): string | null => {
  if (denominator <= 0n) return null;
  const tenths = (numerator * TENTHS_OF_PERCENT + denominator / 2n) / denominator;
  return `${tenths / 10n}.${tenths % 10n}`;
};

/**
 * One cooperative's figures as of a day. `timeZone` is the cooperative's own: the last posting's instant
 * becomes a day on its calendar before it is compared with `asOf`, a day on that same calendar.
 */
export const cooperativeFigures = (
  model: LedgerReadModel,
  asOf: string,
  openAlerts: number,
  timeZone: string,
): RegionCooperativeFigures => {
  const sheet = balanceSheet(model, asOf);
  const positions = trialBalance(model, asOf).accounts;
  const net = (pick: (code: string) => boolean, side: "debit" | "credit") =>
    positions
      .filter((account) => pick(account.code))
      .reduce((sum, account) => {
        const difference = wireToSen(account.debit) - wireToSen(account.credit);
        return sum + (side === "debit" ? difference : -difference);
      }, 0n);
  const statement = incomeStatement(model, `${asOf.slice(0, 4)}-01-01`, asOf);
  const revenue =
    wireToSen(statement.memberBusiness.revenue.total) + wireToSen(statement.nonMemberBusiness.revenue.total);
  const cash = net((code) => code.startsWith(CASH_PREFIX) && code.length === 4, "debit");
  const lastRecorded = model.entries.reduce<string | null>(
    (latest, entry) =>
      entry.date <= asOf && (latest === null || entry.recordedAt > latest) ? entry.recordedAt : latest,
    null,
  );
  return {
    coopId: model.coopId,
    name: model.name ?? model.coopId,
    regionCode: model.regionCode ?? "",
    totalAssets: sheet.assets.total,
    membersSavings: senToWire(net((code) => SAVINGS_ACCOUNTS.has(code), "credit")),
    loansOutstanding: senToWire(net((code) => LOAN_ACCOUNTS.has(code), "debit")),
    revenue: senToWire(revenue),
    shu: statement.shuAfterTax,
    cash: senToWire(cash),
    cashRatioPercent: percentText(cash, wireToSen(sheet.liabilities.total)),
    daysSinceLastPosting:
      lastRecorded === null ? null : Math.max(0, daysBetween(localDateOf(lastRecorded, timeZone), asOf)),
    lastPostingAt: lastRecorded,
    openAlerts,
  };
};

/** The summary of figures already taken, one cooperative at a time (a server need not hold them all). */
export const regionSummaryOf = (
  region: string,
  asOf: string,
  figures: readonly RegionCooperativeFigures[],
): RegionSummary => {
  const rows = [...figures].sort((left, right) =>
    left.regionCode === right.regionCode
      ? left.coopId < right.coopId
        ? -1
        : 1
      : left.regionCode < right.regionCode
        ? -1
        : 1,
  );
  const total = (pick: (figures: RegionCooperativeFigures) => string) =>
    senToWire(rows.reduce((sum, figures) => sum + wireToSen(pick(figures)), 0n));
  return {
    region,
    asOf,
    cooperatives: rows,
    totals: {
      totalAssets: total((figures) => figures.totalAssets),
      membersSavings: total((figures) => figures.membersSavings),
      loansOutstanding: total((figures) => figures.loansOutstanding),
      revenue: total((figures) => figures.revenue),
      shu: total((figures) => figures.shu),
      openAlerts: rows.reduce((sum, figures) => sum + figures.openAlerts, 0),
    },
  };
};

/** "12.5" → "12,5%": the ratio as Indonesian text writes a percentage. */
const percentCell = (percent: string | null): string =>
  percent === null ? "—" : `${percent.replace(".", ",")}%`;

export const regionSummaryDocument = (summary: RegionSummary): ReportDocument =>
  reportDocument({
    kind: "region-summary",
    title: `Ringkasan Koperasi Wilayah ${summary.region}`,
    period: dateInWords(summary.asOf),
    subtitles: [
      `${summary.cooperatives.length} koperasi; pendapatan dan SHU sejak 1 Januari ${summary.asOf.slice(0, 4)}`,
    ],
    inRupiah: true,
    signatures: "none",
    landscape: true,
    columns: [
      { key: "name", header: "Koperasi", kind: "text" },
      { key: "regionCode", header: "Kode wilayah", kind: "code" },
      { key: "totalAssets", header: "Total aset", kind: "amount" },
      { key: "membersSavings", header: "Simpanan anggota", kind: "amount" },
      { key: "loansOutstanding", header: "Pinjaman beredar", kind: "amount" },
      { key: "revenue", header: "Pendapatan", kind: "amount" },
      { key: "shu", header: "SHU", kind: "amount" },
      { key: "cashRatio", header: "Rasio kas", kind: "code" },
      { key: "daysSinceLastPosting", header: "Hari sejak posting", kind: "code" },
      { key: "openAlerts", header: "Peringatan terbuka", kind: "code" },
    ],
    rows: [
      ...summary.cooperatives.map((figures) =>
        row("line", 0, {
          name: figures.name,
          regionCode: figures.regionCode,
          totalAssets: figures.totalAssets,
          membersSavings: figures.membersSavings,
          loansOutstanding: figures.loansOutstanding,
          revenue: figures.revenue,
          shu: figures.shu,
          cashRatio: percentCell(figures.cashRatioPercent),
          daysSinceLastPosting:
            figures.daysSinceLastPosting === null ? "—" : String(figures.daysSinceLastPosting),
          openAlerts: String(figures.openAlerts),
        }),
      ),
      row("total", 0, {
        name: "JUMLAH",
        totalAssets: summary.totals.totalAssets,
        membersSavings: summary.totals.membersSavings,
        loansOutstanding: summary.totals.loansOutstanding,
        revenue: summary.totals.revenue,
        shu: summary.totals.shu,
        openAlerts: String(summary.totals.openAlerts),
      }),
    ],
    paragraphs: [
      "Rasio kas: kas dan setara kas dibagi jumlah liabilitas. Hari sejak posting: hari sejak jurnal terakhir dicatat. Peringatan terbuka: peringatan pengawasan yang belum ditanggapi.",
    ],
  });
