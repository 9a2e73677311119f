import { existsSync, renameSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { resetAdminToken } from "@bukubesar/principals";
import { CliError } from "./cliError.js";
import { type CommandContext, storeUrlOf, writeLine } from "./commandContext.js";
import { EXIT_OK, EXIT_USAGE, type ExitCode } from "./exitCode.js";
import { withStore } from "./storeAccess.js";
import { DEFAULT_DATA_DIRECTORY } from "./storeLocation.js";

/** The file `serve` keeps the first admin token in when it has no terminal (ledger-api adminBootstrap.ts). */
const ADMIN_TOKEN_FILE = "admin-token";
const ADMIN_TOKEN_FILE_MODE = 0o600;

/**
 * `bukubesar admin-token --reset`: prints a new admin token and revokes the old (local store access).
 * When `serve` left the first token in `$DATA_DIR/admin-token`, that file gets the new one too, so it
 * never holds a revoked token.
 */
export const runAdminToken = async (
  context: CommandContext,
  options: { readonly reset?: boolean },
): Promise<ExitCode> => {
  if (options.reset !== true) throw new CliError("admin-token needs --reset", EXIT_USAGE);
  const token = await withStore(storeUrlOf(context), { mustExist: false }, (store) => resetAdminToken(store));
  writeLine(context.stdout, `Admin token: ${token}`);
  const dataDirectory = context.environment.DATA_DIR?.trim() || DEFAULT_DATA_DIRECTORY;
  const tokenFile = join(resolve(context.workingDirectory, dataDirectory), ADMIN_TOKEN_FILE);
  if (existsSync(tokenFile)) {
    const temporary = `${tokenFile}.${process.pid}.tmp`;
    writeFileSync(temporary, `${token}\n`, { mode: ADMIN_TOKEN_FILE_MODE });
    renameSync(temporary, tokenFile);
    writeLine(context.stderr, `bukubesar: the new token replaced the old one in ${tokenFile}`);
  }
  return EXIT_OK;
};
