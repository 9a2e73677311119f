/**
 * A strict JSON reader for request bodies. JSON.parse lets the last duplicate key win and happily builds
 * 10,000-deep structures; a ledger must refuse both, so this reader checks while it parses:
 * invalid UTF-8, a byte-order mark, duplicate keys, nesting deeper than JSON_DEPTH_MAX, lone surrogates.
 * Every object gets its keys as own properties (even `__proto__`), so strict codecs see them.
 */
import { JSON_DEPTH_MAX } from "./limits.js";

/** Why bytes are not acceptable JSON: the code a POST would answer, where (when known) and what. */
export interface JsonRefusal {
  readonly code: "malformed_json" | "duplicate_key";
  /** The JSON pointer of the offending key, when one is at fault. */
  readonly path: string | undefined;
  /** What is wrong at `path` (the whole sentence when no key is at fault). */
  readonly message: string;
  /** The whole sentence, as a problem's detail says it. */
  readonly detail: string;
}

/** Thrown by the reader and caught by `checkStrictJson`, so the parse stays one recursive pass. */
class JsonRefused extends Error {
  constructor(readonly refusal: JsonRefusal) {
    super(refusal.detail);
    this.name = "JsonRefused";
  }
}

const malformed = (message: string): JsonRefused =>
  new JsonRefused({ code: "malformed_json", path: undefined, message, detail: message });

/** A high surrogate without its low half, or a low one without its high half. */
const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/**
 * Reads a body (or a line of a JSON Lines file) by the rules of a POST body: the value, `undefined` for
 * an empty body, or the refusal as a value.
 */
export const checkStrictJson = (bytes: Buffer): StrictJsonCheck => {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return { ok: false, refusal: malformed("The body is not valid UTF-8.").refusal };
  }
  return checkStrictJsonText(text);
};

/** What the strict reader found: the value (`undefined` for an empty body) or the refusal. */
export type StrictJsonCheck =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly refusal: JsonRefusal };

/**
 * `checkStrictJson` of a text already decoded from UTF-8 (the import reads its file as text, so it need
 * not encode every line into bytes again only to have them decoded here).
 */
export const checkStrictJsonText = (text: string): StrictJsonCheck => {
  try {
    return { ok: true, value: readStrictJson(text) };
  } catch (error) {
    if (error instanceof JsonRefused) return { ok: false, refusal: error.refusal };
    throw error;
  }
};

const readStrictJson = (text: string): unknown => {
  if (text.trim() === "") return undefined;
  const reader = new Reader(text);
  const value = reader.value(0, "");
  reader.skipWhitespace();
  if (reader.index !== text.length) reader.fail("unexpected characters after the JSON value");
  return value;
};

/**
 * A plain string shorter than this is taken as a slice of the text. V8 copies a substring this short,
 * but makes a longer one a view that keeps the whole text it was cut from alive: a memo kept in the
 * ledger state would then hold its line, and the import's line is itself a view of a megabyte of the
 * file. Longer strings are made by JSON.parse, which copies them.
 */
const SLICE_COPIES_BELOW = 13;

/** The first and last UTF-16 code units of a surrogate half. */
const FIRST_SURROGATE = 0xd800;
const LAST_SURROGATE = 0xdfff;

class Reader {
  index = 0;
  constructor(private readonly text: string) {}

  fail(what: string): never {
    throw malformed(`The body is not valid JSON: ${what} at character ${this.index}.`);
  }

