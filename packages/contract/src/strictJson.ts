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
export const checkStrictJson = (
  bytes: Buffer,
): { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly refusal: JsonRefusal } => {
  try {
    return { ok: true, value: readStrictJson(bytes) };
  } catch (error) {
    if (error instanceof JsonRefused) return { ok: false, refusal: error.refusal };
    throw error;
  }
};

const readStrictJson = (bytes: Buffer): unknown => {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    throw malformed("The body is not valid UTF-8.");
  }
  if (text.trim() === "") return undefined;
  const reader = new Reader(text);
  const value = reader.value(0, "");
  reader.skipWhitespace();
  if (reader.index !== text.length) reader.fail("unexpected characters after the JSON value");
  return value;
};

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

  private string(): string {
    const start = this.index;
    this.index++;
    while (this.index < this.text.length) {
      const c = this.text.charCodeAt(this.index);
      if (c === 0x22) break;
      if (c === 0x5c) this.index += 2;
      else if (c < 0x20) this.fail("control character in a string");
      else this.index++;
    }
    if (this.index >= this.text.length) this.fail("unterminated string");
    this.index++;
    let decoded: string;
    try {
      decoded = JSON.parse(this.text.slice(start, this.index)) as string;
    } catch {
      return this.fail("bad string escape");
    }
    if (loneSurrogate.test(decoded)) this.fail("lone surrogate in a string");
    return decoded;
  }

  private object(depth: number, path: string): Record<string, unknown> {
    this.index++;
    const result: Record<string, unknown> = {};
    const seen = new Set<string>();
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
      if (seen.has(key)) {
        throw new JsonRefused({
          code: "duplicate_key",
          path: keyPath,
          message: "this key appears more than once",
          detail: `The key ${JSON.stringify(key)} appears twice in one object.`,
        });
      }
      seen.add(key);
      this.skipWhitespace();
      if (this.text[this.index] !== ":") this.fail("expected ':'");
      this.index++;
      const item = this.value(depth, keyPath);
      Object.defineProperty(result, key, {
        value: item,
        enumerable: true,
        writable: true,
        configurable: true,
      });
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
