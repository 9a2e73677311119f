/**
 * What every route needs: the store, the command handler, principals, projections, alerts and the
 * request-level helpers (who is asking, may they, which key). Routes stay thin: decode, authorise,
 * handle, encode.
 */

import type { AlertsIndex } from "@bukubesar/alerts";
import { CoopId, IdempotencyKey } from "@bukubesar/contract";
import type { EventStore } from "@bukubesar/event-store";
import { type AllocationWarning, localDateOf, type Rejection } from "@bukubesar/ledger-core";
import type { Principal, PrincipalRegistry } from "@bukubesar/principals";
import type { PdfRenderPool } from "@bukubesar/report-render";
import type { CooperativeDirectory, LedgerSnapshot } from "@bukubesar/snapshots";
import type { FastifyRequest } from "fastify";
import * as E from "fp-ts/lib/Either.js";
import { type Action, canSee, mayDo, mayPossiblySee, roleForbidden } from "./authorization.js";
import type { CommandHandler, UnrecordedResult } from "./commandHandler.js";
import { decodePath, decodeQuery } from "./decode.js";
import type { LedgerCache } from "./ledgerCache.js";
import type { LedgerIntegrity } from "./ledgerIntegrity.js";
import {
  MIN_REVISION_POLL_MS,
  MIN_REVISION_WAIT_MS,
  REVISION_RETRY_AFTER_SECONDS,
  STORE_RETRY_AFTER_SECONDS,
} from "./limits.js";
import { ApiProblem, type FieldWarning, toJsonPointer } from "./problem.js";
import { MinRevisionQuery } from "./queries.js";
import { refusedRequest, refusing } from "./refusalAudit.js";
import type { SnapshotWriter } from "./snapshotWriter.js";

export interface ApiContext {
  readonly store: EventStore;
  readonly handler: CommandHandler;
  readonly principals: PrincipalRegistry;
  /** The cooperatives opened in the log (id, name, region), for lists and region summaries. */
  readonly directory: CooperativeDirectory;
  /** The cooperatives held in memory within the budget (docs/operations.md, Memory budget). */
  readonly cache: LedgerCache;
  /** Writes their snapshots in the background; null when the store keeps none. */
  readonly snapshotWriter: SnapshotWriter | null;
  /** The alerts of the same store (the supervisor's read model of the `alerts-*` streams). */
  readonly alerts: AlertsIndex;
  /** Renders PDFs on a worker thread, a bounded number at a time (report-render's pdfRenderPool.ts). */
  readonly pdf: PdfRenderPool;
  /** Which cooperatives are read-only because their hash chain broke (ledgerIntegrity.ts). */
  readonly integrity: LedgerIntegrity;
  readonly now: () => string;
}

declare module "fastify" {
  interface FastifyRequest {
    principal: Principal | null;
    /**
     * The revision of the cooperative's log this answer reflects (every event up to it is included),
     * sent as `Ledger-Revision`; null for answers about no single cooperative.
     */
    ledgerRevision: number | null;
    /** The `Ledger-Integrity` header of an answer about a cooperative whose chain broke; null otherwise. */
    ledgerIntegrity: string | null;
  }
}

/** The header that carries `request.ledgerRevision` (docs/api.md, "Which revision an answer reflects"). */
/** The options every routes plugin is registered with. */
export interface RoutesOptions {
  readonly context: ApiContext;
}

export const LEDGER_REVISION_HEADER = "ledger-revision";

/**
 * The header on every answer about a cooperative whose hash chain broke (docs/api.md, "Integrity"): reads
 * answer as of the last sound event, and a client must be able to tell such an answer from a sound one.
 */
export const LEDGER_INTEGRITY_HEADER = "ledger-integrity";

/** Records which revision of the cooperative's log the answer reflects, for the Ledger-Revision header. */
export const reflectRevision = (request: FastifyRequest, revision: number): void => {
  request.ledgerRevision = revision;
};

/** The refusal of a read whose `minRevision` this replica could not reach in time. */
export const revisionUnavailable = (minRevision: number, reached: number): ApiProblem =>
  new ApiProblem(
    "revision_unavailable",
    `This replica reflects revision ${reached} of the cooperative's log, not yet ${minRevision}; retry.`,
    [{ path: "minRevision", code: "revision_unavailable", message: `reached ${reached}` }],
    { "retry-after": String(REVISION_RETRY_AFTER_SECONDS) },
  );

/** Each request's `minRevision`, decoded once: a report asks for it twice (cooperativeFor and its model). */
const minRevisions = new WeakMap<FastifyRequest, number | null>();

