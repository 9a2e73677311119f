/** Journal entries (post, approve, reject, reverse, read) and periods; fiscal years are in fiscalYearRoutes.ts. */

import {
  AccountCode,
  EmptyBody,
  EntryId,
  LocalDate,
  literals,
  PeriodParam,
  PostJournalEntryBody,
  queryObject,
  ReasonBody,
  ReverseBody,
  requestHashOf,
  toEntryLine,
} from "@bukubesar/contract";
import type { LedgerCommand } from "@bukubesar/ledger-core";
import type { LedgerSnapshot } from "@bukubesar/snapshots";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { type ApiContext, cooperativeFor, idempotencyKeyOf, principalOf } from "../apiContext.js";
import type { Action } from "../authorization.js";
import type { CommandContext } from "../commandHandler.js";
import { decodeCursor, encodeCursor } from "../cooperativeView.js";
import { decodeBody, decodePath, decodeQuery } from "../decode.js";
import { ENTRY_STATUS_NAMES, entryFromEvents, entryFromSnapshot } from "../entryView.js";
import { PAGE_SIZE_DEFAULT } from "../limits.js";
import { describe } from "../openApi.js";
import { ApiProblem } from "../problem.js";
import { Cursor, Limit } from "../queries.js";
import { run } from "./cooperativeRoutes.js";

const EntryQuery = queryObject("EntryQuery", {
  from: LocalDate,
  to: LocalDate,
  account: AccountCode,
  status: literals("EntryStatus", Object.values(ENTRY_STATUS_NAMES)),
  limit: Limit,
  cursor: Cursor,
});

type EntryParams = { Params: { coopId: string; entryId: string } };

/** A keyed write: the key and the request's hash become the events' metadata. */
export const keyedContext = (
  request: FastifyRequest,
  route: string,
  body: unknown,
  required = true,
): CommandContext => {
  const principal = principalOf(request);
  const idempotencyKey = idempotencyKeyOf(request, required);
  return {
    principalId: principal.principalId,
    role: principal.role,
    route,
    idempotencyKey,
    requestHash: idempotencyKey === null ? null : requestHashOf(route, body),
    correlationId: request.id,
  };
};

export const replied = (reply: FastifyReply, replayed: boolean, status: number, body: unknown) => {
  if (replayed) reply.header("idempotent-replayed", "true");
  return reply.code(status).send(body);
};

const entryOr404 = (snapshot: LedgerSnapshot, rawEntryId: unknown): string => {
  const entryId = decodePath(EntryId, rawEntryId, "journal entry");
  if (!snapshot.state.entries.has(entryId)) throw new ApiProblem("not_found", "No such journal entry.");
  return entryId;
};

