/**
 * Indonesian words for the PDF: the CSV rows of a report (projections' `reportToCsv`) speak in English
 * keys ("code", "debit", "assets"), which suit a spreadsheet but not a report read at the members'
 * meeting (RAT). These tables turn headings and the few key cells into the words of SAK EP and
 * Permenkop reports. Keys not listed stay as they are, so a new column shows up rather than vanishing.
 */

/** Column headings, shared by every kind unless the kind overrides them below. */
const COLUMN_HEADINGS: Readonly<Record<string, string>> = {
  code: "Kode",
  name: "Nama Akun",
  type: "Jenis",
  debit: "Debit",
  credit: "Kredit",
  balance: "Saldo",
  amount: "Jumlah",
  total: "Jumlah",
  date: "Tanggal",
  entryId: "No. Jurnal",
  kind: "Jenis",
  memo: "Keterangan",
  account: "Akun",
  accountName: "Nama Akun",
  memberId: "No. Anggota",
  unit: "Unit Usaha",
  counterparty: "Pihak",
  lineMemo: "Keterangan Baris",
  group: "Kelompok",
  section: "Pos",
  line: "Pos",
  label: "Uraian",
  row: "Pos",
  activity: "Aktivitas",
  category: "Kategori",
  memberIncome: "Pendapatan Anggota",
  nonMemberIncome: "Pendapatan Non-Anggota",
  income: "Pendapatan",
  expense: "Beban",
  result: "Hasil",
  capitalBase: "Basis Jasa Modal",
  usageBase: "Basis Jasa Usaha",
  jasaModal: "Jasa Modal",
  jasaUsaha: "Jasa Usaha",
};

/** Where a heading means something else in one report. */
const COLUMN_HEADINGS_BY_KIND: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  "member-statement": { name: "Nama Akun", account: "Kode" },
  shu: { name: "Nama Anggota", total: "Jumlah SHU" },
  "income-statement": { line: "Pos" },
};

/** Cells that hold a key rather than text: account types, groups, activities, totals. */
const CELL_LABELS: Readonly<Record<string, string>> = {
  asset: "Aset",
  liability: "Kewajiban",
  equity: "Ekuitas",
  income: "Pendapatan",
  expense: "Beban",
  assets: "Aset",
  liabilities: "Kewajiban",
  liabilitiesAndEquity: "Kewajiban dan Ekuitas",
  total: "Jumlah",
  Total: "Jumlah",
  operating: "Aktivitas Operasi",
  investing: "Aktivitas Investasi",
  financing: "Aktivitas Pendanaan",
  netChange: "Kenaikan (penurunan) kas bersih",
  openingCash: "Kas awal periode",
  closingCash: "Kas akhir periode",
  simpananPokok: "Simpanan Pokok",
  simpananWajib: "Simpanan Wajib",
  simpananSukarela: "Simpanan Sukarela",
  pinjaman: "Pinjaman",
  "A.revenue": "A. Pendapatan usaha anggota",
  "A.costOfRevenue": "A. Beban pokok usaha anggota",
  "A.net": "A. Partisipasi neto",
  "B.revenue": "B. Pendapatan usaha non-anggota",
  "B.costOfRevenue": "B. Beban pokok usaha non-anggota",
  "B.net": "B. Laba kotor non-anggota",
  C: "C. SHU kotor",
  D: "D. Beban operasional",
  E: "E. Beban perkoperasian",
  F: "F. SHU dari usaha",
  G: "G. Pendapatan dan beban lain",
  H: "H. SHU sebelum pajak",
  I: "I. Pajak penghasilan",
  J: "J. SHU setelah pajak",
  K: "K. Penghasilan komprehensif lain",
  L: "L. Total SHU komprehensif",
};

/** The columns of a key cell, per report: only these are looked up, so a memo that says "total" stays. */
const KEY_COLUMNS_BY_KIND: Readonly<Record<string, readonly string[]>> = {
  "trial-balance": ["type", "name"],
  "balance-sheet": ["group", "section"],
  "income-statement": ["line", "name"],
  "cash-flow": ["activity", "line"],
  "member-statement": ["category"],
  "equity-changes": ["row"],
  shu: ["memberId"],
  "unit-summary": ["unit"],
};

