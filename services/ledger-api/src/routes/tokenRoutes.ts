/** Principals: issuing and revoking bearer tokens (admin only). */

import { IssueTokenBody, PrincipalId } from "@bukubesar/contract";
import type { FastifyPluginAsync } from "fastify";
import { principalOf, type RoutesOptions } from "../apiContext.js";
import { requireRole } from "../authorization.js";
import { decodeBody, decodePath } from "../decode.js";
import { describe } from "../openApi.js";
import { ApiProblem } from "../problem.js";

/** Tokens (admin), as a Fastify plugin. */
export const tokenRoutes: FastifyPluginAsync<RoutesOptions> = async (app, { context }) => {
  app.post(
    "/v1/tokens",
    describe(
      "principals",
      "Issue a token (admin), optionally expiring at expiresAt; the token is shown only in this response.",
      {
        body: IssueTokenBody,
      },
    ),
    async (request, reply) => {
      const principal = principalOf(request);
      requireRole(principal, "changeSettings");
      const body = decodeBody(IssueTokenBody, request.body);
      const issued = await context.principals.issue(body, principal);
      return reply.code(201).send({
        token: issued.token,
        ...issued.principal,
        ...(issued.expiresAt === undefined ? {} : { expiresAt: issued.expiresAt }),
      });
    },
  );

  app.get(
    "/v1/tokens",
    describe(
      "principals",
      "The principals whose tokens work (admin): id, role, scope, name and expiry; never a token.",
    ),
    async (request) => {
      requireRole(principalOf(request), "changeSettings");
      return { principals: context.principals.live() };
    },
  );

  app.delete<{ Params: { principalId: string } }>(
    "/v1/tokens/:principalId",
    describe("principals", "Revoke a token (admin); it stops working at once."),
    async (request, reply) => {
      const principal = principalOf(request);
      requireRole(principal, "changeSettings");
      const principalId = decodePath(PrincipalId, request.params.principalId, "principal");
      const revoked = await context.principals.revoke(principalId, principal);
      if (!revoked) throw new ApiProblem("not_found", "No such principal.");
      return reply.code(204).send();
    },
  );
};
