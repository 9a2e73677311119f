/**
 * What every route needs: the store, the command handler, principals, projections, alerts and the
 * request-level helpers (who is asking, may they, which key). Routes stay thin: decode, authorise,
 * handle, encode.
 */
import type { EventStore } from "@bukubesar/event-store";
import type { Rejection } from "@bukubesar/ledger-core";
import type { ProjectionRunner } from "@bukubesar/projections";
import type { AlertsIndex } from "@bukubesar/supervisor";
import type { FastifyRequest } from "fastify";
import * as E from "fp-ts/lib/Either.js";
import { type Action, canSee, mayPossiblySee, requireRole } from "./authorization.js";
import { CoopId, IdempotencyKey } from "./codecs.js";
import type { CommandHandler } from "./commandHandler.js";
import { decodePath } from "./decode.js";
import type { LedgerSnapshot } from "./ledgerSnapshot.js";
import type { Principal, PrincipalRegistry } from "./principals.js";
import { ApiProblem } from "./problem.js";

export interface ApiContext {
  readonly store: EventStore;
  readonly handler: CommandHandler;
  readonly principals: PrincipalRegistry;
  readonly projections: ProjectionRunner;
  /** The alerts of the same store (the supervisor's read model of the `alerts-*` streams). */
  readonly alerts: AlertsIndex;
  readonly now: () => string;
}

declare module "fastify" {
  interface FastifyRequest {
    principal: Principal | null;
  }
}

export const principalOf = (request: FastifyRequest): Principal => {
  if (request.principal === null)
    throw new ApiProblem("unauthenticated", "A valid bearer token is required.");
  return request.principal;
};

/**
 * The cooperative named in the path, if the principal may see it and take `action` on it. Outside the
 * scope it is 404 exactly like a cooperative that does not exist; inside it, a role that may not act is 403.
 */
export const cooperativeFor = async (
  context: ApiContext,
  request: FastifyRequest,
  rawCoopId: unknown,
  action: Action,
): Promise<LedgerSnapshot> => {
  const principal = principalOf(request);
  const coopId = decodePath(CoopId, rawCoopId, "cooperative");
  if (!mayPossiblySee(principal, coopId)) throw new ApiProblem("not_found", "No such cooperative.");
  const snapshot = await context.handler.load(coopId);
  const { state } = snapshot;
  if (
    !state.opened ||
    state.regionCode === null ||
    !canSee(principal, { id: coopId, regionCode: state.regionCode })
  ) {
    throw new ApiProblem("not_found", "No such cooperative.");
  }
  requireRole(principal, action);
  return snapshot;
};

/** The Idempotency-Key header; required on routes that record ledger history. */
export const idempotencyKeyOf = (request: FastifyRequest, required: boolean): string | null => {
  const raw = request.headers["idempotency-key"];
  if (raw === undefined) {
    if (!required) return null;
    throw new ApiProblem(
      "idempotency_key_required",
      "This route records ledger history and needs an Idempotency-Key header.",
      [
        {
          path: "Idempotency-Key",
          code: "idempotency_key_required",
          message: "send 1-128 printable ASCII characters",
        },
      ],
    );
  }
  const decoded = IdempotencyKey.decode(Array.isArray(raw) ? undefined : raw);
  if (E.isLeft(decoded)) {
    throw new ApiProblem("invalid_header", "Idempotency-Key must be 1-128 printable ASCII characters.", [
      { path: "Idempotency-Key", code: "invalid_header", message: "send 1-128 printable ASCII characters" },
    ]);
  }
  return decoded.right;
};

export const problemFromRejection = (rejection: Rejection): ApiProblem =>
  new ApiProblem(
    rejection.code,
    rejection.message,
    rejection.path === undefined
      ? []
      : [{ path: rejection.path, code: rejection.code, message: rejection.message }],
  );

/** "Today" on the cooperative's own calendar (its time zone). */
export const todayIn = (timeZone: string, nowIso: string): string =>
  new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(
    new Date(nowIso),
  );
