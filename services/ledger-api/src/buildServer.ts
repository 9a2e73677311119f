/**
 * Builds the Fastify application: strict JSON parsing, problem details for every error, bearer-token
 * authentication, a per-principal rate limit, the OpenAPI document and every route of api.md.
 */
import { openAlertsIndex } from "@bukubesar/alerts";
import type { AlertBus } from "@bukubesar/bus";
import { type EventStore, type InFlightClaims, isStoreFailure, openEventStore } from "@bukubesar/event-store";
import { type Principal, PrincipalRegistry } from "@bukubesar/principals";
import { createPdfRenderPool, PdfRendererBusy } from "@bukubesar/report-render";
import { PackedEntriesUnreadable } from "@bukubesar/snapshots";
import type { SupervisionOptions } from "@bukubesar/supervision";
import compress from "@fastify/compress";
import cookie from "@fastify/cookie";
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from "fastify";
import type { ApiContext } from "./apiContext.js";
import { createClockAheadWatch } from "./clockAheadAlert.js";
import { type CommandHandler, createCommandHandler } from "./commandHandler.js";
import { type CooperativeStateConfig, openCooperativeState } from "./cooperativeState.js";
import { registerHttpConventions } from "./httpConventions.js";
import {
  answerClientError,
  capConnectionsPerAddress,
  discardRestOfBody,
  refuseOverLimit,
  rewriteToOriginForm,
} from "./httpLayer.js";
import { LedgerIntegrity } from "./ledgerIntegrity.js";
import {
  BODY_BYTES_MAX,
  CONNECTIONS_CHECK_INTERVAL_MS,
  CONNECTIONS_CLOSE_GRACE_MS,
  CONNECTIONS_PER_ADDRESS_MAX_DEFAULT,
  HEADERS_TIMEOUT_MS,
  INTEGRITY_CHECK_INTERVAL_MS,
  PDF_RENDERER_RETRY_AFTER_SECONDS,
  PDF_RENDERS_PENDING_MAX,
  RATE_LIMIT_PER_MINUTE_DEFAULT,
  REQUEST_TIMEOUT_MS,
  STORE_RETRY_AFTER_SECONDS,
} from "./limits.js";
import type { LogLevel } from "./logLevel.js";
import { createMetrics } from "./metrics.js";
import { documentRoute, openApiInfo } from "./openApi.js";
import { ApiProblem, problemBody } from "./problem.js";
import { type RateLimits, registerRateLimits } from "./rateLimit.js";
import type { RateLimitStore } from "./rateLimitStore.js";
import { isAuditedRefusal, recordRefusal } from "./refusalAudit.js";
import { requestIdOf, requestLogSerializers } from "./requestLog.js";
import { alertRoutes } from "./routes/alertRoutes.js";
import { cooperativeRoutes } from "./routes/cooperativeRoutes.js";
import { entryRoutes } from "./routes/entryRoutes.js";
import { fiscalYearRoutes } from "./routes/fiscalYearRoutes.js";
import { historyRoutes } from "./routes/historyRoutes.js";
import { metricsRoutes } from "./routes/metricsRoutes.js";
import { publicRoutes } from "./routes/publicRoutes.js";
import { regionRoutes } from "./routes/regionRoutes.js";
import { reportRoutes } from "./routes/reportRoutes.js";
import { sessionRoutes } from "./routes/sessionRoutes.js";
import { tokenRoutes } from "./routes/tokenRoutes.js";
import { sessionPrincipalOf, sessionSecretOf } from "./sessions.js";
import { raiseStoreLossAlerts } from "./storeLossAlert.js";
import { parseStrictJson } from "./strictJson.js";
import type { InProcessSupervisor, StartSupervisor } from "./supervisorPort.js";
import { startTracing, type TracingConfig } from "./tracing.js";
import { registerWebApplication } from "./webApplication.js";

