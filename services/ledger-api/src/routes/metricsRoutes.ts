/** GET /metrics: Prometheus text for an admin or a principal of role `metrics` (a scraper's token). */
import type { FastifyPluginAsync } from "fastify";
import { principalOf } from "../apiContext.js";
import type { ServiceMetrics } from "../metrics.js";
import { describe } from "../openApi.js";
import { ApiProblem } from "../problem.js";

const SCRAPER_ROLES: readonly string[] = ["admin", "metrics"];

/** GET /metrics, as a Fastify plugin. */
export const metricsRoutes: FastifyPluginAsync<{ readonly metrics: ServiceMetrics }> = async (
  app,
  { metrics },
) => {
  app.get(
    "/metrics",
    describe("service", "Prometheus metrics (text exposition format); admin or role metrics."),
    async (request, reply) => {
      if (!SCRAPER_ROLES.includes(principalOf(request).role))
        throw new ApiProblem("forbidden", "Only an admin or a principal of role metrics reads /metrics.");
      reply.header("cache-control", "no-store").type(metrics.registry.contentType);
      return metrics.registry.metrics();
    },
  );
};
