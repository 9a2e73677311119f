import { isUtf8 } from "node:buffer";
import { closeSync, createReadStream, openSync, readSync } from "node:fs";
import { open } from "node:fs/promises";
import { checkStrictJsonText } from "@bukubesar/contract";
import { CsvError, parse } from "csv-parse";

/**
 * Reads an import file into request bodies, one per line, keeping each line's number for messages.
 *
 * JSON Lines: one JSON object per line, the body of POST …/journal-entries plus `idempotencyKey`.
 * Blank lines are skipped (and still counted, so numbers match an editor's).
 *
 * CSV (a file ending in .csv), read by csv-parse: one row per entry LINE, entries grouped by
 * `idempotencyKey`; the header names the columns (in any order, optional columns may be left out):
 *   idempotencyKey,date,memo,account,debit,credit,memberId,unit,counterparty,lineMemo
 * The separator is the one of `,` `;` TAB `|` that splits the header into known columns (or --delimiter),
 * a UTF-8 byte order mark is skipped, cells may be quoted with double quotes ("" inside for a quote).
 * Consecutive rows with the same idempotencyKey form one entry; its date and memo are taken from its
 * first row. Empty cells are absent. Amounts use a decimal point unless the import is told
 * `--decimal=,` (Indonesian notation, `1.234.567,50`), or the header says so by naming the amount columns
 * in Indonesian, `debet` and `kredit` (INDONESIAN_AMOUNT_COLUMNS); an amount with a comma is never guessed.
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
  "debet",
  "kredit",
  "memberId",
  "unit",
  "counterparty",
  "lineMemo",
] as const;
const CSV_REQUIRED_COLUMNS = ["idempotencyKey", "date", "account"] as const;
/**
 * Amount columns named in Indonesian, with the line field each fills. A header that names them declares
 * that their amounts are in Indonesian notation (1.234.567,50), whatever `--decimal` says: the file says
 * how it is written, and a spreadsheet user can write it in the header row.
 */
const INDONESIAN_AMOUNT_COLUMNS: Readonly<Record<string, "debit" | "credit">> = {
  debet: "debit",
  kredit: "credit",
};
const DECIMAL_POINT_AMOUNT_COLUMNS = ["debit", "credit"] as const;

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
  const checked = checkStrictJsonText(row);
  if (!checked.ok) {
    const { code, path, message } = checked.refusal;
    return { ok: false, lineNumber, field: path ?? "(line)", message: `${code}: ${message}` };
  }
  const parsed = checked.value;
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

/** How much of the file one read takes: big enough for few system calls, small enough to bound memory. */
export const IMPORT_READ_CHUNK_BYTES = 1024 * 1024;
const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 13;

/** Yields the rows of `text` that end with a newline, each without it (and without a CR before it). */
const completeRows = function* (text: string): Generator<string> {
  let start = 0;
  for (;;) {
    const end = text.indexOf("\n", start);
    if (end < 0) return;
    yield text.charCodeAt(end - 1) === CARRIAGE_RETURN && end > start
      ? text.slice(start, end - 1)
      : text.slice(start, end);
    start = end + 1;
  }
};

/** Bytes as text, refused (NotUtf8) unless they are UTF-8: the API's body reader refuses them too. */
const utf8Text = (bytes: Buffer): string => {
  if (!isUtf8(bytes)) throw new NotUtf8();
  return bytes.toString("utf8");
};

/**
 * The rows of a text file one at a time, split exactly as `text.split(/\r?\n/)` would split the whole
 * file, without ever holding more than one chunk: a million-line import never keeps the whole file (and
 * every parsed line) in memory. Each read's bytes up to its last newline are checked and decoded in one
 * go (a newline byte is never part of a multi-byte character, so no character is cut); the bytes after
 * it stay in the buffer for the next read. Reads are synchronous and the rows a plain generator: an
 * asynchronous stream cost a promise or two per row, for a local file read a megabyte at a time.
 * `onBytes` is told the bytes read so far after each read (a progress bar's measure).
 */
