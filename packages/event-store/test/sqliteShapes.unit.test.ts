import { canonicalJson } from "@bukubesar/ledger-core";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { RAW_SHAPE, SqliteShapes, splitJson } from "../src/sqliteShapes.js";

const shapesTable = (): SqliteShapes => {
  const database = new Database(":memory:");
  database.exec("CREATE TABLE shapes (shape_id INTEGER PRIMARY KEY, shape TEXT NOT NULL UNIQUE);");
  return new SqliteShapes(database);
};

describe("data and metadata as a shape and its values (schema version 3)", () => {
  const values: unknown[] = [
    { date: "2025-01-01", lines: [{ account: "1101", amount: "1.00", memo: null }], kind: "regular" },
    { text: 'a"b\\c\n\u0001 é 😀', lone: "\ud800x", numbers: [0, -1, 1.5, 1e21, 1e-7], ok: true, no: false },
    { nested: { deeper: [[], {}, [null]] }, "": 1, A: 2, a: 3, "10": 4, "9": 5 },
    JSON.parse('{"__proto__":"own","constructor":1}'),
    [1, "two", { three: [3] }],
  ];

  it("gives back the canonical text byte for byte and the value", () => {
    const shapes = shapesTable();
    for (const value of values) {
      const canonical = canonicalJson(value);
      const split = splitJson(canonical);
      expect(split).not.toBeNull();
      const id = shapes.idOf(split);
      expect(id).not.toBe(RAW_SHAPE);
      expect(shapes.canonical(id, split?.values as string)).toBe(canonical);
      expect(shapes.decode(id, split?.values as string)).toEqual(JSON.parse(canonical));
    }
    const posted = shapes.decode(shapes.idOf(splitJson(canonicalJson(values[3]))), '["own",1]');
    expect(Object.getPrototypeOf(posted)).toBe(Object.prototype);
    expect(Object.keys(posted as object)).toEqual(["__proto__", "constructor"]);
  });

  it("builds the value of the canonical text from the store's own values, and leaves any other to the text", () => {
    const shapes = shapesTable();
    for (const value of values) {
      const split = splitJson(canonicalJson(value));
      const id = shapes.idOf(split);
      const built = shapes.decodeCanonical(id, split?.values as string);
      expect(built).toEqual(JSON.parse(shapes.canonical(id, split?.values as string)));
      expect(Object.keys(built as object)).toEqual(Object.keys(JSON.parse(canonicalJson(value))));
    }
    // Values the store never writes: the caller must parse the canonical text, which these change.
    const id = shapes.idOf(splitJson(canonicalJson(values[0])));
    for (const edited of ['["2025-01-01"', "[", '["a",1', '["a",[1],"b","c","d"]', '{"a":1}', "x"])
      expect(shapes.decodeCanonical(id, edited), edited).toBeUndefined();
    expect(shapes.decodeCanonical(RAW_SHAPE, '{"a":1}')).toBeUndefined();
    expect(shapes.decodeCanonical(9_999, "[1]")).toBeUndefined();
  });

  it("stores a scalar or a text that would not come back exactly as raw", () => {
    expect(splitJson("42")).toBeNull();
    expect(splitJson('"text"')).toBeNull();
    expect(splitJson('{"a": 1}')).toBeNull();
    expect(splitJson('{"a" :1}')).toBeNull();
    expect(splitJson('{"a":1 }')).toBeNull();
    const shapes = shapesTable();
    expect(shapes.idOf(null)).toBe(RAW_SHAPE);
    expect(shapes.canonical(RAW_SHAPE, '{"a":1}')).toBe('{"a":1}');
  });

  it("stores as raw a text whose keys are out of order or repeated at any level", () => {
    // Read back, a shape's keys are sorted: these would come back as other values.
    for (const text of [
      '{"memo":"9.00","amount":"1.00"}',
      '{"a":1,"a":2}',
      '{"x":{"b":1,"a":2}}',
      '[1,{"b":1,"a":1}]',
      '{"a":{"b":1},"a":{"b":1}}',
      '{"b":1,"\\u0061":2}',
    ])
      expect(splitJson(text), text).toBeNull();
    // Sorted at each level: the same key in sibling or nested objects, escaped keys compared as held.
    for (const text of ['[{"a":1},{"a":1}]', '{"a":{"a":1,"b":2},"b":{"a":1}}', '{"\\"":1,"a":2}'])
      expect(splitJson(text), text).not.toBeNull();
  });

  it("gives a value no reader folds and a text no hash matches for a damaged shape row", () => {
    const database = new Database(":memory:");
    database.exec("CREATE TABLE shapes (shape_id INTEGER PRIMARY KEY, shape TEXT NOT NULL UNIQUE);");
    const insert = database.prepare("INSERT INTO shapes (shape) VALUES (?)");
    const deep = `${"[".repeat(100_000)}0${"]".repeat(100_000)}`;
    for (const damaged of ['{"a":0}x', '{"a":"xy"}', '{"a":1}', '{"a":null}', "0", deep]) {
      const shapes = new SqliteShapes(database);
      const id = Number(insert.run(damaged).lastInsertRowid);
      // Before, these threw a SyntaxError or overflowed the stack.
      expect(shapes.decode(id, "[1]"), damaged.slice(0, 20)).toBeNull();
      const text = shapes.canonical(id, "[1]");
      expect(JSON.parse(text)).toBe(`\u0000damaged shape ${id}`);
    }
  });

  it("gives some other text, not a hang, for a values text edited behind the store's back", () => {
    const shapes = shapesTable();
    const canonical = canonicalJson(values[0]);
    const id = shapes.idOf(splitJson(canonical));
    for (const edited of ['["2025-01-01', "[", '["a",1', "[1,2,3,4,5,6]"])
      expect(shapes.canonical(id, edited)).not.toBe(canonical);
  });

  it("forgets ids learned in a rolled-back transaction", () => {
    const database = new Database(":memory:");
    database.exec("CREATE TABLE shapes (shape_id INTEGER PRIMARY KEY, shape TEXT NOT NULL UNIQUE);");
    const shapes = new SqliteShapes(database);
    const first = splitJson('{"a":1}');
    const second = splitJson('{"b":1}');
    expect(() =>
      database.transaction(() => {
        shapes.idOf(first);
        throw new Error("rolled back");
      })(),
    ).toThrow("rolled back");
    shapes.forget();
    const secondId = shapes.idOf(second);
    expect(shapes.idOf(first)).not.toBe(secondId);
    expect(shapes.canonical(secondId, "[1]")).toBe('{"b":1}');
  });
});
