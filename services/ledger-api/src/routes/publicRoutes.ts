/** The public routes: liveness, readiness and the API's own description. */
import { LEDGER_STREAM_PREFIX } from "@bukubesar/ledger-core";
import type { FastifyPluginAsync } from "fastify";
import type { RoutesOptions } from "../apiContext.js";
import { READY_PROJECTION_WAIT_MS } from "../limits.js";
import { describe } from "../openApi.js";
import { ApiProblem } from "../problem.js";

/** The routes that need no token, as a Fastify plugin. */
export const publicRoutes: FastifyPluginAsync<RoutesOptions> = async (app, { context }) => {
  app.get("/health", describe("service", "Liveness: the process answers.", { isPublic: true }), async () => ({
    status: "ok",
  }));

  app.get(
    "/ready",
    describe(
      "service",
      "Readiness: the store answers and the directory of cooperatives is caught up; `readOnly` lists cooperatives whose hash chain broke.",
      {
        isPublic: true,
      },
    ),
    async () => {
      // After an I/O error the store takes no write until it recovers (docs/reliability.md section 6, #16):
      // a replica that cannot write must leave the load balancer, whatever its reads can still do.
      const halted = context.store.writesHalted?.() ?? null;
      if (halted !== null)
        throw new ApiProblem("not_ready", `The store takes no writes after an I/O error: ${halted}.`, [], {
          "retry-after": "5",
        });
      let pending: readonly { position: bigint }[];
      try {
        // Only ledger streams feed the directory; the first ledger event it has not seen yet, if any.
        pending = await context.store.readAll({
          after: context.directory.position(),
          streamPrefix: LEDGER_STREAM_PREFIX,
          limit: 1,
        });
      } catch {
        throw new ApiProblem("not_ready", "The store does not answer.", [], { "retry-after": "5" });
      }
      const head = pending[0]?.position ?? context.directory.position();
      try {
        if (pending.length > 0) await context.directory.waitForPosition(head, READY_PROJECTION_WAIT_MS);
      } catch {
        throw new ApiProblem("not_ready", "The directory of cooperatives is still catching up.", [], {
          "retry-after": "5",
        });
      }
      // A cooperative whose chain broke is read-only; the others are served as usual, so the replica stays
      // ready and says which ones (a load balancer taking it out would stop every cooperative's writes).
      const readOnly = context.integrity.breaks().map(({ coopId, revision, reason, alertId }) => ({
        coopId,
        revision,
        reason,
        alertId,
      }));
      return { status: readOnly.length === 0 ? "ready" : "degraded", position: head.toString(), readOnly };
    },
  );

  app.get("/openapi.json", { schema: { hide: true } }, async () => app.swagger());
};
