import { canonicalJson } from "@bukubesar/ledger-core";
import type BetterSqlite3 from "better-sqlite3";
import { parseStoredJson } from "./storedJson.js";

/**
 * Schema version 3 stores each JSON column (data, metadata) as a shape and its values (issue 14):
 *
 * - The shape is the canonical JSON of the value with every string, number, boolean and null replaced by
 *   `0`: `{"date":0,"entryId":0,"lines":[{"account":0,…},…],…}`. Events of one type and line count share
 *   one shape, so shapes are few; each is stored once in the `shapes` table and rows refer to it by id.
 * - The values are the JSON array of those primitives in the order the canonical text writes them.
 *
 * Keys are most of an event's text (a two-line posting's data is 451 bytes as canonical JSON and 217 as
 * values), so rows are about half the size, and reading is faster: JSON.parse of a flat array plus a
 * builder made once per shape takes less than half the time of JSON.parse of the object. The canonical
 * text the hash chain is computed over is given back exactly: the shape's text between the values, each
 * value written canonically. A value whose text would not come back byte for byte (checked on every
 * write) is stored as its canonical text under the shape id RAW_SHAPE.
 */

/** The shape id of a column that holds the canonical JSON text itself. */
export const RAW_SHAPE = 0;

/**
 * The longest shape text kept as a shape; a larger value (an appropriation of thousands of lines) is
 * stored raw, so no shape builds a function of unbounded size and the table stays small.
 */
export const SHAPE_TEXT_MAX_CHARS = 16_384;

/** A JSON column split into its shape and values, or null when it is stored raw. */
export interface SplitJson {
  readonly shape: string;
  readonly values: string;
}

/** How to give back a value and its canonical text from the values of one shape. */
interface CompiledShape {
  readonly build: (values: readonly unknown[]) => unknown;
  /** The canonical text around the values: fragments[0], value 0, fragments[1], …, fragments[n]. */
  readonly fragments: readonly string[];
}

/** An object's keys in canonical order (UTF-16 code units), the order its values are stored in. */
const sortedKeys = (shape: unknown): string[] => Object.keys(shape as object).sort();

/** Pushes the canonical text of `shape` onto `fragments`, cut where each value goes. */
const fragmentsOf = (shape: unknown, fragments: string[]): void => {
  const append = (text: string) => {
    fragments[fragments.length - 1] += text;
  };
  if (shape === 0) {
    fragments.push("");
    return;
  }
  if (Array.isArray(shape)) {
    append("[");
    shape.forEach((item, index) => {
      if (index > 0) append(",");
      fragmentsOf(item, fragments);
    });
    append("]");
    return;
  }
  append("{");
  // Sorted as canonical JSON sorts them: JavaScript lists integer-like keys ("9", "10") first.
  sortedKeys(shape).forEach((key, index) => {
    append(`${index > 0 ? "," : ""}${canonicalJson(key)}:`);
    fragmentsOf((shape as Record<string, unknown>)[key], fragments);
  });
  append("}");
};

/** JavaScript source building the value of `shape` from the array `v`, counting values from `next`. */
const builderSource = (shape: unknown, next: { index: number }): string => {
  if (shape === 0) {
    const source = `v[${next.index}]`;
    next.index += 1;
    return source;
  }
  if (Array.isArray(shape)) return `[${shape.map((item) => builderSource(item, next)).join(",")}]`;
  // Computed keys define own properties even for "__proto__", as JSON.parse does.
  const properties = sortedKeys(shape).map(
    (key) => `[${JSON.stringify(key)}]:${builderSource((shape as Record<string, unknown>)[key], next)}`,
  );
  return `{${properties.join(",")}}`;
};

/**
 * Whether a parsed shape is one the store writes: an array or object whose every leaf is exactly `0`.
 * Any other leaf (a string, `1`, `null`) would make fragmentsOf and builderSource recurse for ever.
 */
const isShape = (value: unknown): boolean => {
  if (value === 0) return true;
  if (typeof value !== "object" || value === null) return false;
  return Object.values(value).every(isShape);
};

/**
 * Compiles a shape read from the table. The builder is generated code because it is the replay's inner
 * loop: an object literal per shape lets V8 build every value of that shape with one hidden class,
 * where assigning keys one by one in a loop measured slower than the JSON.parse it replaces. Keys enter
 * the source only as JSON string literals, so no stored text can become code. Gives null for a shape
 * row edited behind the store's back (no JSON, a leaf other than `0`, nested past the stack), so that
 * one damaged row shared by many events is reported at each of them rather than stopping every reader.
 */
