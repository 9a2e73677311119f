import { readFileSync } from "node:fs";

/**
 * The version of the `bukubesar` command: the cli package's own package.json, one directory above both
 * its sources (src/) and its build (dist/), so the same code answers in development and when installed.
 */
export const packageVersion = (): string => {
  const manifest = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
    version?: unknown;
  };
  return typeof manifest.version === "string" ? manifest.version : "unknown";
};
