/**
 * Reads an import file into request bodies, one per line, keeping each line's number for messages.
 *
 * JSON Lines: one JSON object per line, the body of POST …/journal-entries plus `idempotencyKey`.
 * Blank lines are skipped (and still counted, so numbers match an editor's).
 *
 * CSV (a file ending in .csv): one row per entry LINE, entries grouped by `idempotencyKey`; the header
 * must be exactly (in any order, optional columns may be left out):
 *   idempotencyKey,date,memo,account,debit,credit,memberId,unit,counterparty,lineMemo
 * Consecutive rows with the same idempotencyKey form one entry; its date and memo are taken from its
 * first row. Fields may be quoted with double quotes ("" inside for a quote). Empty cells are absent.
 */

export interface ImportLine {
  /** 1-based line number in the file (for CSV: the first row of the entry). */
  readonly lineNumber: number;
  readonly idempotencyKey: unknown;
  /** The POST body without `idempotencyKey`. */
  readonly body: unknown;
}

export type ParsedImport =
  | { readonly ok: true; readonly lines: readonly ImportLine[] }
  | { readonly ok: false; readonly lineNumber: number; readonly field: string; readonly message: string };

export const CSV_COLUMNS = [
  "idempotencyKey",
  "date",
  "memo",
  "account",
  "debit",
  "credit",
  "memberId",
  "unit",
  "counterparty",
  "lineMemo",
] as const;
const CSV_REQUIRED_COLUMNS = ["idempotencyKey", "date", "account"] as const;

export const parseJsonLines = (text: string): ParsedImport => {
  const lines: ImportLine[] = [];
  const rows = text.split(/\r?\n/);
  for (const [index, row] of rows.entries()) {
    if (row.trim() === "") continue;
    const lineNumber = index + 1;
    let parsed: unknown;
    try {
      parsed = JSON.parse(row);
    } catch (error) {
      return {
        ok: false,
        lineNumber,
        field: "(line)",
        message: `malformed_json: ${(error as Error).message}`,
      };
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
      return {
        ok: false,
        lineNumber,
        field: "(line)",
        message: "validation_failed: a line must be a JSON object",
      };
    }
    const { idempotencyKey, ...body } = parsed as Record<string, unknown>;
    lines.push({ lineNumber, idempotencyKey, body });
  }
  return { ok: true, lines };
};

/** Splits one CSV record into cells (RFC 4180 quoting; records never span lines in our format). */
const splitCsvRow = (row: string): string[] | null => {
  const cells: string[] = [];
  let cell = "";
  let quoted = false;
  for (let index = 0; index < row.length; index++) {
    const character = row[index];
    if (quoted) {
      if (character === '"') {
        if (row[index + 1] === '"') {
          cell += '"';
          index++;
        } else quoted = false;
      } else cell += character;
    } else if (character === '"' && cell === "") quoted = true;
    else if (character === ",") {
      cells.push(cell);
      cell = "";
    } else cell += character;
  }
  if (quoted) return null;
  cells.push(cell);
  return cells;
};

export const parseCsv = (text: string): ParsedImport => {
  const rows = text.split(/\r?\n/);
  const header = splitCsvRow((rows[0] ?? "").replace(/^\uFEFF/, ""));
  if (header === null) return { ok: false, lineNumber: 1, field: "(header)", message: "unterminated quote" };
  for (const column of header) {
    if (!(CSV_COLUMNS as readonly string[]).includes(column)) {
      return {
        ok: false,
        lineNumber: 1,
        field: column,
        message: `unknown_field: the header allows ${CSV_COLUMNS.join(",")}`,
      };
    }
  }
  for (const column of CSV_REQUIRED_COLUMNS) {
    if (!header.includes(column)) {
      return {
        ok: false,
        lineNumber: 1,
        field: column,
        message: "validation_failed: the header needs this column",
      };
    }
  }
  const lines: ImportLine[] = [];
  let current: {
    lineNumber: number;
    key: string;
    body: Record<string, unknown>;
    entryLines: unknown[];
  } | null = null;
  const flush = (): void => {
    if (current !== null) {
      lines.push({
        lineNumber: current.lineNumber,
        idempotencyKey: current.key,
        body: { ...current.body, lines: current.entryLines },
      });
    }
  };
  for (let index = 1; index < rows.length; index++) {
    const raw = rows[index] ?? "";
    if (raw.trim() === "") continue;
    const lineNumber = index + 1;
    const cells = splitCsvRow(raw);
    if (cells === null) return { ok: false, lineNumber, field: "(line)", message: "unterminated quote" };
    if (cells.length !== header.length) {
      return {
        ok: false,
        lineNumber,
        field: "(line)",
        message: `validation_failed: ${cells.length} cells where the header has ${header.length}`,
      };
    }
    const record = new Map(header.map((column, column_index) => [column, cells[column_index] ?? ""]));
    const value = (column: string): string | undefined => {
      const cell = record.get(column);
      return cell === undefined || cell === "" ? undefined : cell;
    };
    const key = value("idempotencyKey") ?? "";
    if (current === null || current.key !== key) {
      flush();
      const body: Record<string, unknown> = {};
      const date = value("date");
      const memo = value("memo");
      if (date !== undefined) body.date = date;
      if (memo !== undefined) body.memo = memo;
      current = { lineNumber, key, body, entryLines: [] };
    }
    const line: Record<string, unknown> = {};
    const lineFields: readonly [string, string][] = [
      ["account", "account"],
      ["debit", "debit"],
      ["credit", "credit"],
      ["memberId", "memberId"],
      ["unit", "unit"],
      ["counterparty", "counterparty"],
      ["lineMemo", "memo"],
    ];
    for (const [column, field] of lineFields) {
      const cell = value(column);
      if (cell !== undefined) line[field] = cell;
    }
    current.entryLines.push(line);
  }
  flush();
  return { ok: true, lines };
};

export const parseImportFile = (fileName: string, text: string): ParsedImport =>
  fileName.toLowerCase().endsWith(".csv") ? parseCsv(text) : parseJsonLines(text);
