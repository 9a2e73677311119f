/** Browser sign-in: a bearer token exchanged for a session cookie, the session read back, and sign-out. */

import { StartSessionBody } from "@bukubesar/contract";
import type { Principal } from "@bukubesar/principals";
import type { FastifyPluginAsync, FastifyRequest } from "fastify";
import type { ApiContext, RoutesOptions } from "../apiContext.js";
import { decodeBody } from "../decode.js";
import { SESSION_LIFETIME_MS } from "../limits.js";
import { describe } from "../openApi.js";
import { ApiProblem } from "../problem.js";
import type { RateLimits } from "../rateLimit.js";
import { clearSessionCookie, csrfTokenOf, sessionSecretOf, setSessionCookie } from "../sessions.js";

const sessionView = (principal: Principal, secret: string, expiresAt: string) => ({
  principalId: principal.principalId,
  role: principal.role,
  scope: principal.scope,
  name: principal.name,
  csrfToken: csrfTokenOf(secret),
  expiresAt,
});

/** Whether the request came over HTTPS (directly or through a proxy that says so): then the cookie is Secure. */
const isHttps = (request: FastifyRequest): boolean =>
  request.protocol === "https" || request.headers["x-forwarded-proto"] === "https";

const liveSecret = async (request: FastifyRequest, context: ApiContext) => {
  const secret = sessionSecretOf(request);
  const session = secret === undefined ? null : await context.principals.sessionPrincipal(secret);
  if (secret === undefined || session === null)
    throw new ApiProblem("unauthenticated", "There is no session; sign in with a token.");
  return { secret, ...session };
};

/** The sessions a browser signs in with, as a Fastify plugin. */
export const sessionRoutes: FastifyPluginAsync<
  RoutesOptions & { readonly rateLimits: Pick<RateLimits, "checkAddress" | "countUnauthenticated"> }
> = async (app, { context, rateLimits }) => {
  app.post(
    "/v1/sessions",
    describe("sessions", "Sign in: exchange a bearer token for an HttpOnly session cookie.", {
      isPublic: true,
      body: StartSessionBody,
    }),
    async (request, reply) => {
      const body = decodeBody(StartSessionBody, request.body);
      // Checked again now that the body is here: wrong tokens read since the headers arrived may have
      // used up the address's budget, and then this token is not read either.
      await rateLimits.checkAddress(request, reply);
      const principal = context.principals.authenticate(body.token);
      if (principal === null) {
        // A wrong token counts against the address like a wrong bearer token (429 once it is used up).
        await rateLimits.countUnauthenticated(request, reply);
        throw new ApiProblem("unauthenticated", "The token is not valid.");
      }
      const started = await context.principals.startSession(principal, SESSION_LIFETIME_MS);
      setSessionCookie(reply, started.secret, started.expiresAt, isHttps(request));
      reply.header("cache-control", "no-store");
      return reply.code(201).send(sessionView(principal, started.secret, started.expiresAt));
    },
  );

  app.get(
    "/v1/session",
    describe("sessions", "The signed-in principal of the session cookie, with its CSRF token.", {
      isPublic: true,
    }),
    async (request, reply) => {
      const { secret, principal, expiresAt } = await liveSecret(request, context);
      reply.header("cache-control", "no-store");
      return sessionView(principal, secret, expiresAt);
    },
  );

  app.delete(
    "/v1/session",
    describe("sessions", "Sign out: the session ends at once, everywhere.", { isPublic: true }),
    async (request, reply) => {
      const { secret } = await liveSecret(request, context);
      await context.principals.endSession(secret);
      clearSessionCookie(reply);
      return reply.code(204).send();
    },
  );
};
