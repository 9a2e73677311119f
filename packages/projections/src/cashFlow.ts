import type { EntryLine } from "@bukubesar/ledger-core";
import { senToWire, wireToSen } from "@bukubesar/money";
import type { AccountState, LedgerReadModel } from "./readModel.js";
import { entriesBetween } from "./readModel.js";
import { parseReportDate } from "./sen.js";

/**
 * The cash flow statement (*laporan arus kas*, docs/domain.md section 4.4), operating activities by the direct method.
 *
 * Cash is every asset account coded 1100–1199 (cash on hand, outlet tills, bank accounts, deposits of at
 * most three months). For each entry in the period that touches cash, every NON-cash line is a cash flow
 * of (credit − debit) of that line: an entry is balanced, so these add up exactly to the entry's net cash
 * movement (cash debits − cash credits). Entries moving only between cash accounts add nothing. Each
 * non-cash line is classified by its account (and, for revenue and receivables, its counterparty), and
 * the flows the members' meeting reads apart are shown gross, by the direction of the line
 * (docs/accounting.md, section 7): a credit brings cash in, a debit takes it out.
 *
 * - operating: member / non-member receipts (income 41xx/42xx by counterparty, receivables 1210–1219);
 *   member loans disbursed (debit 1200–1209) apart from instalments collected (credit); interest and fees
 *   received on loans (4106/4107, 1220) and bank interest received (4301) apart from interest paid on
 *   borrowings (6110, 2501); savings deposits apart from withdrawals (2101, 2102); suppliers (inventory
 *   13xx, prepayments 14xx, payables 22xx, cost 51xx/52xx), operating and cooperative expenses (other
 *   expense accounts, accruals 25xx), interest on savings (5106), taxes (23xx, 69xx), other operating (43xx
 *   income, 1230–1299, 27xx);
 * - investing: fixed assets and other long-lived assets (16xx–19xx), investments (15xx);
 * - financing: simpanan pokok and wajib received (credit 31xx, 32xx) apart from what is returned to leaving
 *   members (debit 31xx/32xx, 2103), loans received (credit 2601–2603) apart from loan principal repaid
 *   (debit), local-government bridging (2604), grants received in cash (hibah, 3400: SAK EP puts a grant
 *   that adds to the cooperative's capital with the financing flows), SHU and fund payments (24xx), other
 *   equity.
 */
export interface CashFlow {
  readonly from: string;
  readonly to: string;
  readonly operating: CashFlowSection;
  readonly investing: CashFlowSection;
  readonly financing: CashFlowSection;
  readonly netChange: string;
  readonly openingCash: string;
  readonly closingCash: string;
  /** Opening cash plus the net change equals the closing cash of the cash accounts. */
  readonly reconciles: boolean;
}

export interface CashFlowSection {
  readonly lines: ReadonlyArray<{ readonly key: string; readonly label: string; readonly amount: string }>;
  readonly total: string;
}

type Activity = "operating" | "investing" | "financing";

/** The cash flow lines in the order of docs/domain.md section 4.4, with their activity. */
export const CASH_FLOW_LINES: ReadonlyArray<readonly [string, Activity, string]> = [
  ["penerimaanDariAnggota", "operating", "Penerimaan dari anggota (penjualan, jasa)"],
  ["penerimaanDariNonAnggota", "operating", "Penerimaan dari non-anggota"],
  ["pencairanPinjamanAnggota", "operating", "Pencairan pinjaman kepada anggota"],
  ["angsuranPinjamanAnggota", "operating", "Penerimaan angsuran pokok pinjaman anggota"],
  ["penerimaanJasaPinjaman", "operating", "Penerimaan jasa dan provisi pinjaman anggota"],
  ["penerimaanBungaBank", "operating", "Penerimaan jasa giro / bunga bank"],
  ["penerimaanTabungan", "operating", "Penerimaan tabungan dan simpanan berjangka"],
  ["penarikanTabungan", "operating", "Penarikan tabungan dan simpanan berjangka"],
  ["pembayaranKepadaPemasok", "operating", "Pembayaran kepada pemasok"],
  ["pembayaranBebanUsaha", "operating", "Pembayaran beban usaha dan perkoperasian"],
  ["pembayaranBungaPinjaman", "operating", "Pembayaran bunga pinjaman"],
  ["pembayaranJasaSimpanan", "operating", "Pembayaran jasa simpanan"],
  ["pembayaranPajak", "operating", "Pembayaran pajak"],
  ["operasiLain", "operating", "Penerimaan / pembayaran operasi lain"],
  ["asetTetap", "investing", "Perolehan / penjualan aset tetap dan aset lain"],
  ["penyertaan", "investing", "Investasi dan penyertaan"],
  ["simpananPokokWajib", "financing", "Penerimaan simpanan pokok dan wajib"],
  ["pengembalianAnggotaKeluar", "financing", "Pengembalian simpanan anggota keluar"],
  ["penerimaanPinjaman", "financing", "Penerimaan pinjaman Himbara, LPDB, koperasi lain"],
  ["pembayaranPokokPinjaman", "financing", "Pembayaran pokok pinjaman"],
  ["talanganPemda", "financing", "Talangan pemdes/pemda"],
  ["penerimaanHibah", "financing", "Penerimaan hibah / donasi"],
  ["pembayaranShuDanDana", "financing", "Pembayaran SHU bagian anggota dan dana-dana"],
  ["ekuitasLain", "financing", "Ekuitas lain"],
];

