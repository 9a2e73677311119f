/**
 * The OpenAPI 3.1 document's frame; @fastify/swagger adds every registered route with the summary,
 * tags and security each route declares in its `schema`, so the document and the server cannot drift.
 * Bodies, queries and path parameters are described by the JSON Schemas registered next to the io-ts
 * codecs that decode them (@bukubesar/contract, and queries.ts for the query parameters).
 */

import {
  AccountCode,
  CoopId,
  EntryId,
  jsonSchemaOf,
  MemberId,
  PeriodParam,
  PrincipalId,
  YearParam,
} from "@bukubesar/contract";
import { IDEMPOTENCY_KEY_LENGTH_MAX, IDEMPOTENCY_KEY_PATTERN } from "@bukubesar/ledger-core";
import type * as t from "io-ts";
import { operationIdOf, type RouteFacts, responsesOf } from "./openApiResponses.js";
import { MinRevisionQuery } from "./queries.js";

export const openApiInfo = {
  openapi: "3.1.0",
  info: {
    title: "bukubesar",
    version: "1.0.0",
    license: { name: "Apache-2.0", identifier: "Apache-2.0" },
    description:
      "Event-sourced double-entry ledger for Indonesia's cooperatives. Errors are RFC 9457 problem details " +
      "(application/problem+json) with a stable `code`. Amounts are decimal strings; JSON numbers are refused.",
  },
  components: {
    securitySchemes: {
      bearer: { type: "http" as const, scheme: "bearer" },
      session: {
        type: "apiKey" as const,
        in: "cookie" as const,
        name: "bb_session",
        description: "The browser session of POST /v1/sessions; writes also need X-CSRF-Token.",
      },
    },
  },
  security: [{ bearer: [] }, { session: [] }],
  // Relative: "Try it out" on /docs calls the server that serves the page, whatever its address.
  servers: [{ url: "/", description: "this server" }],
};

export interface RouteDocumentation {
  /** A public route needs no bearer token. */
  readonly isPublic?: boolean;
  /** The codec of the JSON body; its JSON Schema documents the body. */
  readonly body?: t.Any;
  /** The codec of the query string. */
  readonly query?: t.Any;
  /** Whether the route records ledger history and so takes an Idempotency-Key. */
  readonly idempotencyKey?: "required" | "optional";
}

const idempotencyKeyHeader = (required: boolean) => ({
  type: "object",
  properties: {
    "idempotency-key": {
      type: "string",
      pattern: IDEMPOTENCY_KEY_PATTERN.source,
      examples: ["setoran-contoh-1"],
      description:
        `1-${IDEMPOTENCY_KEY_LENGTH_MAX} printable ASCII characters, not beginning or ending with a space, scoped` +
        " to (cooperative, route): a retry with the same key and body replays the first result (Idempotent-Replayed: true).",
    },
  },
  ...(required ? { required: ["idempotency-key"] } : {}),
});

/**
 * The `schema` block of a route: documentation only. Fastify's own validation is switched off in
 * buildServer.ts; bodies and queries are decoded by the io-ts codecs of @bukubesar/contract and
 * queries.ts, whose JSON Schemas (registered next to them) are what the document shows.
 */
export const describe = (tag: string, summary: string, documentation: RouteDocumentation = {}) => ({
  schema: {
    tags: [tag],
    summary,
    ...(documentation.isPublic === true ? { security: [] } : {}),
    ...(documentation.body !== undefined ? { body: jsonSchemaOf(documentation.body) } : {}),
    ...(documentation.query !== undefined ? { querystring: jsonSchemaOf(documentation.query) } : {}),
    ...(documentation.idempotencyKey !== undefined
      ? { headers: idempotencyKeyHeader(documentation.idempotencyKey === "required") }
      : {}),
  },
});

/** The codec of each path parameter, so every route's parameters are documented with their patterns. */
export const pathParameterCodecs: Readonly<Record<string, t.Any>> = {
  coopId: CoopId,
  entryId: EntryId,
  code: AccountCode,
  memberId: MemberId,
  period: PeriodParam,
  year: YearParam,
  principalId: PrincipalId,
  alertId: EntryId,
};

/**
 * Path parameter examples that name the demo cooperative's own objects (`./scripts/start --demo`), so
 * that "Try it out" on /docs works against the demo as it comes.
 */
const pathParameterExamples: Readonly<Record<string, string>> = {
  coopId: "kkmp-mangunharjo",
  code: "1101",
  memberId: "A-0001",
  prefix: "35.74",
};

