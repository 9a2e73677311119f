/**
 * RFC 8785 (JSON Canonicalization Scheme) serialisation, written out here so the verifier depends on
 * nothing but the rule in api.md (History and verification): object keys sorted by UTF-16 code units,
 * no whitespace, strings and numbers serialised as ECMAScript's JSON.stringify does (which is what
 * RFC 8785 prescribes for them). Properties whose value is undefined are left out, as in JSON.
 *
 * Written for speed, since `verify` canonicalises every event of every ledger: loops and string
 * concatenation, plain ASCII strings written without JSON.stringify, and the sorted key list of each
 * object shape (the same keys in the same order, as every event of one type has) computed once. The
 * unit test compares it with the straightforward map/sort/join form on random values.
 */

/** Strings made only of these characters need no escaping: printable ASCII without `"` and `\`. */
const PLAIN_STRING = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

const writeString = (text: string): string => (PLAIN_STRING.test(text) ? `"${text}"` : JSON.stringify(text));

/** One object shape: its keys as found, sorted, and each sorted key written as `"key":`. */
interface Shape {
  readonly keys: readonly string[];
  readonly sorted: readonly string[];
  readonly prefixes: readonly string[];
}
/** Bounds on the shape cache, so odd data (keys made of user text) cannot grow it without limit. */
const SHAPE_FIRST_KEYS_MAX = 1_024;
const SHAPES_PER_FIRST_KEY_MAX = 8;
const shapesByFirstKey = new Map<string, Shape[]>();
const EMPTY_SHAPE: Shape = { keys: [], sorted: [], prefixes: [] };

const sameKeys = (left: readonly string[], right: readonly string[]): boolean => {
  if (left.length !== right.length) return false;
  for (let index = 0; index < left.length; index += 1) if (left[index] !== right[index]) return false;
  return true;
};

const shapeOf = (record: object): Shape => {
  const keys = Object.keys(record);
  const firstKey = keys[0];
  if (firstKey === undefined) return EMPTY_SHAPE;
  let shapes = shapesByFirstKey.get(firstKey);
  if (shapes !== undefined) {
    for (const shape of shapes) if (sameKeys(shape.keys, keys)) return shape;
  } else if (shapesByFirstKey.size < SHAPE_FIRST_KEYS_MAX) {
    shapes = [];
    shapesByFirstKey.set(firstKey, shapes);
  }
  // Array.prototype.sort without a comparator compares UTF-16 code units, exactly as RFC 8785 asks.
  const sorted = [...keys].sort();
  const shape: Shape = { keys, sorted, prefixes: sorted.map((key) => `${writeString(key)}:`) };
  if (shapes !== undefined && shapes.length < SHAPES_PER_FIRST_KEY_MAX) shapes.push(shape);
  return shape;
};

/**
 * The members of an object, without the braces, in canonical order; keys in `leaveOut` are skipped.
 * Exported for the chain hash, which writes `meta` (the metadata without the chain fields) this way.
 */
export const canonicalMembers = (record: object, leaveOut: ReadonlySet<string> | null): string => {
  const { sorted, prefixes } = shapeOf(record);
  const values = record as Record<string, unknown>;
  let out = "";
  for (let index = 0; index < sorted.length; index += 1) {
    const key = sorted[index] as string;
    if (leaveOut?.has(key)) continue;
    const item = values[key];
    if (item === undefined) continue;
    if (out.length > 0) out += ",";
    out += (prefixes[index] as string) + canonicalJson(item);
  }
  return out;
};

export const canonicalJson = (value: unknown): string => {
  if (value === null) return "null";
  switch (typeof value) {
    case "boolean":
      return value ? "true" : "false";
    case "string":
      return writeString(value);
    case "number":
      if (!Number.isFinite(value)) throw new TypeError(`Cannot canonicalise the number ${value}`);
      return JSON.stringify(value);
    case "object": {
      if (Array.isArray(value)) {
        let out = "[";
        for (let index = 0; index < value.length; index += 1) {
          if (index > 0) out += ",";
          const item: unknown = value[index];
          out += item === undefined ? "null" : canonicalJson(item);
        }
        return `${out}]`;
      }
      return `{${canonicalMembers(value, null)}}`;
    }
    default:
      throw new TypeError(`Cannot canonicalise a value of type ${typeof value}`);
  }
};