export const isCashAccount = (account: AccountState): boolean =>
  account.type === "asset" && account.code >= "1100" && account.code <= "1199" && account.code.length === 4;

export const cashFlow = (model: LedgerReadModel, from: string, to: string): CashFlow => {
  const fromDay = parseReportDate(from);
  const toDay = parseReportDate(to);
  const amounts = new Map<string, bigint>();
  const isCash = (code: string) => {
    const account = model.accounts.get(code);
    return account !== undefined && isCashAccount(account);
  };
  for (const entry of entriesBetween(model, fromDay, toDay)) {
    if (!entry.lines.some((line) => isCash(line.account))) continue;
    for (const line of entry.lines) {
      if (isCash(line.account)) continue;
      const sen = wireToSen(line.amount);
      const key = cashFlowLineOf(model.accounts.get(line.account), line);
      amounts.set(key, (amounts.get(key) ?? 0n) + (line.side === "credit" ? sen : -sen));
    }
  }
  let openingCash = 0n;
  let closingCash = 0n;
  for (const account of model.accounts.values()) {
    if (!isCashAccount(account)) continue;
    const opening = account.totals.asOf(fromDay - 1);
    const closing = account.totals.asOf(toDay);
    openingCash += opening.debit - opening.credit;
    closingCash += closing.debit - closing.credit;
  }
  const section = (activity: Activity) => {
    let total = 0n;
    const lines = CASH_FLOW_LINES.filter(
      ([key, lineActivity]) => lineActivity === activity && amounts.has(key),
    ).map(([key, , label]) => {
      const amount = amounts.get(key) as bigint;
      total += amount;
      return { key, label, amount: senToWire(amount) };
    });
    return { section: { lines, total: senToWire(total) }, total };
  };
  const operating = section("operating");
  const investing = section("investing");
  const financing = section("financing");
  const netChange = operating.total + investing.total + financing.total;
  return {
    from,
    to,
    operating: operating.section,
    investing: investing.section,
    financing: financing.section,
    netChange: senToWire(netChange),
    openingCash: senToWire(openingCash),
    closingCash: senToWire(closingCash),
    reconciles: openingCash + netChange === closingCash,
  };
};

/** Interest on borrowings: the bank's interest expense and its accrual (paid when the accrual is debited). */
const INTEREST_PAID_ACCOUNTS: ReadonlySet<string> = new Set(["6110", "2501"]);

const cashFlowLineOf = (account: AccountState | undefined, line: EntryLine): string => {
  const code = line.account;
  const inflow = line.side === "credit";
  if (INTEREST_PAID_ACCOUNTS.has(code)) return "pembayaranBungaPinjaman";
  switch (account?.type ?? "asset") {
    case "income":
      return incomeLineOf(code, line);
    case "expense":
      return expenseLineOf(code);
    case "asset":
      return assetLineOf(code, line);
    case "liability":
      return liabilityLineOf(code, inflow);
    case "equity":
      return equityLineOf(code, inflow);
  }
};

const expenseLineOf = (code: string): string => {
  if (code === "5106") return "pembayaranJasaSimpanan";
  if (code.startsWith("51") || code.startsWith("52")) return "pembayaranKepadaPemasok";
  if (code.startsWith("69")) return "pembayaranPajak";
  return "pembayaranBebanUsaha";
};

const equityLineOf = (code: string, inflow: boolean): string => {
  if (code.startsWith("31") || code.startsWith("32"))
    return inflow ? "simpananPokokWajib" : "pengembalianAnggotaKeluar";
  if (code.startsWith("34")) return "penerimaanHibah";
  return "ekuitasLain";
};

const byCounterparty = (line: EntryLine, memberByChart: boolean): string => {
  const isMember = line.counterparty === null ? memberByChart : line.counterparty === "member";
  return isMember ? "penerimaanDariAnggota" : "penerimaanDariNonAnggota";
};

const incomeLineOf = (code: string, line: EntryLine): string => {
  if (code === "4106" || code === "4107") return "penerimaanJasaPinjaman";
  if (code === "4301") return "penerimaanBungaBank";
  if (code.startsWith("43")) return "operasiLain";
  return byCounterparty(line, code.startsWith("41"));
};

const assetLineOf = (code: string, line: EntryLine): string => {
  if (code >= "1200" && code <= "1209")
    return line.side === "credit" ? "angsuranPinjamanAnggota" : "pencairanPinjamanAnggota";
  if (code >= "1210" && code <= "1219") return byCounterparty(line, code === "1210");
  if (code === "1220") return "penerimaanJasaPinjaman";
  if (code.startsWith("12")) return "operasiLain";
  if (code.startsWith("13") || code.startsWith("14")) return "pembayaranKepadaPemasok";
  if (code.startsWith("15")) return "penyertaan";
  return "asetTetap";
};

const liabilityLineOf = (code: string, inflow: boolean): string => {
  if (code === "2101" || code === "2102") return inflow ? "penerimaanTabungan" : "penarikanTabungan";
  if (code.startsWith("21")) return "pengembalianAnggotaKeluar";
  if (code.startsWith("22")) return "pembayaranKepadaPemasok";
  if (code.startsWith("23")) return "pembayaranPajak";
  if (code.startsWith("24")) return "pembayaranShuDanDana";
  if (code.startsWith("25")) return "pembayaranBebanUsaha";
  if (code === "2604") return "talanganPemda";
  if (code.startsWith("26")) return inflow ? "penerimaanPinjaman" : "pembayaranPokokPinjaman";
  return "operasiLain";
};