export const readRows = function* (
  path: string,
  onBytes?: (bytes: number) => void,
  chunkBytes = IMPORT_READ_CHUNK_BYTES,
): Generator<string> {
  const descriptor = openSync(path, "r");
  try {
    let buffer = Buffer.allocUnsafe(chunkBytes);
    let kept = 0;
    let total = 0;
    for (;;) {
      // A row longer than the buffer: the buffer doubles to hold it (the row is held whole anyway);
      // doubling keeps the copying linear in the row's length, which a megabyte more each time is not.
      if (kept === buffer.length) buffer = Buffer.concat([buffer, Buffer.allocUnsafe(buffer.length)]);
      const read = readSync(descriptor, buffer, kept, buffer.length - kept, null);
      if (read === 0) break;
      total += read;
      onBytes?.(total);
      const end = kept + read;
      const lastNewline = buffer.lastIndexOf(NEWLINE, end - 1);
      if (lastNewline < kept) {
        kept = end;
        continue;
      }
      yield* completeRows(utf8Text(buffer.subarray(0, lastNewline + 1)));
      kept = buffer.copy(buffer, 0, lastNewline + 1, end);
    }
    yield utf8Text(buffer.subarray(0, kept));
  } finally {
    closeSync(descriptor);
  }
};

/** An import file holds bytes that are not UTF-8. */
export class NotUtf8 extends Error {
  constructor() {
    super("the file is not valid UTF-8");
    this.name = "NotUtf8";
  }
}

/** How the CSV is written: its separator (detected from the header when not given) and decimal mark. */
export interface CsvFormat {
  readonly delimiter?: string;
  readonly decimalMark: "." | ",";
}

export interface ReadImportOptions {
  readonly csv: CsvFormat;
  /** Keep reading after a refused line (a dry run reports every refusal); else stop at the first. */
  readonly keepGoing?: boolean;
  /** Bytes of the file read so far, for a progress bar while reading and checking. */
  readonly onBytes?: (bytes: number) => void;
}

/** A row of white space only; a row that begins with a brace (every line of a file) is answered at once. */
const isBlank = (row: string): boolean => row.charCodeAt(0) !== OPENING_BRACE && row.trim() === "";
const OPENING_BRACE = 0x7b;

/**
 * Reads an import file line by line, a megabyte at a time (readRows), so memory does not grow with the
 * file, only with its longest line. After a refused line nothing more is read unless `keepGoing`. Throws (like `readFileSync`) when the file cannot be read.
 */
