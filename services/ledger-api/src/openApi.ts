/**
 * The OpenAPI 3.1 document's frame; @fastify/swagger adds every registered route with the summary,
 * tags and security each route declares in its `schema`, so the document and the server cannot drift.
 * Bodies, queries and path parameters are described by the JSON Schemas registered next to the io-ts
 * codecs that decode them (codecs.ts, jsonSchema.ts).
 */
import type * as t from "io-ts";
import { AccountCode, CoopId, EntryId, MemberId, PeriodParam, PrincipalId, YearParam } from "./codecs.js";
import { jsonSchemaOf } from "./jsonSchema.js";

export const openApiInfo = {
  openapi: "3.1.0",
  info: {
    title: "bukubesar",
    version: "1.0.0",
    description:
      "Event-sourced double-entry ledger for Indonesia's cooperatives. Errors are RFC 9457 problem details " +
      "(application/problem+json) with a stable `code`. Amounts are decimal strings; JSON numbers are refused.",
  },
  components: {
    securitySchemes: { bearer: { type: "http" as const, scheme: "bearer" } },
  },
  security: [{ bearer: [] }],
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
      pattern: "^[\\x21-\\x7e][\\x20-\\x7e]{0,127}$",
      description:
        "1-128 printable ASCII characters, scoped to (cooperative, route): a retry with the same key and " +
        "body replays the first result (Idempotent-Replayed: true).",
    },
  },
  ...(required ? { required: ["idempotency-key"] } : {}),
});

/**
 * The `schema` block of a route: documentation only. Fastify's own validation is switched off in
 * buildServer.ts; bodies and queries are decoded by the io-ts codecs in codecs.ts, whose JSON Schemas
 * (registered next to them) are what the document shows.
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

/** The `params` schema of a route's URL, from its `:name` segments. */
export const pathParametersSchema = (url: string) => {
  const names = [...url.matchAll(/:([A-Za-z]+)/g)].map((match) => match[1] as string);
  if (names.length === 0) return undefined;
  return {
    type: "object",
    properties: Object.fromEntries(
      names.map((name) => {
        const codec = pathParameterCodecs[name];
        return [name, codec === undefined ? { type: "string" } : jsonSchemaOf(codec)];
      }),
    ),
    required: names,
  };
};
