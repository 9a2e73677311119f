/**
 * RFC 8785 (JSON Canonicalization Scheme) serialisation, written out here so the verifier depends on
 * nothing but the rule in api.md (History and verification): object keys sorted by UTF-16 code units,
 * no whitespace, strings and numbers serialised as ECMAScript's JSON.stringify does (which is what
 * RFC 8785 prescribes for them). Properties whose value is undefined are left out, as in JSON.
 */
export const canonicalJson = (value: unknown): string => {
  if (value === null) return "null";
  switch (typeof value) {
    case "boolean":
      return value ? "true" : "false";
    case "string":
      return JSON.stringify(value);
    case "number":
      if (!Number.isFinite(value)) throw new TypeError(`Cannot canonicalise the number ${value}`);
      return JSON.stringify(value);
    case "object": {
      if (Array.isArray(value)) {
        return `[${value.map((item) => (item === undefined ? "null" : canonicalJson(item))).join(",")}]`;
      }
      const record = value as Record<string, unknown>;
      // Array.prototype.sort without a comparator compares UTF-16 code units, exactly as RFC 8785 asks.
      const keys = Object.keys(record)
        .filter((key) => record[key] !== undefined)
        .sort();
      return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`).join(",")}}`;
    }
    default:
      throw new TypeError(`Cannot canonicalise a value of type ${typeof value}`);
  }
};
