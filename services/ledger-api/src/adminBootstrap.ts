/**
 * The first admin principal of a store without one, made by `bukubesar serve` once the server listens,
 * so a start that fails (a busy port, an unreachable store) leaves no admin whose token nobody saw. The
 * token goes to a person or to a file, never to the log: on stderr when stderr is a terminal, else into
 * `$DATA_DIR/admin-token` (mode 0600), written before the principal is recorded and removed again if
 * recording fails, so there is never an admin without a kept token or a file with a token that works
 * nowhere.
 */
import { mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { generateToken, type PrincipalRegistry } from "@bukubesar/principals";

export const ADMIN_TOKEN_FILE = "admin-token";
/** Only the service's own user may read the token file. */
const ADMIN_TOKEN_FILE_MODE = 0o600;
export const RESET_HINT = "`bukubesar admin-token --reset` revokes it and makes a new one";

export interface AdminTokenTerminal {
  readonly isTTY?: boolean;
  write(text: string): unknown;
}

export interface AdminBootstrapOptions {
  readonly principals: PrincipalRegistry;
  readonly dataDir: string;
  /** Where a person would read the token (process.stderr). */
  readonly terminal: AdminTokenTerminal;
  /** A log line without the token. */
  readonly log: (message: string) => void;
}

/** Writes the token file atomically (a temporary file renamed over it), readable by its owner only. */
const writeTokenFile = (path: string, token: string): void => {
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${token}\n`, { mode: ADMIN_TOKEN_FILE_MODE, flag: "w" });
  renameSync(temporary, path);
};

/**
 * Creates the first admin when the store has none; returns where its token went (`terminal` or the file's
 * path), or null when an admin existed already.
 */
export const bootstrapAdmin = async (options: AdminBootstrapOptions): Promise<string | null> => {
  const { principals, terminal, log } = options;
  if (principals.admins().length > 0) return null;
  const token = generateToken();
  if (terminal.isTTY === true) {
    if (!(await principals.createFirstAdmin(token))) return null;
    terminal.write(`Admin token: ${token}\n(shown once; ${RESET_HINT})\n`);
    log(`admin principal created; its token was shown on the terminal once (${RESET_HINT})`);
    return "terminal";
  }
  mkdirSync(options.dataDir, { recursive: true });
  const path = join(options.dataDir, ADMIN_TOKEN_FILE);
  writeTokenFile(path, token);
  try {
    if (!(await principals.createFirstAdmin(token))) {
      rmSync(path, { force: true });
      return null;
    }
  } catch (error) {
    rmSync(path, { force: true });
    throw error;
  }
  log(`admin principal created; its token is in ${path} (mode 0600), not in this log (${RESET_HINT})`);
  return path;
};
