/**
 * The audit stream `audit-<coopId>`: refusals that matter to supervisors, kept apart from the ledger.
 *
 * A refused request changes nothing in the ledger (api.md, Conventions): its stream, revision and head
 * hash stay as they were. Yet a self-approval attempt (403 `self_approval`), an attempt to record into a
 * closed month (422 `period_closed`) and a role acting beyond its rights inside its scope (403
 * `forbidden`, docs/reliability.md section 5: denials must be auditable) must be seen by supervisors and kept. So
 * each is recorded as one `CommandRefused` event in the cooperative's audit stream, which the supervisor
 * follows (rules `self-approval` and `closed-period-attempt`). Nothing else reads or writes that stream;
 * it carries no hash chain (it is evidence of attempts, not part of the books).
 *
 * Data: `{code, commandType, entryId|null, date|null, principalId, role, at}`; metadata: who, when and the
 * request id. A refusal is recorded only for a cooperative the principal may see, so the audit stream of
 * another cooperative can never be written by guessing ids. A retry under the same Idempotency-Key gets
 * the same event id and is recorded once. Recording is best effort: when the store cannot take it, the
 * refusal is logged and the client still gets its 403/422.
 */
import { randomUUID } from "node:crypto";
import { auditStreamId, COMMAND_REFUSED } from "@bukubesar/alerts";
import { CoopId, IdempotencyKey } from "@bukubesar/contract";
import { appendChained, isStoreFailureOf, type NewEvent } from "@bukubesar/event-store";
import { entryIdFor } from "@bukubesar/ledger-core";
import type { AuditedRefusalCode, CommandRefusedData } from "@bukubesar/supervision";
import type { FastifyRequest } from "fastify";
import * as E from "fp-ts/lib/Either.js";
import type { ApiContext } from "./apiContext.js";
import { canSee } from "./authorization.js";
import type { ApiProblem } from "./problem.js";

const AUDITED_CODES: ReadonlySet<string> = new Set<AuditedRefusalCode>([
  "self_approval",
  "period_closed",
  "forbidden",
]);

/** The command each writing route of a cooperative would have recorded. */
const COMMAND_TYPES: Readonly<Record<string, string>> = {
  "PATCH /v1/cooperatives/:coopId/settings": "ChangeSettings",
  "POST /v1/cooperatives/:coopId/accounts": "OpenAccount",
  "POST /v1/cooperatives/:coopId/accounts/:code/close": "CloseAccount",
  "POST /v1/cooperatives/:coopId/members": "RegisterMember",
  "POST /v1/cooperatives/:coopId/journal-entries": "PostJournalEntry",
  "POST /v1/cooperatives/:coopId/journal-entries/:entryId/approve": "ApproveJournalEntry",
  "POST /v1/cooperatives/:coopId/journal-entries/:entryId/reject": "RejectJournalEntry",
  "POST /v1/cooperatives/:coopId/journal-entries/:entryId/reverse": "ReverseJournalEntry",
  "POST /v1/cooperatives/:coopId/periods/:period/close": "ClosePeriod",
  "POST /v1/cooperatives/:coopId/periods/:period/reopen": "ReopenPeriod",
  "POST /v1/cooperatives/:coopId/fiscal-years/:year/close": "CloseFiscalYear",
  "POST /v1/cooperatives/:coopId/fiscal-years/:year/rat-decision": "RecordRatDecision",
  "POST /v1/cooperatives/:coopId/fiscal-years/:year/reopen": "ReopenFiscalYear",
  "POST /v1/cooperatives/:coopId/fiscal-years/:year/close/approve": "ApproveYearEndStep",
  "POST /v1/cooperatives/:coopId/fiscal-years/:year/close/reject": "RejectYearEndStep",
  "POST /v1/cooperatives/:coopId/fiscal-years/:year/rat-decision/approve": "ApproveYearEndStep",
  "POST /v1/cooperatives/:coopId/fiscal-years/:year/rat-decision/reject": "RejectYearEndStep",
};

const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

const stringField = (value: unknown, name: string): string | undefined => {
  if (typeof value !== "object" || value === null) return undefined;
  const field = (value as Record<string, unknown>)[name];
  return typeof field === "string" ? field : undefined;
};

/** Whether `problem` is a refusal the audit stream records (so counted against the refusal budget). */
export const isAuditedRefusal = (problem: ApiProblem): boolean => AUDITED_CODES.has(problem.code);

/** Records `problem` in the cooperative's audit stream when it is a refusal supervisors must see. */
export const recordRefusal = async (
  context: ApiContext,
  request: FastifyRequest,
  problem: ApiProblem,
): Promise<void> => {
  if (!AUDITED_CODES.has(problem.code)) return;
  const principal = request.principal;
  if (principal === null) return;
  const decodedCoopId = CoopId.decode(stringField(request.params, "coopId"));
  if (E.isLeft(decodedCoopId)) return;
  const coopId: string = decodedCoopId.right;
  const snapshot = await context.handler.load(coopId);
  const { state } = snapshot;
  if (!state.opened || state.regionCode === null) return;
  if (!canSee(principal, { id: coopId, regionCode: state.regionCode })) return;

  const route = `${request.method} ${request.routeOptions.url ?? request.url}`;
  const commandType = COMMAND_TYPES[route] ?? route;
  const pathEntryId = stringField(request.params, "entryId");
  const entry = pathEntryId === undefined ? undefined : state.entries.get(pathEntryId);
  const bodyDate = stringField(request.body, "date");
  const date = bodyDate !== undefined && DATE_PATTERN.test(bodyDate) ? bodyDate : (entry?.date ?? null);
  const at = context.now();
  const data: CommandRefusedData = {
    code: problem.code as AuditedRefusalCode,
    commandType,
    entryId: entry?.entryId ?? null,
    date,
    principalId: principal.principalId,
    role: principal.role,
    at,
  };
  const key = IdempotencyKey.decode(request.headers["idempotency-key"]);
  const event: NewEvent = {
    eventId: E.isRight(key) ? entryIdFor(coopId, `audit ${route} ${problem.code}`, key.right) : randomUUID(),
    type: COMMAND_REFUSED,
    data,
    metadata: {
      principalId: principal.principalId,
      role: principal.role,
      recordedAt: at,
      correlationId: request.id,
    },
  };
  try {
    await appendChained(context.store, auditStreamId(coopId), [event]);
  } catch (error) {
    // The same key retried with another body or at another time: the first refusal is already recorded.
    if (isStoreFailureOf(error, "EventIdReused")) return;
    request.log.warn({ err: error, code: problem.code }, "could not record a refusal in the audit stream");
  }
};
