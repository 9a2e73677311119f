import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import * as core from "../src/index.js";
import * as testing from "../src/testing/index.js";

/**
 * Test helpers live at `@bukubesar/ledger-core/testing`, not on the main entry point: before, the main
 * entry exported the fast-check arbitraries, so fast-check was a runtime dependency loaded in production.
 */
describe("ledger-core's entry points", () => {
  it("keeps the test helpers off the main entry point and fast-check out of the runtime dependencies", () => {
    for (const helper of ["arbLedgerHistory", "kkmpLedger", "deciderSpec", "runCommands", "CONTROL_CASES"]) {
      expect(Object.keys(core), helper).not.toContain(helper);
      expect(Object.keys(testing), helper).toContain(helper);
    }
    const manifest = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
      dependencies: Record<string, string>;
      exports: Record<string, unknown>;
    };
    expect(Object.keys(manifest.dependencies)).not.toContain("fast-check");
    expect(Object.keys(manifest.exports)).toEqual([".", "./testing"]);
  });
});
