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
import type { FastifyInstance, FastifyPluginAsync } from "fastify";
import type * as t from "io-ts";
import {
  type ApiContext,
  asFieldWarning,
  cooperativeFor,
  principalOf,
  type RoutesOptions,
} from "../apiContext.js";
import { canSee, regionQueryAllowed, regionWithin, requireRole } from "../authorization.js";
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
import { actorOf, commandRoute, noTarget, plainContext, run } from "./commandRoute.js";

const CooperativeQuery = queryObject("CooperativeQuery", {
  region: RegionPrefix,
  limit: Limit,
  cursor: Cursor,
});

const MemberQuery = queryObject("MemberQuery", { limit: Limit, cursor: Cursor });

type CoopParams = { Params: { coopId: string } };
type AccountParams = { readonly coopId: string; readonly code: string };
type MemberParams = { readonly coopId: string; readonly memberId: string };

const accountOfPath = (snapshot: LedgerSnapshot, params: AccountParams): string => {
  const code = decodePath(AccountCode, params.code, "account");
  if (!snapshot.state.accounts.has(code)) throw new ApiProblem("not_found", "No such account.");
  return code;
};

const memberOfPath = (snapshot: LedgerSnapshot, params: MemberParams): string => {
  const memberId = decodePath(MemberId, params.memberId, "member");
  if (!snapshot.state.members.has(memberId)) throw new ApiProblem("not_found", "No such member.");
  return memberId;
};

/** Open a cooperative's ledger, and list those the principal may see. */
const cooperatives = (app: FastifyInstance, context: ApiContext): void => {
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
};

const changeSettings = (app: FastifyInstance, context: ApiContext): void => {
  app.patch<CoopParams>(
    "/v1/cooperatives/:coopId/settings",
    describe(
      "cooperatives",
      "Change settings (admin): approvalThreshold, largeCashThreshold, businessHours, timeZone, legalEntityNumber (nomor badan hukum, null removes it), shuRules (the AD/ART rules on SHU). Answers the settings with `warnings` for allocation percentages outside the usual ranges (recorded all the same; supervisors are alerted).",
      { body: SettingsPatchBody },
    ),
    commandRoute(context, {
      action: "changeSettings",
      body: SettingsPatchBody,
      key: "none",
      target: noTarget,
      route: () => "settings",
      command: ({ body, actor }) => ({ type: "ChangeSettings", data: { settings: body }, actor }),
      answer: (result, { body }) => {
        const settings = result.snapshot.state.settings;
        const warnings =
          body.shuRules === undefined || settings?.shuRules === undefined
            ? []
            : allocationWarnings(settings.shuRules.allocation, "shuRules.allocation").map(asFieldWarning);
        return { status: 200, body: { ...settings, warnings } };
      },
    }),
  );
};

/** The account an OpenAccount body describes, its optional fields only when given. */
const openAccountData = (body: t.TypeOf<typeof OpenAccountBody>) => ({
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
});

/** Open, close and tag accounts, and read the chart. */
const accounts = (app: FastifyInstance, context: ApiContext): void => {
  app.post<CoopParams>(
    "/v1/cooperatives/:coopId/accounts",
    describe("accounts", "Open an account (admin, treasurer).", { body: OpenAccountBody }),
    commandRoute(context, {
      action: "manageAccounts",
      body: OpenAccountBody,
      key: "none",
      target: noTarget,
      route: () => "accounts",
      command: ({ body, actor }) => ({ type: "OpenAccount", data: openAccountData(body), actor }),
      answer: (result, { body }) => ({ status: 201, body: accountOf(result.snapshot, body.code) }),
    }),
  );

  app.post<{ Params: AccountParams }>(
    "/v1/cooperatives/:coopId/accounts/:code/close",
    describe("accounts", "Close an account whose balance is zero (admin, treasurer).", { body: EmptyBody }),
    commandRoute(context, {
      action: "manageAccounts",
      body: EmptyBody,
      key: "none",
      target: accountOfPath,
      route: (code) => `accounts/${code}/close`,
      command: ({ target: code, actor }) => ({ type: "CloseAccount", data: { code }, actor }),
      answer: (result, { target: code }) => ({ status: 200, body: accountOf(result.snapshot, code) }),
    }),
  );

  app.post<{ Params: AccountParams }>(
    "/v1/cooperatives/:coopId/accounts/:code/tags",
    describe(
      "accounts",
      "Set control tags on an existing account (admin, treasurer): memberControl, businessWith, systemAccount, for a chart opened before the tags existed. A tag once set is not removed or changed.",
      { body: TagAccountBody },
    ),
    commandRoute(context, {
      action: "manageAccounts",
      body: TagAccountBody,
      key: "none",
      target: accountOfPath,
      route: (code) => `accounts/${code}/tags`,
      command: ({ target: code, body, actor }) => ({ type: "TagAccount", data: { code, ...body }, actor }),
      answer: (result, { target: code }) => ({ status: 200, body: accountOf(result.snapshot, code) }),
    }),
  );

  app.get<CoopParams>(
    "/v1/cooperatives/:coopId/accounts",
    describe("accounts", "The chart of accounts."),
    async (request) => {
      const snapshot = await cooperativeFor(context, request, request.params.coopId, "read");
      return { accounts: accountsView(snapshot), nextCursor: null };
    },
  );
};

