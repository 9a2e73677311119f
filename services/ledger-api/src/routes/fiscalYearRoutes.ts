/**
 * The fiscal year's close and the members' meeting (RAT) decision, each with four eyes: the treasurer's
 * request answers 202 `pending_approval`; an approver other than the treasurer approves it (201, posted) or
 * rejects it with a reason (200). `GET …/fiscal-years/{year}` shows where the year stands.
 */

import { EmptyBody, RatDecisionBody, ReasonBody, YearParam } from "@bukubesar/contract";
import type {
  LedgerCommand,
  LedgerState,
  LossCoverage,
  RecordedLedgerEvent,
  YearEndStep,
} from "@bukubesar/ledger-core";
import { allocationWarnings, senToAmount } from "@bukubesar/ledger-core";
import type { LedgerSnapshot } from "@bukubesar/snapshots";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { type ApiContext, asFieldWarning, cooperativeFor, principalOf, todayIn } from "../apiContext.js";
import type { Action } from "../authorization.js";
import type { CommandContext } from "../commandHandler.js";
import { decodeBody, decodePath } from "../decode.js";
import { entryFromEvents } from "../entryView.js";
import { describe } from "../openApi.js";
import { run } from "./cooperativeRoutes.js";
import { keyedContext, replied } from "./entryRoutes.js";

type YearParams = { Params: { coopId: string; year: string } };

/** The path segment of each step, as in `…/fiscal-years/2025/close/approve`. */
const STEP_SEGMENT: Readonly<Record<YearEndStep, string>> = { close: "close", ratDecision: "rat-decision" };

const yearOf = (request: FastifyRequest<YearParams>): number =>
  Number(decodePath(YearParam, request.params.year, "fiscal year"));

const actorOf = (request: FastifyRequest) => {
  const principal = principalOf(request);
  return { principalId: principal.principalId, role: principal.role };
};

/** A loss coverage as the ledger records it: both parts, an absent one as zero. */
const lossCoverageOf = (
  coverage: { fromReserve?: string; carriedForward?: string } | undefined,
): LossCoverage | null =>
  coverage === undefined
    ? null
    : {
        fromReserve: coverage.fromReserve ?? ZERO_AMOUNT,
        carriedForward: coverage.carriedForward ?? ZERO_AMOUNT,
      };

const ZERO_AMOUNT = "0.00";

const findEvent = (events: readonly RecordedLedgerEvent[], type: RecordedLedgerEvent["type"]) =>
  events.find((event) => event.type === type);

