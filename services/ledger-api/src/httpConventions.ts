/**
 * HTTP conventions every route follows, applied once here so routes added later follow them too:
 * - a query parameter an API route does not declare (its querystring schema), or a single-valued one given
 *   twice, is 400 `unknown_parameter` naming it: a report never answers a question it was not asked;
 * - a known path asked with a method it does not take is 405 `method_not_allowed` with `Allow`;
 * - 201 and 202 carry `Location` (the created or pending resource) when the route did not set one;
 * - CSV, PDF and journal downloads carry `Content-Disposition: attachment` with a file name;
 * - answers under /v1/ and /metrics carry `Cache-Control: no-store` (tokens, balances: nothing to keep);
 * - a successful answer about one cooperative carries `Ledger-Revision`, the revision of its log it reflects.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from "fastify";
import { LEDGER_INTEGRITY_HEADER, LEDGER_REVISION_HEADER } from "./apiContext.js";
import { ApiProblem } from "./problem.js";

/** A route as registered: its method and a matcher for concrete paths. */
interface KnownRoute {
  readonly method: string;
  readonly pattern: RegExp;
}

/** Query parameters of a querystring JSON schema, and which of them may repeat (arrays). */
interface DeclaredParameters {
  readonly names: ReadonlySet<string>;
  readonly repeatable: ReadonlySet<string>;
}

type JsonSchema = {
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly type?: string | readonly string[];
  readonly anyOf?: readonly JsonSchema[];
  readonly allOf?: readonly JsonSchema[];
  readonly oneOf?: readonly JsonSchema[];
};

const NO_PARAMETERS: DeclaredParameters = { names: new Set(), repeatable: new Set() };

const isArraySchema = (schema: JsonSchema): boolean =>
  schema.type === "array" ||
  (Array.isArray(schema.type) && schema.type.includes("array")) ||
  [...(schema.anyOf ?? []), ...(schema.oneOf ?? [])].some(isArraySchema);

const collectParameters = (
  schema: JsonSchema | undefined,
  into: { names: Set<string>; repeatable: Set<string> },
) => {
  if (schema === undefined) return;
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    into.names.add(name);
    if (isArraySchema(property)) into.repeatable.add(name);
  }
  for (const part of [...(schema.allOf ?? []), ...(schema.anyOf ?? []), ...(schema.oneOf ?? [])])
    collectParameters(part, into);
};

const declaredParametersOf = (route: RouteOptions): DeclaredParameters => {
  const schema = route.schema?.querystring as JsonSchema | undefined;
  if (schema === undefined) return NO_PARAMETERS;
  const declared = { names: new Set<string>(), repeatable: new Set<string>() };
  collectParameters(schema, declared);
  return declared;
};

/** `/v1/cooperatives/:coopId/ledger/:code` → a regular expression for concrete paths. */
const patternOf = (url: string): RegExp => {
  const source = url
    .split("/")
    .map((segment) =>
      segment.startsWith(":")
        ? "[^/]+"
        : segment === "*"
          ? ".*"
          : segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"),
    )
    .join("/");
  return new RegExp(`^${source}/?$`);
};

/** The API's routes; the others (the web application's files, the API's own page) are static files. */
const API_ROUTES = ["/health", "/ready", "/metrics", "/openapi.json"];
const isApiRoute = (url: string): boolean => url.startsWith("/v1/") || API_ROUTES.includes(url);

const refuseUnknownParameters = (request: FastifyRequest, declared: DeclaredParameters): void => {
  const query = request.query as Record<string, unknown> | undefined;
  for (const [name, value] of Object.entries(query ?? {})) {
    if (!declared.names.has(name))
      throw new ApiProblem(
        "unknown_parameter",
        `This route takes no query parameter ${JSON.stringify(name)}.`,
        [{ path: name, code: "unknown_parameter", message: "is not a parameter of this route" }],
      );
    if (Array.isArray(value) && !declared.repeatable.has(name))
      throw new ApiProblem(
        "unknown_parameter",
        `The query parameter ${JSON.stringify(name)} is given more than once.`,
        [{ path: name, code: "unknown_parameter", message: "is given more than once" }],
      );
  }
};

/** The resource a 201 or 202 answer created or left pending, when the route did not say. */
const locationOf = (request: FastifyRequest, body: Record<string, unknown>): string | null => {
  const params = request.params as Record<string, string | undefined>;
  const route = request.routeOptions.url ?? "";
  const coop = params.coopId === undefined ? null : `/v1/cooperatives/${encodeURIComponent(params.coopId)}`;
  const text = (value: unknown) => (typeof value === "string" ? encodeURIComponent(value) : null);
  if (route === "/v1/cooperatives" && text(body.id) !== null) return `/v1/cooperatives/${text(body.id)}`;
  if (route === "/v1/tokens" && text(body.principalId) !== null)
    return `/v1/tokens/${text(body.principalId)}`;
  if (route === "/v1/sessions") return "/v1/session";
  if (coop === null) return null;
  if (route.endsWith("/accounts") && text(body.code) !== null) return `${coop}/ledger/${text(body.code)}`;
  if (route.endsWith("/members") && text(body.memberId) !== null)
    return `${coop}/members/${text(body.memberId)}/statement`;
  if (text(body.entryId) !== null) return `${coop}/journal-entries/${text(body.entryId)}`;
  return null;
};

