import { createReadStream } from "node:fs";
import { readFile } from "node:fs/promises";
import { ApiProblem, parseStrictJson } from "@bukubesar/ledger-api";

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

/** One line read from a file: the line, or why the file is refused at that line. */
export type ReadLine =
  | { readonly ok: true; readonly line: ImportLine }
  | { readonly ok: false; readonly lineNumber: number; readonly field: string; readonly message: string };

/**
 * One JSON Lines row (not blank) as an import line, or the reason it is refused. It is read by the API's
 * own strict JSON reader, so a duplicate key or a lone surrogate is refused here exactly as a POST body
 * would be (JSON.parse would keep the last duplicate and accept a string no canonical JSON can hash).
 */
const parseJsonLine = (row: string, lineNumber: number): ReadLine => {
  let parsed: unknown;
  try {
    parsed = parseStrictJson(Buffer.from(row, "utf8"));
  } catch (error) {
    if (!(error instanceof ApiProblem)) throw error;
    const first = error.errors[0];
    return {
      ok: false,
      lineNumber,
      field: first?.path ?? "(line)",
      message: `${error.code}: ${first?.message ?? error.detail}`,
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
  return { ok: true, line: { lineNumber, idempotencyKey, body } };
};

export const parseJsonLines = (text: string): ParsedImport => {
  const lines: ImportLine[] = [];
  const rows = text.split(/\r?\n/);
  for (const [index, row] of rows.entries()) {
    if (row.trim() === "") continue;
    const read = parseJsonLine(row, index + 1);
    if (!read.ok) return read;
    lines.push(read.line);
  }
  return { ok: true, lines };
};

/** How much of the file one read takes: big enough for few system calls, small enough to bound memory. */
export const IMPORT_READ_CHUNK_BYTES = 1024 * 1024;

/**
 * The rows of a text file one at a time, split exactly as `text.split(/\r?\n/)` would split the whole
 * file, without ever holding more than one chunk and one partial row: a million-line import no longer
 * keeps the whole file (and every parsed line) in memory.
 */
export async function* readRows(path: string): AsyncGenerator<string> {
  const stream = createReadStream(path, { highWaterMark: IMPORT_READ_CHUNK_BYTES });
  // Fatal, as the API's body reader is: bytes that are not UTF-8 are refused, never replaced by U+FFFD.
  const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
  let partial = "";
  for await (const bytes of stream as AsyncIterable<Buffer>) {
    let chunk: string;
    try {
      chunk = decoder.decode(bytes, { stream: true });
    } catch {
      throw new NotUtf8();
    }
    const text = partial + chunk;
    let start = 0;
    for (;;) {
      const end = text.indexOf("\n", start);
      if (end < 0) break;
      yield text.charCodeAt(end - 1) === 13 && end > start
        ? text.slice(start, end - 1)
        : text.slice(start, end);
      start = end + 1;
    }
    partial = text.slice(start);
  }
  try {
    partial += decoder.decode();
  } catch {
    throw new NotUtf8();
  }
  yield partial;
}

/** An import file holds bytes that are not UTF-8. */
export class NotUtf8 extends Error {
  constructor() {
    super("the file is not valid UTF-8");
    this.name = "NotUtf8";
  }
}

/**
 * Reads an import file line by line. JSON Lines are read as a stream, so memory does not grow with the
 * file; a CSV file (entries span rows, grouped by key) is read whole, as before. After a refused line
 * nothing more is read. Throws (like `readFileSync`) when the file cannot be read.
 */
export async function* readImportFile(fileName: string, path: string): AsyncGenerator<ReadLine> {
  if (fileName.toLowerCase().endsWith(".csv")) {
    const parsed = parseCsv(await readFile(path, "utf8"));
    if (!parsed.ok) {
      yield parsed;
      return;
    }
    for (const line of parsed.lines) yield { ok: true, line };
    return;
  }
  let lineNumber = 0;
  try {
    for await (const row of readRows(path)) {
      lineNumber += 1;
      if (row.trim() === "") continue;
      const read = parseJsonLine(row, lineNumber);
      yield read;
      if (!read.ok) return;
    }
  } catch (error) {
    if (!(error instanceof NotUtf8)) throw error;
    // The bad bytes are in the chunk after the last row read whole; that row's successor is the first
    // one that can hold them.
    yield {
      ok: false,
      lineNumber: lineNumber + 1,
      field: "(line)",
      message: `malformed_json: ${error.message}`,
    };
  }
}

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