export const registerFiscalYearRoutes = (app: FastifyInstance, context: ApiContext): void => {
  const access = (request: FastifyRequest<YearParams>, action: Action) =>
    cooperativeFor(context, request, request.params.coopId, action);
  const execute = (
    request: FastifyRequest,
    snapshot: LedgerSnapshot,
    command: LedgerCommand,
    commandContext: CommandContext,
    baseId?: string,
  ) => run(context, request, snapshot.coopId, command, commandContext, baseId);

  app.get<YearParams>(
    "/v1/cooperatives/:coopId/fiscal-years/:year",
    describe(
      "fiscal years",
      "Where a fiscal year stands: open, close pending, closed, RAT pending, decided.",
    ),
    async (request) => fiscalYearView((await access(request, "read")).state, yearOf(request)),
  );

  app.post<YearParams>(
    "/v1/cooperatives/:coopId/fiscal-years/:year/close",
    describe(
      "fiscal years",
      "Ask to close the fiscal year (treasurer): 202 pending_approval; an approver posts the close. The year must have ended in the cooperative's time zone, with no entry of it awaiting approval.",
      { body: EmptyBody, idempotencyKey: "required" },
    ),
    async (request, reply) => {
      const snapshot = await access(request, "closePeriod");
      const year = yearOf(request);
      decodeBody(EmptyBody, request.body);
      const route = `fiscal-years/${year}/close`;
      const commandContext = keyedContext(request, route, request.body ?? {});
      const entryId = context.handler.baseIdFor(snapshot.coopId, route, commandContext.idempotencyKey);
      const today = todayIn(snapshot.state.settings?.timeZone ?? "Asia/Jakarta", context.now());
      const result = await execute(
        request,
        snapshot,
        { type: "CloseFiscalYear", data: { year, entryId, today }, actor: actorOf(request) },
        commandContext,
        entryId,
      );
      const requested = findEvent(result.events, "FiscalYearCloseRequested");
      reply.header("location", `/v1/cooperatives/${snapshot.coopId}/fiscal-years/${year}`);
      return replied(reply, result.replayed, 202, {
        year,
        step: "close",
        status: "pending_approval",
        entryId,
        shu: requested?.type === "FiscalYearCloseRequested" ? requested.data.shu : null,
        requestedBy: requested?.type === "FiscalYearCloseRequested" ? requested.data.requestedBy : null,
      });
    },
  );

  app.post<YearParams>(
    "/v1/cooperatives/:coopId/fiscal-years/:year/rat-decision",
    describe(
      "fiscal years",
      "Record the members' meeting (RAT) SHU allocation (treasurer): 202 pending_approval; an approver posts the appropriation.",
      { body: RatDecisionBody, idempotencyKey: "required" },
    ),
    async (request, reply) => {
      const snapshot = await access(request, "closePeriod");
      const year = yearOf(request);
      const body = decodeBody(RatDecisionBody, request.body);
      const route = `fiscal-years/${year}/rat-decision`;
      const commandContext = keyedContext(request, route, request.body ?? {});
      const entryId = context.handler.baseIdFor(snapshot.coopId, route, commandContext.idempotencyKey);
      const result = await execute(
        request,
        snapshot,
        {
          type: "RecordRatDecision",
          data: {
            year,
            decidedOn: body.decidedOn,
            allocation: body.allocation ?? {},
            lossCoverage: lossCoverageOf(body.lossCoverage),
            entryId,
            unattributedJasaUsaha: body.unattributedJasaUsaha ?? null,
          },
          actor: actorOf(request),
        },
        commandContext,
        entryId,
      );
      // The proposal as recorded: the AD/ART completes a decision that gives no percentages or coverage.
      const proposed = findEvent(result.events, "RatDecisionProposed");
      const recorded = proposed?.type === "RatDecisionProposed" ? proposed.data : null;
      const allocation = recorded?.allocation ?? body.allocation ?? {};
      reply.header("location", `/v1/cooperatives/${snapshot.coopId}/fiscal-years/${year}`);
      return replied(reply, result.replayed, 202, {
        year,
        step: "ratDecision",
        status: "pending_approval",
        decidedOn: body.decidedOn,
        allocation,
        lossCoverage: recorded?.lossCoverage ?? lossCoverageOf(body.lossCoverage),
        unattributedJasaUsaha: body.unattributedJasaUsaha ?? null,
        entryId,
        proposedBy: principalOf(request).principalId,
        warnings:
          Object.keys(allocation).length === 0
            ? []
            : allocationWarnings(allocation, "allocation").map(asFieldWarning),
      });
    },
  );

  app.post<YearParams>(
    "/v1/cooperatives/:coopId/fiscal-years/:year/reopen",
    describe(
      "fiscal years",
      "Reopen a closed fiscal year whose RAT has not decided (admin) with a reason, for audit corrections: the closing entry is undone; supervisors are alerted.",
      { body: ReasonBody, idempotencyKey: "optional" },
    ),
    async (request, reply) => {
      const snapshot = await access(request, "reopenPeriod");
      const year = yearOf(request);
      const body = decodeBody(ReasonBody, request.body);
      const route = `fiscal-years/${year}/reopen`;
      const commandContext = keyedContext(request, route, request.body ?? {}, false);
      const entryId = context.handler.baseIdFor(snapshot.coopId, route, commandContext.idempotencyKey);
      const result = await execute(
        request,
        snapshot,
        { type: "ReopenFiscalYear", data: { year, reason: body.reason, entryId }, actor: actorOf(request) },
        commandContext,
        entryId,
      );
      const reopened = findEvent(result.events, "FiscalYearReopened");
      return replied(reply, result.replayed, 200, {
        year,
        status: "open",
        reason: body.reason,
        entryId: reopened?.type === "FiscalYearReopened" ? reopened.data.entryId : null,
      });
    },
  );

  for (const step of ["close", "ratDecision"] as const) {
    const segment = STEP_SEGMENT[step];
    app.post<YearParams>(
      `/v1/cooperatives/:coopId/fiscal-years/:year/${segment}/approve`,
      describe(
        "fiscal years",
        `Approve the requested ${step === "close" ? "close" : "RAT decision"} (approver, not the treasurer who asked): 201, posted.`,
        { body: EmptyBody, idempotencyKey: "required" },
      ),
      async (request, reply) => {
        const snapshot = await access(request, "approve");
        const year = yearOf(request);
        decodeBody(EmptyBody, request.body);
        const route = `fiscal-years/${year}/${segment}/approve`;
        const result = await execute(
          request,
          snapshot,
          { type: "ApproveYearEndStep", data: { year, step }, actor: actorOf(request) },
          keyedContext(request, route, request.body ?? {}),
        );
        return replied(reply, result.replayed, 201, approvedView(snapshot.coopId, year, step, result.events));
      },
    );

    app.post<YearParams>(
      `/v1/cooperatives/:coopId/fiscal-years/:year/${segment}/reject`,
      describe(
        "fiscal years",
        `Reject the requested ${step === "close" ? "close" : "RAT decision"} (approver) with a reason; nothing is posted.`,
        { body: ReasonBody, idempotencyKey: "required" },
      ),
      async (request, reply) => {
        const snapshot = await access(request, "approve");
        const year = yearOf(request);
        const body = decodeBody(ReasonBody, request.body);
        const route = `fiscal-years/${year}/${segment}/reject`;
        const result = await execute(
          request,
          snapshot,
          { type: "RejectYearEndStep", data: { year, step, reason: body.reason }, actor: actorOf(request) },
          keyedContext(request, route, request.body ?? {}),
        );
        return replied(reply, result.replayed, 200, { year, step, status: "rejected", reason: body.reason });
      },
    );
  }
};