export interface ServerConfig {
  /** An open store to use (tests, the CLI); else one is opened from `storeUrl`. */
  readonly store?: EventStore;
  readonly storeUrl?: string;
  /** BUKUBESAR_ADMIN_TOKEN: an admin principal with this token exists after start. */
  readonly adminToken?: string;
  readonly rateLimitPerMinute?: number;
  /** Shorter header and whole-request limits for tests; HEADERS_TIMEOUT_MS and REQUEST_TIMEOUT_MS otherwise. */
  readonly httpTimeouts?: { readonly headersMs: number; readonly requestMs: number };
  /**
   * Idempotency keys in flight in other replicas of the same PostgreSQL store (serve opens them on a
   * postgres:// STORE_URL); default: this process's own keys only.
   */
  readonly inFlightClaims?: InFlightClaims;
  /** Where the rate limit counts (RATE_LIMIT_STORE_URL): shared by replicas; default this process. */
  readonly rateLimitStore?: RateLimitStore;
  /** pino logging at a level (LOG_LEVEL), true for `info`; false (or `silent`) logs nothing, as in tests. */
  readonly logger?: boolean | LogLevel;
  /** The clock (RFC 3339 UTC), injected for reproducible tests. */
  readonly now?: () => string;
  /**
   * Run the supervisor in this process against the same store, publishing to `bus` (the in-process bus,
   * or JetStream when NATS_URL is set), started by `start` (the composition root passes the supervisor
   * service's `startSupervisor`). Without it, alerts recorded by a supervisor running elsewhere are still
   * served: the alert routes read the `alerts-*` streams of the store.
   */
  readonly supervise?: {
    readonly bus: AlertBus;
    readonly start: StartSupervisor;
    readonly supervision?: SupervisionOptions;
  };
  /** Send a span of every request to an OpenTelemetry collector (tracing.ts); none without it. */
  readonly tracing?: TracingConfig;
  /**
   * The cooperatives held in memory (MEMORY_BUDGET_MB) and their snapshots in the store (default on):
   * docs/operations.md, Memory budget.
   */
  readonly cooperativeState?: CooperativeStateConfig;
  /** The built web application (services/web/dist) served at `/`; none when absent. */
  readonly webRoot?: string;
  /** PDFs accepted at once, the one rendering included (PDF_RENDERS_PENDING_MAX); one more is 503. */
  readonly pdfRendersPendingMax?: number;
  /** Open connections one client address may hold (CONNECTIONS_PER_ADDRESS_MAX); CONNECTIONS_PER_ADDRESS_MAX_DEFAULT. */
  readonly connectionsPerAddressMax?: number;
  /** How often the tails of the cooperatives in memory are checked against their chains; INTEGRITY_CHECK_INTERVAL_MS. */
  readonly integrityCheckIntervalMs?: number;
}

export interface BuiltServer {
  readonly app: FastifyInstance;
  /** Closes the HTTP server, the projections, the principals' subscription and (when it opened it) the store. */
  readonly close: () => Promise<void>;
  readonly context: ApiContext;
  /** The supervisor started by `supervise`, or null. */
  readonly supervisor: () => InProcessSupervisor | null;
}

/** Smaller answers are sent as they are: compressing them saves less than it costs. */
const COMPRESS_THRESHOLD_BYTES = 1024;

/** Every route under /v1/ and /metrics needs a bearer token; the others are public. */
const needsToken = (url: string): boolean =>
  url.startsWith("/v1/") || url === "/metrics" || url.startsWith("/metrics?");

/** Headers whose values never reach a log line. */
const REDACTED_PATHS = ["req.headers.authorization", "req.headers.cookie", "req.headers['idempotency-key']"];

const sendProblem = (reply: FastifyReply, problem: ApiProblem): FastifyReply => {
  reply.problemCode = problem.code;
  for (const [name, value] of Object.entries(problem.headers)) reply.header(name, value);
  return reply.code(problem.status).type("application/problem+json").send(problemBody(problem));
};

