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
  toEntryLine,
} from "@bukubesar/contract";
import type { EntryState, LedgerCommand } from "@bukubesar/ledger-core";
import type { LedgerSnapshot } from "@bukubesar/snapshots";
import type { FastifyInstance, FastifyPluginAsync, FastifyRequest } from "fastify";
import { type ApiContext, cooperativeFor, type RoutesOptions } from "../apiContext.js";
import type { Action } from "../authorization.js";
import { decodeCursor, encodeCursor } from "../cooperativeView.js";
import { decodePath, decodeQuery } from "../decode.js";
import { ENTRY_STATUS_NAMES, entryFromEvents, entryFromSnapshot } from "../entryView.js";
import { PAGE_SIZE_DEFAULT } from "../limits.js";
import { describe } from "../openApi.js";
import { ApiProblem } from "../problem.js";
import { Cursor, Limit } from "../queries.js";
import { commandRoute, noTarget } from "./commandRoute.js";

const EntryQuery = queryObject("EntryQuery", {
  from: LocalDate,
  to: LocalDate,
  account: AccountCode,
  status: literals("EntryStatus", Object.values(ENTRY_STATUS_NAMES)),
  limit: Limit,
  cursor: Cursor,
});

/** Where a page of entries starts: at the index a previous page's cursor names, else at the first. */
const startOf = (cursor: string | undefined): number => {
  if (cursor === undefined) return 0;
  const decoded = Number(decodeCursor(cursor));
  if (!Number.isSafeInteger(decoded) || decoded < 0) {
    throw new ApiProblem("validation_failed", "The cursor is not one this API gave out.", [
      { path: "cursor", code: "validation_failed", message: "use nextCursor from a previous page" },
    ]);
  }
  return decoded;
};

/** Whether an entry passes the list's filters (dates inclusive). */
const entryMatches = (
  entry: EntryState,
  query: {
    readonly from?: string;
    readonly to?: string;
    readonly account?: string;
    readonly status?: string;
  },
): boolean =>
  (query.from === undefined || entry.date >= query.from) &&
  (query.to === undefined || entry.date <= query.to) &&
  (query.account === undefined || entry.lines.some((line) => line.account === query.account)) &&
  (query.status === undefined || ENTRY_STATUS_NAMES[entry.status] === query.status);

type EntryParams = { readonly coopId: string; readonly entryId: string };
type PeriodParams = { readonly coopId: string; readonly period: string };

const entryOr404 = (snapshot: LedgerSnapshot, rawEntryId: unknown): string => {
  const entryId = decodePath(EntryId, rawEntryId, "journal entry");
  if (!snapshot.state.entries.has(entryId)) throw new ApiProblem("not_found", "No such journal entry.");
  return entryId;
};

const entryOfPath = (snapshot: LedgerSnapshot, params: EntryParams): string =>
  entryOr404(snapshot, params.entryId);

const periodOfPath = (_snapshot: LedgerSnapshot, params: PeriodParams): string =>
  decodePath(PeriodParam, params.period, "period");

/** POST …/journal-entries: 201 posted, or 202 pending approval. */
const postJournalEntry = (app: FastifyInstance, context: ApiContext): void => {
  app.post<{ Params: { coopId: string } }>(
    "/v1/cooperatives/:coopId/journal-entries",
    describe(
      "journal entries",
      "Post a journal entry (treasurer); 201 posted, 202 pending approval above the threshold or when kind is adjusting. Needs Idempotency-Key.",
      { body: PostJournalEntryBody, idempotencyKey: "required" },
    ),
    commandRoute(context, {
      action: "post",
      body: PostJournalEntryBody,
      key: "required",
      target: noTarget,
      route: () => "journal-entries",
      command: ({ body, baseId, actor }): LedgerCommand => ({
        type: "PostJournalEntry",
        data: {
          entryId: baseId,
          date: body.date,
          memo: body.memo ?? "",
          lines: body.lines.map(toEntryLine),
          ...(body.kind === "adjusting" ? { kind: body.kind } : {}),
        },
        actor,
      }),
      answer: (result, { snapshot, baseId }) => {
        const view = entryFromEvents(snapshot.coopId, result.events, baseId);
        if (view === null) throw new Error("a recorded journal entry has no posting or proposal event");
        return { status: view.status === "posted" ? 201 : 202, body: view };
      },
    }),
  );
};

