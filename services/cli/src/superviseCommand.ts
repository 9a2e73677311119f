/**
 * `bukubesar supervise`: the supervisor as its own process, so an operator can run it apart from the API
 * (`serve --no-supervisor`). It follows the store's ledger and audit streams from its checkpoint, records
 * each alert as `AlertRaised` in `alerts-<coopId>` and publishes it: to NATS JetStream when NATS_URL is
 * set, else as one JSON line per alert on stdout (the body of api.md's NATS message). SIGTERM or SIGINT
 * stop it gracefully: it stops following, drains the outbox, records its progress and exits 0.
 */
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { type AlertBus, alertBody, alertBusConfigFromEnvironment, openAlertBus } from "@bukubesar/bus";
import { acquirePostgresLeadership, type Leadership } from "@bukubesar/event-store";
import { startSupervisor } from "@bukubesar/supervisor";
import { CliError } from "./cliError.js";
import { type CommandContext, storeUrlOf, writeLine } from "./commandContext.js";
import { EXIT_OK, EXIT_STORE_UNREACHABLE, type ExitCode } from "./exitCode.js";
import { withStore } from "./storeAccess.js";
import { redactStoreUrl, sqliteFileOf } from "./storeLocation.js";
import { untilInterrupted } from "./untilInterrupted.js";

/** Printed on stderr once the supervisor follows the log (stdout carries only alerts). */
export const SUPERVISE_READY_MESSAGE = "bukubesar supervisor following";

/** Printed on stderr when another supervisor leads and this one waits as its standby. */
export const SUPERVISE_STANDBY_MESSAGE = "bukubesar supervisor standing by";

/** The name of the supervisor's leadership (one active supervisor per PostgreSQL store and schema). */
const SUPERVISOR_LEADERSHIP = "supervisor";

const isPostgresUrl = (url: string): boolean => /^postgres(ql)?:\/\//.test(url);

const isStoreUnreachable = (error: unknown): boolean =>
  error instanceof CliError && error.exitCode === EXIT_STORE_UNREACHABLE;

export const runSupervise = async (context: CommandContext): Promise<ExitCode> => {
  const storeUrl = storeUrlOf(context);
  const file = sqliteFileOf(storeUrl);
  // Like serve: the supervisor may start before the API has created the database.
  if (file !== null) mkdirSync(dirname(file), { recursive: true });
  const interrupted = untilInterrupted();
  const config = alertBusConfigFromEnvironment(context.environment);
  let bus: AlertBus;
  try {
    bus = await openAlertBus(config);
  } catch (error) {
    throw new CliError(
      `cannot reach NATS at ${config.natsUrl}: ${(error as Error).message}`,
      EXIT_STORE_UNREACHABLE,
    );
  }
  try {
    if (config.natsUrl === null) {
      // Without NATS the alerts go to stdout, one JSON line each, as they are published.
      await bus.subscribe({ regionPrefix: "*" }, (alert) => {
        writeLine(context.stdout, alertBody(alert));
      });
    }
    await superviseUntilInterrupted(context, storeUrl, bus, config, interrupted);
  } finally {
    await bus.close();
  }
  return EXIT_OK;
};

/**
 * On PostgreSQL several supervisors may run; one leads (an advisory lock), the others wait, and when the
 * leader dies or loses its connection the next one takes over (docs/scaling.md). On SQLite or in memory
 * the one process supervises until a signal.
 */
const superviseUntilInterrupted = async (
  context: CommandContext,
  storeUrl: string,
  bus: AlertBus,
  config: ReturnType<typeof alertBusConfigFromEnvironment>,
  interrupted: Promise<NodeJS.Signals>,
): Promise<void> => {
  for (;;) {
    const leadership = isPostgresUrl(storeUrl)
      ? await acquirePostgresLeadership(storeUrl, SUPERVISOR_LEADERSHIP, {
          cancelled: interrupted,
          onWaiting: () =>
            writeLine(context.stderr, `${SUPERVISE_STANDBY_MESSAGE}: another supervisor leads.`),
        })
      : undefined;
    if (leadership === null) return;
    const outcome = await leadOnce(context, storeUrl, bus, config, interrupted, leadership);
    if (outcome === "interrupted") return;
  }
};

/** One term of leadership: supervises, then releases it; "standby" when the store was cut meanwhile. */
const leadOnce = async (
  context: CommandContext,
  storeUrl: string,
  bus: AlertBus,
  config: ReturnType<typeof alertBusConfigFromEnvironment>,
  interrupted: Promise<NodeJS.Signals>,
  leadership: Leadership | undefined,
): Promise<"interrupted" | "lost" | "standby"> => {
  let outcome: "interrupted" | "lost";
  try {
    outcome = await superviseWhileLeading(context, storeUrl, bus, config, interrupted, leadership);
  } catch (error) {
    await leadership?.release();
    // A database failover cuts the leadership and the store alike, and recording the progress on the
    // way out then fails: stand by and compete again (the next leader resumes from the last recorded
    // progress; alerts are recorded and published idempotently by id) rather than exit.
    if (leadership === undefined || !isStoreUnreachable(error)) throw error;
    writeLine(context.stderr, `${SUPERVISE_STANDBY_MESSAGE}: ${(error as Error).message}`);
    return "standby";
  }
  await leadership?.release();
  return outcome;
};

/** Runs the supervisor until a signal ("interrupted") or the loss of the leadership ("lost"). */
const superviseWhileLeading = (
  context: CommandContext,
  storeUrl: string,
  bus: AlertBus,
  config: ReturnType<typeof alertBusConfigFromEnvironment>,
  interrupted: Promise<NodeJS.Signals>,
  leadership: Leadership | undefined,
): Promise<"interrupted" | "lost"> =>
  withStore(storeUrl, { mustExist: false }, async (store) => {
    const supervisor = await startSupervisor({
      store,
      bus,
      onError: (error) =>
        writeLine(
          context.stderr,
          `bukubesar supervise: could not record or publish an alert yet: ${(error as Error).message}`,
        ),
    });
    const target =
      config.natsUrl === null
        ? "alerts as JSON lines on stdout"
        : `NATS ${config.streamName} (${config.subjectPrefix}.>)`;
    writeLine(
      context.stderr,
      `${SUPERVISE_READY_MESSAGE} ${redactStoreUrl(storeUrl)}; ${target} (SIGTERM stops).`,
    );
    const ended = await Promise.race([
      interrupted.then((signal) => ({ signal })),
      (leadership?.lost ?? new Promise<string>(() => undefined)).then((reason) => ({ reason })),
    ]);
    if ("signal" in ended) writeLine(context.stderr, `bukubesar supervise: ${ended.signal}, stopping`);
    else
      writeLine(
        context.stderr,
        `bukubesar supervise: leadership lost (${ended.reason}); stopping and standing by`,
      );
    await supervisor.stop();
    return "signal" in ended ? "interrupted" : "lost";
  });
