/** Alerts through the AlertsPort: listed, streamed (SSE) and acknowledged, always within the caller's scope. */
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { Alert } from "../alertsPort.js";
import { type ApiContext, principalOf } from "../apiContext.js";
import { canSee, regionQueryAllowed, regionWithin, requireRole } from "../authorization.js";
import {
  AcknowledgeBody,
  Cursor,
  Instant,
  Limit,
  queryObject,
  RegionPrefix,
  refinedString,
  SeverityCodec,
} from "../codecs.js";
import { decodeCursor, encodeCursor } from "../cooperativeView.js";
import { decodeBody, decodePath, decodeQuery } from "../decode.js";
import { PAGE_SIZE_DEFAULT } from "../limits.js";
import { describe } from "../openApi.js";
import { ApiProblem } from "../problem.js";

const AlertId = refinedString("AlertId", /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/, "must be an alert id");
const AlertQuery = queryObject("AlertQuery", {
  region: RegionPrefix,
  since: Instant,
  severity: SeverityCodec,
  limit: Limit,
  cursor: Cursor,
});

/** What an alert looks like on the wire (api.md, Alerts). */
const alertView = (alert: Alert) => ({ ...alert });

export const registerAlertRoutes = (app: FastifyInstance, context: ApiContext): void => {
  /** Which alerts the caller may see, narrowed by `region` (403 when the region lies outside the scope). */
  const visibility = (request: FastifyRequest, region: string | undefined) => {
    const principal = principalOf(request);
    if (region !== undefined && !regionQueryAllowed(principal, region)) {
      throw new ApiProblem("forbidden", "The region lies outside this principal's scope.");
    }
    return (alert: Alert) =>
      canSee(principal, { id: alert.coopId, regionCode: alert.regionCode }) &&
      (region === undefined || regionWithin(alert.regionCode, region));
  };

  app.get(
    "/v1/alerts",
    describe("alerts", "Alerts in the caller's scope; since (instant, inclusive), severity (a minimum).", {
      query: AlertQuery,
    }),
    async (request) => {
      const query = decodeQuery(AlertQuery, request.query);
      const visible = visibility(request, query.region);
      const page = await context.alerts.list({
        visible,
        limit: query.limit ?? PAGE_SIZE_DEFAULT,
        ...(query.since !== undefined ? { since: query.since } : {}),
        ...(query.severity !== undefined ? { severityMin: query.severity } : {}),
        ...(query.cursor !== undefined ? { after: decodeCursor(query.cursor) } : {}),
      });
      return {
        alerts: page.alerts.map(alertView),
        nextCursor: page.nextCursor === null ? null : encodeCursor(page.nextCursor),
      };
    },
  );

  app.get(
    "/v1/alerts/stream",
    describe("alerts", "Server-Sent Events: one `alert` event per alert in the caller's scope.", {
      query: AlertQuery,
    }),
    async (request, reply) => {
      const query = decodeQuery(AlertQuery, request.query);
      const visible = visibility(request, query.region);
      reply.hijack();
      const response = reply.raw;
      response.writeHead(200, {
        "content-type": "text/event-stream",
        "cache-control": "no-cache",
        connection: "keep-alive",
      });
      response.write(": bukubesar alerts\n\n");
      const unsubscribe = context.alerts.subscribe((alert) => {
        if (visible(alert))
          response.write(`event: alert\nid: ${alert.alertId}\ndata: ${JSON.stringify(alertView(alert))}\n\n`);
      });
      request.raw.on("close", unsubscribe);
    },
  );

  app.post<{ Params: { alertId: string } }>(
    "/v1/alerts/:alertId/acknowledge",
    describe("alerts", "Acknowledge an alert (supervisor) with an optional note.", { body: AcknowledgeBody }),
    async (request) => {
      const principal = principalOf(request);
      const alertId = decodePath(AlertId, request.params.alertId, "alert");
      const alert = await context.alerts.get(alertId);
      if (alert === null || !canSee(principal, { id: alert.coopId, regionCode: alert.regionCode })) {
        throw new ApiProblem("not_found", "No such alert.");
      }
      requireRole(principal, "acknowledgeAlert");
      const body = decodeBody(AcknowledgeBody, request.body);
      const acknowledged = await context.alerts.acknowledge(
        alertId,
        principal.principalId,
        body.note ?? null,
        context.now(),
      );
      return acknowledged === null ? null : alertView(acknowledged);
    },
  );
};