/** Maps anything thrown inside a request to the problem api.md documents for it. */
export const toProblem = (error: unknown): ApiProblem => {
  if (error instanceof ApiProblem) return error;
  if (error instanceof PdfRendererBusy)
    return new ApiProblem("renderer_busy", "Every place for a PDF is taken; try again shortly.", [], {
      "retry-after": String(PDF_RENDERER_RETRY_AFTER_SECONDS),
    });
  // The held copy was already let go and the next load rebuilds the cooperative from its log, so a retry
  // is answered: a 503 to retry, not a 500, for a snapshot edited with its hash recomputed.
  if (error instanceof PackedEntriesUnreadable)
    return new ApiProblem(
      "store_unavailable",
      "The cooperative's stored snapshot could not be read; it is being rebuilt from the log: retry.",
      [],
      { "retry-after": String(STORE_RETRY_AFTER_SECONDS) },
    );
  if (isStoreFailure(error)) {
    const tag = error.error._tag;
    if (tag === "EventTooLarge")
      return new ApiProblem(
        "payload_too_large",
        "The request would record an event larger than the store takes.",
      );
    // EventIdReused reaches here only for a command without an Idempotency-Key (a keyed one replays
    // what is stored): its random event ids met ids already stored, which a retry with fresh ids cures.
    if (tag === "StoreUnavailable" || tag === "WrongExpectedRevision" || tag === "EventIdReused") {
      return new ApiProblem(
        "store_unavailable",
        "The store cannot take writes right now; retry (with the same Idempotency-Key, if one was sent).",
        [],
        {
          "retry-after": String(STORE_RETRY_AFTER_SECONDS),
        },
      );
    }
  }
  const fastifyError = error as { code?: string; statusCode?: number };
  switch (fastifyError.code) {
    case "FST_ERR_CTP_BODY_TOO_LARGE":
      return new ApiProblem("payload_too_large", `The body is larger than ${BODY_BYTES_MAX} bytes.`);
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
      return new ApiProblem("unsupported_media_type", "Send the body as application/json.");
    case "FST_ERR_CTP_EMPTY_JSON_BODY":
    case "FST_ERR_CTP_INVALID_CONTENT_LENGTH":
      return new ApiProblem("malformed_json", "The body is not valid JSON.");
  }
  if (fastifyError.statusCode === 413)
    return new ApiProblem("payload_too_large", `The body is larger than ${BODY_BYTES_MAX} bytes.`);
  if (
    typeof fastifyError.statusCode === "number" &&
    fastifyError.statusCode >= 400 &&
    fastifyError.statusCode < 500
  ) {
    return new ApiProblem("malformed_json", "The request could not be read.");
  }
  return new ApiProblem("internal_error", "Something went wrong on our side; nothing was recorded half-way.");
};

/**
 * Checks the tails of the cooperatives in memory one pass after another, `intervalMs` apart, so events
 * another process wrote are checked against the chain even when nobody reads them (ledgerIntegrity.ts).
 */
const checkTailsEvery = (
  handler: CommandHandler,
  intervalMs: number,
  onError: (error: unknown) => void,
): { stop(): Promise<void> } => {
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> = Promise.resolve();
  let stopped = false;
  const schedule = (): void => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = handler.checkCachedTails().catch(onError).finally(schedule);
    }, intervalMs);
    timer.unref();
  };
  schedule();
  return {
    async stop() {
      stopped = true;
      if (timer !== null) clearTimeout(timer);
      await running;
    },
  };
};

/** The one `/v1/` route that needs no credentials: signing in with a token in the body. */
const isSignIn = (request: FastifyRequest): boolean =>
  request.method === "POST" && request.url.split("?")[0] === "/v1/sessions";

const isSessionRead = (request: FastifyRequest): boolean =>
  request.method === "GET" && request.url.split("?")[0] === "/v1/session";

/** The Fastify instance: its limits, logging, request ids and the HTTP layer's own answers. */
const createFastify = (config: ServerConfig): FastifyInstance =>
  Fastify({
    bodyLimit: BODY_BYTES_MAX,
    logger:
      config.logger === false || config.logger === undefined || config.logger === "silent"
        ? false
        : {
            redact: REDACTED_PATHS,
            level: config.logger === true ? "info" : config.logger,
            serializers: requestLogSerializers,
          },
    genReqId: requestIdOf,
    requestIdHeader: false,
    return503OnClosing: true,
    forceCloseConnections: "idle",
    // A sender that dribbles its headers or body would hold its connection for ever (slowloris): the
    // headers must arrive within one limit and the whole request within another, checked every second.
    requestTimeout: config.httpTimeouts?.requestMs ?? REQUEST_TIMEOUT_MS,
    http: {
      headersTimeout: config.httpTimeouts?.headersMs ?? HEADERS_TIMEOUT_MS,
      connectionsCheckingInterval: CONNECTIONS_CHECK_INTERVAL_MS,
    },
    // What the HTTP layer answers itself, and the one form of a URL everything after it sees (httpLayer.ts).
    clientErrorHandler: answerClientError,
    rewriteUrl: rewriteToOriginForm,
  });