/** Approve, reject and reverse one entry. */
const decideEntry = (app: FastifyInstance, context: ApiContext): void => {
  app.post<{ Params: EntryParams }>(
    "/v1/cooperatives/:coopId/journal-entries/:entryId/approve",
    describe(
      "journal entries",
      "Approve a pending entry (approver, not its proposer); 201 the posted entry.",
      { body: EmptyBody, idempotencyKey: "required" },
    ),
    commandRoute(context, {
      action: "approve",
      body: EmptyBody,
      key: "required",
      target: entryOfPath,
      route: (entryId) => `journal-entries/${entryId}/approve`,
      command: ({ target: entryId, actor }) => ({ type: "ApproveJournalEntry", data: { entryId }, actor }),
      answer: (result, { snapshot, target: entryId }) => ({
        status: 201,
        body:
          entryFromEvents(snapshot.coopId, result.events, entryId) ??
          entryFromSnapshot(result.snapshot, entryId),
      }),
    }),
  );

  app.post<{ Params: EntryParams }>(
    "/v1/cooperatives/:coopId/journal-entries/:entryId/reject",
    describe("journal entries", "Reject a pending entry (approver) with a reason.", {
      body: ReasonBody,
      idempotencyKey: "required",
    }),
    commandRoute(context, {
      action: "approve",
      body: ReasonBody,
      key: "required",
      target: entryOfPath,
      route: (entryId) => `journal-entries/${entryId}/reject`,
      command: ({ target: entryId, body, actor }) => ({
        type: "RejectJournalEntry",
        data: { entryId, reason: body.reason },
        actor,
      }),
      answer: (result, { target: entryId, body }) => ({
        status: 200,
        body: { ...entryFromSnapshot(result.snapshot, entryId), status: "rejected", reason: body.reason },
      }),
    }),
  );
};

const reverseEntry = (app: FastifyInstance, context: ApiContext): void => {
  app.post<{ Params: EntryParams }>(
    "/v1/cooperatives/:coopId/journal-entries/:entryId/reverse",
    describe(
      "journal entries",
      "Reverse a posted entry (treasurer): 201 the mirroring entry, linked both ways.",
      { body: ReverseBody, idempotencyKey: "required" },
    ),
    commandRoute(context, {
      action: "post",
      body: ReverseBody,
      key: "required",
      target: entryOfPath,
      route: (entryId) => `journal-entries/${entryId}/reverse`,
      command: ({ target: entryId, body, baseId, actor }) => ({
        type: "ReverseJournalEntry",
        data: { entryId, reversalEntryId: baseId, date: body.date, reason: body.reason ?? "" },
        actor,
      }),
      answer: (result, { snapshot, target: entryId, baseId }) => ({
        status: 201,
        body: { ...entryFromEvents(snapshot.coopId, result.events, baseId), reverses: entryId },
      }),
    }),
  );
};

/** Close and reopen a month. */
const periodRoutes = (app: FastifyInstance, context: ApiContext): void => {
  app.post<{ Params: PeriodParams }>(
    "/v1/cooperatives/:coopId/periods/:period/close",
    describe("periods", "Close a month (treasurer); entries dated in it are then refused.", {
      body: EmptyBody,
      idempotencyKey: "required",
    }),
    commandRoute(context, {
      action: "closePeriod",
      body: EmptyBody,
      key: "required",
      target: periodOfPath,
      route: (period) => `periods/${period}/close`,
      command: ({ target: period, actor }) => ({ type: "ClosePeriod", data: { period }, actor }),
      answer: (_result, { target: period }) => ({ status: 200, body: { period, status: "closed" } }),
    }),
  );

  app.post<{ Params: PeriodParams }>(
    "/v1/cooperatives/:coopId/periods/:period/reopen",
    describe("periods", "Reopen a closed month (admin) with a reason.", {
      body: ReasonBody,
      idempotencyKey: "optional",
    }),
    commandRoute(context, {
      action: "reopenPeriod",
      body: ReasonBody,
      key: "optional",
      target: periodOfPath,
      route: (period) => `periods/${period}/reopen`,
      command: ({ target: period, body, actor }) => ({
        type: "ReopenPeriod",
        data: { period, reason: body.reason },
        actor,
      }),
      answer: (_result, { target: period }) => ({ status: 200, body: { period, status: "open" } }),
    }),
  );
};

/** The entries as read: a filtered page in recording order, and one entry. */
const readEntries = (app: FastifyInstance, context: ApiContext): void => {
  const access = (request: FastifyRequest<{ Params: { coopId: string } }>, action: Action) =>
    cooperativeFor(context, request, request.params.coopId, action);

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
      const entries = [];
      let index = startOf(query.cursor);
      for (; index < snapshot.entryOrder.length && entries.length < limit; index++) {
        const entry = snapshot.state.entries.get(snapshot.entryOrder[index] as string);
        if (entry !== undefined && entryMatches(entry, query))
          entries.push(entryFromSnapshot(snapshot, entry.entryId));
      }
      return { entries, nextCursor: index < snapshot.entryOrder.length ? encodeCursor(String(index)) : null };
    },
  );

  app.get<{ Params: EntryParams }>(
    "/v1/cooperatives/:coopId/journal-entries/:entryId",
    describe("journal entries", "One entry, with reversedBy/reverses when linked."),
    async (request) => {
      const snapshot = await access(request, "read");
      const entryId = entryOr404(snapshot, request.params.entryId);
      return entryFromSnapshot(snapshot, entryId);
    },
  );
};

/** Journal entries and periods, as a Fastify plugin (fiscal years are fiscalYearRoutes.ts). */
export const entryRoutes: FastifyPluginAsync<RoutesOptions> = async (app, { context }) => {
  postJournalEntry(app, context);
  decideEntry(app, context);
  reverseEntry(app, context);
  readEntries(app, context);
  periodRoutes(app, context);
};
