import type { AccountType } from "@bukubesar/ledger-core";
import { senToWire, wireToSen } from "@bukubesar/money";
import type { AccountState, LedgerReadModel, PostedEntry } from "./readModel.js";
import { sortedEntries } from "./readModel.js";
import { parseReportDate } from "./sen.js";
import { compareCodes } from "./trialBalance.js";

/**
 * The plain-text journal that ledger-cli and hledger both read (api.md "export?format=ledger"):
 *
 *     commodity IDR
 *         format IDR 1000.00
 *     account Aset:1101 Kas Besar  ; type: A
 *     2026-01-15 * Setoran simpanan wajib Januari
 *         ; entryId A1B2 (hex escaped), sequence 12
 *         Aset:1101 Kas Besar  IDR 50000.00
 *         Ekuitas:3200 Simpanan Wajib  IDR -50000.00
 *
 * Credits are negative amounts, so the tools' balances are debit minus credit. Every posting carries its
 * amount (none is elided) and ends the account name with two spaces, as both tools require.
 *
 * Text from users (account names, memos) is cleaned so no input can change the file's meaning: control,
 * format (bidi, zero-width) and line-breaking characters become spaces or are removed, runs of spaces
 * collapse to one (two spaces end an account name), ";" (a comment) and ":" in account names (a
 * sub-account) are replaced. Nothing is dropped silently: whenever cleaning changed a text, the original
 * follows in a comment line in an escaped form that uses only letters, digits, spaces and a few harmless
 * punctuation marks, every other character written as \uXXXX, so the comment cannot carry a tag, a
 * date (hledger's `date:`, ledger's `[date]`) or a line break into the file.
 */
export interface LedgerExportOptions {
  /** Only entries dated on or before this day (inclusive); all entries when omitted. */
  readonly asOf?: string;
}

/** The ledger-cli/hledger account-type prefixes of docs/api.md (SAK EP names: Liabilitas, not Kewajiban). */
export const LEDGER_TYPE_NAMES: Readonly<Record<AccountType, string>> = {
  asset: "Aset",
  liability: "Liabilitas",
  equity: "Ekuitas",
  income: "Pendapatan",
  expense: "Beban",
};

/**
 * hledger's account types (`; type: A` on the account directive), so `hledger bs`, `bse`, `is` and `cf`
 * know our Indonesian top-level names; ledger-cli reads the tag as a comment and selects by the prefix.
 */
export const HLEDGER_ACCOUNT_TYPES: Readonly<Record<AccountType, string>> = {
  asset: "A",
  liability: "L",
  equity: "E",
  income: "R",
  expense: "X",
};

/** Account names longer than this are shortened (the original stays in the comment); keeps lines readable. */
export const ACCOUNT_NAME_LENGTH_MAX = 120;
/** Descriptions longer than this are shortened, for the same reason. */
export const DESCRIPTION_LENGTH_MAX = 400;

const POSTING_INDENT = "    ";

/**
 * Lines per chunk of the streamed export: each chunk is a few hundred kilobytes at most, so a journal of
 * any length is written in bounded memory (the whole text of a million entries was hundreds of megabytes).
 */
export const EXPORT_CHUNK_LINES = 2000;

/**
 * The journal as a sequence of text chunks whose concatenation is the whole file. The accounts and the
 * entries are taken when this is called, so entries recorded while the chunks are being written are not in
 * this export and the file stays the journal of one moment.
 */
export const ledgerJournalChunks = (
  model: LedgerReadModel,
  options: LedgerExportOptions = {},
): Iterable<string> => {
  const accounts = [...model.accounts.values()].sort((left, right) => compareCodes(left.code, right.code));
  // The sorted entries grow in place when an entry dated last is applied, so the count is taken now.
  const entries = sortedEntries(model);
  return chunked(journalLines(model.coopId, accounts, entries, entries.length, options));
};

/** The whole journal as one text: for the CLI's small outputs and tests; the API streams the chunks. */
export const exportLedgerJournal = (model: LedgerReadModel, options: LedgerExportOptions = {}): string =>
  [...ledgerJournalChunks(model, options)].join("");

const chunked = function* (lines: Iterable<string>): Generator<string> {
  let batch: string[] = [];
  for (const line of lines) {
    batch.push(line);
    if (batch.length >= EXPORT_CHUNK_LINES) {
      yield `${batch.join("\n")}\n`;
      batch = [];
    }
  }
  if (batch.length > 0) yield `${batch.join("\n")}\n`;
};

const journalLines = function* (
  coopId: string,
  accounts: readonly AccountState[],
  entries: readonly PostedEntry[],
  entryCount: number,
  options: LedgerExportOptions,
): Generator<string> {
  const asOfDay = options.asOf === undefined ? Number.POSITIVE_INFINITY : parseReportDate(options.asOf);
  yield `; bukubesar journal export of ${escapeForComment(coopId)}`;
  yield `; amounts in rupiah; credits are negative${options.asOf === undefined ? "" : `; as of ${options.asOf}`}`;
  yield* ["commodity IDR", `${POSTING_INDENT}format IDR 1000.00`, ""];
  const names = new Map<string, string>();
  for (const account of accounts) {
    const cleaned = ledgerAccountName(account);
    names.set(account.code, cleaned.name);
    if (cleaned.changed)
      yield `; account ${escapeForComment(account.code)} original name: ${escapeForComment(account.name)}`;
    yield `account ${cleaned.name}  ; type: ${HLEDGER_ACCOUNT_TYPES[account.type]}`;
  }
  yield "";
  for (let index = 0; index < entryCount; index++) {
    const entry = entries[index] as PostedEntry;
    if (entry.day > asOfDay) break;
    yield* entryLines(entry, names);
  }
};

