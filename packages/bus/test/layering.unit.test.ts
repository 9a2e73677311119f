import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

/**
 * The bus is a transport: it carries alerts and knows their vocabulary (@bukubesar/alerts) and the region
 * rules (ledger-core), never the anomaly rules that raise them. Before, it imported @bukubesar/supervision
 * for Alert, Severity and severityRank.
 */

const PACKAGE = new URL("..", import.meta.url).pathname;

const sources = (directory: string): string[] =>
  readdirSync(directory, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sources(join(directory, entry.name))
      : entry.name.endsWith(".ts")
        ? [join(directory, entry.name)]
        : [],
  );

describe("the bus's dependencies", () => {
  it("imports nothing from the rules, in its sources or its manifest", () => {
    const importers = sources(join(PACKAGE, "src")).filter((file) =>
      readFileSync(file, "utf8").includes("@bukubesar/supervision"),
    );
    expect(importers).toEqual([]);
    const manifest = JSON.parse(readFileSync(join(PACKAGE, "package.json"), "utf8")) as {
      dependencies?: Record<string, string>;
    };
    expect(Object.keys(manifest.dependencies ?? {})).not.toContain("@bukubesar/supervision");
  });
});
