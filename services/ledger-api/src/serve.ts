/**
 * `bukubesar serve`: reads the environment (api.md, Starting it), opens the store, serves until SIGTERM
 * or SIGINT, then stops accepting, lets in-flight requests finish, closes the store and exits 0.
 */
import { closeSync, existsSync, mkdirSync, openSync } from "node:fs";
import { dirname, join } from "node:path";
import { alertBusConfigFromEnvironment, openAlertBus } from "@bukubesar/bus";
import { openEventStore, PostgresInFlightClaims } from "@bukubesar/event-store";
import { type AdminTokenTerminal, bootstrapAdmin } from "./adminBootstrap.js";
import { todayIn } from "./apiContext.js";
import { type BuiltServer, buildServer, type ServerConfig } from "./buildServer.js";
import { ConfigurationError } from "./configurationError.js";
import { issueDemoTokens } from "./demoPrincipals.js";
import { seedDemo } from "./demoSeed.js";
import {
  ADMIN_TOKEN_LENGTH_RECOMMENDED,
  CONNECTIONS_PER_ADDRESS_MAX_DEFAULT,
  MEMORY_BUDGET_MB_DEFAULT,
  RATE_LIMIT_PER_MINUTE_DEFAULT,
  SHUTDOWN_GRACE_MS,
} from "./limits.js";
import { logLevelFromEnvironment } from "./logLevel.js";
import { PostgresRateLimitStore } from "./rateLimitStore.js";
import type { StartSupervisor } from "./supervisorPort.js";
import { tracingConfigFromEnvironment } from "./tracing.js";
import { defaultWebRoot } from "./webApplication.js";

const PORT_DEFAULT = 8080;

export interface ServeOptions {
  readonly env?: NodeJS.ProcessEnv;
  /** Where the lines a user needs (the URL, the demo summary) go. */
  readonly print?: (line: string) => void;
  /** Where a generated admin token is shown when it is a terminal (process.stderr); else it goes to a file. */
  readonly terminal?: AdminTokenTerminal;
  /** Extra configuration (an alerts port, …) from the caller. */
  readonly config?: Partial<ServerConfig>;
  /** Install SIGTERM/SIGINT handlers that exit the process (default true). */
  readonly handleSignals?: boolean;
  /** `bukubesar serve --demo`: seed the demo cooperative (idempotently) before serving. */
  readonly demo?: boolean;
  /**
   * Runs the supervisor in this process: the composition root (the CLI) passes the supervisor service's
   * `startSupervisor`. Absent (`serve --no-supervisor`, when the operator runs `bukubesar supervise` as its
   * own process), none runs here; the alert routes still serve what the other one records.
   */
  readonly startSupervisor?: StartSupervisor;
}

/** Why the server could not listen, said plainly; a store without an admin gets none until a start succeeds. */
const listenFailure = (error: unknown, host: string, port: number, adminExists: boolean): Error => {
  const code = (error as { code?: unknown }).code;
  const reason =
    code === "EADDRINUSE"
      ? `port ${port} is already in use (set PORT to a free one)`
      : code === "EACCES"
        ? `no permission to listen on port ${port}`
        : code === "EADDRNOTAVAIL"
          ? `${host} is not an address of this machine (set HOST)`
          : error instanceof Error
            ? error.message
            : String(error);
  const admin = adminExists
    ? ""
    : "; no admin principal was created: the first start that serves makes one, or `bukubesar admin-token --reset` makes one now";
  return new ConfigurationError(`could not listen on ${host}:${port}: ${reason}${admin}`);
};

/** The data directory is the service's own: nobody else may list or read it. */
const DATA_DIRECTORY_MODE = 0o700;
/** The database holds every entry and principal: readable and writable by the service's user only. */
const DATABASE_FILE_MODE = 0o600;

/**
 * Creates the data directory (0700) and an empty database file (0600) when they do not exist yet, so the
 * database is never readable by others, not even for a moment; SQLite gives its -wal and -shm files the
 * database file's permissions. Existing ones keep theirs: the operator may have chosen them.
 */
const createPrivateStore = (dataDir: string, databaseFile: string): void => {
  mkdirSync(dataDir, { recursive: true, mode: DATA_DIRECTORY_MODE });
  if (databaseFile === "" || databaseFile === ":memory:") return;
  mkdirSync(dirname(databaseFile), { recursive: true, mode: DATA_DIRECTORY_MODE });
  if (!existsSync(databaseFile)) closeSync(openSync(databaseFile, "a", DATABASE_FILE_MODE));
};

const BYTES_PER_MB = 1024 * 1024;