/** Bodies are JSON, read by the strict reader; any other media type with a body is refused. */
const registerBodyParsers = (app: FastifyInstance): void => {
  app.removeAllContentTypeParsers();
  const parseJsonBody = (
    _request: FastifyRequest,
    body: Buffer,
    done: (error: Error | null, value?: unknown) => void,
  ) => {
    try {
      done(null, parseStrictJson(body));
    } catch (error) {
      done(error as Error, undefined);
    }
  };
  app.addContentTypeParser<Buffer>(
    "application/json",
    { parseAs: "buffer", bodyLimit: BODY_BYTES_MAX },
    parseJsonBody,
  );
  app.addContentTypeParser<Buffer>(
    /^application\/[a-z0-9.+-]*\+json$/,
    { parseAs: "buffer", bodyLimit: BODY_BYTES_MAX },
    parseJsonBody,
  );
  app.addContentTypeParser<Buffer>(
    "*",
    { parseAs: "buffer", bodyLimit: BODY_BYTES_MAX },
    (_request, body, done) => {
      if (body.length === 0) return done(null, undefined);
      done(new ApiProblem("unsupported_media_type", "Send the body as application/json."), undefined);
    },
  );
};

/** Route schemas document the API (OpenAPI) only: the io-ts codecs decode every input, with api.md's codes. */
const documentRoutes = (app: FastifyInstance): void => {
  app.setValidatorCompiler(() => () => true);
  // Response schemas document the API only: bodies are written as they are, never filtered by a schema.
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  app.addHook("onRoute", (route) => {
    const documented = documentRoute(
      route.method,
      route.url,
      route.schema as Record<string, unknown> | undefined,
    );
    if (documented !== undefined) route.schema = documented;
  });
};

/**
 * Each concept's routes are a plugin, registered after every hook, parser and handler of buildServer,
 * which its encapsulated context inherits.
 */
const registerRoutes = async (
  app: FastifyInstance,
  context: ApiContext,
  metrics: ReturnType<typeof createMetrics>,
  rateLimits: RateLimits,
): Promise<void> => {
  await app.register(publicRoutes, { context });
  await app.register(tokenRoutes, { context });
  await app.register(cooperativeRoutes, { context });
  await app.register(entryRoutes, { context });
  await app.register(fiscalYearRoutes, { context });
  await app.register(reportRoutes, { context });
  await app.register(regionRoutes, { context });
  await app.register(historyRoutes, { context });
  await app.register(alertRoutes, { context });
  await app.register(metricsRoutes, { metrics });
  await app.register(sessionRoutes, { context, rateLimits });
};

/**
 * The supervisor of `supervise`, started in the background: it rebuilds its rule state from the log before
 * it follows it, so the service answers at once whatever the length of the history (docs/operations.md,
 * Memory budget). Null without one, or when it could not start (logged).
 */
const startSupervisorOf = async (
  config: ServerConfig,
  store: EventStore,
  app: FastifyInstance,
): Promise<InProcessSupervisor | null> => {
  const supervise = config.supervise;
  if (supervise === undefined) return null;
  try {
    return await supervise.start({
      store,
      bus: supervise.bus,
      ...(supervise.supervision !== undefined ? { supervision: supervise.supervision } : {}),
      onError: (error) => app.log.warn({ err: error }, "supervisor could not record or publish an alert yet"),
    });
  } catch (error) {
    app.log.error({ err: error }, "the supervisor could not start");
    return null;
  }
};

/**
 * The principal a request carries: its bearer token's, or (without one) its session cookie's; null when
 * neither names a principal. A bearer token wins.
 */
