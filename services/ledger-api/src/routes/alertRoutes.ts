/**
 * Alerts from the supervisor's AlertsIndex (the read model of the `alerts-*` streams of the same store):
 * listed, streamed (SSE) and acknowledged, always within the caller's scope. The index needs no bus, so
 * this works the same whether the supervisor runs in this process or its own, with or without NATS.
 */
import type { AlertQuery } from "@bukubesar/alerts";
import {
  AcknowledgeBody,
  Instant,
  queryObject,
  RegionPrefix,
  refinedString,
  SeverityCodec,
} from "@bukubesar/contract";
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from "fastify";
import { AlertStreamRegistry, type OpenAlertStream, SseWriter } from "../alertStreams.js";
import { type ApiContext, principalOf, type RoutesOptions } from "../apiContext.js";
import { canSee, regionQueryAllowed, requireRole } from "../authorization.js";
import { decodeCursor, encodeCursor } from "../cooperativeView.js";
import { decodeBody, decodePath, decodeQuery } from "../decode.js";
import { LEDGER_INTEGRITY_RULE } from "../ledgerIntegrity.js";
import {
  PAGE_SIZE_DEFAULT,
  SSE_STREAMS_PER_PRINCIPAL_MAX,
  SSE_STREAMS_RETRY_AFTER_SECONDS,
} from "../limits.js";
import { describe } from "../openApi.js";
import { ApiProblem } from "../problem.js";
import { Cursor, Limit } from "../queries.js";

const ALERT_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;
const AlertId = refinedString("AlertId", ALERT_ID_PATTERN, "must be an alert id");
const AlertListQuery = queryObject("AlertQuery", {
  region: RegionPrefix,
  since: Instant,
  severity: SeverityCodec,
  limit: Limit,
  cursor: Cursor,
});

/** SSE comment lines sent this often keep proxies from closing an idle stream. */
const SSE_KEEPALIVE_MS = 15_000;
/** How long a client waits before reconnecting after the stream drops (the SSE `retry:` field). */
export const SSE_RETRY_MS = 2_000;
/**
 * The id a stream starts at before any alert was recorded, so that a client that reconnects then still
 * receives every alert since (see STREAM_START below).
 */
const BEFORE_FIRST_ALERT = "start";
/**
 * The SSE Last-Event-ID a reconnecting client sends: the id of the last alert it received, or the start
 * marker it was given; undefined for a first connection (live from now on).
 */
const resumeAfterOf = (request: FastifyRequest): string | null | undefined => {
  const header = request.headers["last-event-id"];
  if (header === BEFORE_FIRST_ALERT) return null;
  return typeof header === "string" && ALERT_ID_PATTERN.test(header) ? header : undefined;
};

type AlertScope = Pick<AlertQuery, "regionPrefix" | "coopId">;

/** The alerts the caller may see, narrowed by `region` (403 when the region lies outside the scope). */
const scopeOf = (request: FastifyRequest, region: string | undefined): AlertScope => {
  const principal = principalOf(request);
  if (region !== undefined && !regionQueryAllowed(principal, region)) {
    throw new ApiProblem("forbidden", "The region lies outside this principal's scope.");
  }
  switch (principal.role) {
    case "admin":
      return { regionPrefix: region ?? "*" };
    case "supervisor":
    case "auditor":
      return { regionPrefix: region ?? principal.scope };
    case "treasurer":
    case "approver":
      return { regionPrefix: region ?? "*", coopId: principal.scope };
    case "metrics":
      throw new ApiProblem("forbidden", "The role metrics may only read GET /metrics.");
  }
};

/** The index's cursor a page's `cursor` parameter carries (400 when it is not one this API gave out). */
const indexCursorOf = (cursor: string | undefined): string | undefined => {
  if (cursor === undefined) return undefined;
  const decoded = decodeCursor(cursor);
  if (!/^\d{1,15}$/.test(decoded)) {
    throw new ApiProblem("validation_failed", "The cursor is not one this API gave out.", [
      { path: "cursor", code: "validation_failed", message: "use nextCursor from a previous page" },
    ]);
  }
  return decoded;
};

const listAlerts = (app: FastifyInstance, context: ApiContext): void => {
  app.get(
    "/v1/alerts",
    describe("alerts", "Alerts in the caller's scope; since (instant, inclusive), severity (a minimum).", {
      query: AlertListQuery,
    }),
    async (request) => {
      const query = decodeQuery(AlertListQuery, request.query);
      const scope = scopeOf(request, query.region);
      const cursor = indexCursorOf(query.cursor);
      const page = context.alerts.list({
        ...scope,
        limit: query.limit ?? PAGE_SIZE_DEFAULT,
        ...(query.since !== undefined ? { since: query.since } : {}),
        ...(query.severity !== undefined ? { minSeverity: query.severity } : {}),
        ...(cursor !== undefined ? { cursor } : {}),
      });
      return {
        alerts: page.alerts,
        nextCursor: page.nextCursor === null ? null : encodeCursor(page.nextCursor),
      };
    },
  );
};