/** Register members and list them. */
const members = (app: FastifyInstance, context: ApiContext): void => {
  app.post<CoopParams>(
    "/v1/cooperatives/:coopId/members",
    describe("members", "Register a member (treasurer).", { body: RegisterMemberBody }),
    commandRoute(context, {
      action: "registerMember",
      body: RegisterMemberBody,
      key: "none",
      target: noTarget,
      route: () => "members",
      command: ({ body, actor }) => ({
        type: "RegisterMember",
        data: {
          memberId: body.memberId,
          name: body.name,
          joinedOn: body.joinedOn,
          role: body.role ?? "member",
        },
        actor,
      }),
      answer: (result, { body }) => ({
        status: 201,
        body: membersView(result.snapshot).find((member) => member.memberId === body.memberId),
      }),
    }),
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
};

/**
 * A member leaves (treasurer): the member exit entry returns simpanan pokok and pays out wajib, sukarela and
 * SHU owed from `settlementAccount` (default 2103, owed until paid); docs/accounting.md, section 2.
 */
const memberExit = (app: FastifyInstance, context: ApiContext): void => {
  app.post<{ Params: MemberParams }>(
    "/v1/cooperatives/:coopId/members/:memberId/exit",
    describe(
      "members",
      "A member leaves (treasurer): one member_exit entry settles their simpanan pokok, wajib, sukarela and SHU owed. Needs Idempotency-Key.",
      { body: ExitMemberBody, idempotencyKey: "required" },
    ),
    commandRoute(context, {
      action: "registerMember",
      body: ExitMemberBody,
      key: "required",
      target: memberOfPath,
      route: (memberId) => `members/${memberId}/exit`,
      command: ({ target: memberId, body, baseId, actor }) => ({
        type: "ExitMember",
        data: {
          memberId,
          date: body.date,
          reason: body.reason,
          settlementAccount: body.settlementAccount ?? EXITED_MEMBERS_PAYABLE_ACCOUNT,
          entryId: baseId,
        },
        actor,
      }),
      answer: (result, { snapshot, target: memberId, body, baseId }) => {
        const exited = result.events.find((event) => event.type === "MemberExited");
        // Above the approval threshold the settlement waits for an approver, like a journal entry.
        return {
          status: exited === undefined ? 202 : 201,
          body: {
            memberId,
            exitedOn: body.date,
            reason: body.reason,
            settlementAccount: body.settlementAccount ?? EXITED_MEMBERS_PAYABLE_ACCOUNT,
            owedOn: exited?.type === "MemberExited" ? exited.data.owedOn : null,
            entry: entryFromEvents(snapshot.coopId, result.events, baseId),
          },
        };
      },
    }),
  );
};

const reverseMemberExit = (app: FastifyInstance, context: ApiContext): void => {
  app.post<{ Params: MemberParams }>(
    "/v1/cooperatives/:coopId/members/:memberId/exit/reverse",
    describe(
      "members",
      "Reverse a recorded exit (treasurer): the member_exit entry is reversed on `date` and the member is a member again. Needs Idempotency-Key.",
      { body: ReverseExitBody, idempotencyKey: "required" },
    ),
    commandRoute(context, {
      action: "registerMember",
      body: ReverseExitBody,
      key: "required",
      target: memberOfPath,
      route: (memberId) => `members/${memberId}/exit/reverse`,
      command: ({ target: memberId, body, baseId, actor }) => ({
        type: "ReverseMemberExit",
        data: { memberId, date: body.date, reason: body.reason, reversalEntryId: baseId },
        actor,
      }),
      answer: (result, { snapshot, target: memberId, body, baseId }) => ({
        status: 201,
        body: {
          memberId,
          reinstatedOn: body.date,
          reason: body.reason,
          entry: entryFromEvents(snapshot.coopId, result.events, baseId),
        },
      }),
    }),
  );
};

/** Cooperatives, their settings, accounts and members, as a Fastify plugin. */
export const cooperativeRoutes: FastifyPluginAsync<RoutesOptions> = async (app, { context }) => {
  cooperatives(app, context);
  changeSettings(app, context);
  accounts(app, context);
  members(app, context);
  memberExit(app, context);
  reverseMemberExit(app, context);
};

const accountOf = (snapshot: LedgerSnapshot, code: string) =>
  accountsView(snapshot).find((account) => account.code === code);