const compileShape = (shapeText: string): CompiledShape | null => {
  try {
    const shape = JSON.parse(shapeText) as unknown;
    if (typeof shape !== "object" || shape === null || !isShape(shape)) return null;
    const fragments = [""];
    fragmentsOf(shape, fragments);
    const build = new Function(
      "v",
      `return ${builderSource(shape, { index: 0 })};`,
    ) as CompiledShape["build"];
    return { build, fragments };
  } catch {
    // A parse failure or a shape nested deeper than the stack: the row is damaged, as above.
    return null;
  }
};

/**
 * The canonical text given for a column whose shape is damaged: a JSON string holding a NUL and the
 * shape's id. A shaped column always held an object or an array, so this text and its value never match
 * what the chain hash was computed over, and `verify` reports the event's hash as wrong.
 */
const damagedShapeText = (shapeId: number): string => JSON.stringify(`\u0000damaged shape ${shapeId}`);

/**
 * The value decoded from a column whose shape is damaged: not an object, so ledger-core's checked
 * decoder (recordedLedgerEventOf) refuses the event as a MalformedStoredEvent, which every ledger
 * reader already reports as a break of the chain at that revision.
 */
export const DAMAGED_SHAPE_VALUE = null;

/** Character codes the scan of a values text looks for. */
const QUOTE = 34;
const BACKSLASH = 92;
const COMMA = 44;
const COLON = 58;
const OPENING_BRACKET = 91;
const CLOSING_BRACKET = 93;
const OPENING_BRACE = 123;
const CLOSING_BRACE = 125;
const SPACE = 32;
const MINUS = 45;
const DIGIT_ZERO = 48;
const DIGIT_NINE = 57;
const LETTER_F = 102;
const LETTER_N = 110;
const LETTER_T = 116;

/** Brackets, braces, commas and colons: the shape's own characters. */
const isStructural = (code: number): boolean =>
  code === OPENING_BRACE ||
  code === CLOSING_BRACE ||
  code === OPENING_BRACKET ||
  code === CLOSING_BRACKET ||
  code === COMMA ||
  code === COLON;

/**
 * Where the JSON token starting at `start` of a values text ends (exclusive), never past the text's
 * end: a text edited behind the store's back gives some other canonical text, which its hash refuses.
 */
const tokenEnd = (text: string, start: number): number => {
  const length = text.length;
  let index = start;
  if (text.charCodeAt(index) === QUOTE) {
    for (index += 1; index < length && text.charCodeAt(index) !== QUOTE; index += 1)
      if (text.charCodeAt(index) === BACKSLASH) index += 1;
    return Math.min(index + 1, length);
  }
  while (index < length) {
    const code = text.charCodeAt(index);
    if (code === COMMA || code === CLOSING_BRACKET) break;
    index += 1;
  }
  return index;
};

/**
 * The canonical text of a values text laid into a shape's fragments, without parsing it: the values
 * text is JSON.stringify's, and JSON.stringify writes a string or a number exactly as canonical JSON
 * does (RFC 8785 takes both rules from it), so each value's text is copied as it stands. `verify` hashes
 * every stored event this way.
 */
const canonicalFromText = (compiled: CompiledShape, valuesText: string): string => {
  const { fragments } = compiled;
  let text = fragments[0] as string;
  let start = 1;
  for (let index = 1; index < fragments.length; index += 1) {
    const end = tokenEnd(valuesText, start);
    text += valuesText.slice(start, end) + (fragments[index] as string);
    start = end + 1;
  }
  return text;
};

/** The characters that end a number or a literal (true, false, null) in JSON text. */
const isValueEnd = (code: number): boolean => isStructural(code) || code <= SPACE;

/** The first characters of a number or a literal: a digit, `-`, `t`, `f` or `n`. */
const startsValue = (code: number): boolean =>
  (code >= DIGIT_ZERO && code <= DIGIT_NINE) ||
  code === MINUS ||
  code === LETTER_T ||
  code === LETTER_F ||
  code === LETTER_N;

/** Where the string starting at `start` (its opening quote) ends, after its closing quote. */
const stringEnd = (text: string, start: number): number => {
  let index = start + 1;
  while (index < text.length && text.charCodeAt(index) !== QUOTE)
    index += text.charCodeAt(index) === BACKSLASH ? 2 : 1;
  return index + 1;
};

/**
 * Splits a JSON text (canonical JSON as the store writes it) into shape and values in one scan of its
 * characters, or gives null when it must be stored raw: it is not an object or an array, the keys of
 * one of its objects are not strictly ascending (nextIndex), or its shape is too long. Every string, number and literal that is not a key is a value: the text before it goes to
 * the shape's fragments and its own text, as it stands, to the values array. The fragments and the values
 * are the text cut in pieces, so they give it back byte for byte; the shape is the fragments joined by
 * `0`. Nothing is parsed or written again, which keeps it cheap on every append.
 */
