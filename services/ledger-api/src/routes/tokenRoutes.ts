/** Principals: issuing and revoking bearer tokens (admin only). */

import { IssueTokenBody, PrincipalId } from "@bukubesar/contract";
import { type Principal, type PrincipalRegistry, PrincipalRequestRefused } from "@bukubesar/principals";
import type { FastifyPluginAsync } from "fastify";
import { principalOf, type RoutesOptions } from "../apiContext.js";
import { requireRole } from "../authorization.js";
import { decodeBody, decodePath } from "../decode.js";
import { describe } from "../openApi.js";
import { ApiProblem } from "../problem.js";

/** Issues a token; a field the registry refuses is answered `validation_failed` naming that field. */
const issueAnsweringRefusals = async (
  registry: PrincipalRegistry,
  fields: Parameters<PrincipalRegistry["issue"]>[0],
  by: Principal,
): ReturnType<PrincipalRegistry["issue"]> => {
  try {
    return await registry.issue(fields, by);
  } catch (error) {
    if (!(error instanceof PrincipalRequestRefused)) throw error;
    throw new ApiProblem("validation_failed", error.detail, [
      { path: error.field.path, code: "validation_failed", message: error.field.message },
    ]);
  }
};

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
      const issued = await issueAnsweringRefusals(context.principals, body, principal);
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