const principalOfRequest = async (
  request: FastifyRequest,
  principals: PrincipalRegistry,
): Promise<Principal | null> => {
  const header = request.headers.authorization;
  // A browser sends its session cookie instead of a bearer token (sessions.ts).
  if (header === undefined) return sessionPrincipalOf(request, principals);
  const match = typeof header === "string" ? /^Bearer ([\x21-\x7e]{1,512})$/.exec(header) : null;
  return match?.[1] === undefined ? null : principals.authenticate(match[1]);
};

/** The onRequest hook that checks every request's credential against its rate limits. */
const authenticate =
  (rateLimits: RateLimits, principals: PrincipalRegistry) =>
  async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    reply.header("x-request-id", request.id);
    refuseOverLimit(request.raw);
    if (!needsToken(request.url)) return;
    // An address that sent too many requests without a valid token is refused before its token is looked
    // at, so a guess made during the pause cannot be told right from wrong.
    await rateLimits.checkAddress(request, reply);
    // A sign-in carries its token in the body: every one counts against the address's sign-in budget here,
    // before the body is read, so many sent at once cannot all have their tokens read; its route counts a
    // wrong one against the address like a guess (sessionRoutes.ts). A right one is no guess: counting it
    // there locked a busy office out after fifteen sign-ins a minute from its one address.
    if (isSignIn(request)) return rateLimits.countSignIn(request, reply);
    const header = request.headers.authorization;
    // The page's "is there a session?" read carries no credential at all, so it guesses nothing; its route
    // answers 401 itself.
    if (header === undefined && isSessionRead(request) && sessionSecretOf(request) === undefined) return;
    const principal = await principalOfRequest(request, principals);
    if (principal === null) {
      await rateLimits.countUnauthenticated(request, reply);
      reply.header("www-authenticate", 'Bearer realm="bukubesar"');
      throw new ApiProblem("unauthenticated", "A valid bearer token is required.");
    }
    request.principal = principal;
    await rateLimits.countPrincipal(request, reply, principal.principalId);
  };

/**
 * A log to write to before the server's logger exists: what happens to snapshots while the services
 * open is kept, and written once `attach` gives it the logger.
 */
const deferredLog = () => {
  const notes: { readonly level: "warn" | "error"; readonly message: string; readonly error?: unknown }[] =
    [];
  let write = (level: "warn" | "error", message: string, error?: unknown): void => {
    notes.push({ level, message, ...(error === undefined ? {} : { error }) });
  };
  return {
    log: (level: "warn" | "error", message: string, error?: unknown): void => write(level, message, error),
    attach(app: FastifyInstance): void {
      write = (level, message, error) =>
        error === undefined ? app.log[level](message) : app.log[level]({ err: error }, message);
      for (const note of notes) write(note.level, note.message, note.error);
    },
  };
};

type DeferredLog = ReturnType<typeof deferredLog>;

/** The services the routes use, over one store: principals, alerts, integrity, the cooperatives held. */
const openServices = async (config: ServerConfig, logbook: DeferredLog) => {
  const { log } = logbook;
  const store = config.store ?? (await openEventStore(config.storeUrl ?? "memory:"));
  const now = config.now ?? (() => new Date().toISOString());
  const principals = await PrincipalRegistry.open(store, now);
  // A configured token is known to the operator already, so its admin can exist before the server
  // listens; a generated one is made by serve() once it does (adminBootstrap.ts).
  if (config.adminToken !== undefined && config.adminToken !== "")
    await principals.ensureAdmin(config.adminToken);
  principals.follow();
  const alerts = await openAlertsIndex(store);
  const integrity = new LedgerIntegrity({
    store,
    alerts,
    now,
    onBreak: (found) => log("warn", `ledger chain broken, cooperative read-only: ${JSON.stringify(found)}`),
    onAlertError: (error) => log("warn", "could not record the ledger-integrity alert", error),
  });
  const cooperatives = await openCooperativeState(store, config.cooperativeState ?? {}, {
    now,
    log,
    advance: (snapshot, events, malformed) => integrity.advanceVerified(snapshot, events, malformed),
    // After a database failover the new leader may lack a commit this process already showed: the
    // cooperative (ledger and read model together) was loaded again from the store (docs/scaling.md).
    onDiverged: (coopId, cachedRevision) =>
      log(
        "warn",
        `cooperative ${coopId}: this replica held revision ${cachedRevision}, which the store does not have; replayed from the store`,
      ),
  });
  const context: ApiContext = {
    store,
    pdf: createPdfRenderPool(config.pdfRendersPendingMax ?? PDF_RENDERS_PENDING_MAX),
    handler: createCommandHandler({
      store,
      now,
      integrity,
      cache: cooperatives.cache,
      onRecording: createClockAheadWatch({ store, log }),
      ...(config.inFlightClaims === undefined ? {} : { inFlightClaims: config.inFlightClaims }),
    }),
    principals,
    directory: cooperatives.directory,
    cache: cooperatives.cache,
    snapshotWriter: cooperatives.writer,
    alerts,
    integrity,
    now,
  };
  return { context, cooperatives };
};