export const splitJson = (text: string): SplitJson | null => {
  const first = text.charCodeAt(0);
  if (first !== OPENING_BRACE && first !== OPENING_BRACKET) return null;
  const fragments: string[] = [];
  const tokens: string[] = [];
  const lastKeys: (string | null)[] = [];
  let runStart = 0;
  let index = 0;
  while (index < text.length) {
    const end = valueEnd(text, index);
    if (end === NOT_A_JSON_TEXT) return null;
    if (end === NO_VALUE) {
      index = nextIndex(text, index, lastKeys);
      if (index === NOT_A_JSON_TEXT) return null;
      continue;
    }
    fragments.push(text.slice(runStart, index));
    tokens.push(text.slice(index, end));
    runStart = end;
    index = end;
  }
  fragments.push(text.slice(runStart));
  const shape = fragments.join("0");
  if (shape.length > SHAPE_TEXT_MAX_CHARS) return null;
  return { shape, values: `[${tokens.join(",")}]` };
};

/** What `valueEnd` answers when no value starts at the index, and when the text is no canonical JSON. */
const NO_VALUE = -1;
const NOT_A_JSON_TEXT = -2;

/**
 * Where the value (a string that is no key, a number or a literal) starting at `index` ends, NO_VALUE
 * when the character there is the shape's own (a bracket, a brace, a comma, a colon, a key's string),
 * NOT_A_JSON_TEXT for whitespace or anything else canonical JSON never has.
 */
const valueEnd = (text: string, index: number): number => {
  const code = text.charCodeAt(index);
  if (code === QUOTE) {
    const end = stringEnd(text, index);
    return text.charCodeAt(end) === COLON ? NO_VALUE : end;
  }
  if (isStructural(code)) return NO_VALUE;
  if (!startsValue(code)) return NOT_A_JSON_TEXT;
  let end = index + 1;
  while (end < text.length && !isValueEnd(text.charCodeAt(end))) end += 1;
  return end;
};

/**
 * The index after the shape's own character or key at `index` (a key's string is skipped whole), or
 * NOT_A_JSON_TEXT when a key does not come strictly after the one before it in its object. A shape is
 * read back with its keys sorted, so a text whose keys are out of order or repeated (a row edited
 * behind the store's back) would come back as another value; it is stored raw instead. `lastKeys` holds
 * the last key of each object open at `index` (null before its first), one comparison per key.
 */
const nextIndex = (text: string, index: number, lastKeys: (string | null)[]): number => {
  const code = text.charCodeAt(index);
  if (code === OPENING_BRACE) lastKeys.push(null);
  else if (code === CLOSING_BRACE) lastKeys.pop();
  if (code !== QUOTE) return index + 1;
  const end = stringEnd(text, index);
  const key = keyOf(text.slice(index, end));
  const last = lastKeys[lastKeys.length - 1];
  if (key === null || (last !== null && last !== undefined && key <= last)) return NOT_A_JSON_TEXT;
  lastKeys[lastKeys.length - 1] = key;
  return end;
};

/** A key's string as the object holds it (UTF-16 code units compare as canonical JSON sorts), or null. */
const keyOf = (keyText: string): string | null => {
  if (!keyText.includes("\\")) return keyText.slice(1, -1);
  try {
    return JSON.parse(keyText) as string;
  } catch {
    return null;
  }
};

/** Shape ids to write (null columns are raw) for one event's data and metadata. */
export interface ShapeIds {
  readonly data: number;
  readonly metadata: number;
}

/**
 * Whether a parsed values text holds a primitive for each of a shape's slots, as the store writes it:
 * then the value built from it is the value of its canonical text (decodeCanonical). An element that is
 * an object or an array, or too few of them, can only come from a text edited behind the store's back.
 */
const holdsPrimitivesFor = (compiled: CompiledShape, values: unknown): values is readonly unknown[] => {
  if (!Array.isArray(values)) return false;
  const slots = compiled.fragments.length - 1;
  if (values.length < slots) return false;
  for (let index = 0; index < slots; index += 1) {
    const value: unknown = values[index];
    if (typeof value === "object" && value !== null) return false;
  }
  return true;
};

/**
 * Decodes stored columns given the texts of their shapes: compiled shapes cached by id. The store's
 * own (SqliteShapes) looks the texts up in its file; `verify`'s second thread is given them by the
 * thread that reads the file, so it decodes the rows it is sent without a connection of its own.
 */
