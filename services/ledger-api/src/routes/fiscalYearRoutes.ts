/**
 * The fiscal year's close and the members' meeting (RAT) decision, each with four eyes: the treasurer's
 * request answers 202 `pending_approval`; an approver other than the treasurer approves it (201, posted) or
 * rejects it with a reason (200). `GET …/fiscal-years/{year}` shows where the year stands.
 */

import { EmptyBody, RatDecisionBody, ReasonBody, YearParam } from "@bukubesar/contract";
import type { LedgerState, LossCoverage, RecordedLedgerEvent, YearEndStep } from "@bukubesar/ledger-core";
import { allocationWarnings, senToAmount } from "@bukubesar/ledger-core";
import type { LedgerSnapshot } from "@bukubesar/snapshots";
import type { FastifyInstance, FastifyPluginAsync } from "fastify";
import type * as t from "io-ts";
import { type ApiContext, asFieldWarning, cooperativeFor, type RoutesOptions } from "../apiContext.js";
import { decodePath } from "../decode.js";
import { entryFromEvents } from "../entryView.js";
import { describe } from "../openApi.js";
import { commandRoute } from "./commandRoute.js";

type YearParams = { readonly coopId: string; readonly year: string };

/** The path segment of each step, as in `…/fiscal-years/2025/close/approve`. */
const STEP_SEGMENT: Readonly<Record<YearEndStep, string>> = { close: "close", ratDecision: "rat-decision" };

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

const yearOfPath = (_snapshot: LedgerSnapshot, params: YearParams): number =>
  Number(decodePath(YearParam, params.year, "fiscal year"));

const readFiscalYear = (app: FastifyInstance, context: ApiContext): void => {
  app.get<{ Params: YearParams }>(
    "/v1/cooperatives/:coopId/fiscal-years/:year",
    describe(
      "fiscal years",
      "Where a fiscal year stands: open, close pending, closed, RAT pending, decided.",
    ),
    async (request) => {
      const snapshot = await cooperativeFor(context, request, request.params.coopId, "read");
      return fiscalYearView(snapshot.state, yearOfPath(snapshot, request.params));
    },
  );
};

const requestClose = (app: FastifyInstance, context: ApiContext): void => {
  app.post<{ Params: YearParams }>(
    "/v1/cooperatives/:coopId/fiscal-years/:year/close",
    describe(
      "fiscal years",
      "Ask to close the fiscal year (treasurer): 202 pending_approval; an approver posts the close. The year must have ended in the cooperative's time zone, with no entry of it awaiting approval.",
      { body: EmptyBody, idempotencyKey: "required" },
    ),
    commandRoute(context, {
      action: "closePeriod",
      body: EmptyBody,
      key: "required",
      target: yearOfPath,
      route: (year) => `fiscal-years/${year}/close`,
      command: ({ target: year, baseId, actor, today }) => ({
        type: "CloseFiscalYear",
        data: { year, entryId: baseId, today: today() },
        actor,
      }),
      answer: (result, { snapshot, target: year, baseId }, reply) => {
        const requested = findEvent(result.events, "FiscalYearCloseRequested");
        const data = requested?.type === "FiscalYearCloseRequested" ? requested.data : null;
        reply.header("location", `/v1/cooperatives/${snapshot.coopId}/fiscal-years/${year}`);
        return {
          status: 202,
          body: {
            year,
            step: "close",
            status: "pending_approval",
            entryId: baseId,
            shu: data?.shu ?? null,
            requestedBy: data?.requestedBy ?? null,
          },
        };
      },
    }),
  );
};

type RatDecision = t.TypeOf<typeof RatDecisionBody>;

/** The 202 answer of a RAT decision: the proposal as recorded (the AD/ART completes what it leaves out). */
const proposedDecision = (
  events: readonly RecordedLedgerEvent[],
  year: number,
  body: RatDecision,
  entryId: string,
  proposedBy: string,
): Record<string, unknown> => {
  const proposed = findEvent(events, "RatDecisionProposed");
  const recorded = proposed?.type === "RatDecisionProposed" ? proposed.data : null;
  const allocation = recorded?.allocation ?? body.allocation ?? {};
  return {
    year,
    step: "ratDecision",
    status: "pending_approval",
    decidedOn: body.decidedOn,
    allocation,
    lossCoverage: recorded?.lossCoverage ?? lossCoverageOf(body.lossCoverage),
    unattributedJasaUsaha: body.unattributedJasaUsaha ?? null,
    entryId,
    proposedBy,
    warnings:
      Object.keys(allocation).length === 0
        ? []
        : allocationWarnings(allocation, "allocation").map(asFieldWarning),
  };
};