/** Key → label pairs the report itself carries (balance-sheet sections, equity columns, cash-flow lines). */
const labelsCarriedBy = (report: unknown): Map<string, string> => {
  const labels = new Map<string, string>();
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const item of value) visit(item);
      return;
    }
    if (typeof value !== "object" || value === null) return;
    const record = value as Record<string, unknown>;
    if (typeof record.key === "string") {
      const label = typeof record.label === "string" ? record.label : record.name;
      if (typeof label === "string" && label !== "") labels.set(record.key, label);
    }
    for (const child of Object.values(record)) if (typeof child === "object") visit(child);
  };
  visit(report);
  return labels;
};

/** A report's CSV rows (heading first) with Indonesian headings and labels. */
export const translateReportRows = (
  kind: string,
  report: unknown,
  rows: readonly (readonly string[])[],
): string[][] => {
  const [heading = [], ...body] = rows;
  const carried = labelsCarriedBy(report);
  const overrides = COLUMN_HEADINGS_BY_KIND[kind] ?? {};
  const keyColumns = new Set(
    heading
      .map((name, column) => ((KEY_COLUMNS_BY_KIND[kind] ?? []).includes(name) ? column : -1))
      .filter((column) => column >= 0),
  );
  const translatedHeading = heading.map(
    (name) => overrides[name] ?? COLUMN_HEADINGS[name] ?? carried.get(name) ?? name,
  );
  const translatedBody = body.map((row) =>
    row.map((cell, column) =>
      keyColumns.has(column) ? (CELL_LABELS[cell] ?? carried.get(cell) ?? cell) : cell,
    ),
  );
  return [translatedHeading, ...translatedBody];
};

const indonesianDate = (date: string): string => {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  return match === null ? date : `${match[3]}-${match[2]}-${match[1]}`;
};

/**
 * The period line of the header, from the report's own fields: the API's PDF seam passes only the kind
 * and the report, so everything the header says about the period must be in the report itself.
 */
export const periodOfReport = (report: unknown): string => {
  if (typeof report !== "object" || report === null) return "";
  const fields = report as Record<string, unknown>;
  const parts: string[] = [];
  const account = fields.account as { code?: unknown; name?: unknown } | undefined;
  if (typeof account?.code === "string")
    parts.push(`akun ${account.code}${typeof account.name === "string" ? ` ${account.name}` : ""}`);
  const member = fields.member as { memberId?: unknown; name?: unknown } | undefined;
  if (typeof member?.memberId === "string")
    parts.push(`anggota ${member.memberId}${typeof member.name === "string" ? ` ${member.name}` : ""}`);
  if (typeof fields.from === "string" && typeof fields.to === "string")
    parts.push(`periode ${indonesianDate(fields.from)} s.d. ${indonesianDate(fields.to)}`);
  else if (typeof fields.asOf === "string") parts.push(`per ${indonesianDate(fields.asOf)}`);
  else if (typeof fields.year === "number") parts.push(`tahun buku ${fields.year}`);
  return parts.join(", ");
};

/** The period a report was asked for (the API's PDF seam passes it this way). */
export interface AskedPeriod {
  readonly asOf?: string;
  readonly from?: string;
  readonly to?: string;
  readonly year?: number;
  readonly account?: string;
  readonly memberId?: string;
}

/** The period line of the header, worded as the `report` command words it ("per 31-12-2025", "periode … s.d. …"). */
export const periodText = (period: AskedPeriod): string => {
  const parts: string[] = [];
  if (period.account !== undefined) parts.push(`akun ${period.account}`);
  if (period.memberId !== undefined) parts.push(`anggota ${period.memberId}`);
  if (period.from !== undefined && period.to !== undefined)
    parts.push(`periode ${indonesianDate(period.from)} s.d. ${indonesianDate(period.to)}`);
  else if (period.asOf !== undefined) parts.push(`per ${indonesianDate(period.asOf)}`);
  else if (period.year !== undefined) parts.push(`tahun buku ${period.year}`);
  return parts.join(", ");
};
