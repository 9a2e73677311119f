/**
 * What each route answers, for the OpenAPI document: every success status with its body schema, and the
 * problem responses (application/problem+json) the route can give, with the headers that come with them
 * (Location, Idempotent-Replayed, Retry-After). Applied to every route as it is registered (onRoute in
 * buildServer.ts), so a new route is documented with at least its problems. Documentation only: Fastify
 * serializes bodies as they are (buildServer.ts sets a plain JSON serializer), never through these schemas.
 */

import { amount, date, instant, list, nullable, object, type Schema, text } from "./openApiPrimitives.js";
import * as reports from "./openApiReports.js";

export const problemSchema = object(
  {
    type: text("a URI naming the problem", "https://bukubesar.dev/problems/unbalanced_entry"),
    title: text("the HTTP status's title", "Unprocessable Content"),
    status: { type: "integer", examples: [422] },
    detail: text("what went wrong, for a person", "Debits and credits differ by 1000.00."),
    code: text("a stable code from docs/api.md", "unbalanced_entry"),
    errors: {
      type: "array",
      items: object({
        path: text("the field at fault"),
        code: text("its code"),
        message: text("what to fix"),
      }),
    },
  },
  ["type", "title", "status", "detail", "code"],
);

const line = object(
  {
    account: text("account code", "1101"),
    debit: amount,
    credit: amount,
    memberId: nullable(text("member id")),
    unit: nullable(text("business unit")),
    counterparty: nullable(text("counterparty")),
    memo: nullable(text("line memo")),
  },
  ["account", "memberId", "unit", "counterparty", "memo"],
);
const entry = object(
  {
    entryId: text("entry id"),
    coopId: text("cooperative id"),
    status: { type: "string", enum: ["posted", "pending_approval", "rejected"] },
    kind: {
      type: "string",
      enum: ["regular", "reversal", "closing", "appropriation", "adjusting", "member_exit"],
      description: "adjusting: a correction under four eyes; member_exit: a leaving member's settlement",
    },
    sequence: { type: "integer", description: "the revision of the posting event in the ledger stream" },
    date,
    memo: text("memo"),
    lines: { type: "array", items: line },
    postedBy: text("principal id"),
    proposedBy: text("principal id"),
    recordedAt: nullable(instant),
    hash: text("chain hash of the posting event (hex)"),
    reversedBy: text("entry id of the reversal"),
    reverses: text("entry id reversed"),
  },
  ["entryId", "coopId", "status", "date", "memo", "lines"],
);
const account = object(
  {
    code: text("code", "1101"),
    name: text("name", "Kas Besar"),
    type: { type: "string", enum: ["asset", "liability", "equity", "income", "expense"] },
    normalBalance: { type: "string", enum: ["debit", "credit"] },
    noOverdraft: { type: "boolean" },
    postable: { type: "boolean" },
    open: { type: "boolean" },
    parent: nullable(text("parent account code")),
    memberControl: { type: "boolean", description: "a member sub-ledger: every line names a member" },
    businessWith: nullable({ type: "string", enum: ["member", "non_member"] }),
    systemAccount: { type: "boolean", description: "moved only by the year end and adjusting entries" },
  },
  ["code", "name", "type", "normalBalance", "noOverdraft", "postable", "open"],
);
const settings = reports.settings;
const cooperative = object({
  id: text("id", "kkmp-mangunharjo"),
  name: text("name", "KKMP Mangunharjo"),
  regionCode: text("Kemendagri region code", "35.74.03.1002"),
  settings,
  accounts: { type: "array", items: account },
});
const member = object({
  memberId: text("member id", "A-0001"),
  name: text("name"),
  joinedOn: date,
  role: { type: "string", enum: ["member", "pengurus", "pengawas"] },
  exitedOn: nullable(date),
});
const memberExit = object({
  memberId: text("member id", "A-0001"),
  exitedOn: date,
  reason: text("reason"),
  settlementAccount: text("where the settlement was paid from or is owed on", "2103"),
  owedOn: nullable(text("the payable left owing the member, null when paid in cash")),
  entry: nullable(entry),
});
const principal = {
  principalId: text("principal id"),
  role: { type: "string", enum: ["admin", "treasurer", "approver", "supervisor", "auditor"] },
  scope: text("*, a cooperative id or a region prefix"),
  name: text("name"),
};
const alert = object(
  {
    alertId: text("alert id"),
    rule: text("rule", "large-cash"),
    severity: { type: "string", enum: ["info", "warning", "high"] },
    coopId: text("cooperative id"),
    regionCode: text("region code"),
    entryIds: { type: "array", items: { type: "string" } },
    summary: text("summary in Indonesian"),
    raisedAt: instant,
    details: { type: "object" },
    acknowledgements: {
      type: "array",
      items: object({ note: text("note"), by: text("principal id"), at: instant }),
    },
  },
  ["alertId", "rule", "severity", "coopId", "regionCode", "entryIds", "summary", "raisedAt"],
);
const trialBalance = object({
  asOf: date,
  accounts: {
    type: "array",
    items: object({
      code: text("code"),
      name: text("name"),
      type: text("type"),
      debit: amount,
      credit: amount,
      balance: amount,
    }),
  },
  totals: object({ debit: amount, credit: amount }),
});
const session = object({
  ...principal,
  csrfToken: text("send it as X-CSRF-Token on writes"),
  expiresAt: instant,
});

