/**
 * The one shape every printed report takes before it is rendered: a heading (title and period) and rows
 * with a role (heading, line, subtotal, total) under typed columns. The PDF, the CSV, the terminal table
 * (and the web application) all render these rows, so a statement reads the same wherever it is shown.
 */

/** What a row is in the statement: it decides weight, indentation and the rules drawn around it. */
export type RowRole = "heading" | "line" | "subtotal" | "total";

/**
 * What a column holds. Amounts are wire strings ("-1500.00") that renderers format (PUEBI in print,
 * plain in CSV); dates are ISO dates written in Indonesian in print; codes and amounts never wrap.
 */
export type ColumnKind = "text" | "code" | "date" | "amount";

export interface ReportColumn {
  /** Stable key: the CSV header and the cells' key. */
  readonly key: string;
  /** The heading printed above the column, in Indonesian. */
  readonly header: string;
  readonly kind: ColumnKind;
}

/** A cell that has no value for the period: the comparative column of a cooperative's first year. */
export const NOT_AVAILABLE = "—";

export interface ReportRow {
  readonly role: RowRole;
  /** Indentation level of the first text column (0 for section headings and totals). */
  readonly indent: number;
  /** Cells by column key; a missing key is an empty cell. */
  readonly cells: Readonly<Record<string, string | undefined>>;
}

/** A receipt is signed by the Bendahara and by the other party (the one who paid or was paid). */
export interface ReceiptSignatures {
  readonly counterparty: { readonly office: string; readonly name: string | null };
}

/** Who signs at the foot: the statements for the members' meeting add the supervisory board. */
export type SignatureBlock = "none" | "pengurus" | "pengurusDanPengawas" | ReceiptSignatures;

export interface ReportDocument {
  /** The report's route name ("balance-sheet", …), for file names and the CSV. */
  readonly kind: string;
  readonly title: string;
  /** The period in words: "31 Desember 2026", "untuk tahun yang berakhir 31 Desember 2026". */
  readonly period: string;
  /** Further heading lines under the period (account, member). */
  readonly subtitles: readonly string[];
  /** Whether amounts are rupiah of the statement, announced with "(dalam Rupiah)". */
  readonly inRupiah: boolean;
  readonly columns: readonly ReportColumn[];
  readonly rows: readonly ReportRow[];
  /** Paragraphs printed after the table (notes, explanations). */
  readonly paragraphs: readonly string[];
  readonly signatures: SignatureBlock;
  /** Many columns print on landscape paper. */
  readonly landscape: boolean;
}

/** Names and facts about the cooperative that every page heading and footer carries. */
export interface DocumentSetting {
  readonly cooperativeName: string;
  readonly regionCode: string | null;
  /** Nomor badan hukum (the legal-entity decree), when the cooperative has recorded it. */
  readonly legalEntityNumber: string | null;
  /** ISO date of printing, in the cooperative's time zone. */
  readonly printedOn: string;
  /** Hash of the last event of the cooperative's chain, so a printed copy can be matched to the ledger. */
  readonly headHash: string | null;
  readonly signatories: Signatories;
}

/** The names under the signature lines; null leaves a dotted line to sign on. */
export interface Signatories {
  readonly ketua: string | null;
  readonly bendahara: string | null;
  readonly pengawas: string | null;
}

export const row = (role: RowRole, indent: number, cells: Record<string, string | undefined>): ReportRow => ({
  role,
  indent,
  cells,
});

/** A document with the defaults most reports share; statements override what they need. */
export const reportDocument = (
  fields: Pick<ReportDocument, "kind" | "title" | "period" | "columns" | "rows"> & Partial<ReportDocument>,
): ReportDocument => ({
  subtitles: [],
  inRupiah: false,
  paragraphs: [],
  signatures: "pengurus",
  landscape: false,
  ...fields,
});
