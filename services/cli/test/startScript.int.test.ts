import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { repositoryRoot } from "./fixtures.js";

const startScript = join(repositoryRoot, "scripts/start");
const builtCommand = join(repositoryRoot, "services/cli/bin/bukubesar.mjs");

describe("scripts/start on an installed, built repository", () => {
  it("installs and builds nothing the second time: its check of what is there is real", () => {
    // The first run may build (the test run type-checks but leaves no build stamp); the second must not.
    const first = spawnSync(startScript, ["--help"], { encoding: "utf8" });
    expect(first.status).toBe(0);
    const second = spawnSync(startScript, ["--help"], { encoding: "utf8" });
    expect(second.status).toBe(0);
    expect(second.stdout).toContain("usage: ./scripts/start");
    expect(second.stderr).toBe("");
  });

  it("leaves a built command that runs with plain Node: --version, --help", () => {
    const version = spawnSync(process.execPath, [builtCommand, "--version"], { encoding: "utf8" });
    expect(version.status).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const help = spawnSync(process.execPath, [builtCommand, "--help"], { encoding: "utf8" });
    expect(help.status).toBe(0);
    expect(help.stdout).toContain("Usage: bukubesar");
  });

  it("leaves every package's build loadable by plain Node (no directory imports such as fp-ts/Either)", () => {
    // tsx resolves `fp-ts/Either`; Node's own ESM loader does not, and the built service would not start.
    const builtIndexes = ["packages", "services"].flatMap((folder) =>
      readdirSync(join(repositoryRoot, folder))
        .map((name) => join(repositoryRoot, folder, name, "dist", "index.js"))
        .filter((path) => spawnSync("test", ["-f", path]).status === 0),
    );
    expect(builtIndexes.length).toBeGreaterThan(5);
    for (const path of builtIndexes) {
      const loaded = spawnSync(
        process.execPath,
        ["--input-type=module", "-e", `await import(${JSON.stringify(pathToFileURL(path).href)});`],
        { encoding: "utf8" },
      );
      expect(loaded.stderr, path).toBe("");
      expect(loaded.status, path).toBe(0);
    }
  });
});