const receipt = object({
  receiptNumber: text("the entry id"),
  date,
  dateInWords: text("the date in Indonesian", "1 Maret 2026"),
  direction: { type: "string", enum: ["received", "paid"] },
  memberId: nullable(text("the member the entry names")),
  party: nullable(text("the member's name")),
  memo: text("memo"),
  amount: text("the cash side's amount", "1250000.00"),
  amountInWords: text("terbilang", "satu juta dua ratus lima puluh ribu rupiah"),
  rows: { type: "array", items: { type: "object" }, description: "the printed receipt's rows" },
});

/** A success response: its status, what the body is, and its media types (JSON unless said). */
interface Success {
  readonly status: number;
  readonly description: string;
  readonly schema?: Schema;
  /** Reports also answer CSV and PDF with format=csv|pdf. */
  readonly alsoCsvAndPdf?: boolean;
  /** A slip or receipt also answers PDF with format=pdf (no CSV). */
  readonly alsoPdf?: boolean;
  readonly contentType?: string;
}

const ok = (description: string, schema?: Schema, status = 200): Success => ({
  status,
  description,
  ...(schema === undefined ? {} : { schema }),
});
const asReport = (description: string, schema: Schema): Success => ({
  ...ok(description, schema),
  alsoCsvAndPdf: true,
});

const COOP = "/v1/cooperatives/:coopId";

