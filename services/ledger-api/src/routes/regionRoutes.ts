/**
 * The supervisors' roll-up: every cooperative of a region in the caller's scope with the key figures a
 * Dinas asks for, as JSON, CSV or PDF. The same scope rules as the alerts: a supervisor or auditor reads
 * within their region prefix, an admin everywhere, a cooperative's own principals never.
 */

import { LocalDate, literals, queryObject, RegionPrefix } from "@bukubesar/contract";
import { timeZoneForRegion } from "@bukubesar/ledger-core";
import type { Principal } from "@bukubesar/principals";
import {
  cooperativeFigures,
  type DocumentSetting,
  documentToCsv,
  type RegionCooperativeFigures,
  regionSummaryDocument,
  regionSummaryOf,
} from "@bukubesar/report-render";
import type { FastifyPluginAsync } from "fastify";
import { principalOf, type RoutesOptions, todayIn } from "../apiContext.js";
import { canSee, regionQueryAllowed, regionWithin } from "../authorization.js";
import { decodePath, decodeQuery } from "../decode.js";
import { PROJECTION_WAIT_MS } from "../limits.js";
import { describe } from "../openApi.js";
import { ApiProblem } from "../problem.js";

const SummaryQuery = queryObject("RegionSummaryQuery", {
  asOf: LocalDate,
  format: literals("SummaryFormat", ["json", "csv", "pdf"] as const),
});

/** The time zone the roll-up's "today" is taken in: the regions of a Dinas share it. */
const SUMMARY_TIME_ZONE = "Asia/Jakarta";
/** Who may read a region's roll-up. */
const ROLL_UP_ROLES: ReadonlySet<string> = new Set(["admin", "supervisor", "auditor"]);
/** Alerts are counted page by page; this many per page. */
const ALERT_PAGE = 500;

/** A region's summary, as a Fastify plugin. */
export const regionRoutes: FastifyPluginAsync<RoutesOptions> = async (app, { context }) => {
  /** Alerts of a cooperative nobody has acknowledged yet. */
  const openAlertsOf = (coopId: string, region: string): number => {
    let count = 0;
    let cursor: string | undefined;
    do {
      const page = context.alerts.list({
        regionPrefix: region,
        coopId,
        limit: ALERT_PAGE,
        ...(cursor === undefined ? {} : { cursor }),
      });
      count += page.alerts.filter((alert) => alert.acknowledgements.length === 0).length;
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined);
    return count;
  };

  /** The figures of each cooperative of the region the principal may see, as of `asOf`. */
  const figuresOf = async (
    principal: Principal,
    prefix: string,
    asOf: string,
  ): Promise<RegionCooperativeFigures[]> => {
    const figures: RegionCooperativeFigures[] = [];
    // One cooperative at a time: each is loaded on demand and may be let go again within the budget.
    for (const entry of context.directory.entries()) {
      const coop = { id: entry.coopId, regionCode: entry.regionCode };
      if (!canSee(principal, coop) || !regionWithin(coop.regionCode, prefix)) continue;
      const { model, state } = await context.handler.load(entry.coopId);
      const timeZone = state.settings?.timeZone ?? timeZoneForRegion(entry.regionCode);
      figures.push(cooperativeFigures(model, asOf, openAlertsOf(entry.coopId, prefix), timeZone));
    }
    return figures;
  };

  app.get<{ Params: { prefix: string } }>(
    "/v1/regions/:prefix/summary",
    describe(
      "reports",
      "Every cooperative of a region in the caller's scope with total assets, members' savings, loans outstanding, revenue and SHU since 1 January, cash ratio, days since the last posting and open alerts; format=csv|pdf.",
      { query: SummaryQuery },
    ),
    async (request, reply) => {
      const principal = principalOf(request);
      const prefix = decodePath(RegionPrefix, request.params.prefix, "prefix");
      // The roll-up is for those who oversee many cooperatives; a cooperative's own tokens read its reports.
      if (!ROLL_UP_ROLES.has(principal.role))
        throw new ApiProblem("forbidden", `The role ${principal.role} may not read a region's summary.`);
      if (!regionQueryAllowed(principal, prefix))
        throw new ApiProblem("forbidden", "The region lies outside this principal's scope.");
      const query = decodeQuery(SummaryQuery, request.query);
      await context.directory
        .waitForPosition(context.handler.lastPosition(), PROJECTION_WAIT_MS)
        .catch(() => undefined);
      const asOf = query.asOf ?? todayIn(SUMMARY_TIME_ZONE, context.now());
      const figures = await figuresOf(principal, prefix, asOf);
      const summary = regionSummaryOf(prefix, asOf, figures);
      if (query.format === undefined || query.format === "json") return summary;
      const document = regionSummaryDocument(summary);
      if (query.format === "csv") return reply.type("text/csv; charset=utf-8").send(documentToCsv(document));
      const setting: DocumentSetting = {
        cooperativeName: "Laporan Pengawasan Koperasi",
        regionCode: prefix,
        legalEntityNumber: null,
        printedOn: todayIn(SUMMARY_TIME_ZONE, context.now()),
        headHash: null,
        signatories: { ketua: null, bendahara: null, pengawas: null },
      };
      return reply.type("application/pdf").send(await context.pdf.render([document], setting));
    },
  );
};
