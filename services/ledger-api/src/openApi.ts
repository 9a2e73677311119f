/**
 * The OpenAPI 3.1 document's frame; @fastify/swagger adds every registered route with the summary,
 * tags and security each route declares in its `schema`, so the document and the server cannot drift.
 * Bodies are decoded by the io-ts codecs in codecs.ts, whose rules each route's description repeats.
 */
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

/** The `schema` block of a route: documentation only (validation is io-ts, at the boundary). */
export const describe = (tag: string, summary: string, isPublic = false) => ({
  schema: { tags: [tag], summary, ...(isPublic ? { security: [] } : {}) },
});
