import { CliError } from "./cli-error.js";
import { type CommandContext, writeLine } from "./command-context.js";
import { EXIT_OK, EXIT_STORE_UNREACHABLE, EXIT_USAGE, type ExitCode } from "./exit-code.js";

export interface AlertsTailOptions {
  readonly region: string;
  readonly severity?: string;
  readonly json?: boolean;
  readonly api: string;
  readonly token?: string;
}

const SEVERITY_RANK: Readonly<Record<string, number>> = { info: 0, warning: 1, high: 2 };
const REGION_PREFIX_PATTERN = /^\d{2}(\.\d{2}(\.\d{2}(\.[123]\d{3})?)?)?$/;

interface Alert {
  readonly alertId?: string;
  readonly rule?: string;
  readonly severity?: string;
  readonly coopId?: string;
  readonly regionCode?: string;
  readonly summary?: string;
  readonly raisedAt?: string;
}

const printAlert = (context: CommandContext, options: AlertsTailOptions, alert: Alert): void => {
  const minimum = SEVERITY_RANK[options.severity ?? "info"] ?? 0;
  if ((SEVERITY_RANK[alert.severity ?? "info"] ?? 0) < minimum) return;
  if (options.json === true) writeLine(context.stdout, JSON.stringify(alert));
  else
    writeLine(
      context.stdout,
      `${alert.raisedAt ?? ""}  ${(alert.severity ?? "").padEnd(7)}  ${alert.regionCode ?? ""}  ${alert.coopId ?? ""}  ${alert.rule ?? ""}: ${alert.summary ?? ""}`,
    );
};

/** Waits for Ctrl-C or SIGTERM. */
const untilInterrupted = (): Promise<void> =>
  new Promise((resolve) => {
    process.once("SIGINT", () => resolve());
    process.once("SIGTERM", () => resolve());
  });

/** Tails the API's Server-Sent Events stream (GET /v1/alerts/stream?region=…). */
const tailSse = async (context: CommandContext, options: AlertsTailOptions): Promise<ExitCode> => {
  const token = options.token ?? context.environment.BUKUBESAR_TOKEN;
  if (token === undefined)
    throw new CliError("alerts tail without NATS_URL needs --token (or BUKUBESAR_TOKEN)", EXIT_USAGE);
  const url = new URL("/v1/alerts/stream", options.api);
  url.searchParams.set("region", options.region);
  const abort = new AbortController();
  void untilInterrupted().then(() => abort.abort());
  let response: Response;
  try {
    response = await fetch(url, {
      headers: { authorization: `Bearer ${token}`, accept: "text/event-stream" },
      signal: abort.signal,
    });
  } catch (error) {
    throw new CliError(`cannot reach ${options.api}: ${(error as Error).message}`, EXIT_STORE_UNREACHABLE);
  }
  if (!response.ok || response.body === null) {
    throw new CliError(`the API answered ${response.status} for ${url.pathname}`, EXIT_USAGE);
  }
  const decoder = new TextDecoder();
  let buffer = "";
  try {
    for await (const chunk of response.body) {
      buffer += decoder.decode(chunk as Uint8Array, { stream: true });
      let boundary = buffer.indexOf("\n\n");
      while (boundary >= 0) {
        const block = buffer.slice(0, boundary);
        buffer = buffer.slice(boundary + 2);
        const data = block
          .split("\n")
          .filter((line) => line.startsWith("data:"))
          .map((line) => line.slice(5).trimStart())
          .join("\n");
        if (data !== "") {
          try {
            printAlert(context, options, JSON.parse(data) as Alert);
          } catch {
            // A keep-alive or a malformed event carries no alert; skip it rather than stop tailing.
          }
        }
        boundary = buffer.indexOf("\n\n");
      }
    }
  } catch (error) {
    if (!abort.signal.aborted) throw error;
  }
  return EXIT_OK;
};

/** Subscribes to `alerts.<severity>.<region…>.>` on NATS core subjects (the JetStream stream ALERTS captures the same). */
const tailNats = async (
  context: CommandContext,
  options: AlertsTailOptions,
  natsUrl: string,
): Promise<ExitCode> => {
  const natsModule = "nats";
  let nats: { connect: (options: { servers: string }) => Promise<NatsConnection> };
  try {
    nats = (await import(natsModule)) as typeof nats;
  } catch {
    throw new CliError(
      "the nats client library is not installed; unset NATS_URL to tail the API's stream",
      EXIT_USAGE,
    );
  }
  let connection: NatsConnection;
  try {
    connection = await nats.connect({ servers: natsUrl });
  } catch (error) {
    throw new CliError(`cannot reach NATS: ${(error as Error).message}`, EXIT_STORE_UNREACHABLE);
  }
  const prefix = context.environment.NATS_SUBJECT_PREFIX || "alerts";
  const subject = `${prefix}.*.${options.region}.>`;
  const subscription = connection.subscribe(subject);
  void untilInterrupted().then(() => connection.drain());
  const decoder = new TextDecoder();
  for await (const message of subscription) {
    try {
      printAlert(context, options, JSON.parse(decoder.decode(message.data)) as Alert);
    } catch {
      // Not an alert body; skip it.
    }
  }
  return EXIT_OK;
};

interface NatsConnection {
  subscribe(subject: string): AsyncIterable<{ readonly data: Uint8Array }>;
  drain(): Promise<void>;
}

/** `bukubesar alerts tail`: prints alerts as they arrive, from NATS when NATS_URL is set, else from SSE. */
export const runAlertsTail = async (
  context: CommandContext,
  options: AlertsTailOptions,
): Promise<ExitCode> => {
  if (!REGION_PREFIX_PATTERN.test(options.region)) {
    throw new CliError("--region must be 1–4 whole segments of a region code, e.g. 35.74", EXIT_USAGE);
  }
  const natsUrl = context.environment.NATS_URL;
  return natsUrl !== undefined && natsUrl !== ""
    ? tailNats(context, options, natsUrl)
    : tailSse(context, options);
};