const entryLines = function* (entry: PostedEntry, names: ReadonlyMap<string, string>): Generator<string> {
  const description = cleanDescription(entry.memo);
  yield `${entry.date} * ${description.text === "" ? "-" : description.text}`;
  // "kind: closing" is an hledger tag, so `hledger is not:tag:kind=closing` shows a closed year's result.
  yield `${POSTING_INDENT}; entry ${escapeForComment(entry.entryId)}, sequence ${entry.revision}, kind: ${entry.kind}`;
  if (description.changed) yield `${POSTING_INDENT}; original memo: ${escapeForComment(entry.memo)}`;
  for (const line of entry.lines) {
    const name = names.get(line.account) ?? ledgerAccountNameForUnknown(line.account);
    const sen = wireToSen(line.amount);
    const amount = senToWire(line.side === "debit" ? sen : -sen);
    const comment = line.memo === null || line.memo === "" ? "" : `  ; ${escapeForComment(line.memo)}`;
    yield `${POSTING_INDENT}${name}  IDR ${amount}${comment}`;
  }
  yield "";
};

/** `<Type>:<code> <name>` with the name cleaned; `changed` says whether cleaning altered it. */
export const ledgerAccountName = (account: AccountState): { name: string; changed: boolean } => {
  const code = cleanAccountPart(account.code, 40);
  const name = cleanAccountPart(account.name, ACCOUNT_NAME_LENGTH_MAX);
  const label = name.text === "" ? code.text : `${code.text} ${name.text}`;
  return { name: `${LEDGER_TYPE_NAMES[account.type]}:${label}`, changed: code.changed || name.changed };
};

const ledgerAccountNameForUnknown = (code: string): string => `Aset:${cleanAccountPart(code, 40).text}`;

/**
 * Characters that never reach the file as such: C0/C1 controls, line and paragraph separators, and the
 * Unicode format characters (bidi embeddings, overrides and isolates, zero-width spaces and joiners, BOM).
 */
const INVISIBLE_OR_BREAKING = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu;
/** Any run of whitespace, including no-break and ideographic spaces, becomes one ASCII space. */
const WHITESPACE_RUN = /[\s\p{Zs}]+/gu;

/** Cleans a memo for a transaction description: one line, no comment start, single spaces. */
export const cleanText = (text: string, lengthMax: number): { text: string; changed: boolean } => {
  let cleaned = text
    .replace(INVISIBLE_OR_BREAKING, " ")
    .replace(/;/g, ",")
    .replace(WHITESPACE_RUN, " ")
    .trim();
  if (cleaned.length > lengthMax) cleaned = `${[...cleaned].slice(0, lengthMax).join("").trimEnd()}…`;
  return { text: cleaned, changed: cleaned !== text };
};

/**
 * Cleans a memo for a transaction's description. After the date and state both tools read a leading
 * "(" as the start of a transaction code and "*" or "!" as a state, so such a first character becomes "_".
 */
const cleanDescription = (memo: string): { text: string; changed: boolean } => {
  const cleaned = cleanText(memo, DESCRIPTION_LENGTH_MAX).text.replace(/^[(*!]/, "_");
  return { text: cleaned, changed: cleaned !== memo };
};

/**
 * Cleans part of an account name, keeping it as written wherever both tools read it back unchanged:
 * letters, digits, marks, punctuation and symbols (–, ≤, @, = and the like are fine inside a name, which
 * ends at two spaces) and single spaces. Beyond `cleanText`: ":" separates sub-accounts, so it becomes
 * "-"; a bracket or parenthesis at the start would make a virtual posting, so it becomes "_"; anything
 * else (an unassigned or private-use character) becomes "_".
 */
const cleanAccountPart = (text: string, lengthMax: number): { text: string; changed: boolean } => {
  const base = cleanText(text, lengthMax).text.replace(/:/g, "-");
  let cleaned = base.replace(/[^\p{L}\p{N}\p{M}\p{P}\p{S} ]/gu, "_");
  cleaned = cleaned.replace(/^[([]+/, "_").trim();
  return { text: cleaned, changed: cleaned !== text };
};

/**
 * Writes any text in a form safe inside a ledger/hledger comment: letters, digits and spaces as they are
 * (single spaces only), a few marks that neither tool reads in comments (. , - _ / ' ( ) +), and every
 * other character (including ":", "[", ";", "\", controls, bidi and zero-width characters, and spaces
 * after a space) as \uXXXX, so the original can always be recovered.
 */
export const escapeForComment = (text: string): string => {
  let out = "";
  let previousWasSpace = false;
  for (const character of text) {
    const isSpace = character === " ";
    if ((isSpace && !previousWasSpace) || COMMENT_SAFE_CHARACTER.test(character)) {
      out += character;
    } else {
      out += escapeCharacter(character);
    }
    previousWasSpace = isSpace;
  }
  return out.endsWith(" ") ? `${out.slice(0, -1)}\\u0020` : out;
};

const COMMENT_SAFE_CHARACTER = /^[\p{L}\p{N}.,\-_/'()+]$/u;

const escapeCharacter = (character: string): string => {
  let out = "";
  for (let index = 0; index < character.length; index++) {
    out += `\\u${character.charCodeAt(index).toString(16).padStart(4, "0")}`;
  }
  return out;
};
