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
import { startSupervisor } from "@bukubesar/supervisor";
import { CliError } from "./cli-error.js";
import { type CommandContext, storeUrlOf, writeLine } from "./command-context.js";
import { EXIT_OK, EXIT_STORE_UNREACHABLE, type ExitCode } from "./exit-code.js";
import { withStore } from "./store-access.js";
import { redactStoreUrl, sqliteFileOf } from "./store-location.js";
import { untilInterrupted } from "./until-interrupted.js";

/** Printed on stderr once the supervisor follows the log (stdout carries only alerts). */
export const SUPERVISE_READY_MESSAGE = "bukubesar supervisor following";

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
    await withStore(storeUrl, { mustExist: false }, async (store) => {
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
      const signal = await interrupted;
      writeLine(context.stderr, `bukubesar supervise: ${signal}, stopping`);
      await supervisor.stop();
    });
  } finally {
    await bus.close();
  }
  return EXIT_OK;
};