/** The success answers of every route, by "METHOD url" as Fastify registers it. */
const successes: Readonly<Record<string, readonly Success[]>> = {
  "GET /health": [ok("The process answers.", object({ status: { type: "string", const: "ok" } }))],
  "GET /ready": [
    ok(
      "Ready; `degraded` when some cooperatives are read-only because their hash chain broke.",
      object({
        status: { type: "string", enum: ["ready", "degraded"] },
        position: text("log position"),
        readOnly: {
          type: "array",
          items: object({
            coopId: text("cooperative"),
            revision: { type: "integer", description: "the first event that does not match the chain" },
            reason: text("what does not match"),
            alertId: text("the ledger-integrity alert an admin acknowledges to lift it"),
          }),
        },
      }),
    ),
  ],
  "GET /metrics": [{ ...ok("Prometheus text exposition."), contentType: "text/plain" }],
  "POST /v1/tokens": [
    ok("The token, shown only here.", object({ token: text("bearer token"), ...principal }), 201),
  ],
  "GET /v1/tokens": [ok("The principals whose tokens work; never a token.", reports.principalList)],
  "DELETE /v1/tokens/:principalId": [ok("Revoked.", undefined, 204)],
  "POST /v1/sessions": [ok("Signed in; the session cookie is set.", session, 201)],
  "GET /v1/session": [ok("The session.", session)],
  "DELETE /v1/session": [ok("Signed out; the cookie is cleared.", undefined, 204)],
  "POST /v1/cooperatives": [ok("Opened.", cooperative, 201)],
  "GET /v1/cooperatives": [ok("The cooperatives the principal may see.", list("cooperatives", cooperative))],
  [`GET ${COOP}`]: [ok("The cooperative.", cooperative)],
  [`PATCH ${COOP}/settings`]: [ok("The settings now, with warnings.", reports.settingsChanged)],
  [`POST ${COOP}/accounts`]: [ok("Opened.", account, 201)],
  [`GET ${COOP}/accounts`]: [
    ok("The chart of accounts.", object({ accounts: { type: "array", items: account } })),
  ],
  [`POST ${COOP}/accounts/:code/close`]: [ok("Closed.", account)],
  [`POST ${COOP}/accounts/:code/tags`]: [ok("Tagged.", account)],
  [`POST ${COOP}/members`]: [ok("Registered.", member, 201)],
  [`GET ${COOP}/members`]: [ok("The members.", object({ members: { type: "array", items: member } }))],
  [`POST ${COOP}/members/:memberId/exit`]: [
    ok("The member left; the member_exit entry settled their savings and SHU owed.", memberExit, 201),
    ok("The settlement is above the approval threshold: its entry waits for an approver.", memberExit, 202),
  ],
  [`POST ${COOP}/members/:memberId/exit/reverse`]: [
    ok(
      "The exit is reversed and the member reinstated.",
      object({
        memberId: text("member id", "A-0001"),
        reinstatedOn: date,
        reason: text("reason"),
        entry: nullable(entry),
      }),
      201,
    ),
  ],
  [`POST ${COOP}/journal-entries`]: [
    ok("Posted.", entry, 201),
    ok("Above the approval threshold, or an adjusting entry: waiting for an approver.", entry, 202),
  ],
  [`GET ${COOP}/journal-entries`]: [ok("Entries in recording order.", list("entries", entry))],
  [`GET ${COOP}/journal-entries/:entryId`]: [ok("The entry.", entry)],
  [`POST ${COOP}/journal-entries/:entryId/approve`]: [ok("Approved and posted.", entry, 201)],
  [`POST ${COOP}/journal-entries/:entryId/reject`]: [ok("Rejected.", entry)],
  [`POST ${COOP}/journal-entries/:entryId/reverse`]: [ok("The reversing entry, posted.", entry, 201)],
  [`GET ${COOP}/journal-entries/:entryId/receipt`]: [
    {
      ...ok("The receipt (kuitansi) of a posted entry; format=pdf for the printed one.", receipt),
      alsoPdf: true,
    },
  ],
  [`POST ${COOP}/periods/:period/close`]: [
    ok("Closed.", object({ period: text("YYYY-MM"), status: { const: "closed" } })),
  ],
  [`POST ${COOP}/periods/:period/reopen`]: [
    ok("Reopened.", object({ period: text("YYYY-MM"), status: { const: "open" } })),
  ],
  [`GET ${COOP}/fiscal-years/:year`]: [ok("The year's state.", reports.fiscalYear)],
  [`POST ${COOP}/fiscal-years/:year/close`]: [
    ok("Asked for: waiting for an approver.", reports.yearEndRequested, 202),
  ],
  [`POST ${COOP}/fiscal-years/:year/rat-decision`]: [
    ok("Asked for: waiting for an approver.", reports.yearEndRequested, 202),
  ],
  [`POST ${COOP}/fiscal-years/:year/reopen`]: [ok("Reopened.", reports.yearReopened)],
  [`POST ${COOP}/fiscal-years/:year/close/approve`]: [ok("Closed.", reports.yearEndApproved, 201)],
  [`POST ${COOP}/fiscal-years/:year/rat-decision/approve`]: [
    ok("Decided: the appropriation is posted.", reports.yearEndApproved, 201),
  ],
  [`POST ${COOP}/fiscal-years/:year/close/reject`]: [
    ok("Rejected; nothing posted.", reports.yearEndRejected),
  ],
  [`POST ${COOP}/fiscal-years/:year/rat-decision/reject`]: [
    ok("Rejected; nothing posted.", reports.yearEndRejected),
  ],
  [`GET ${COOP}/trial-balance`]: [asReport("The trial balance.", trialBalance)],
  [`GET ${COOP}/balance-sheet`]: [asReport("The balance sheet.", reports.balanceSheet)],
  [`GET ${COOP}/income-statement`]: [asReport("The income statement.", reports.incomeStatement)],
  [`GET ${COOP}/equity-changes`]: [asReport("Changes in equity.", reports.equityChanges)],
  [`GET ${COOP}/unit-results`]: [
    asReport("Results per business unit, overhead allocated apart.", reports.unitResults),
  ],
  [`GET ${COOP}/cash-flow`]: [asReport("Cash flow.", reports.cashFlow)],
  [`GET ${COOP}/ledger/:code`]: [asReport("The general ledger of an account.", reports.generalLedger)],
  [`GET ${COOP}/members/:memberId/statement`]: [asReport("The member's statement.", reports.memberStatement)],
  [`GET ${COOP}/shu`]: [asReport("The SHU of a year.", reports.shuReport)],
  [`GET ${COOP}/notes`]: [asReport("Notes to the statements.", reports.reportDocument)],
  [`GET ${COOP}/shu/:memberId/slip`]: [
    { ...ok("The member's SHU slip; format=pdf prints it.", reports.shuSlip), alsoPdf: true },
  ],
  [`GET ${COOP}/rat-pack`]: [{ ...ok("The RAT pack."), contentType: "application/pdf" }],
  [`GET ${COOP}/export`]: [{ ...ok("A ledger-cli/hledger journal."), contentType: "text/plain" }],
  [`GET ${COOP}/events`]: [
    ok(
      "Events in revision order.",
      object({
        events: {
          type: "array",
          items: object({
            revision: { type: "integer" },
            type: text("type"),
            data: {},
            metadata: {},
            recordedAt: instant,
          }),
        },
        nextAfter: nullable({ type: "integer" }),
      }),
    ),
  ],
  [`GET ${COOP}/verify`]: [
    ok(
      "The hash chain and invariants checked.",
      object(
        {
          ok: { type: "boolean" },
          events: { type: "integer" },
          headHash: text("hex"),
          firstBadRevision: { type: "integer" },
          reason: text("what is wrong"),
        },
        ["ok"],
      ),
    ),
  ],
  "GET /v1/regions/:prefix/summary": [
    asReport("The region's cooperatives and totals.", reports.regionSummary),
  ],
  "GET /v1/alerts": [ok("Alerts in the caller's scope.", list("alerts", alert))],
  "GET /v1/alerts/stream": [
    { ...ok("Server-Sent Events: `alert` events."), contentType: "text/event-stream" },
  ],
  "POST /v1/alerts/:alertId/acknowledge": [ok("Acknowledged.", alert)],
};

