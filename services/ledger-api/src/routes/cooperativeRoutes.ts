/** Cooperatives, their settings, accounts and members. */

import {
  AccountCode,
  CreateCooperativeBody,
  EmptyBody,
  ExitMemberBody,
  MemberId,
  OpenAccountBody,
  queryObject,
  RegionPrefix,
  RegisterMemberBody,
  ReverseExitBody,
  SettingsPatchBody,
  TagAccountBody,
} from "@bukubesar/contract";
import {
  allocationWarnings,
  chartTemplates,
  EXITED_MEMBERS_PAYABLE_ACCOUNT,
  type LedgerCommand,
} from "@bukubesar/ledger-core";
import type { LedgerSnapshot } from "@bukubesar/snapshots";
import type { FastifyInstance, FastifyRequest } from "fastify";
import {
  type ApiContext,
  asFieldWarning,
  cooperativeFor,
  principalOf,
  problemFromUnrecorded,
  reflectRevision,
} from "../apiContext.js";
import { canSee, regionQueryAllowed, regionWithin, requireRole } from "../authorization.js";
import type { CommandContext, UnrecordedResult } from "../commandHandler.js";
import {
  accountsView,
  cooperativeView,
  decodeCursor,
  encodeCursor,
  membersView,
} from "../cooperativeView.js";
import { decodeBody, decodePath, decodeQuery } from "../decode.js";
import { entryFromEvents } from "../entryView.js";
import { PAGE_SIZE_DEFAULT, PROJECTION_WAIT_MS } from "../limits.js";
import { describe } from "../openApi.js";
import { ApiProblem } from "../problem.js";
import { Cursor, Limit } from "../queries.js";
import { isAuditedRefusal, refusedLedgerCommand, refusing } from "../refusalAudit.js";
import { keyedContext, replied } from "./entryRoutes.js";

const CooperativeQuery = queryObject("CooperativeQuery", {
  region: RegionPrefix,
  limit: Limit,
  cursor: Cursor,
});

const MemberQuery = queryObject("MemberQuery", { limit: Limit, cursor: Cursor });

type CoopParams = { Params: { coopId: string } };

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

/**
 * Decides and records a command, throwing the rejection as its problem. The answer reflects the revision
 * of the last event the command recorded (a replay: of the events recorded the first time).
 */
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

export const run = async (
  context: ApiContext,
  request: FastifyRequest,
  coopId: string,
  command: LedgerCommand,
  commandContext: CommandContext,
  baseId?: string,
) => {
  const result = await context.handler.execute(coopId, command, commandContext, baseId);
  if (result.kind === "rejected") throw await refusedBy(context, request, coopId, command, result);
  if (result.kind !== "recorded") throw problemFromUnrecorded(result);
  reflectRevision(request, result.events.at(-1)?.revision ?? result.snapshot.revision);
  return result;
};

const actorOf = (request: FastifyRequest) => {
  const principal = principalOf(request);
  return { principalId: principal.principalId, role: principal.role };
};

