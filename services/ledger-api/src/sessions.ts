/**
 * Browser sessions. A browser cannot keep a bearer token safely (script-readable storage leaks it to any
 * injected script), so it exchanges the token once for a session cookie that scripts cannot read
 * (HttpOnly), that other sites' pages never send (SameSite=Strict), and that ends at sign-out or after
 * SESSION_LIFETIME_MS. Cookie-authenticated requests that change something must also carry the session's
 * CSRF token in a header, which only our own page can read (from the sign-in answer or GET /v1/session).
 */
import { createHash, timingSafeEqual } from "node:crypto";
import type { Principal, PrincipalRegistry } from "@bukubesar/principals";
import type { FastifyReply, FastifyRequest } from "fastify";
import { ApiProblem } from "./problem.js";

export const SESSION_COOKIE = "bb_session";
export const CSRF_HEADER = "x-csrf-token";

/** Methods that only read: they need no CSRF token. */
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** The CSRF token of a session, derived from its secret so that nothing more is stored. */
export const csrfTokenOf = (secret: string): string =>
  createHash("sha256").update(`csrf:${secret}`, "utf8").digest("base64url");

const sameText = (a: string, b: string): boolean =>
  a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

export const sessionSecretOf = (request: FastifyRequest): string | undefined => {
  const value = request.cookies[SESSION_COOKIE];
  return value === undefined || value === "" ? undefined : value;
};

/**
 * The principal of the request's session cookie, or null without one. A cookie that names no live session
 * is 401 (so the page asks to sign in again); a changing request without the right CSRF token is 403.
 */
export const sessionPrincipalOf = async (
  request: FastifyRequest,
  principals: PrincipalRegistry,
): Promise<Principal | null> => {
  const secret = sessionSecretOf(request);
  if (secret === undefined) return null;
  const session = await principals.sessionPrincipal(secret);
  if (session === null) throw new ApiProblem("unauthenticated", "The session has ended; sign in again.");
  if (!SAFE_METHODS.has(request.method)) {
    const sent = request.headers[CSRF_HEADER];
    if (typeof sent !== "string" || !sameText(sent, csrfTokenOf(secret)))
      throw new ApiProblem("csrf_token_invalid", `Send the session's CSRF token in ${CSRF_HEADER}.`);
  }
  return session.principal;
};

export const setSessionCookie = (
  reply: FastifyReply,
  secret: string,
  expiresAt: string,
  secure: boolean,
): void => {
  reply.setCookie(SESSION_COOKIE, secret, {
    path: "/",
    httpOnly: true,
    sameSite: "strict",
    secure,
    expires: new Date(expiresAt),
  });
};

export const clearSessionCookie = (reply: FastifyReply): void => {
  reply.clearCookie(SESSION_COOKIE, { path: "/", httpOnly: true, sameSite: "strict" });
};
