import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

/**
 * The CLI decides and records through the ledger's own write path and reads refusals as values; it does
 * not catch the API's HTTP problem (before, the import caught ApiProblem to learn a field's path).
 */
const SOURCES = new URL("../src", import.meta.url).pathname;

describe("the CLI's sources", () => {
  it("never name the API's HTTP problem type", () => {
    const naming = readdirSync(SOURCES)
      .filter((name) => name.endsWith(".ts"))
      .filter((name) => /\bApiProblem\b/.test(readFileSync(join(SOURCES, name), "utf8")));
    expect(naming).toEqual([]);
  });
});
