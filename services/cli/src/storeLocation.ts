import { resolve } from "node:path";

/** The embedded store's file name inside DATA_DIR (api.md, Starting it). */
export const DEFAULT_DATABASE_FILE_NAME = "bukubesar.db";
/** DATA_DIR when unset, relative to the directory the command was typed in. */
export const DEFAULT_DATA_DIRECTORY = "./data";

/**
 * The store URL the command uses: STORE_URL when set, else the embedded SQLite file in DATA_DIR. A
 * relative sqlite path is made absolute against `workingDirectory`, so messages name the real file.
 */
export const resolveStoreUrl = (environment: NodeJS.ProcessEnv, workingDirectory: string): string => {
  const explicit = environment.STORE_URL;
  if (explicit !== undefined && explicit.trim() !== "") {
    if (explicit.startsWith("sqlite:") && !explicit.startsWith("sqlite://")) {
      return `sqlite:${resolve(workingDirectory, explicit.slice("sqlite:".length))}`;
    }
    return explicit;
  }
  const dataDirectory = environment.DATA_DIR?.trim() || DEFAULT_DATA_DIRECTORY;
  return `sqlite:${resolve(workingDirectory, dataDirectory, DEFAULT_DATABASE_FILE_NAME)}`;
};

/** The file of a sqlite: URL, or null for any other kind of store. */
export const sqliteFileOf = (storeUrl: string): string | null => {
  if (!storeUrl.startsWith("sqlite:")) return null;
  let path = storeUrl.slice("sqlite:".length);
  if (path.startsWith("//")) path = path.slice(2);
  return path;
};

/** The URL with any password replaced, for messages: credentials never reach the terminal or logs. */
export const redactStoreUrl = (storeUrl: string): string =>
  storeUrl.replace(/\/\/([^:/@]+):[^@/]*@/, "//$1:***@");
