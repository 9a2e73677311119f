import type { ExitCode } from "./exitCode.js";

/**
 * An error the command reports to the user as a single line on stderr and turns into an exit code.
 * Anything else that escapes a command is a bug and is printed with its stack.
 */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode,
  ) {
    super(message);
    this.name = "CliError";
  }
}
