/**
 * What every route that records ledger history does, written once: the cooperative of the path (may the
 * principal take this action on it?), the path's own ids checked against the ledger, the body decoded,
 * the Idempotency-Key and the request's hash, the command decided and recorded (`run`), and the answer,
 * marked `idempotent-replayed` when it is the replay of a recorded request.
 */
import { requestHashOf } from "@bukubesar/contract";
import type { LedgerCommand } from "@bukubesar/ledger-core";
import type { LedgerSnapshot } from "@bukubesar/snapshots";
import type { FastifyReply, FastifyRequest } from "fastify";
import type * as t from "io-ts";
import {
  type ApiContext,
  cooperativeFor,
  idempotencyKeyOf,
  principalOf,
  problemFromUnrecorded,
  reflectRevision,
  todayIn,
} from "../apiContext.js";
import { type Action, canSee } from "../authorization.js";
import type { CommandContext, CommandResult, UnrecordedResult } from "../commandHandler.js";
import { decodeBody } from "../decode.js";
import type { ApiProblem } from "../problem.js";
import { isAuditedRefusal, refusedLedgerCommand, refusing } from "../refusalAudit.js";

/** Metadata of a command that needs no idempotency key (its effect is checked by the ledger itself). */
export const plainContext = (request: FastifyRequest, route: string): CommandContext => {
  const principal = principalOf(request);
  return {
    principalId: principal.principalId,
    role: principal.role,
    route,
    idempotencyKey: null,
    requestHash: null,
    correlationId: request.id,
  };
};

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

export const actorOf = (request: FastifyRequest) => {
  const principal = principalOf(request);
  return { principalId: principal.principalId, role: principal.role };
};

/**
 * The problem answering a command the decider rejected, carrying the command as refused (for the audit
 * stream) when the principal may see its cooperative.
 */
const refusedBy = async (
  context: ApiContext,
  request: FastifyRequest,
  coopId: string,
  command: LedgerCommand,
  result: UnrecordedResult,
): Promise<ApiProblem> => {
  const problem = problemFromUnrecorded(result);
  if (!isAuditedRefusal(problem)) return problem;
  const { state } = await context.handler.load(coopId);
  const principal = principalOf(request);
  if (!state.opened || state.regionCode === null) return problem;
  if (!canSee(principal, { id: coopId, regionCode: state.regionCode })) return problem;
  return refusing(problem, refusedLedgerCommand(coopId, state, command));
};

export type RecordedResult = Extract<CommandResult, { readonly kind: "recorded" }>;

/**
 * Decides and records a command, throwing the rejection as its problem. The answer reflects the revision
 * of the last event the command recorded (a replay: of the events recorded the first time).
 */
export const run = async (
  context: ApiContext,
  request: FastifyRequest,
  coopId: string,
  command: LedgerCommand,
  commandContext: CommandContext,
  baseId?: string,
): Promise<RecordedResult> => {
  const result = await context.handler.execute(coopId, command, commandContext, baseId);
  if (result.kind === "rejected") throw await refusedBy(context, request, coopId, command, result);
  if (result.kind !== "recorded") throw problemFromUnrecorded(result);
  reflectRevision(request, result.events.at(-1)?.revision ?? result.snapshot.revision);
  return result;
};

/** What a command route knows when it makes its command and its answer. */
export interface CommandInput<Target, Body> {
  readonly snapshot: LedgerSnapshot;
  /** The path's own ids, decoded and checked against the ledger. */
  readonly target: Target;
  readonly body: Body;
  /** The id of the entry the command creates, the same for every retry of the request (keyed routes). */
  readonly baseId: string;
  readonly actor: { readonly principalId: string; readonly role: CommandContext["role"] };
  readonly today: () => string;
}

export interface CommandRoute<Params, Target, Body> {
  /** What the principal must be allowed to do on the cooperative. */
  readonly action: Action;
  readonly body: t.Type<Body, unknown, unknown>;
  /** The Idempotency-Key: required (routes that record ledger history), optional, or none taken. */
  readonly key: "required" | "optional" | "none";
  /** The path's own ids (an entry, a period, a year), refused as 404 when they name nothing. */
  readonly target: (snapshot: LedgerSnapshot, params: Params) => Target;
  /** The route within the cooperative: the scope of its keys and what the request hash covers. */
  readonly route: (target: Target) => string;
  readonly command: (input: CommandInput<Target, Body>) => LedgerCommand;
  /** The status and body of the answer (headers, if any, set on `reply`). */
  readonly answer: (
    result: RecordedResult,
    input: CommandInput<Target, Body>,
    reply: FastifyReply,
  ) => { readonly status: number; readonly body: unknown };
}

/** The context of a route's command: keyed as the route says, or plain. */
const contextOf = (
  request: FastifyRequest,
  key: CommandRoute<unknown, unknown, unknown>["key"],
  route: string,
) =>
  key === "none"
    ? plainContext(request, route)
    : keyedContext(request, route, request.body ?? {}, key === "required");

/** The handler of a route that records one command, the sequence of the module comment. */
export const commandRoute =
  <Params extends { readonly coopId: string }, Target, Body>(
    context: ApiContext,
    spec: CommandRoute<Params, Target, Body>,
  ) =>
  async (request: FastifyRequest<{ Params: Params }>, reply: FastifyReply) => {
    // Fastify types a route's params from its generic; this handler's route declares them as Params.
    const params = request.params as Params;
    const snapshot = await cooperativeFor(context, request, params.coopId, spec.action);
    const target = spec.target(snapshot, params);
    const body = decodeBody(spec.body, request.body);
    const route = spec.route(target);
    const commandContext = contextOf(request, spec.key, route);
    const baseId = context.handler.baseIdFor(snapshot.coopId, route, commandContext.idempotencyKey);
    const input: CommandInput<Target, Body> = {
      snapshot,
      target,
      body,
      baseId,
      actor: actorOf(request),
      today: () => snapshotToday(context, snapshot),
    };
    const result = await run(context, request, snapshot.coopId, spec.command(input), commandContext, baseId);
    const answer = spec.answer(result, input, reply);
    return replied(reply, result.replayed, answer.status, answer.body);
  };

const snapshotToday = (context: ApiContext, snapshot: LedgerSnapshot): string =>
  todayIn(snapshot.state.settings?.timeZone ?? "Asia/Jakarta", context.now());

/** A route whose path names nothing beyond its cooperative. */
export const noTarget = (): null => null;