export const registerCooperativeRoutes = (app: FastifyInstance, context: ApiContext): void => {
  app.post(
    "/v1/cooperatives",
    describe("cooperatives", "Open a cooperative's ledger (admin), optionally with the kkmp chart.", {
      body: CreateCooperativeBody,
    }),
    async (request, reply) => {
      requireRole(principalOf(request), "changeSettings");
      const body = decodeBody(CreateCooperativeBody, request.body);
      const command: LedgerCommand = {
        type: "OpenLedger",
        data: {
          coopId: body.id,
          name: body.name,
          regionCode: body.regionCode,
          accounts: chartTemplates[body.chart ?? "empty"],
        },
        actor: actorOf(request),
      };
      const result = await run(context, request, body.id, command, plainContext(request, "cooperatives"));
      return reply.code(201).send(cooperativeView(result.snapshot));
    },
  );

  app.get(
    "/v1/cooperatives",
    describe("cooperatives", "The cooperatives the principal may see, by region.", {
      query: CooperativeQuery,
    }),
    async (request) => {
      const principal = principalOf(request);
      const query = decodeQuery(CooperativeQuery, request.query);
      if (query.region !== undefined && !regionQueryAllowed(principal, query.region)) {
        throw new ApiProblem("forbidden", "The region lies outside this principal's scope.");
      }
      await context.directory
        .waitForPosition(context.handler.lastPosition(), PROJECTION_WAIT_MS)
        .catch(() => undefined);
      const after = query.cursor === undefined ? null : decodeCursor(query.cursor);
      const limit = query.limit ?? PAGE_SIZE_DEFAULT;
      const visible = [...context.directory.entries()]
        .filter((entry) => after === null || entry.coopId > after)
        .sort((left, right) => (left.coopId < right.coopId ? -1 : left.coopId > right.coopId ? 1 : 0))
        .map((entry) => ({ id: entry.coopId, name: entry.name, regionCode: entry.regionCode }))
        .filter(
          (coop) =>
            canSee(principal, coop) &&
            (query.region === undefined || regionWithin(coop.regionCode, query.region)),
        );
      const page = visible.slice(0, limit);
      const last = page[page.length - 1];
      return {
        cooperatives: page,
        nextCursor: visible.length > limit && last !== undefined ? encodeCursor(last.id) : null,
      };
    },
  );

  app.get<CoopParams>(
    "/v1/cooperatives/:coopId",
    describe("cooperatives", "One cooperative with its settings and accounts."),
    async (request) => cooperativeView(await cooperativeFor(context, request, request.params.coopId, "read")),
  );

  app.patch<CoopParams>(
    "/v1/cooperatives/:coopId/settings",
    describe(
      "cooperatives",
      "Change settings (admin): approvalThreshold, largeCashThreshold, businessHours, timeZone, legalEntityNumber (nomor badan hukum, null removes it), shuRules (the AD/ART rules on SHU). Answers the settings with `warnings` for allocation percentages outside the usual ranges (recorded all the same; supervisors are alerted).",
      { body: SettingsPatchBody },
    ),
    async (request) => {
      const snapshot = await cooperativeFor(context, request, request.params.coopId, "changeSettings");
      const body = decodeBody(SettingsPatchBody, request.body);
      const result = await run(
        context,
        request,
        snapshot.coopId,
        { type: "ChangeSettings", data: { settings: body }, actor: actorOf(request) },
        plainContext(request, "settings"),
      );
      const settings = result.snapshot.state.settings;
      const warnings =
        body.shuRules === undefined || settings?.shuRules === undefined
          ? []
          : allocationWarnings(settings.shuRules.allocation, "shuRules.allocation").map(asFieldWarning);
      return { ...settings, warnings };
    },
  );

  app.post<CoopParams>(
    "/v1/cooperatives/:coopId/accounts",
    describe("accounts", "Open an account (admin, treasurer).", { body: OpenAccountBody }),
    async (request, reply) => {
      const snapshot = await cooperativeFor(context, request, request.params.coopId, "manageAccounts");
      const body = decodeBody(OpenAccountBody, request.body);
      const result = await run(
        context,
        request,
        snapshot.coopId,
        {
          type: "OpenAccount",
          data: {
            code: body.code,
            name: body.name,
            accountType: body.type,
            ...(body.normalBalance !== undefined ? { normalBalance: body.normalBalance } : {}),
            ...(body.parent !== undefined ? { parent: body.parent } : {}),
            ...(body.postable !== undefined ? { postable: body.postable } : {}),
            ...(body.noOverdraft !== undefined ? { noOverdraft: body.noOverdraft } : {}),
            ...(body.memberControl !== undefined ? { memberControl: body.memberControl } : {}),
            ...(body.businessWith !== undefined ? { businessWith: body.businessWith } : {}),
            ...(body.systemAccount !== undefined ? { systemAccount: body.systemAccount } : {}),
          },
          actor: actorOf(request),
        },
        plainContext(request, "accounts"),
      );
      return reply.code(201).send(accountOf(result.snapshot, body.code));
    },
  );

  app.post<{ Params: { coopId: string; code: string } }>(
    "/v1/cooperatives/:coopId/accounts/:code/close",
    describe("accounts", "Close an account whose balance is zero (admin, treasurer).", { body: EmptyBody }),
    async (request) => {
      const snapshot = await cooperativeFor(context, request, request.params.coopId, "manageAccounts");
      const code = decodePath(AccountCode, request.params.code, "account");
      if (!snapshot.state.accounts.has(code)) throw new ApiProblem("not_found", "No such account.");
      decodeBody(EmptyBody, request.body);
      const result = await run(
        context,
        request,
        snapshot.coopId,
        { type: "CloseAccount", data: { code }, actor: actorOf(request) },
        plainContext(request, `accounts/${code}/close`),
      );
      return accountOf(result.snapshot, code);
    },
  );

  app.post<{ Params: { coopId: string; code: string } }>(
    "/v1/cooperatives/:coopId/accounts/:code/tags",
    describe(
      "accounts",
      "Set control tags on an existing account (admin, treasurer): memberControl, businessWith, systemAccount, for a chart opened before the tags existed. A tag once set is not removed or changed.",
      { body: TagAccountBody },
    ),
    async (request) => {
      const snapshot = await cooperativeFor(context, request, request.params.coopId, "manageAccounts");
      const code = decodePath(AccountCode, request.params.code, "account");
      if (!snapshot.state.accounts.has(code)) throw new ApiProblem("not_found", "No such account.");
      const body = decodeBody(TagAccountBody, request.body);
      const result = await run(
        context,
        request,
        snapshot.coopId,
        { type: "TagAccount", data: { code, ...body }, actor: actorOf(request) },
        plainContext(request, `accounts/${code}/tags`),
      );
      return accountOf(result.snapshot, code);
    },
  );

  app.get<CoopParams>(
    "/v1/cooperatives/:coopId/accounts",
    describe("accounts", "The chart of accounts."),
    async (request) => {
      const snapshot = await cooperativeFor(context, request, request.params.coopId, "read");
      return { accounts: accountsView(snapshot), nextCursor: null };
    },
  );

  app.post<CoopParams>(
    "/v1/cooperatives/:coopId/members",
    describe("members", "Register a member (treasurer).", { body: RegisterMemberBody }),
    async (request, reply) => {
      const snapshot = await cooperativeFor(context, request, request.params.coopId, "registerMember");
      const body = decodeBody(RegisterMemberBody, request.body);
      const result = await run(
        context,
        request,
        snapshot.coopId,
        {
          type: "RegisterMember",
          data: {
            memberId: body.memberId,
            name: body.name,
            joinedOn: body.joinedOn,
            role: body.role ?? "member",
          },
          actor: actorOf(request),
        },
        plainContext(request, "members"),
      );
      return reply
        .code(201)
        .send(membersView(result.snapshot).find((member) => member.memberId === body.memberId));
    },
  );

  app.get<CoopParams>(
    "/v1/cooperatives/:coopId/members",
    describe("members", "The cooperative's members.", { query: MemberQuery }),
    async (request) => {
      const snapshot = await cooperativeFor(context, request, request.params.coopId, "read");
      const query = decodeQuery(MemberQuery, request.query);
      const after = query.cursor === undefined ? null : decodeCursor(query.cursor);
      const limit = query.limit ?? PAGE_SIZE_DEFAULT;
      const all = membersView(snapshot)
        .sort((a, b) => (a.memberId < b.memberId ? -1 : a.memberId > b.memberId ? 1 : 0))
        .filter((member) => after === null || member.memberId > after);
      const page = all.slice(0, limit);
      const last = page[page.length - 1];
      return {
        members: page,
        nextCursor: all.length > limit && last !== undefined ? encodeCursor(last.memberId) : null,
      };
    },
  );

  registerMemberExitRoute(app, context);
};