/** The `params` schema of a route's URL, from its `:name` segments. */
export const pathParametersSchema = (url: string) => {
  const names = [...url.matchAll(/:([A-Za-z]+)/g)].map((match) => match[1] as string);
  if (names.length === 0) return undefined;
  return {
    type: "object",
    properties: Object.fromEntries(
      names.map((name) => {
        const codec = pathParameterCodecs[name];
        const example = pathParameterExamples[name];
        return [
          name,
          {
            ...(codec === undefined ? { type: "string" } : jsonSchemaOf(codec)),
            ...(example === undefined ? {} : { examples: [example] }),
          },
        ];
      }),
    ),
    required: names,
  };
};

/** Routes about one cooperative: their answers carry Ledger-Revision, their GETs take minRevision. */
const ONE_COOPERATIVE_PREFIX = "/v1/cooperatives/:coopId";

/** A GET's querystring with `minRevision` added (every GET of one cooperative takes it, docs/api.md). */
const withMinRevision = (schema: Record<string, unknown>): Record<string, unknown> => {
  const query = (schema.querystring ?? { type: "object", properties: {} }) as {
    properties?: Record<string, unknown>;
  };
  const added = (jsonSchemaOf(MinRevisionQuery) as { properties?: Record<string, unknown> }).properties;
  return { ...schema, querystring: { ...query, properties: { ...query.properties, ...added } } };
};

/**
 * Completes a described route's schema for the document: its operationId, every response it can give
 * (openApiResponses.ts) and its path parameters. Routes without a `describe` block (static files, the
 * document itself) are left alone.
 */
export const documentRoute = (
  method: string | readonly string[],
  url: string,
  schema: Record<string, unknown> | undefined,
): Record<string, unknown> | undefined => {
  if (schema === undefined || schema.tags === undefined) return schema;
  const verb = (typeof method === "string" ? method : (method[0] ?? "GET")).toUpperCase();
  const aboutOneCooperative = url.startsWith(ONE_COOPERATIVE_PREFIX);
  if (verb === "GET" && aboutOneCooperative) schema = withMinRevision(schema);
  const headers = schema.headers as { properties?: Record<string, unknown> } | undefined;
  const facts: RouteFacts = {
    method: verb,
    url,
    isPublic: Array.isArray(schema.security) && schema.security.length === 0,
    hasBody: schema.body !== undefined,
    takesInput: schema.body !== undefined || schema.querystring !== undefined || headers !== undefined,
    hasPathParameters: url.includes(":"),
    idempotent: headers?.properties?.["idempotency-key"] !== undefined,
    reflectsRevision: aboutOneCooperative,
  };
  const params = pathParametersSchema(url);
  return {
    ...schema,
    operationId: operationIdOf(verb, url),
    ...(params !== undefined && schema.params === undefined ? { params } : {}),
    ...(schema.response === undefined ? { response: responsesOf(facts) } : {}),
    ...(schema.body !== undefined && bodyExamples[`${verb} ${url}`] !== undefined
      ? { body: { ...(schema.body as object), examples: [bodyExamples[`${verb} ${url}`]?.()] } }
      : {}),
  };
};

/** Today in Western Indonesia, the demo cooperative's zone: an entry dated today posts in the demo. */
const demoToday = (): string =>
  new Intl.DateTimeFormat("en-CA", {
    timeZone: "Asia/Jakarta",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).format(new Date());

/** Request bodies that succeed against the demo (run once, as a treasurer or admin of it). */
const bodyExamples: Readonly<Record<string, () => unknown>> = {
  "POST /v1/cooperatives/:coopId/journal-entries": () => ({
    date: demoToday(),
    memo: "Setoran simpanan wajib",
    lines: [
      { account: "1101", debit: "50000" },
      { account: "3200", credit: "50000", memberId: "A-0001" },
    ],
  }),
  "POST /v1/cooperatives/:coopId/members": () => ({
    memberId: "B-0001",
    name: "Siti Aminah",
    joinedOn: demoToday(),
    role: "member",
  }),
  "POST /v1/cooperatives": () => ({
    id: "kkmp-contoh",
    name: "KKMP Contoh",
    regionCode: "35.74.03.1003",
    chart: "kkmp",
  }),
  "POST /v1/tokens": () => ({ role: "treasurer", scope: "kkmp-mangunharjo", name: "bendahara" }),
  "POST /v1/sessions": () => ({ token: "bb_… (a token printed by ./scripts/start --demo)" }),
  "POST /v1/alerts/:alertId/acknowledge": () => ({ note: "Sudah dicek ke bendahara" }),
};
