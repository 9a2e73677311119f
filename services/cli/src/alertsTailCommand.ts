import {
  type AlertBusConfig,
  alertBusConfigFromEnvironment,
  isRegionPrefix,
  openNatsAlertBus,
  parseAlertBody,
  regionMatches,
} from "@bukubesar/bus";
import { type Alert, isSeverity, type Severity, severityRank } from "@bukubesar/supervision";
import { CliError } from "./cliError.js";
import { type CommandContext, writeLine } from "./commandContext.js";
import { EXIT_OK, EXIT_STORE_UNREACHABLE, EXIT_USAGE, type ExitCode } from "./exitCode.js";
import { untilInterrupted } from "./untilInterrupted.js";

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

/** One Server-Sent Event's fields: its data (empty for an id-only block), its id and a retry hint, if sent. */
export interface ServerSentEvent {
  readonly data: string;
  readonly id?: string;
  readonly retry?: number;
}

/** Splits a Server-Sent Events buffer into complete events (comments dropped); returns the unfinished rest. */
export const takeServerSentEventFields = (
  buffer: string,
): { readonly events: ServerSentEvent[]; readonly rest: string } => {
  const blocks = buffer.replace(/\r\n?/g, "\n").split("\n\n");
  const rest = blocks.pop() ?? "";
  return { events: blocks.map(serverSentEventOf), rest };
};

/** A line's field name and value: "field: value" (one space after the colon dropped), or a bare field. */
const fieldOf = (line: string): { readonly field: string; readonly value: string } => {
  const colon = line.indexOf(":");
  if (colon < 0) return { field: line, value: "" };
  return { field: line.slice(0, colon), value: line.slice(colon + 1).replace(/^ /, "") };
};

/** One event's fields: its data lines joined, its id and its retry hint (a comment line is skipped). */
const serverSentEventOf = (block: string): ServerSentEvent => {
  const data: string[] = [];
  let id: string | undefined;
  let retry: number | undefined;
  for (const line of block.split("\n")) {
    if (line.startsWith(":")) continue;
    const { field, value } = fieldOf(line);
    if (field === "data") data.push(value);
    else if (field === "id") id = value;
    else if (field === "retry" && /^\d+$/.test(value)) retry = Number(value);
  }
  return {
    data: data.join("\n"),
    ...(id === undefined ? {} : { id }),
    ...(retry === undefined ? {} : { retry }),
  };
};

/** How long to wait before reconnecting when the server sent no `retry:` (the server sends one). */
const SSE_RETRY_DEFAULT_MS = 2_000;

/** Why one connection to the stream ended. */
type StreamEnd = { readonly kind: "interrupted" } | { readonly kind: "dropped"; readonly reason: string };

interface StreamState {
  /** The id of the last event received (an alert id or the server's start marker): sent as Last-Event-ID. */
  lastEventId: string | undefined;
  retryMs: number;
}

/**
 * One connection: reads events until the stream ends, keeping the last event id and the retry hint. An
 * answer other than 200 that retrying cannot cure (a revoked token, a bad region) throws a CliError.
 */
const followOnce = async (
  url: URL,
  token: string,
  state: StreamState,
  abort: AbortSignal,
  print: (alert: Alert) => void,
  onOpen: () => void,
): Promise<StreamEnd> => {
  let response: Response;
  try {
    response = await fetch(url, {
      headers: {
        authorization: `Bearer ${token}`,
        accept: "text/event-stream",
        ...(state.lastEventId === undefined ? {} : { "last-event-id": state.lastEventId }),
      },
      signal: abort,
    });
  } catch (error) {
    return abort.aborted ? { kind: "interrupted" } : { kind: "dropped", reason: (error as Error).message };
  }
  if (response.status === 429 || response.status >= 500) {
    const retryAfter = Number(response.headers.get("retry-after"));
    if (Number.isFinite(retryAfter) && retryAfter > 0) state.retryMs = retryAfter * 1000;
    return { kind: "dropped", reason: `the API answered ${response.status}` };
  }
  if (!response.ok || response.body === null)
    throw new CliError(`the API answered ${response.status} for ${url.pathname}${url.search}`, EXIT_USAGE);
  onOpen();
  try {
    await readAlerts(response.body, state, print);
  } catch (error) {
    if (abort.aborted) return { kind: "interrupted" };
    return { kind: "dropped", reason: (error as Error).message };
  }
  return abort.aborted ? { kind: "interrupted" } : { kind: "dropped", reason: "the API closed the stream" };
};

/** Prints each alert of an open stream until it ends, keeping the last event id and the retry hint. */
const readAlerts = async (
  body: AsyncIterable<unknown>,
  state: StreamState,
  print: (alert: Alert) => void,
): Promise<void> => {
  const decoder = new TextDecoder();
  let buffer = "";
  for await (const chunk of body) {
    buffer += decoder.decode(chunk as Uint8Array, { stream: true });
    const taken = takeServerSentEventFields(buffer);
    buffer = taken.rest;
    for (const event of taken.events) {
      if (event.retry !== undefined) state.retryMs = event.retry;
      if (event.id !== undefined) state.lastEventId = event.id;
      // A comment, a keep-alive or a foreign event carries no alert; skip it rather than stop tailing.
      const alert = event.data === "" ? null : parseAlertBody(event.data);
      if (alert !== null) print(alert);
    }
  }
};

/**
 * Tails the API's Server-Sent Events stream (GET /v1/alerts/stream?region=…&severity=…). When the stream
 * drops (the server restarts, the network blinks) it reconnects after the server's `retry:` delay with
 * Last-Event-ID, so the alerts raised meanwhile are printed and none twice. Only the very first connection
 * failing stops the command (most likely a wrong --api).
 */
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
  void untilInterrupted().then(() => abort.abort());
  const state: StreamState = { lastEventId: undefined, retryMs: SSE_RETRY_DEFAULT_MS };
  const print = printer(context, options, minimum);
  let everOpened = false;
  let announced = false;
  for (;;) {
    const end = await followOnce(url, token, state, abort.signal, print, () => {
      everOpened = true;
      if (!announced)
        writeLine(
          context.stderr,
          `${TAIL_READY_MESSAGE} in ${options.region} from ${url.origin} (Ctrl-C stops).`,
        );
      else writeLine(context.stderr, "Reconnected.");
      announced = true;
    });
    if (end.kind === "interrupted") return EXIT_OK;
    if (!everOpened) throw new CliError(`cannot reach ${options.api}: ${end.reason}`, EXIT_STORE_UNREACHABLE);
    writeLine(
      context.stderr,
      `The alert stream dropped (${end.reason}); reconnecting in ${state.retryMs} ms.`,
    );
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, state.retryMs);
      abort.signal.addEventListener("abort", () => {
        clearTimeout(timer);
        resolve();
      });
    });
    if (abort.signal.aborted) return EXIT_OK;
  }
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