const problemContent = { "application/problem+json": { schema: problemSchema } };
// @fastify/swagger takes each response header as its schema (with a description) and wraps it itself.
const retryAfter = { "Retry-After": { type: "integer", description: "seconds to wait before retrying" } };

/** The problem responses of a route, from what it takes and who may call it. */
const problems = (route: RouteFacts): Record<string, Schema> => {
  const answer = (description: string, headers?: Schema) => ({
    description,
    content: problemContent,
    ...(headers === undefined ? {} : { headers }),
  });
  const responses: Record<string, Schema> = {};
  if (route.takesInput)
    responses[400] = answer(
      "malformed_json, duplicate_key, unknown_field, idempotency_key_required, invalid_header",
    );
  if (!route.isPublic) responses[401] = answer("unauthenticated: no, unknown or revoked token or session");
  if (!route.isPublic || route.method !== "GET")
    responses[403] = answer(
      "forbidden (role), self_approval, csrf_token_invalid (cookie write without X-CSRF-Token)",
    );
  if (route.hasPathParameters)
    responses[404] = answer("not_found: no such object, or outside the principal's scope");
  if (route.idempotent) responses[409] = answer("idempotency_key_in_flight");
  if (route.hasBody) {
    responses[413] = answer("payload_too_large");
    responses[415] = answer("unsupported_media_type");
  }
  if (route.takesInput) responses[422] = answer("validation_failed or a domain refusal (see docs/api.md)");
  if (!route.isPublic) responses[429] = answer("rate_limited", retryAfter);
  responses[503] = answer(
    route.url === "/ready"
      ? "not_ready"
      : route.method === "GET"
        ? "store_unavailable"
        : "store_unavailable, ledger_integrity (the cooperative's hash chain broke: read-only)",
    retryAfter,
  );
  return responses;
};

