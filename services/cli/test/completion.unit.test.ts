import { spawnSync } from "node:child_process";
import { PassThrough } from "node:stream";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { CommandContext } from "../src/commandContext.js";
import { runCli } from "../src/program.js";

const cliFolder = new URL("..", import.meta.url);

/** Runs the program in-process and returns what it printed on stdout. */
const printed = async (argv: readonly string[]): Promise<{ code: number; stdout: string }> => {
  const stdout = new PassThrough();
  let text = "";
  stdout.on("data", (chunk: Buffer) => {
    text += chunk.toString("utf8");
  });
  const context: CommandContext = {
    environment: {},
    workingDirectory: process.cwd(),
    stdout,
    stderr: new PassThrough(),
    stdin: new PassThrough(),
  };
  const code = await runCli(argv, context);
  return { code, stdout: text };
};

/** Asks bash, with the generated script loaded, what it completes after the words typed so far. */
const completions = (script: string, typed: readonly string[]): string[] => {
  const words = typed.map((word) => `'${word}'`).join(" ");
  const probe = `${script}\nCOMP_WORDS=(${words}); COMP_CWORD=${typed.length - 1}; _bukubesar; printf '%s\\n' "\${COMPREPLY[@]}"`;
  // File names complete from the cli package's folder, which holds package.json.
  const result = spawnSync("bash", ["-c", probe], { encoding: "utf8", cwd: fileURLToPath(cliFolder) });
  expect(result.stderr).toBe("");
  return result.stdout.split("\n").filter((line) => line !== "");
};

describe("bukubesar completion bash", () => {
  it("prints a script bash accepts", async () => {
    const { code, stdout } = await printed(["completion", "bash"]);
    expect(code).toBe(0);
    expect(stdout).toContain("complete -F _bukubesar bukubesar");
    expect(spawnSync("bash", ["-n", "-c", stdout]).status).toBe(0);
  });

  it("completes commands, nested commands, options, choices and file names", async () => {
    const { stdout: script } = await printed(["completion", "bash"]);
    expect(completions(script, ["bukubesar", "rep"])).toEqual(["report", "replay"]);
    expect(completions(script, ["bukubesar", "alerts", ""])).toEqual(["tail", "--help"]);
    expect(completions(script, ["bukubesar", "alerts", "tail", "--sev"])).toEqual(["--severity"]);
    expect(completions(script, ["bukubesar", "report", "--coop", "k", "--kind", "ba"])).toEqual([
      "balance-sheet",
    ]);
    expect(completions(script, ["bukubesar", "completion", ""])).toEqual(["bash"]);
    expect(completions(script, ["bukubesar", "import", "--file", "package.js"])).toEqual(["package.json"]);
  });

  it("refuses a shell it has no script for, with the usage exit code", async () => {
    expect((await printed(["completion", "fish"])).code).toBe(2);
  });
});

describe("bukubesar --version", () => {
  it("prints the package version", async () => {
    const { code, stdout } = await printed(["--version"]);
    expect(code).toBe(0);
    expect(stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });
});
