#!/usr/bin/env node
// Runs the `bukubesar` command (services/cli/src/main.ts) from its TypeScript sources with tsx.
//
// `pnpm bukubesar …` runs this file from the repository root, but relative paths on the command line
// must be taken from the directory the user typed the command in; pnpm passes that directory in
// INIT_CWD, so the child starts there. The "source" export condition makes every workspace package
// resolve to its src/index.ts, so nothing has to be built first. Standard streams are inherited,
// termination signals are forwarded, and the child's exit code (or signal) becomes ours.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const repositoryRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const mainSource = resolve(repositoryRoot, "services/cli/src/main.ts");
// Only trust INIT_CWD when pnpm (or npm) is running our own script; a stale INIT_CWD inherited from some
// outer package script must not redirect a direct `node scripts/bukubesar.mjs` call.
const launchedByPackageScript = process.env.npm_lifecycle_event === "bukubesar";
const userDirectory =
  launchedByPackageScript && process.env.INIT_CWD !== undefined ? process.env.INIT_CWD : process.cwd();

// tsx is a dependency of the repository root; resolve its ESM loader from there, not from the user's
// directory, so the command works wherever it is typed.
const requireFromRoot = createRequire(resolve(repositoryRoot, "package.json"));
const tsxLoader = pathToFileURL(requireFromRoot.resolve("tsx")).href;

// The dependencies are built for Node 24 (native modules included). When this file runs on an older
// node (a shell whose PATH has the machine's Node 20), the Node 24 that scripts/start fetched into
// .tools runs the command instead.
const RUNTIME_MAJOR = 24;
const toolsNode = resolve(repositoryRoot, `.tools/node/node_modules/node-linux-${process.arch}/bin/node`);
const runningMajor = Number(process.versions.node.split(".")[0]);
const nodeBinary = runningMajor < RUNTIME_MAJOR && existsSync(toolsNode) ? toolsNode : process.execPath;

const child = spawn(
  nodeBinary,
  ["--import", tsxLoader, "--conditions=source", mainSource, ...process.argv.slice(2)],
  { cwd: userDirectory, stdio: "inherit", env: process.env },
);

const FORWARDED_SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT"];
for (const signal of FORWARDED_SIGNALS) {
  process.on(signal, () => {
    // The child shares our terminal, so on Ctrl-C it already got SIGINT from the terminal itself;
    // sending it again is harmless and covers signals sent to this process alone (kill, supervisors).
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  });
}

child.on("error", (error) => {
  process.stderr.write(`bukubesar: could not start node: ${error.message}\n`);
  process.exit(1);
});

child.on("exit", (code, signal) => {
  if (signal !== null) {
    // Re-raise the signal on ourselves so our parent sees the same cause of death.
    for (const forwarded of FORWARDED_SIGNALS) process.removeAllListeners(forwarded);
    process.kill(process.pid, signal);
    return;
  }
  process.exit(code ?? 1);
});