/** The service's metrics, fed by the store's commits; its lost writes raise their alerts. */
const observeStore = (
  config: ServerConfig,
  context: ApiContext,
  supervisor: () => InProcessSupervisor | null,
  log: DeferredLog["log"],
) => {
  const { store, directory, now } = context;
  const bus = config.supervise?.bus;
  const busConnected = bus?.connected === undefined ? undefined : () => bus.connected?.() ?? false;
  const metrics = createMetrics({
    // Lags count from the last commit, visible or not: a stalled watermark must show as lag, not as 0.
    headPosition: () => store.committedHeadPosition?.() ?? store.headPosition(),
    projectionsPosition: () => directory.position(),
    supervisor,
    ...(busConnected === undefined ? {} : { busConnected }),
  });
  store.observeCommits?.({ committed: (appends, events) => metrics.observeCommit(appends, events) });
  store.observeWriteLoss?.((lost, recorder) => raiseStoreLossAlerts(lost, recorder, { now, log, directory }));
  return metrics;
};

/** Request decorations, the closing answer's connection header and the per-request metrics. */
const decorateRequests = (
  app: FastifyInstance,
  metrics: ReturnType<typeof createMetrics>,
  closing: () => boolean,
): void => {
  // An answer given while the server closes closes its connection too: kept alive, it would hold the
  // close for the whole keep-alive time (Fastify's default is 72 s).
  app.addHook("onSend", async (_request, reply) => {
    if (closing()) reply.header("connection", "close");
  });
  app.decorateRequest("principal", null);
  app.decorateRequest("ledgerRevision", null);
  app.decorateRequest("ledgerIntegrity", null);
  app.decorateReply("problemCode", null);
  app.addHook("onResponse", async (request, reply) => {
    metrics.observeRequest(
      request.method,
      request.routeOptions.url,
      reply.statusCode,
      reply.elapsedTime / 1000,
    );
  });
};

/**
 * Every error becomes api.md's problem. Self-approval, closed-period and forbidden refusals go to the
 * audit stream, never to the ledger, within a per-principal budget: beyond it the refusal is a 429 and
 * nothing is recorded (`rateLimits` is read when an error happens: it is registered after this handler).
 */
const answerErrors = (app: FastifyInstance, context: ApiContext, rateLimits: () => RateLimits): void => {
  app.setErrorHandler(async (error, request, reply) => {
    const problem = toProblem(error);
    // The connection closes after a 413, once the rest of the body is read: so every client reads it.
    if (problem.status === 413) discardRestOfBody(request.raw);
    if (problem.status >= 500 && problem.code !== "store_unavailable")
      request.log.error({ err: error }, "request failed");
    else if (problem.code === "store_unavailable") request.log.warn({ err: error }, "store unavailable");
    const principalId = request.principal?.principalId;
    if (isAuditedRefusal(problem) && principalId !== undefined) {
      const tooMany = await rateLimits().countRefusal(request, reply, principalId);
      if (tooMany !== null) return sendProblem(reply, tooMany);
    }
    await recordRefusal(context, request, problem).catch((auditError: unknown) =>
      request.log.warn({ err: auditError }, "could not record a refusal in the audit stream"),
    );
    return sendProblem(reply, problem);
  });
};

