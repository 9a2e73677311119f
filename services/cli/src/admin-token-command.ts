import { CliError } from "./cli-error.js";
import { type CommandContext, storeUrlOf, writeLine } from "./command-context.js";
import { EXIT_OK, EXIT_USAGE, type ExitCode } from "./exit-code.js";
import { withStore } from "./store-access.js";

/** `bukubesar admin-token --reset`: prints a new admin token and revokes the old (local store access). */
export const runAdminToken = async (
  context: CommandContext,
  options: { readonly reset?: boolean },
): Promise<ExitCode> => {
  if (options.reset !== true) throw new CliError("admin-token needs --reset", EXIT_USAGE);
  const api = await import("@bukubesar/ledger-api");
  const token = await withStore(storeUrlOf(context), { mustExist: false }, (store) =>
    api.resetAdminToken(store),
  );
  writeLine(context.stdout, `Admin token: ${token}`);
  return EXIT_OK;
};