/** The `minRevision` a GET asks for, or null (other methods never take it: it is not their parameter). */
export const minRevisionOf = (request: FastifyRequest): number | null => {
  const decoded = minRevisions.get(request);
  if (decoded !== undefined) return decoded;
  const minRevision =
    request.method === "GET" ? (decodeQuery(MinRevisionQuery, request.query).minRevision ?? null) : null;
  minRevisions.set(request, minRevision);
  return minRevision;
};

export const principalOf = (request: FastifyRequest): Principal => {
  if (request.principal === null)
    throw new ApiProblem("unauthenticated", "A valid bearer token is required.");
  return request.principal;
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Whether the principal may see this ledger at all (outside its scope it is 404, as if it did not exist). */
const visibleTo = (principal: Principal, snapshot: LedgerSnapshot): boolean =>
  snapshot.state.opened &&
  snapshot.state.regionCode !== null &&
  canSee(principal, { id: snapshot.coopId, regionCode: snapshot.state.regionCode });

/**
 * The cooperative's ledger once it holds at least `minRevision`: each load reads the stream's new events
 * from the store, so this waits for a write made through another replica (or the store's leader) to become
 * visible, up to MIN_REVISION_WAIT_MS; then the read is refused rather than answered from an older state.
 * A ledger outside the principal's scope is 404 at once, so waiting reveals nothing about it.
 */
const loadAtLeast = async (
  context: ApiContext,
  principal: Principal,
  coopId: string,
  minRevision: number | null,
): Promise<LedgerSnapshot> => {
  const deadline = Date.now() + MIN_REVISION_WAIT_MS;
  for (;;) {
    const snapshot = await context.handler.load(coopId);
    if (minRevision === null || snapshot.revision >= minRevision) return snapshot;
    if (snapshot.state.opened && !visibleTo(principal, snapshot))
      throw new ApiProblem("not_found", "No such cooperative.");
    if (Date.now() >= deadline) throw revisionUnavailable(minRevision, snapshot.revision);
    await sleep(MIN_REVISION_POLL_MS);
  }
};

/**
 * The cooperative named in the path, if the principal may see it and take `action` on it. Outside the
 * scope it is 404 exactly like a cooperative that does not exist; inside it, a role that may not act is 403.
 * With `minRevision` (GET only) it answers once the ledger holds that revision (docs/api.md).
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
  const snapshot = await loadAtLeast(context, principal, coopId, minRevisionOf(request));
  if (!visibleTo(principal, snapshot)) throw new ApiProblem("not_found", "No such cooperative.");
  if (!mayDo(principal, action))
    throw refusing(roleForbidden(principal), refusedRequest(request, coopId, snapshot.state));
  // Read now: the snapshot object advances in place when this process records more events.
  reflectRevision(request, snapshot.revision);
  const broken = context.integrity.breakOf(coopId);
  request.ledgerIntegrity =
    broken === undefined ? null : `broken; revision=${broken.revision}; alert=${broken.alertId}`;
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

/** The answer to a command that recorded nothing: the edge's reading of the command handler's outcome. */
export const problemFromUnrecorded = (result: UnrecordedResult): ApiProblem => {
  switch (result.kind) {
    case "rejected":
      return problemFromRejection(result.rejection);
    case "id_reused":
      return new ApiProblem(
        "idempotency_key_reused",
        "This Idempotency-Key was already used on this route with a different request.",
        [
          {
            path: "Idempotency-Key",
            code: "idempotency_key_reused",
            message: "send a new key for a new request",
          },
        ],
      );
    case "in_flight":
      return new ApiProblem(
        "idempotency_key_in_flight",
        "A request with this Idempotency-Key is still being processed; retry shortly.",
      );
    case "contended":
      return new ApiProblem(
        "store_unavailable",
        "Other writers kept moving this cooperative's log; retry (with the same Idempotency-Key, if one was sent).",
        [],
        { "retry-after": String(STORE_RETRY_AFTER_SECONDS) },
      );
  }
};

/**
 * A warning in a successful response (an allocation outside the usual ranges): the shape of a problem's
 * field error, its path a JSON Pointer into the request body.
 */
export const asFieldWarning = (warning: AllocationWarning): FieldWarning => ({
  path: toJsonPointer(warning.path),
  code: warning.code,
  message: warning.message,
});

/** "Today" on the cooperative's own calendar (its time zone). */
export const todayIn = (timeZone: string, nowIso: string): string => localDateOf(nowIso, timeZone);