/** A principal's streams beyond SSE_STREAMS_PER_PRINCIPAL_MAX are refused. */
const refuseBeyondStreams = (openStreams: AlertStreamRegistry, principalId: string): void => {
  if (openStreams.hasRoomFor(principalId)) return;
  throw new ApiProblem(
    "rate_limited",
    `This principal already holds ${SSE_STREAMS_PER_PRINCIPAL_MAX} alert streams; close one first.`,
    [],
    { "retry-after": String(SSE_STREAMS_RETRY_AFTER_SECONDS) },
  );
};

/** The SSE answer: its head, and the writer of its events (which ends a client too far behind). */
const openEventStream = (request: FastifyRequest, reply: FastifyReply, principalId: string) => {
  reply.hijack();
  const response = reply.raw;
  response.writeHead(200, {
    "content-type": "text/event-stream",
    "cache-control": "no-cache",
    connection: "keep-alive",
    "x-request-id": request.id,
  });
  const open: OpenAlertStream = {
    principalId,
    end: () => response.end(),
    destroy: () => response.destroy(),
  };
  return { open, writer: new SseWriter(response, open.destroy) };
};

const streamAlerts = (app: FastifyInstance, context: ApiContext, openStreams: AlertStreamRegistry): void => {
  app.get(
    "/v1/alerts/stream",
    describe(
      "alerts",
      "Server-Sent Events: one `alert` event (id: the alert id) per alert in the caller's scope; with Last-Event-ID, the alerts recorded after that one come first. Takes the session cookie.",
      {
        query: AlertListQuery,
      },
    ),
    async (request, reply) => {
      const query = decodeQuery(AlertListQuery, request.query);
      const scope = scopeOf(request, query.region);
      const principal = principalOf(request);
      refuseBeyondStreams(openStreams, principal.principalId);
      const { open, writer } = openEventStream(request, reply, principal.principalId);
      writer.sendComment("bukubesar alerts");
      // STREAM_START: a first connection is told where it starts (an `id:` with no data sets the client's
      // Last-Event-ID without an event), so that if it drops before its first alert, reconnecting still
      // resumes from here. Read in the same turn as the listener is added, so no alert falls between.
      const resumeAfter = resumeAfterOf(request);
      const startsAt =
        resumeAfter === undefined ? (context.alerts.lastAlertId() ?? BEFORE_FIRST_ALERT) : null;
      writer.sendAlert(`retry: ${SSE_RETRY_MS}\n${startsAt === null ? "" : `id: ${startsAt}\n`}\n`);
      const stream = context.alerts.stream(
        scope.regionPrefix,
        (alert) => {
          if (scope.coopId !== undefined && alert.coopId !== scope.coopId) return;
          writer.sendAlert(`event: alert\nid: ${alert.alertId}\ndata: ${JSON.stringify(alert)}\n\n`);
        },
        query.severity,
        resumeAfter,
      );
      const keepAlive = setInterval(() => writer.sendComment("keep-alive"), SSE_KEEPALIVE_MS);
      keepAlive.unref();
      openStreams.add(open);
      request.raw.on("close", () => {
        openStreams.remove(open);
        clearInterval(keepAlive);
        stream.close();
      });
    },
  );
};

const acknowledgeAlert = (app: FastifyInstance, context: ApiContext): void => {
  app.post<{ Params: { alertId: string } }>(
    "/v1/alerts/:alertId/acknowledge",
    describe(
      "alerts",
      "Acknowledge an alert (supervisor) with an optional note; a `ledger-integrity` alert only by an admin, which makes its cooperative writable again.",
      { body: AcknowledgeBody },
    ),
    async (request) => {
      const principal = principalOf(request);
      const alertId = decodePath(AlertId, request.params.alertId, "alert");
      const alert = context.alerts.get(alertId);
      if (alert === null || !canSee(principal, { id: alert.coopId, regionCode: alert.regionCode })) {
        throw new ApiProblem("not_found", "No such alert.");
      }
      const integrityBreak = alert.rule === LEDGER_INTEGRITY_RULE;
      requireRole(principal, integrityBreak ? "acknowledgeIntegrityBreak" : "acknowledgeAlert");
      const body = decodeBody(AcknowledgeBody, request.body);
      const acknowledged = await context.alerts.acknowledge(alertId, body.note ?? "", principal);
      if (acknowledged === null) throw new ApiProblem("not_found", "No such alert.");
      // The acknowledgement is recorded first: the next load takes the event as stored because of it.
      if (integrityBreak) context.integrity.lift(alert.coopId);
      return acknowledged;
    },
  );
};

/** Alerts: the list, the SSE stream and acknowledgements, as a Fastify plugin. */
export const alertRoutes: FastifyPluginAsync<RoutesOptions> = async (app, { context }) => {
  /**
   * Open SSE responses: counted per principal, ended when their principal is revoked, and ended when the
   * server shuts down so that a graceful stop need not wait for them.
   */
  const openStreams = new AlertStreamRegistry((principalId) => context.principals.get(principalId) !== null);
  app.addHook("preClose", async () => openStreams.closeAll());
  listAlerts(app, context);
  streamAlerts(app, context, openStreams);
  acknowledgeAlert(app, context);
};