const DOWNLOAD_EXTENSIONS: Readonly<Record<string, string>> = {
  "text/csv": "csv",
  "application/pdf": "pdf",
};

/** `kkmp-x-trial-balance-2025-12-31.csv`: the cooperative, the report and the period asked for. */
const downloadName = (request: FastifyRequest, extension: string): string => {
  const params = request.params as Record<string, string | undefined>;
  const query = (request.query ?? {}) as Record<string, unknown>;
  const route = request.routeOptions.url ?? "";
  const report = route
    .split("/")
    .filter(
      (segment) => segment !== "" && !segment.startsWith(":") && !["v1", "cooperatives"].includes(segment),
    )
    .join("-");
  const period = ["asOf", "from", "to", "year"]
    .map((name) => query[name])
    .filter((value): value is string => typeof value === "string");
  const parts = [
    params.coopId,
    report,
    ...(params.code === undefined ? [] : [params.code]),
    ...(params.memberId === undefined ? [] : [params.memberId]),
    ...period,
  ];
  return `${parts
    .filter((part) => part !== undefined && part !== "")
    .join("-")
    .replace(/[^A-Za-z0-9._-]/g, "_")}.${extension}`;
};

const downloadExtension = (request: FastifyRequest, contentType: string): string | null => {
  const mediaType = contentType.split(";")[0]?.trim() ?? "";
  const known = DOWNLOAD_EXTENSIONS[mediaType];
  if (known !== undefined) return known;
  // The journal export is plain text for ledger-cli / hledger.
  if ((request.routeOptions.url ?? "").endsWith("/export") && mediaType === "text/plain") return "journal";
  return null;
};

/** A created (201) or accepted (202) JSON answer points at what it made, unless its route already did. */
const pointAtCreated = (
  request: FastifyRequest,
  reply: FastifyReply,
  payload: unknown,
  contentType: string,
): void => {
  if (reply.statusCode !== 201 && reply.statusCode !== 202) return;
  if (reply.hasHeader("location") || !contentType.includes("json") || typeof payload !== "string") return;
  try {
    const location = locationOf(request, JSON.parse(payload) as Record<string, unknown>);
    if (location !== null) reply.header("location", location);
  } catch {
    // Not a JSON object: nothing to point at.
  }
};

const decorateAnswer = (request: FastifyRequest, reply: FastifyReply, payload: unknown): void => {
  if (request.url.startsWith("/v1/") || request.url.startsWith("/metrics"))
    reply.header("cache-control", "no-store");
  if (request.ledgerRevision !== null && reply.statusCode < 300)
    reply.header(LEDGER_REVISION_HEADER, String(request.ledgerRevision));
  if (request.ledgerIntegrity !== null) reply.header(LEDGER_INTEGRITY_HEADER, request.ledgerIntegrity);
  const contentType = String(reply.getHeader("content-type") ?? "");
  pointAtCreated(request, reply, payload, contentType);
  if (reply.statusCode === 200 && !reply.hasHeader("content-disposition")) {
    const extension = downloadExtension(request, contentType);
    if (extension !== null)
      reply.header("content-disposition", `attachment; filename="${downloadName(request, extension)}"`);
  }
};

export interface HttpConventions {
  /** For the not-found handler: the 405 for a path that exists with other methods, or null. */
  methodNotAllowed(request: FastifyRequest, reply: FastifyReply): ApiProblem | null;
}

/** Installs the conventions; call before any route is registered, so every route is seen. */
export const registerHttpConventions = (app: FastifyInstance): HttpConventions => {
  const routes: KnownRoute[] = [];
  const declaredByRoute = new Map<string, DeclaredParameters>();
  app.addHook("onRoute", (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      routes.push({ method: String(method).toUpperCase(), pattern: patternOf(route.url) });
      declaredByRoute.set(`${String(method).toUpperCase()} ${route.url}`, declaredParametersOf(route));
    }
  });
  app.addHook("preValidation", async (request) => {
    const url = request.routeOptions.url;
    if (url === undefined || !isApiRoute(url)) return;
    refuseUnknownParameters(request, declaredByRoute.get(`${request.method} ${url}`) ?? NO_PARAMETERS);
  });
  app.addHook("onSend", async (request, reply, payload) => {
    decorateAnswer(request, reply, payload);
    return payload;
  });
  return {
    methodNotAllowed(request, reply) {
      const path = request.url.split("?")[0] ?? "";
      const allowed = [
        ...new Set(routes.filter((route) => route.pattern.test(path)).map((route) => route.method)),
      ];
      if (allowed.length === 0) return null;
      reply.header("allow", allowed.sort().join(", "));
      return new ApiProblem(
        "method_not_allowed",
        `${request.method} is not allowed here; use ${allowed.sort().join(", ")}.`,
      );
    },
  };
};
