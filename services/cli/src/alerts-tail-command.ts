import {
  type AlertBusConfig,
  alertBusConfigFromEnvironment,
  isRegionPrefix,
  openNatsAlertBus,
  parseAlertBody,
  regionMatches,
} from "@bukubesar/bus";
import { type Alert, isSeverity, type Severity, severityRank } from "@bukubesar/supervision";
import { CliError } from "./cli-error.js";
import { type CommandContext, writeLine } from "./command-context.js";
import { EXIT_OK, EXIT_STORE_UNREACHABLE, EXIT_USAGE, type ExitCode } from "./exit-code.js";
import { untilInterrupted } from "./until-interrupted.js";

export interface AlertsTailOptions {
  readonly region: string;
  readonly severity?: string;
  readonly json?: boolean;
  readonly api: string;
  readonly token?: string;
}

/** Printed on stderr once the subscription is live, so a person (or a test) knows alerts will show from now on. */
export const TAIL_READY_MESSAGE = "Waiting for alerts";

/** The severity column is as wide as the longest severity ("warning"), so the columns line up. */
const SEVERITY_COLUMN_WIDTH = 7;
/** A region code is at most 13 characters (35.74.03.1002); padded so the cooperative column lines up. */
const REGION_COLUMN_WIDTH = 13;

/** One human line: time, severity, region, cooperative, rule and summary. */
export const formatAlertLine = (alert: Alert): string =>
  [
    alert.raisedAt,
    alert.severity.padEnd(SEVERITY_COLUMN_WIDTH),
    alert.regionCode.padEnd(REGION_COLUMN_WIDTH),
    alert.coopId,
    `${alert.rule}: ${alert.summary}`,
  ].join("  ");

/** Prints an alert as JSON Lines or a human line; both readers apply the same filter again here. */
const printer =
  (context: CommandContext, options: AlertsTailOptions, minimum: Severity | undefined) =>
  (alert: Alert): void => {
    if (!regionMatches(options.region, alert.regionCode)) return;
    if (minimum !== undefined && severityRank(alert.severity) < severityRank(minimum)) return;
    writeLine(context.stdout, options.json === true ? JSON.stringify(alert) : formatAlertLine(alert));
  };

/** Splits a Server-Sent Events buffer into complete events' data fields; returns the unfinished rest. */
export const takeServerSentEvents = (buffer: string): { readonly data: string[]; readonly rest: string } => {
  const normalised = buffer.replace(/\r\n?/g, "\n");
  const blocks = normalised.split("\n\n");
  const rest = blocks.pop() ?? "";
  const data = blocks
    .map((block) =>
      block
        .split("\n")
        .filter((line) => line.startsWith("data:"))
        .map((line) => line.slice("data:".length).replace(/^ /, ""))
        .join("\n"),
    )
    .filter((text) => text !== "");
  return { data, rest };
};

/** Tails the API's Server-Sent Events stream (GET /v1/alerts/stream?region=…&severity=…). */
const tailServerSentEvents = async (
  context: CommandContext,
  options: AlertsTailOptions,
  minimum: Severity | undefined,
): Promise<ExitCode> => {
  const token = options.token ?? context.environment.BUKUBESAR_TOKEN;
  if (token === undefined || token === "")
    throw new CliError("alerts tail without NATS_URL needs --token (or BUKUBESAR_TOKEN)", EXIT_USAGE);
  let url: URL;
  try {
    url = new URL("/v1/alerts/stream", options.api);
  } catch {
    throw new CliError(`--api must be a URL, e.g. http://127.0.0.1:8080 (got ${options.api})`, EXIT_USAGE);
  }
  url.searchParams.set("region", options.region);
  if (minimum !== undefined) url.searchParams.set("severity", minimum);
  const abort = new AbortController();
  const interrupted = untilInterrupted();
  void interrupted.then(() => abort.abort());
  let response: Response;
  try {
    response = await fetch(url, {
      headers: { authorization: `Bearer ${token}`, accept: "text/event-stream" },
      signal: abort.signal,
    });
  } catch (error) {
    if (abort.signal.aborted) return EXIT_OK;
    throw new CliError(`cannot reach ${options.api}: ${(error as Error).message}`, EXIT_STORE_UNREACHABLE);
  }
  if (!response.ok || response.body === null) {
    throw new CliError(`the API answered ${response.status} for ${url.pathname}${url.search}`, EXIT_USAGE);
  }
  writeLine(context.stderr, `${TAIL_READY_MESSAGE} in ${options.region} from ${url.origin} (Ctrl-C stops).`);
  const print = printer(context, options, minimum);
  const decoder = new TextDecoder();
  let buffer = "";
  try {
    for await (const chunk of response.body) {
      buffer += decoder.decode(chunk as Uint8Array, { stream: true });
      const taken = takeServerSentEvents(buffer);
      buffer = taken.rest;
      for (const data of taken.data) {
        // A comment, a keep-alive or a foreign event carries no alert; skip it rather than stop tailing.
        const alert = parseAlertBody(data);
        if (alert !== null) print(alert);
      }
    }
  } catch (error) {
    if (!abort.signal.aborted) {
      throw new CliError(`the alert stream broke: ${(error as Error).message}`, EXIT_STORE_UNREACHABLE);
    }
  }
  if (!abort.signal.aborted) {
    throw new CliError("the API closed the alert stream", EXIT_STORE_UNREACHABLE);
  }
  return EXIT_OK;
};

/** Subscribes through the bus's JetStream adapter (NATS_ALERTS_STREAM and NATS_SUBJECT_PREFIX honoured). */
const tailNats = async (
  context: CommandContext,
  options: AlertsTailOptions,
  minimum: Severity | undefined,
  config: AlertBusConfig & { readonly natsUrl: string },
): Promise<ExitCode> => {
  const interrupted = untilInterrupted();
  let bus: Awaited<ReturnType<typeof openNatsAlertBus>>;
  try {
    bus = await openNatsAlertBus({
      servers: config.natsUrl,
      streamName: config.streamName,
      subjectPrefix: config.subjectPrefix,
      replicas: config.replicas,
    });
  } catch (error) {
    throw new CliError(
      `cannot reach NATS at ${config.natsUrl}: ${(error as Error).message}`,
      EXIT_STORE_UNREACHABLE,
    );
  }
  try {
    const subscription = await bus.subscribe(
      { regionPrefix: options.region, ...(minimum === undefined ? {} : { minSeverity: minimum }) },
      printer(context, options, minimum),
    );
    writeLine(
      context.stderr,
      `${TAIL_READY_MESSAGE} in ${options.region} on ${config.streamName} (${config.subjectPrefix}.>) (Ctrl-C stops).`,
    );
    await interrupted;
    await subscription.close();
  } finally {
    await bus.close();
  }
  return EXIT_OK;
};

/** `bukubesar alerts tail`: prints alerts as they arrive, from NATS when NATS_URL is set, else from SSE. */
export const runAlertsTail = async (
  context: CommandContext,
  options: AlertsTailOptions,
): Promise<ExitCode> => {
  if (!isRegionPrefix(options.region)) {
    throw new CliError("--region must be 1–4 whole segments of a region code, e.g. 35.74", EXIT_USAGE);
  }
  const severity = options.severity;
  if (severity !== undefined && !isSeverity(severity)) {
    throw new CliError("--severity must be info, warning or high", EXIT_USAGE);
  }
  const config = alertBusConfigFromEnvironment(context.environment);
  return config.natsUrl !== null
    ? tailNats(context, options, severity, { ...config, natsUrl: config.natsUrl })
    : tailServerSentEvents(context, options, severity);
};