/** The 201 answer of an approval: the close's result, or the RAT decision with its appropriation entry. */
const approvedView = (
  coopId: string,
  year: number,
  step: YearEndStep,
  events: readonly RecordedLedgerEvent[],
): Record<string, unknown> => {
  if (step === "close") {
    const closed = findEvent(events, "FiscalYearClosed");
    const data = closed?.type === "FiscalYearClosed" ? closed.data : null;
    return {
      year,
      status: "closed",
      entryId: data?.entryId ?? null,
      shu: data?.shu ?? null,
      resultAccount: data?.resultAccount ?? null,
    };
  }
  const decided = findEvent(events, "RatDecisionRecorded");
  const data = decided?.type === "RatDecisionRecorded" ? decided.data : null;
  return {
    year,
    status: "decided",
    decidedOn: data?.decidedOn ?? null,
    allocation: data?.allocation ?? null,
    lossCoverage: data?.lossCoverage ?? null,
    priorLossCovered: data?.priorLossCovered ?? "0.00",
    entryId: data?.entryId ?? null,
    entryIds: data?.entryIds ?? (data?.entryId ? [data.entryId] : []),
    entry: entryFromEvents(coopId, events),
  };
};

/** Where a year stands, with what waits for an approver. */
const fiscalYearView = (state: LedgerState, year: number): Record<string, unknown> => {
  const closing = state.closedFiscalYears.get(year);
  const pendingClose = state.pendingCloses.get(year);
  const decision = state.ratDecisions.get(year);
  const pendingDecision = state.pendingRatDecisions.get(year);
  const status =
    decision !== undefined
      ? "decided"
      : pendingDecision !== undefined
        ? "rat_decision_pending"
        : closing !== undefined
          ? "closed"
          : pendingClose !== undefined
            ? "close_pending"
            : "open";
  return {
    year,
    status,
    shu: closing === undefined ? null : senToAmount(closing.shu),
    resultAccount: closing?.resultAccount ?? null,
    closeRequest:
      pendingClose === undefined
        ? null
        : {
            entryId: pendingClose.entryId,
            shu: senToAmount(pendingClose.shu),
            requestedBy: pendingClose.requestedBy,
          },
    ratDecision: decision === undefined ? null : { ...decision },
    ratDecisionProposal: pendingDecision === undefined ? null : { ...pendingDecision },
  };
};