const recordRatDecision = (app: FastifyInstance, context: ApiContext): void => {
  app.post<{ Params: YearParams }>(
    "/v1/cooperatives/:coopId/fiscal-years/:year/rat-decision",
    describe(
      "fiscal years",
      "Record the members' meeting (RAT) SHU allocation (treasurer): 202 pending_approval; an approver posts the appropriation.",
      { body: RatDecisionBody, idempotencyKey: "required" },
    ),
    commandRoute(context, {
      action: "closePeriod",
      body: RatDecisionBody,
      key: "required",
      target: yearOfPath,
      route: (year) => `fiscal-years/${year}/rat-decision`,
      command: ({ target: year, body, baseId, actor }) => ({
        type: "RecordRatDecision",
        data: {
          year,
          decidedOn: body.decidedOn,
          allocation: body.allocation ?? {},
          lossCoverage: lossCoverageOf(body.lossCoverage),
          entryId: baseId,
          unattributedJasaUsaha: body.unattributedJasaUsaha ?? null,
        },
        actor,
      }),
      answer: (result, { snapshot, target: year, body, baseId, actor }, reply) => {
        reply.header("location", `/v1/cooperatives/${snapshot.coopId}/fiscal-years/${year}`);
        return { status: 202, body: proposedDecision(result.events, year, body, baseId, actor.principalId) };
      },
    }),
  );
};

const reopenFiscalYear = (app: FastifyInstance, context: ApiContext): void => {
  app.post<{ Params: YearParams }>(
    "/v1/cooperatives/:coopId/fiscal-years/:year/reopen",
    describe(
      "fiscal years",
      "Reopen a closed fiscal year whose RAT has not decided (admin) with a reason, for audit corrections: the closing entry is undone; supervisors are alerted.",
      { body: ReasonBody, idempotencyKey: "optional" },
    ),
    commandRoute(context, {
      action: "reopenPeriod",
      body: ReasonBody,
      key: "optional",
      target: yearOfPath,
      route: (year) => `fiscal-years/${year}/reopen`,
      command: ({ target: year, body, baseId, actor }) => ({
        type: "ReopenFiscalYear",
        data: { year, reason: body.reason, entryId: baseId },
        actor,
      }),
      answer: (result, { target: year, body }) => {
        const reopened = findEvent(result.events, "FiscalYearReopened");
        return {
          status: 200,
          body: {
            year,
            status: "open",
            reason: body.reason,
            entryId: reopened?.type === "FiscalYearReopened" ? reopened.data.entryId : null,
          },
        };
      },
    }),
  );
};

/** An approver's approval or rejection of a year-end step the treasurer asked for. */
const decideYearEndStep = (app: FastifyInstance, context: ApiContext, step: YearEndStep): void => {
  const segment = STEP_SEGMENT[step];
  const what = step === "close" ? "close" : "RAT decision";
  app.post<{ Params: YearParams }>(
    `/v1/cooperatives/:coopId/fiscal-years/:year/${segment}/approve`,
    describe(
      "fiscal years",
      `Approve the requested ${what} (approver, not the treasurer who asked): 201, posted.`,
      { body: EmptyBody, idempotencyKey: "required" },
    ),
    commandRoute(context, {
      action: "approve",
      body: EmptyBody,
      key: "required",
      target: yearOfPath,
      route: (year) => `fiscal-years/${year}/${segment}/approve`,
      command: ({ target: year, actor }) => ({ type: "ApproveYearEndStep", data: { year, step }, actor }),
      answer: (result, { snapshot, target: year }) => ({
        status: 201,
        body: approvedView(snapshot.coopId, year, step, result.events),
      }),
    }),
  );
  app.post<{ Params: YearParams }>(
    `/v1/cooperatives/:coopId/fiscal-years/:year/${segment}/reject`,
    describe("fiscal years", `Reject the requested ${what} (approver) with a reason; nothing is posted.`, {
      body: ReasonBody,
      idempotencyKey: "required",
    }),
    commandRoute(context, {
      action: "approve",
      body: ReasonBody,
      key: "required",
      target: yearOfPath,
      route: (year) => `fiscal-years/${year}/${segment}/reject`,
      command: ({ target: year, body, actor }) => ({
        type: "RejectYearEndStep",
        data: { year, step, reason: body.reason },
        actor,
      }),
      answer: (_result, { target: year, body }) => ({
        status: 200,
        body: { year, step, status: "rejected", reason: body.reason },
      }),
    }),
  );
};

/** Fiscal years (the close and the RAT decision, each with four eyes), as a Fastify plugin. */
export const fiscalYearRoutes: FastifyPluginAsync<RoutesOptions> = async (app, { context }) => {
  readFiscalYear(app, context);
  requestClose(app, context);
  recordRatDecision(app, context);
  reopenFiscalYear(app, context);
  for (const step of ["close", "ratDecision"] as const) decideYearEndStep(app, context, step);
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
