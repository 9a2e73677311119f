import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { coopIdOfLedgerStream, LEDGER_STREAM_PREFIX, ledgerStreamId } from "../src/index.js";

/**
 * A ledger stream's name is written once, in ledger-core's ids.ts; before, the prefix was defined in five
 * places (ledger-core, projections, the supervisor, the CLI and a route of the API).
 */

const ROOT = new URL("../../..", import.meta.url).pathname;

const sources = (directory: string): string[] =>
  readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    if (entry.name === "node_modules" || entry.name === "dist") return [];
    const path = join(directory, entry.name);
    return entry.isDirectory() ? sources(path) : /\.tsx?$/.test(entry.name) ? [path] : [];
  });

describe("ledger stream names", () => {
  it("are made and read back by ledger-core", () => {
    expect(ledgerStreamId("kkmp-mangunharjo")).toBe(`${LEDGER_STREAM_PREFIX}kkmp-mangunharjo`);
    expect(coopIdOfLedgerStream(ledgerStreamId("kkmp-mangunharjo"))).toBe("kkmp-mangunharjo");
    expect(coopIdOfLedgerStream("audit-kkmp-mangunharjo")).toBeNull();
  });

  it("have their prefix written in one source file", () => {
    const writers = ["packages", "services"]
      .flatMap((tier) =>
        readdirSync(join(ROOT, tier)).flatMap((name) => {
          const src = join(ROOT, tier, name, "src");
          try {
            return sources(src);
          } catch {
            return [];
          }
        }),
      )
      .filter((file) => /["'`]ledger-(["'`]|\$\{)/.test(readFileSync(file, "utf8")))
      .map((file) => file.slice(ROOT.length));
    expect(writers).toEqual(["packages/ledger-core/src/ids.ts"]);
  });
});