/** The HTTP conventions, compression, the 404/405 answer, rate limits, cookies, authentication, OpenAPI. */
const registerHttpLayer = async (
  app: FastifyInstance,
  config: ServerConfig,
  context: ApiContext,
  metrics: ReturnType<typeof createMetrics>,
): Promise<RateLimits> => {
  const conventions = registerHttpConventions(app);
  // gzip or deflate for answers over a kilobyte when the client accepts it (reports, exports, lists);
  // brotli is left out: its default level costs more CPU than a 2-core server should spend per request.
  await app.register(compress, {
    global: true,
    threshold: COMPRESS_THRESHOLD_BYTES,
    encodings: ["gzip", "deflate"],
  });
  app.setNotFoundHandler((request, reply) =>
    sendProblem(
      reply,
      conventions.methodNotAllowed(request, reply) ?? new ApiProblem("not_found", "No such route."),
    ),
  );
  const rateLimits = await registerRateLimits(app, {
    perPrincipalPerMinute: config.rateLimitPerMinute ?? RATE_LIMIT_PER_MINUTE_DEFAULT,
    ...(config.rateLimitStore === undefined ? {} : { store: config.rateLimitStore }),
    onRefused: (key) => metrics.countRateLimited(key),
  });
  // Cookies are parsed in an onRequest hook of their own, which must run before authentication's.
  await app.register(cookie);
  app.addHook("onRequest", authenticate(rateLimits, context.principals));
  await app.register(swagger, { openapi: openApiInfo });
  await app.register(swaggerUi, { routePrefix: "/docs", theme: { title: "bukubesar" } });
  return rateLimits;
};

export const buildServer = async (config: ServerConfig = {}): Promise<BuiltServer> => {
  const ownsStore = config.store === undefined;
  const logbook = deferredLog();
  const { context, cooperatives } = await openServices(config, logbook);
  const { store } = context;
  let supervisor: InProcessSupervisor | null = null;
  const metrics = observeStore(config, context, () => supervisor, logbook.log);
  let closed = false;
  const app = createFastify(config);
  capConnectionsPerAddress(
    app.server,
    config.connectionsPerAddressMax ?? CONNECTIONS_PER_ADDRESS_MAX_DEFAULT,
  );
  // Traces are registered before anything else so that every route and hook is inside the request's span.
  const tracing = config.tracing === undefined ? null : await startTracing(config.tracing);
  if (tracing !== null) await app.register(tracing.plugin);
  logbook.attach(app);
  decorateRequests(app, metrics, () => closed);
  documentRoutes(app);
  registerBodyParsers(app);
  let rateLimits: RateLimits | undefined;
  answerErrors(app, context, () => rateLimits as RateLimits);
  rateLimits = await registerHttpLayer(app, config, context, metrics);
  await registerRoutes(app, context, metrics, rateLimits);
  if (config.webRoot !== undefined) await registerWebApplication(app, config.webRoot);
  await app.ready();
  const supervisorStarted = startSupervisorOf(config, store, app).then((started) => {
    supervisor = started;
  });
  const tailChecks = checkTailsEvery(
    context.handler,
    config.integrityCheckIntervalMs ?? INTEGRITY_CHECK_INTERVAL_MS,
    (error) => app.log.warn({ err: error }, "could not check the ledgers' tails"),
  );
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    await tailChecks.stop();
    store.observeCommits?.(null);
    store.observeWriteLoss?.(null);
    // No new request is taken from here on; PDFs still rendering are abandoned (their requests fail), and
    // connections still open after a grace are closed: an answered request on a kept-alive connection
    // would otherwise hold the close for the whole keep-alive time.
    const closing = app.close();
    await context.pdf.close();
    const grace = setTimeout(() => app.server.closeAllConnections(), CONNECTIONS_CLOSE_GRACE_MS);
    await closing;
    clearTimeout(grace);
    await tracing?.shutdown();
    await supervisorStarted;
    await supervisor?.stop();
    await context.alerts.close();
    await cooperatives.close();
    await context.principals.close();
    if (ownsStore) await store.close();
  };
  return { app, close, context, supervisor: () => supervisor };
};
