import { processContext } from "./commandContext.js";
import { runCli } from "./program.js";

/**
 * The `bukubesar` executable. The exit code is set only after stdout has drained, so output piped into
 * another program is never cut short by an early exit.
 */
const exitCode = await runCli(process.argv.slice(2), processContext());
process.stdout.write("", () => {
  process.exit(exitCode);
});
