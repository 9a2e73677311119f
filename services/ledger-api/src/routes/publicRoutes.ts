/** The public routes: liveness, readiness and the API's own description. */
import type { FastifyInstance } from "fastify";
import type { ApiContext } from "../apiContext.js";
import { READY_PROJECTION_WAIT_MS } from "../limits.js";
import { describe } from "../openApi.js";
import { ApiProblem } from "../problem.js";

export const registerPublicRoutes = (app: FastifyInstance, context: ApiContext): void => {
  app.get("/health", describe("service", "Liveness: the process answers.", true), async () => ({
    status: "ok",
  }));

  app.get(
    "/ready",
    describe("service", "Readiness: the store answers and the projections are caught up.", true),
    async () => {
      let head: bigint;
      try {
        head = await context.store.headPosition();
      } catch {
        throw new ApiProblem("not_ready", "The store does not answer.", [], { "retry-after": "5" });
      }
      try {
        await context.projections.waitForPosition(head, READY_PROJECTION_WAIT_MS);
      } catch {
        throw new ApiProblem("not_ready", "The projections are still catching up.", [], {
          "retry-after": "5",
        });
      }
      return { status: "ready", position: head.toString() };
    },
  );

  app.get("/openapi.json", { schema: { hide: true } }, async () => app.swagger());
};
