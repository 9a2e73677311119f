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
 * request id. What was refused is taken where it is known and carried by the problem that answers it
 * (`refusing`): the command and its rejection in `run` (cooperativeRoutes.ts), a role that may not act in
 * `cooperativeFor` (apiContext.ts), both for a cooperative the principal may see, so the audit stream of
 * another cooperative can never be written by guessing ids; the edge records it after the refusal budget. A retry under the same Idempotency-Key gets
 * the same event id and is recorded once. Recording is best effort: when the store cannot take it, the
 * refusal is logged and the client still gets its 403/422.
 */
import { randomUUID } from "node:crypto";
import { auditStreamId, COMMAND_REFUSED } from "@bukubesar/alerts";
import { IdempotencyKey } from "@bukubesar/contract";
import { appendChained, isStoreFailureOf, type NewEvent } from "@bukubesar/event-store";
import { entryIdFor, type LedgerCommand, type LedgerState } from "@bukubesar/ledger-core";
import type { AuditedRefusalCode, CommandRefusedData } from "@bukubesar/supervision";
import type { FastifyRequest } from "fastify";
import * as E from "fp-ts/lib/Either.js";
import type { ApiContext } from "./apiContext.js";
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

/**
 * What was refused, as the place that refused it knows it: the cooperative (one the principal may see),
 * the command and the entry and date it is about.
 */
export interface RefusedCommand {
  readonly coopId: string;
  readonly commandType: string;
  readonly entryId: string | null;
  readonly date: string | null;
}

/** The refused command carried by the problem that answers it, until the edge records it. */
const refusedCommands = new WeakMap<ApiProblem, RefusedCommand>();

/** Whether `problem` is a refusal the audit stream records (so counted against the refusal budget). */
export const isAuditedRefusal = (problem: ApiProblem): boolean => AUDITED_CODES.has(problem.code);

/** `problem`, carrying what it refused when it is a refusal the audit stream records. */
export const refusing = (problem: ApiProblem, refused: RefusedCommand): ApiProblem => {
  if (isAuditedRefusal(problem)) refusedCommands.set(problem, refused);
  return problem;
};

const entryAndDate = (state: LedgerState, entryId: string | undefined, date: string | undefined) => {
  const entry = entryId === undefined ? undefined : state.entries.get(entryId);
  return {
    entryId: entry?.entryId ?? null,
    date: date !== undefined && DATE_PATTERN.test(date) ? date : (entry?.date ?? null),
  };
};

/**
 * A command the decider refused: its type, the recorded entry it names and its date (or that entry's),
 * read from the command itself, where the rejection is known.
 */
export const refusedLedgerCommand = (
  coopId: string,
  state: LedgerState,
  command: LedgerCommand,
): RefusedCommand => ({
  coopId,
  commandType: command.type,
  ...entryAndDate(state, stringField(command.data, "entryId"), stringField(command.data, "date")),
});

/**
 * A request refused before any command was made (a role that may not act on a cooperative it sees): the
 * command its route would have given, and the entry and date the request names.
 */
export const refusedRequest = (
  request: FastifyRequest,
  coopId: string,
  state: LedgerState,
): RefusedCommand => {
  const route = `${request.method} ${request.routeOptions.url ?? request.url}`;
  return {
    coopId,
    commandType: COMMAND_TYPES[route] ?? route,
    ...entryAndDate(state, stringField(request.params, "entryId"), stringField(request.body, "date")),
  };
};

/**
 * Records the refusal `problem` carries in its cooperative's audit stream (nothing for a problem that
 * carries none). Called by the edge once the refusal is counted against the principal's budget.
 */
export const recordRefusal = async (
  context: ApiContext,
  request: FastifyRequest,
  problem: ApiProblem,
): Promise<void> => {
  const refused = refusedCommands.get(problem);
  const principal = request.principal;
  if (refused === undefined || principal === null) return;
  const { coopId } = refused;
  const route = `${request.method} ${request.routeOptions.url ?? request.url}`;
  const at = context.now();
  const data: CommandRefusedData = {
    code: problem.code as AuditedRefusalCode,
    commandType: refused.commandType,
    entryId: refused.entryId,
    date: refused.date,
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