/** MEMORY_BUDGET_MB as bytes (docs/operations.md, Memory budget and snapshots); unset: the default. */
const memoryBudgetFromEnvironment = (value: string | undefined): number => {
  if (value === undefined || value.trim() === "") return MEMORY_BUDGET_MB_DEFAULT * BYTES_PER_MB;
  const megabytes = Number(value);
  if (!Number.isInteger(megabytes) || megabytes < 1)
    throw new ConfigurationError(
      `MEMORY_BUDGET_MB must be a positive whole number of megabytes, not ${JSON.stringify(value)}`,
    );
  return megabytes * BYTES_PER_MB;
};

/** An environment variable, or undefined when it is unset or empty. */
const setting = (value: string | undefined): string | undefined =>
  value === undefined || value === "" ? undefined : value;

/** A positive integer setting, its default when unset; anything else stops the start. */
const positiveIntegerOf = (value: string | undefined, fallback: number, name: string): number => {
  const given = setting(value);
  const parsed = given === undefined ? fallback : Number(given);
  if (!Number.isInteger(parsed) || parsed < 1)
    throw new ConfigurationError(`${name} must be a positive integer`);
  return parsed;
};

/** What serve reads from the environment, each value checked before anything is opened. */
const serveSettingsOf = (env: NodeJS.ProcessEnv) => {
  const port = setting(env.PORT) === undefined ? PORT_DEFAULT : Number(env.PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new ConfigurationError(`PORT must be a port number, not ${JSON.stringify(env.PORT)}`);
  // Checked before anything is opened, so a typo in LOG_LEVEL stops the start with a clear message.
  const logLevel = logLevelFromEnvironment(env.LOG_LEVEL);
  const dataDir = setting(env.DATA_DIR) ?? "./data";
  const storeUrl = setting(env.STORE_URL) ?? `sqlite:${join(dataDir, "bukubesar.db")}`;
  const rateLimit = positiveIntegerOf(
    env.RATE_LIMIT_PER_MINUTE,
    RATE_LIMIT_PER_MINUTE_DEFAULT,
    "RATE_LIMIT_PER_MINUTE",
  );
  const connectionsPerAddress = positiveIntegerOf(
    env.CONNECTIONS_PER_ADDRESS_MAX,
    CONNECTIONS_PER_ADDRESS_MAX_DEFAULT,
    "CONNECTIONS_PER_ADDRESS_MAX",
  );
  const memoryBudgetBytes = memoryBudgetFromEnvironment(env.MEMORY_BUDGET_MB);
  const rateLimitStoreUrl = env.RATE_LIMIT_STORE_URL?.trim() ?? "";
  if (rateLimitStoreUrl !== "" && !/^postgres(ql)?:\/\//.test(rateLimitStoreUrl))
    throw new ConfigurationError(
      "RATE_LIMIT_STORE_URL must be a postgres:// URL (or unset: counts in this process)",
    );
  const host = setting(env.HOST) ?? "127.0.0.1";
  const adminToken = setting(env.BUKUBESAR_ADMIN_TOKEN);
  return {
    port,
    host,
    logLevel,
    dataDir,
    storeUrl,
    rateLimit,
    connectionsPerAddress,
    memoryBudgetBytes,
    rateLimitStoreUrl,
    adminToken,
  };
};

type ServeSettings = ReturnType<typeof serveSettingsOf>;

/** Opens the store and what shares it, and builds the server on them; `close` closes them all. */
const openServer = async (options: ServeOptions, env: NodeJS.ProcessEnv, settings: ServeSettings) => {
  const { storeUrl, rateLimitStoreUrl, adminToken } = settings;
  if (storeUrl.startsWith("sqlite:")) createPrivateStore(settings.dataDir, storeUrl.slice("sqlite:".length));
  const tracing = tracingConfigFromEnvironment(env);
  const store = await openEventStore(storeUrl);
  // Replicas of one PostgreSQL store share the idempotency keys in flight (docs/api.md, "Idempotency").
  const inFlightClaims = /^postgres(ql)?:\/\//.test(storeUrl)
    ? PostgresInFlightClaims.open(storeUrl)
    : undefined;
  const rateLimitStore =
    rateLimitStoreUrl === "" ? undefined : PostgresRateLimitStore.open(rateLimitStoreUrl);
  // Alerts: the in-process bus, or NATS JetStream when NATS_URL is set (NATS_ALERTS_STREAM, NATS_SUBJECT_PREFIX).
  const start = options.startSupervisor;
  const bus = start === undefined ? null : await openAlertBus(alertBusConfigFromEnvironment(env));
  const built = await buildServer({
    ...(bus === null || start === undefined ? {} : { supervise: { bus, start } }),
    store,
    ...(adminToken === undefined ? {} : { adminToken }),
    rateLimitPerMinute: settings.rateLimit,
    ...(inFlightClaims === undefined ? {} : { inFlightClaims }),
    connectionsPerAddressMax: settings.connectionsPerAddress,
    ...(rateLimitStore === undefined ? {} : { rateLimitStore }),
    logger: settings.logLevel,
    webRoot: defaultWebRoot(),
    cooperativeState: { memoryBudgetBytes: settings.memoryBudgetBytes },
    ...(tracing === null ? {} : { tracing }),
    ...options.config,
  });
  if (adminToken !== undefined && adminToken.length < ADMIN_TOKEN_LENGTH_RECOMMENDED)
    built.app.log.warn(
      `BUKUBESAR_ADMIN_TOKEN has ${adminToken.length} characters; use at least ${ADMIN_TOKEN_LENGTH_RECOMMENDED} random ones (e.g. openssl rand -base64 32)`,
    );
  const close = async () => {
    await built.close();
    await bus?.close();
    await rateLimitStore?.close();
    await inFlightClaims?.close();
    await store.close();
  };
  return { built, close };
};

/** `serve --demo`: the demo cooperative seeded (idempotently) before the server listens. */
const seedDemoCooperative = async (built: BuiltServer, print: (line: string) => void): Promise<void> => {
  const today = todayIn("Asia/Jakarta", built.context.now());
  const seeded = await seedDemo(built.context, today);
  print(
    `Demo seeded: ${seeded.membersRecorded} members and ${seeded.entriesRecorded} entries recorded ` +
      `(${seeded.entriesAlreadyRecorded} already there) in ${seeded.milliseconds} ms`,
  );
  print(`Demo cooperative: ${seeded.coopId} (try GET /v1/cooperatives/${seeded.coopId}/trial-balance)`);
};

/** SIGTERM and SIGINT stop accepting, let requests finish (at most SHUTDOWN_GRACE_MS) and exit. */
const exitOnSignals = (built: BuiltServer, close: () => Promise<void>): void => {
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    built.app.log.info({ signal }, "shutting down");
    const timer = setTimeout(() => process.exit(0), SHUTDOWN_GRACE_MS);
    timer.unref();
    close().then(
      () => process.exit(0),
      (error: unknown) => {
        built.app.log.error({ err: error }, "shutdown failed");
        process.exit(1);
      },
    );
  };
  process.once("SIGTERM", () => stop("SIGTERM"));
  process.once("SIGINT", () => stop("SIGINT"));
};

/** Listens on the configured address; failing, closes everything opened. Answers the port it got. */
const listenOn = async (
  built: BuiltServer,
  close: () => Promise<void>,
  settings: ServeSettings,
): Promise<number> => {
  const { port, host } = settings;
  try {
    await built.app.listen({ port, host });
  } catch (error) {
    await close().catch(() => undefined);
    throw listenFailure(error, host, port, built.context.principals.admins().length > 0);
  }
  const address = built.app.server.address();
  return typeof address === "object" && address !== null ? address.port : port;
};

/** The first admin, made once the server listens (adminBootstrap.ts); failing, closes everything opened. */
const makeFirstAdmin = async (
  built: BuiltServer,
  close: () => Promise<void>,
  dataDir: string,
  terminal: AdminTokenTerminal,
): Promise<void> => {
  try {
    await bootstrapAdmin({
      principals: built.context.principals,
      dataDir,
      terminal,
      log: (message) => built.app.log.info(message),
    });
  } catch (error) {
    await close().catch(() => undefined);
    throw error;
  }
};

export const serve = async (options: ServeOptions = {}): Promise<BuiltServer & { url: string }> => {
  const env = options.env ?? process.env;
  const print = options.print ?? ((line: string) => process.stdout.write(`${line}\n`));
  const settings = serveSettingsOf(env);
  const { built, close } = await openServer(options, env, settings);
  if (options.demo === true) await seedDemoCooperative(built, print);
  const url = `http://127.0.0.1:${await listenOn(built, close, settings)}`;
  print(`bukubesar listening on ${url}`);
  await makeFirstAdmin(built, close, settings.dataDir, options.terminal ?? process.stderr);
  if (options.demo === true) {
    print(`Web application: ${url}/ (sign in with one of these demo tokens, new at each demo start)`);
    for (const demo of await issueDemoTokens(built.context.principals))
      print(`  ${demo.role.padEnd(10)} ${demo.token}  (${demo.name})`);
  }
  if (options.handleSignals ?? true) exitOnSignals(built, close);
  return { ...built, close, url };
};
