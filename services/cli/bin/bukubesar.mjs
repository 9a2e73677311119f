#!/usr/bin/env node
// The installed `bukubesar` command: the build (dist/, made by `pnpm build`) run by Node itself, with no
// TypeScript tooling in between, so it starts in a fraction of a second. `pnpm bukubesar` in the
// repository runs the sources instead (scripts/bukubesar.mjs).
import { existsSync } from "node:fs";

const MINIMUM_NODE_MAJOR = 22;
const EXIT_USAGE = 2;
const nodeMajor = Number(process.versions.node.split(".")[0]);
if (nodeMajor < MINIMUM_NODE_MAJOR) {
  process.stderr.write(
    `bukubesar: needs Node.js ${MINIMUM_NODE_MAJOR} or newer (24 LTS recommended); this is ${process.version}\n`,
  );
  process.exit(EXIT_USAGE);
}
const main = new URL("../dist/main.js", import.meta.url);
if (!existsSync(main)) {
  process.stderr.write(
    "bukubesar: not built yet: run `pnpm build` in the repository (./scripts/start does)\n",
  );
  process.exit(EXIT_USAGE);
}
await import(main.href);