/**
 * A member leaves (treasurer): the member exit entry returns simpanan pokok and pays out wajib, sukarela and
 * SHU owed from `settlementAccount` (default 2103, owed until paid); docs/accounting.md, section 2.
 */
const registerMemberExitRoute = (app: FastifyInstance, context: ApiContext): void => {
  app.post<{ Params: { coopId: string; memberId: string } }>(
    "/v1/cooperatives/:coopId/members/:memberId/exit",
    describe(
      "members",
      "A member leaves (treasurer): one member_exit entry settles their simpanan pokok, wajib, sukarela and SHU owed. Needs Idempotency-Key.",
      { body: ExitMemberBody, idempotencyKey: "required" },
    ),
    async (request, reply) => {
      const snapshot = await cooperativeFor(context, request, request.params.coopId, "registerMember");
      const memberId = decodePath(MemberId, request.params.memberId, "member");
      if (!snapshot.state.members.has(memberId)) throw new ApiProblem("not_found", "No such member.");
      const body = decodeBody(ExitMemberBody, request.body);
      const route = `members/${memberId}/exit`;
      const commandContext = keyedContext(request, route, request.body ?? {});
      const entryId = context.handler.baseIdFor(snapshot.coopId, route, commandContext.idempotencyKey);
      const settlementAccount = body.settlementAccount ?? EXITED_MEMBERS_PAYABLE_ACCOUNT;
      const result = await run(
        context,
        request,
        snapshot.coopId,
        {
          type: "ExitMember",
          data: { memberId, date: body.date, reason: body.reason, settlementAccount, entryId },
          actor: actorOf(request),
        },
        commandContext,
        entryId,
      );
      const exited = result.events.find((event) => event.type === "MemberExited");
      // Above the approval threshold the settlement waits for an approver, like a journal entry.
      return replied(reply, result.replayed, exited === undefined ? 202 : 201, {
        memberId,
        exitedOn: body.date,
        reason: body.reason,
        settlementAccount,
        owedOn: exited?.type === "MemberExited" ? exited.data.owedOn : null,
        entry: entryFromEvents(snapshot.coopId, result.events, entryId),
      });
    },
  );

  app.post<{ Params: { coopId: string; memberId: string } }>(
    "/v1/cooperatives/:coopId/members/:memberId/exit/reverse",
    describe(
      "members",
      "Reverse a recorded exit (treasurer): the member_exit entry is reversed on `date` and the member is a member again. Needs Idempotency-Key.",
      { body: ReverseExitBody, idempotencyKey: "required" },
    ),
    async (request, reply) => {
      const snapshot = await cooperativeFor(context, request, request.params.coopId, "registerMember");
      const memberId = decodePath(MemberId, request.params.memberId, "member");
      if (!snapshot.state.members.has(memberId)) throw new ApiProblem("not_found", "No such member.");
      const body = decodeBody(ReverseExitBody, request.body);
      const route = `members/${memberId}/exit/reverse`;
      const commandContext = keyedContext(request, route, request.body ?? {});
      const reversalEntryId = context.handler.baseIdFor(
        snapshot.coopId,
        route,
        commandContext.idempotencyKey,
      );
      const result = await run(
        context,
        request,
        snapshot.coopId,
        {
          type: "ReverseMemberExit",
          data: { memberId, date: body.date, reason: body.reason, reversalEntryId },
          actor: actorOf(request),
        },
        commandContext,
        reversalEntryId,
      );
      return replied(reply, result.replayed, 201, {
        memberId,
        reinstatedOn: body.date,
        reason: body.reason,
        entry: entryFromEvents(snapshot.coopId, result.events, reversalEntryId),
      });
    },
  );
};

const accountOf = (snapshot: LedgerSnapshot, code: string) =>
  accountsView(snapshot).find((account) => account.code === code);