  skipWhitespace(): void {
    while (this.index < this.text.length) {
      const c = this.text.charCodeAt(this.index);
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) this.index++;
      else break;
    }
  }

  value(depth: number, path: string): unknown {
    this.skipWhitespace();
    const c = this.text[this.index];
    if (c === "{" || c === "[") {
      if (depth >= JSON_DEPTH_MAX) {
        throw malformed(`The body nests deeper than ${JSON_DEPTH_MAX} levels.`);
      }
      return c === "{" ? this.object(depth + 1, path) : this.array(depth + 1, path);
    }
    if (c === '"') return this.string();
    if (c === "t") return this.literal("true", true);
    if (c === "f") return this.literal("false", false);
    if (c === "n") return this.literal("null", null);
    if (c === "-" || (c !== undefined && c >= "0" && c <= "9")) return this.number();
    return this.fail(c === undefined ? "unexpected end" : `unexpected character ${JSON.stringify(c)}`);
  }

  private literal<T>(word: string, result: T): T {
    if (this.text.startsWith(word, this.index)) {
      this.index += word.length;
      return result;
    }
    return this.fail("unknown literal");
  }

  private number(): number {
    const match = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(
      this.text.slice(this.index, this.index + 400),
    );
    if (match === null) return this.fail("bad number");
    this.index += match[0].length;
    return Number(match[0]);
  }

  /**
   * A string token. Most have no escape and no surrogate: their text between the quotes is the value,
   * taken without JSON.parse when short (keys, dates, amounts, codes) and without the lone-surrogate
   * pattern, which only a string holding a backslash or a surrogate half needs (an import reads about
   * twenty strings a line, a million lines).
   */
  private string(): string {
    const start = this.index;
    let plain = true;
    this.index++;
    while (this.index < this.text.length) {
      const c = this.text.charCodeAt(this.index);
      if (c === 0x22) break;
      if (c === 0x5c) {
        plain = false;
        this.index += 2;
      } else if (c < 0x20) this.fail("control character in a string");
      else {
        if (c >= FIRST_SURROGATE && c <= LAST_SURROGATE) plain = false;
        this.index++;
      }
    }
    if (this.index >= this.text.length) this.fail("unterminated string");
    this.index++;
    if (plain && this.index - start - 2 < SLICE_COPIES_BELOW)
      return this.text.slice(start + 1, this.index - 1);
    return this.escapedString(start, plain);
  }

  /**
   * A string token from `start` decoded by JSON.parse, which makes a string of its own (see
   * SLICE_COPIES_BELOW); lone surrogate halves are refused when the token holds an escape or a half.
   */
  private escapedString(start: number, plain: boolean): string {
    let decoded: string;
    try {
      decoded = JSON.parse(this.text.slice(start, this.index)) as string;
    } catch {
      return this.fail("bad string escape");
    }
    if (!plain && loneSurrogate.test(decoded)) this.fail("lone surrogate in a string");
    return decoded;
  }

  private object(depth: number, path: string): Record<string, unknown> {
    this.index++;
    const result: Record<string, unknown> = {};
    this.skipWhitespace();
    if (this.text[this.index] === "}") {
      this.index++;
      return result;
    }
    for (;;) {
      this.skipWhitespace();
      if (this.text[this.index] !== '"') this.fail("expected a key");
      const key = this.string();
      const keyPath = `${path}/${key}`;
      // Every key read so far is an own property of the result, so it is the set of keys seen.
      if (Object.hasOwn(result, key)) {
        throw new JsonRefused({
          code: "duplicate_key",
          path: keyPath,
          message: "this key appears more than once",
          detail: `The key ${JSON.stringify(key)} appears twice in one object.`,
        });
      }
      this.skipWhitespace();
      if (this.text[this.index] !== ":") this.fail("expected ':'");
      this.index++;
      const item = this.value(depth, keyPath);
      // An assignment makes the same own, enumerable, writable property as JSON.parse, and keeps the
      // object in V8's fast form; only "__proto__" would set the prototype instead, so it is defined.
      if (key === "__proto__")
        Object.defineProperty(result, key, {
          value: item,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      else result[key] = item;
      this.skipWhitespace();
      const next = this.text[this.index];
      this.index++;
      if (next === "}") return result;
      if (next !== ",") this.fail("expected ',' or '}'");
    }
  }

  private array(depth: number, path: string): unknown[] {
    this.index++;
    const result: unknown[] = [];
    this.skipWhitespace();
    if (this.text[this.index] === "]") {
      this.index++;
      return result;
    }
    for (;;) {
      result.push(this.value(depth, `${path}/${result.length}`));
      this.skipWhitespace();
      const next = this.text[this.index];
      this.index++;
      if (next === "]") return result;
      if (next !== ",") this.fail("expected ',' or ']'");
    }
  }
}