/** What onRoute knows about a route. */
export interface RouteFacts {
  readonly method: string;
  readonly url: string;
  readonly isPublic: boolean;
  readonly hasBody: boolean;
  readonly takesInput: boolean;
  readonly hasPathParameters: boolean;
  readonly idempotent: boolean;
  /** Whether a successful answer says which revision of one cooperative's log it reflects. */
  readonly reflectsRevision: boolean;
}

const successResponse = (route: RouteFacts, success: Success): Schema => {
  const headers: Schema = {
    ...(success.status === 201 || success.status === 202
      ? { Location: { type: "string", description: "where the created or requested object can be read" } }
      : {}),
    ...(route.idempotent
      ? {
          "Idempotent-Replayed": {
            type: "string",
            enum: ["true"],
            description: "true when the first result is replayed",
          },
        }
      : {}),
    ...(route.reflectsRevision
      ? {
          "Ledger-Revision": {
            type: "integer",
            description: "the revision of the cooperative's log this answer reflects (docs/api.md)",
          },
          "Ledger-Integrity": {
            type: "string",
            description:
              "only when the cooperative's hash chain broke: `broken; revision=N; alert=ID`, the answer reflects the log up to the last sound event (docs/api.md)",
          },
        }
      : {}),
  };
  const media: Record<string, Schema> = {};
  if (success.status !== 204) {
    media[success.contentType ?? "application/json"] = { schema: success.schema ?? { type: "object" } };
    if (success.alsoCsvAndPdf === true) media["text/csv"] = { schema: { type: "string" } };
    if (success.alsoCsvAndPdf === true || success.alsoPdf === true)
      media["application/pdf"] = { schema: { type: "string", format: "binary" } };
  }
  return {
    description: success.description,
    ...(Object.keys(headers).length > 0 ? { headers } : {}),
    // @fastify/swagger writes a response without content (204) only when its schema says `type: null`.
    ...(Object.keys(media).length > 0 ? { content: media } : { type: "null" }),
  };
};

/** The `response` block of a route's schema. */
export const responsesOf = (route: RouteFacts): Record<string, Schema> => {
  const documented = successes[`${route.method} ${route.url}`] ?? [ok("Success.", { type: "object" })];
  return {
    ...Object.fromEntries(
      documented.map((success) => [String(success.status), successResponse(route, success)]),
    ),
    ...problems(route),
  };
};

/** A stable operationId from method and path: `GET /v1/cooperatives/:coopId/trial-balance` → getCooperativeTrialBalance-like. */
export const operationIdOf = (method: string, url: string): string => {
  const words = url
    .split("/")
    .filter((part) => part !== "" && part !== "v1")
    .map((part) => (part.startsWith(":") ? `by-${part.slice(1)}` : part))
    .join("-")
    .split(/[^A-Za-z0-9]+/)
    .filter((word) => word !== "");
  return [method.toLowerCase(), ...words.map((word) => word[0]?.toUpperCase() + word.slice(1))].join("");
};