export const readImportFile = async function* (
  fileName: string,
  path: string,
  options: ReadImportOptions = { csv: { decimalMark: "." } },
): AsyncGenerator<ReadLine> {
  if (fileName.toLowerCase().endsWith(".csv")) {
    yield* readCsvLines(path, options);
    return;
  }
  let lineNumber = 0;
  try {
    for (const row of readRows(path, options.onBytes)) {
      lineNumber += 1;
      if (isBlank(row)) continue;
      const read = parseJsonLine(row, lineNumber);
      yield read;
      if (!read.ok && options.keepGoing !== true) return;
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
};

/** Separators a CSV header is tried with, in this order: what spreadsheets write in English and Indonesian. */
const DELIMITER_CANDIDATES = [",", ";", "\t", "|"] as const;
/** Enough of the file to hold its header line. */
const HEADER_PEEK_BYTES = 64 * 1024;
const BYTE_ORDER_MARK = "\uFEFF";
const DELIMITER_NAMES: Readonly<Record<string, string>> = {
  ",": "comma",
  ";": "semicolon",
  "\t": "tab",
  "|": "bar",
};

const headerCells = (line: string, delimiter: string): string[] =>
  line.split(delimiter).map((cell) => cell.trim().replace(/^"(.*)"$/, "$1"));

const isKnownHeader = (cells: readonly string[]): boolean =>
  cells.length > 1 && cells.every((cell) => (CSV_COLUMNS as readonly string[]).includes(cell));

/** The file's first line, without a byte order mark. */
const firstLineOf = async (path: string): Promise<string> => {
  const file = await open(path, "r");
  try {
    const buffer = Buffer.alloc(HEADER_PEEK_BYTES);
    const { bytesRead } = await file.read(buffer, 0, HEADER_PEEK_BYTES, 0);
    const text = buffer.subarray(0, bytesRead).toString("utf8");
    return (text.split(/\r?\n/)[0] ?? "").replace(new RegExp(`^${BYTE_ORDER_MARK}`), "");
  } finally {
    await file.close();
  }
};

type HeaderCheck = { readonly ok: true; readonly delimiter: string } | (ReadLine & { readonly ok: false });

/** The separator the header is written with, or why the header is refused, in words a treasurer can act on. */
const checkHeader = (line: string, given: string | undefined): HeaderCheck => {
  const delimiter =
    given ?? DELIMITER_CANDIDATES.find((candidate) => isKnownHeader(headerCells(line, candidate)));
  if (delimiter === undefined) {
    return {
      ok: false,
      lineNumber: 1,
      field: "(header)",
      message:
        `validation_failed: the first line ${JSON.stringify(line.slice(0, 120))} is not a header of known columns ` +
        `separated by a comma, semicolon, tab or bar; it must name ${CSV_COLUMNS.join(", ")} ` +
        "(idempotencyKey, date and account at least), or give the separator with --delimiter",
    };
  }
  const cells = headerCells(line, delimiter);
  const unknown = cells.find((cell) => !(CSV_COLUMNS as readonly string[]).includes(cell));
  if (unknown !== undefined) {
    return {
      ok: false,
      lineNumber: 1,
      field: unknown === "" ? "(header)" : unknown,
      message: `unknown_field: with the ${DELIMITER_NAMES[delimiter] ?? JSON.stringify(delimiter)} separator the header has the column ${JSON.stringify(unknown)}; it allows ${CSV_COLUMNS.join(",")}`,
    };
  }
  const indonesian = cells.filter((cell) => Object.hasOwn(INDONESIAN_AMOUNT_COLUMNS, cell));
  const decimalPoint = cells.filter((cell) =>
    (DECIMAL_POINT_AMOUNT_COLUMNS as readonly string[]).includes(cell),
  );
  if (indonesian.length > 0 && decimalPoint.length > 0)
    return {
      ok: false,
      lineNumber: 1,
      field: indonesian[0] ?? "(header)",
      message:
        `validation_failed: the header names amounts both as ${decimalPoint.join(", ")} and as ${indonesian.join(", ")}; ` +
        "use debet and kredit (amounts written 1.234.567,50) or debit and credit, not both",
    };
  const missing = CSV_REQUIRED_COLUMNS.find((column) => !cells.includes(column));
  if (missing !== undefined)
    return {
      ok: false,
      lineNumber: 1,
      field: missing,
      message: "validation_failed: the header needs this column",
    };
  return { ok: true, delimiter };
};

/** An amount in Indonesian notation: dots group thousands, a comma starts at most two decimals. */
const INDONESIAN_AMOUNT = /^(\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d{1,2}))?$/;

/**
 * A debit or credit cell as the API's decimal string. With `--decimal=,` it must be Indonesian notation;
 * without it, a comma (or dots grouping thousands) is refused with the option to use, never guessed.
 */
const amountCell = (
  cell: string,
  decimalMark: "." | ",",
): { ok: true; value: string } | { ok: false; message: string } => {
  if (decimalMark === ",") {
    const match = INDONESIAN_AMOUNT.exec(cell);
    if (match === null)
      return {
        ok: false,
        message: `invalid_amount: ${JSON.stringify(cell)} is not an amount in Indonesian notation (1.234.567,50)`,
      };
    const whole = (match[1] ?? "").replaceAll(".", "");
    return { ok: true, value: match[2] === undefined ? whole : `${whole}.${match[2]}` };
  }
  if (cell.includes(",") || /^\d{1,3}(\.\d{3}){2,}$/.test(cell))
    return {
      ok: false,
      message:
        `invalid_amount: ${JSON.stringify(cell)} looks like Indonesian notation (a decimal comma, dots between ` +
        "thousands); run the import with --decimal=, to read amounts that way (or name the columns debet and " +
        "kredit in the header), or write them as 1234567.50",
    };
  return { ok: true, value: cell };
};

const LINE_FIELDS: readonly (readonly [string, string])[] = [
  ["account", "account"],
  ["debit", "debit"],
  ["credit", "credit"],
  ["debet", "debit"],
  ["kredit", "credit"],
  ["memberId", "memberId"],
  ["unit", "unit"],
  ["counterparty", "counterparty"],
  ["lineMemo", "memo"],
];

/** One entry being gathered from consecutive rows with the same idempotencyKey. */
interface PendingEntry {
  readonly lineNumber: number;
  readonly key: string;
  readonly body: Record<string, unknown>;
  readonly entryLines: unknown[];
}

const entryOf = (pending: PendingEntry): ReadLine => ({
  ok: true,
  line: {
    lineNumber: pending.lineNumber,
    idempotencyKey: pending.key,
    body: { ...pending.body, lines: pending.entryLines },
  },
});

/** A CSV row as an entry line (account, amounts, member, unit…), or why it is refused. */
const entryLineOf = (
  value: (column: string) => string | undefined,
  decimalMark: "." | ",",
): { ok: true; line: Record<string, unknown> } | { ok: false; field: string; message: string } => {
  const line: Record<string, unknown> = {};
  for (const [column, field] of LINE_FIELDS) {
    const cell = value(column);
    if (cell === undefined) continue;
    if (Object.hasOwn(INDONESIAN_AMOUNT_COLUMNS, column) || column === "debit" || column === "credit") {
      const amount = amountCell(cell, Object.hasOwn(INDONESIAN_AMOUNT_COLUMNS, column) ? "," : decimalMark);
      if (!amount.ok) return { ok: false, field: column, message: amount.message };
      line[field] = amount.value;
    } else line[field] = cell;
  }
  return { ok: true, line };
};

/** A row's trimmed cell by column name; undefined for a column the header lacks or an empty cell. */
const cellReader =
  (columns: readonly string[], record: readonly string[]) =>
  (column: string): string | undefined => {
    // The last of two columns with one name wins, as it did when the row was read into a Map.
    const index = columns.lastIndexOf(column);
    const cell = index < 0 ? undefined : (record[index] ?? "").trim();
    return cell === undefined || cell === "" ? undefined : cell;
  };

/** The entry a row with a new key starts: its date and memo from that row, its lines still to come. */
const pendingEntryOf = (
  value: (column: string) => string | undefined,
  lineNumber: number,
  key: string,
): PendingEntry => {
  const body: Record<string, unknown> = {};
  const date = value("date");
  const memo = value("memo");
  if (date !== undefined) body.date = date;
  if (memo !== undefined) body.memo = memo;
  return { lineNumber, key, body, entryLines: [] };
};

/** What one CSV record yields, and whether reading stops after it (a refusal without --keep-going). */
interface Taken {
  readonly lines: ReadLine[];
  readonly stop: boolean;
}

const NOTHING: Taken = { lines: [], stop: false };

/**
 * Gathers the CSV's consecutive rows of one key into entries: the first record is the header, a row with a
 * new key ends the entry before it, and after a refused row (when going on) the rest of that entry's rows
 * are left out with it.
 */
class CsvEntries {
  private columns: string[] | null = null;
  private pending: PendingEntry | null = null;
  private refusedKey: string | null = null;

  constructor(private readonly options: ReadImportOptions) {}

  take(record: string[], lineNumber: number): Taken {
    if (this.columns === null) {
      this.columns = record.map((cell) => cell.trim());
      return NOTHING;
    }
    const refuse = (field: string, message: string): ReadLine => ({ ok: false, lineNumber, field, message });
    const stop = this.options.keepGoing !== true;
    if (record.length !== this.columns.length) {
      const message = `validation_failed: ${record.length} cells where the header has ${this.columns.length}`;
      return { lines: [refuse("(line)", message)], stop };
    }
    const value = cellReader(this.columns, record);
    const key = value("idempotencyKey") ?? "";
    if (key === this.refusedKey) return NOTHING;
    this.refusedKey = null;
    const lines: ReadLine[] = [];
    if (this.pending === null || this.pending.key !== key) {
      if (this.pending !== null) lines.push(entryOf(this.pending));
      this.pending = pendingEntryOf(value, lineNumber, key);
    }
    const entryLine = entryLineOf(value, this.options.csv.decimalMark);
    if (entryLine.ok) {
      this.pending.entryLines.push(entryLine.line);
      return { lines, stop: false };
    }
    lines.push(refuse(entryLine.field, entryLine.message));
    // The entry cannot be checked without this line: it is left out, its other rows too.
    this.pending = null;
    this.refusedKey = key;
    return { lines, stop };
  }

  /** The entry still gathering when the file ends. */
  finish(): ReadLine[] {
    return this.pending === null ? [] : [entryOf(this.pending)];
  }
}

/** Reads a CSV import with csv-parse, row by row, gathering consecutive rows of one key into an entry. */
const readCsvLines = async function* (path: string, options: ReadImportOptions): AsyncGenerator<ReadLine> {
  const header = checkHeader(await firstLineOf(path), options.csv.delimiter);
  if (!header.ok) {
    yield header;
    return;
  }
  const parser = createReadStream(path).pipe(
    parse({
      delimiter: header.delimiter,
      bom: true,
      info: true,
      skip_empty_lines: true,
      relax_column_count: true,
    }),
  );
  const entries = new CsvEntries(options);
  try {
    for await (const { record, info } of parser as AsyncIterable<{
      record: string[];
      info: { lines: number; bytes: number };
    }>) {
      options.onBytes?.(info.bytes);
      const taken = entries.take(record, info.lines);
      yield* taken.lines;
      if (taken.stop) return;
    }
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    yield {
      ok: false,
      lineNumber: (error as CsvError & { lines?: number }).lines ?? 0,
      field: "(line)",
      message: `malformed_csv: ${error.message}`,
    };
    return;
  }
  yield* entries.finish();
};