export const registerEntryRoutes = (app: FastifyInstance, context: ApiContext): void => {
  const access = (request: FastifyRequest<{ Params: { coopId: string } }>, action: Action) =>
    cooperativeFor(context, request, request.params.coopId, action);
  const actorOf = (request: FastifyRequest) => {
    const principal = principalOf(request);
    return { principalId: principal.principalId, role: principal.role };
  };
  const execute = async (
    request: FastifyRequest,
    snapshot: LedgerSnapshot,
    command: LedgerCommand,
    commandContext: CommandContext,
    baseId?: string,
  ) => run(context, request, snapshot.coopId, command, commandContext, baseId);

  app.post<{ Params: { coopId: string } }>(
    "/v1/cooperatives/:coopId/journal-entries",
    describe(
      "journal entries",
      "Post a journal entry (treasurer); 201 posted, 202 pending approval above the threshold or when kind is adjusting. Needs Idempotency-Key.",
      { body: PostJournalEntryBody, idempotencyKey: "required" },
    ),
    async (request, reply) => {
      const snapshot = await access(request, "post");
      const body = decodeBody(PostJournalEntryBody, request.body);
      const route = "journal-entries";
      const commandContext = keyedContext(request, route, request.body ?? {});
      const entryId = context.handler.baseIdFor(snapshot.coopId, route, commandContext.idempotencyKey);
      const command: LedgerCommand = {
        type: "PostJournalEntry",
        data: {
          entryId,
          date: body.date,
          memo: body.memo ?? "",
          lines: body.lines.map(toEntryLine),
          ...(body.kind === "adjusting" ? { kind: body.kind } : {}),
        },
        actor: actorOf(request),
      };
      const result = await execute(request, snapshot, command, commandContext, entryId);
      const view = entryFromEvents(snapshot.coopId, result.events, entryId);
      if (view === null) throw new Error("a recorded journal entry has no posting or proposal event");
      return replied(reply, result.replayed, view.status === "posted" ? 201 : 202, view);
    },
  );

  app.post<EntryParams>(
    "/v1/cooperatives/:coopId/journal-entries/:entryId/approve",
    describe(
      "journal entries",
      "Approve a pending entry (approver, not its proposer); 201 the posted entry.",
      { body: EmptyBody, idempotencyKey: "required" },
    ),
    async (request, reply) => {
      const snapshot = await access(request, "approve");
      const entryId = entryOr404(snapshot, request.params.entryId);
      decodeBody(EmptyBody, request.body);
      const route = `journal-entries/${entryId}/approve`;
      const commandContext = keyedContext(request, route, request.body ?? {});
      const result = await execute(
        request,
        snapshot,
        { type: "ApproveJournalEntry", data: { entryId }, actor: actorOf(request) },
        commandContext,
      );
      const view =
        entryFromEvents(snapshot.coopId, result.events, entryId) ??
        entryFromSnapshot(result.snapshot, entryId);
      return replied(reply, result.replayed, 201, view);
    },
  );

  app.post<EntryParams>(
    "/v1/cooperatives/:coopId/journal-entries/:entryId/reject",
    describe("journal entries", "Reject a pending entry (approver) with a reason.", {
      body: ReasonBody,
      idempotencyKey: "required",
    }),
    async (request, reply) => {
      const snapshot = await access(request, "approve");
      const entryId = entryOr404(snapshot, request.params.entryId);
      const body = decodeBody(ReasonBody, request.body);
      const route = `journal-entries/${entryId}/reject`;
      const commandContext = keyedContext(request, route, request.body ?? {});
      const result = await execute(
        request,
        snapshot,
        { type: "RejectJournalEntry", data: { entryId, reason: body.reason }, actor: actorOf(request) },
        commandContext,
      );
      return replied(reply, result.replayed, 200, {
        ...entryFromSnapshot(result.snapshot, entryId),
        status: "rejected",
        reason: body.reason,
      });
    },
  );

  app.post<EntryParams>(
    "/v1/cooperatives/:coopId/journal-entries/:entryId/reverse",
    describe(
      "journal entries",
      "Reverse a posted entry (treasurer): 201 the mirroring entry, linked both ways.",
      { body: ReverseBody, idempotencyKey: "required" },
    ),
    async (request, reply) => {
      const snapshot = await access(request, "post");
      const entryId = entryOr404(snapshot, request.params.entryId);
      const body = decodeBody(ReverseBody, request.body);
      const route = `journal-entries/${entryId}/reverse`;
      const commandContext = keyedContext(request, route, request.body ?? {});
      const reversalEntryId = context.handler.baseIdFor(
        snapshot.coopId,
        route,
        commandContext.idempotencyKey,
      );
      const result = await execute(
        request,
        snapshot,
        {
          type: "ReverseJournalEntry",
          data: { entryId, reversalEntryId, date: body.date, reason: body.reason ?? "" },
          actor: actorOf(request),
        },
        commandContext,
        reversalEntryId,
      );
      const view = entryFromEvents(snapshot.coopId, result.events, reversalEntryId);
      return replied(reply, result.replayed, 201, { ...view, reverses: entryId });
    },
  );

  app.get<{ Params: { coopId: string } }>(
    "/v1/cooperatives/:coopId/journal-entries",
    describe(
      "journal entries",
      "Entries in recording order, filtered by from/to (dates, inclusive), account and status (pending_approval: the approvers' queue).",
      { query: EntryQuery },
    ),
    async (request) => {
      const snapshot = await access(request, "read");
      const query = decodeQuery(EntryQuery, request.query);
      const limit = query.limit ?? PAGE_SIZE_DEFAULT;
      let start = 0;
      if (query.cursor !== undefined) {
        const decoded = Number(decodeCursor(query.cursor));
        if (!Number.isSafeInteger(decoded) || decoded < 0) {
          throw new ApiProblem("validation_failed", "The cursor is not one this API gave out.", [
            { path: "cursor", code: "validation_failed", message: "use nextCursor from a previous page" },
          ]);
        }
        start = decoded;
      }
      const entries = [];
      let index = start;
      for (; index < snapshot.entryOrder.length && entries.length < limit; index++) {
        const entry = snapshot.state.entries.get(snapshot.entryOrder[index] as string);
        if (entry === undefined) continue;
        if (query.from !== undefined && entry.date < query.from) continue;
        if (query.to !== undefined && entry.date > query.to) continue;
        if (query.account !== undefined && !entry.lines.some((line) => line.account === query.account))
          continue;
        if (query.status !== undefined && ENTRY_STATUS_NAMES[entry.status] !== query.status) continue;
        entries.push(entryFromSnapshot(snapshot, entry.entryId));
      }
      return { entries, nextCursor: index < snapshot.entryOrder.length ? encodeCursor(String(index)) : null };
    },
  );

  app.get<EntryParams>(
    "/v1/cooperatives/:coopId/journal-entries/:entryId",
    describe("journal entries", "One entry, with reversedBy/reverses when linked."),
    async (request) => {
      const snapshot = await access(request, "read");
      const entryId = entryOr404(snapshot, request.params.entryId);
      return entryFromSnapshot(snapshot, entryId);
    },
  );

  app.post<{ Params: { coopId: string; period: string } }>(
    "/v1/cooperatives/:coopId/periods/:period/close",
    describe("periods", "Close a month (treasurer); entries dated in it are then refused.", {
      body: EmptyBody,
      idempotencyKey: "required",
    }),
    async (request, reply) => {
      const snapshot = await access(request, "closePeriod");
      const period = decodePath(PeriodParam, request.params.period, "period");
      decodeBody(EmptyBody, request.body);
      const route = `periods/${period}/close`;
      const result = await execute(
        request,
        snapshot,
        { type: "ClosePeriod", data: { period }, actor: actorOf(request) },
        keyedContext(request, route, request.body ?? {}),
      );
      return replied(reply, result.replayed, 200, { period, status: "closed" });
    },
  );

  app.post<{ Params: { coopId: string; period: string } }>(
    "/v1/cooperatives/:coopId/periods/:period/reopen",
    describe("periods", "Reopen a closed month (admin) with a reason.", {
      body: ReasonBody,
      idempotencyKey: "optional",
    }),
    async (request, reply) => {
      const snapshot = await access(request, "reopenPeriod");
      const period = decodePath(PeriodParam, request.params.period, "period");
      const body = decodeBody(ReasonBody, request.body);
      const route = `periods/${period}/reopen`;
      const result = await execute(
        request,
        snapshot,
        { type: "ReopenPeriod", data: { period, reason: body.reason }, actor: actorOf(request) },
        keyedContext(request, route, request.body ?? {}, false),
      );
      return replied(reply, result.replayed, 200, { period, status: "open" });
    },
  );
};