export class ShapeCodec {
  /** Compiled shapes by id; null for a damaged shape row (compileShape). */
  private readonly compiled = new Map<number, CompiledShape | null>();

  /** `shapeTextOf` answers a shape's stored text, or undefined when no row has that id. */
  constructor(private readonly shapeTextOf: (shapeId: number) => string | undefined) {}

  /** The value a stored column holds. */
  decode(shapeId: number, stored: string): unknown {
    if (shapeId === RAW_SHAPE) return parseStoredJson(stored);
    const compiled = this.shape(shapeId);
    if (compiled === null) return DAMAGED_SHAPE_VALUE;
    const values = parseStoredJson(stored);
    return Array.isArray(values) ? compiled.build(values) : DAMAGED_SHAPE_VALUE;
  }

  /** The canonical JSON text a stored column holds, as its hash was computed over. */
  canonical(shapeId: number, stored: string): string {
    if (shapeId === RAW_SHAPE) return stored;
    const compiled = this.shape(shapeId);
    if (compiled === null) return damagedShapeText(shapeId);
    return canonicalFromText(compiled, stored);
  }

  /**
   * The value JSON.parse gives of `canonical(shapeId, stored)`, built from the parsed values without
   * writing that text, or undefined when the caller must parse the text itself: a raw column, a
   * damaged shape, or values that are not one primitive per slot. Parsing the flat values and building
   * takes about half the time of parsing the canonical text. For a values text as the store writes it
   * (JSON.stringify's, no whitespace) the two are the same value: each value's text stands between the
   * shape's fragments as it stands in the values text. A text edited to hold whitespace gives a
   * canonical text that is not the one written, so its chain hash, which `verify` checks from that
   * text, fails at that event.
   */
  decodeCanonical(shapeId: number, stored: string): unknown {
    if (shapeId === RAW_SHAPE) return undefined;
    const compiled = this.shape(shapeId);
    if (compiled === null) return undefined;
    const values = parseStoredJson(stored);
    return holdsPrimitivesFor(compiled, values) ? compiled.build(values) : undefined;
  }

  /** Drops every compiled shape (after a write transaction rolled back, or shapes were replaced). */
  forget(): void {
    this.compiled.clear();
  }

  private shape(shapeId: number): CompiledShape | null {
    const cached = this.compiled.get(shapeId);
    if (cached !== undefined) return cached;
    const text = this.shapeTextOf(shapeId);
    // A shape row deleted behind the store's back is damage like an edited one: its events are broken
    // links of their chains, named one by one, not a failure of every read. Not cached: the events that
    // name it can only have been written with it, so a reader never sees one before its shape.
    if (text === undefined) return null;
    const compiled = compileShape(text);
    this.compiled.set(shapeId, compiled);
    return compiled;
  }
}

/**
 * The shapes of one SQLite connection: ids looked up or added inside write transactions, compiled
 * shapes cached by id. Ids learned inside a transaction that then rolls back may be given to other
 * shapes later, so the store calls `forget` after every failed write.
 */
export class SqliteShapes extends ShapeCodec {
  private readonly idsByText = new Map<string, number>();
  private readonly selectId: BetterSqlite3.Statement<[string], { shape_id: number }>;
  private readonly insert: BetterSqlite3.Statement<[string]>;
  private readonly selectText: BetterSqlite3.Statement<[number], string>;

  constructor(database: BetterSqlite3.Database) {
    const selectText = database
      .prepare<[number], string>("SELECT shape FROM shapes WHERE shape_id = ?")
      .pluck();
    super((shapeId) => selectText.get(shapeId));
    this.selectText = selectText;
    this.selectId = database.prepare("SELECT shape_id FROM shapes WHERE shape = ?");
    this.insert = database.prepare("INSERT INTO shapes (shape) VALUES (?)");
  }

  /** The id of a split column's shape (RAW_SHAPE for a raw one), added if new. Inside a write transaction. */
  idOf(split: SplitJson | null): number {
    if (split === null) return RAW_SHAPE;
    const known = this.idsByText.get(split.shape);
    if (known !== undefined) return known;
    const id =
      this.selectId.get(split.shape)?.shape_id ?? Number(this.insert.run(split.shape).lastInsertRowid);
    this.idsByText.set(split.shape, id);
    return id;
  }

  /** A shape's stored text, or undefined when no row has that id. */
  text(shapeId: number): string | undefined {
    return this.selectText.get(shapeId);
  }

  /** Drops every id learned so far (after a write transaction rolled back). */
  override forget(): void {
    this.idsByText.clear();
    super.forget();
  }
}
