/**
 * Every report's JSON body is typed in the OpenAPI document, and the demo cooperative's own reports (a
 * closed, decided previous year and a current one) validate against the documented schemas: a field
 * renamed, dropped or of another type in a report fails here, so the generated web client cannot drift.
 */
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_COOPERATIVE, seedDemo } from "../src/index.js";
import { freshStore, type Harness, startHarness } from "./harness.js";

const TODAY = "2026-03-01";
const COOP = `/v1/cooperatives/${DEMO_COOPERATIVE.id}`;

/** Each documented GET, with the request that shows it as the demo has it. */
const READS: readonly (readonly [template: string, request: string])[] = [
  ["/v1/cooperatives/{coopId}/balance-sheet", `${COOP}/balance-sheet?asOf=${TODAY}&compare=previous`],
  ["/v1/cooperatives/{coopId}/balance-sheet", `${COOP}/balance-sheet?asOf=2025-06-30`],
  [
    "/v1/cooperatives/{coopId}/income-statement",
    `${COOP}/income-statement?from=2025-01-01&to=2025-12-31&compare=previous`,
  ],
  [
    "/v1/cooperatives/{coopId}/income-statement",
    `${COOP}/income-statement?from=2026-01-01&to=${TODAY}&unit=sembako`,
  ],
  [
    "/v1/cooperatives/{coopId}/equity-changes",
    `${COOP}/equity-changes?from=2025-01-01&to=2025-12-31&compare=previous`,
  ],
  ["/v1/cooperatives/{coopId}/cash-flow", `${COOP}/cash-flow?from=2026-01-01&to=${TODAY}&compare=previous`],
  ["/v1/cooperatives/{coopId}/ledger/{code}", `${COOP}/ledger/1101?from=2026-02-01&to=${TODAY}`],
  [
    "/v1/cooperatives/{coopId}/members/{memberId}/statement",
    `${COOP}/members/A-0001/statement?asOf=${TODAY}`,
  ],
  ["/v1/cooperatives/{coopId}/shu", `${COOP}/shu?year=2025`],
  ["/v1/cooperatives/{coopId}/shu", `${COOP}/shu?year=2026`],
  ["/v1/cooperatives/{coopId}/shu/{memberId}/slip", `${COOP}/shu/A-0001/slip?year=2025`],
  ["/v1/cooperatives/{coopId}/notes", `${COOP}/notes?asOf=${TODAY}`],
  ["/v1/cooperatives/{coopId}/trial-balance", `${COOP}/trial-balance?asOf=${TODAY}`],
  ["/v1/cooperatives/{coopId}/fiscal-years/{year}", `${COOP}/fiscal-years/2025`],
  ["/v1/cooperatives/{coopId}/fiscal-years/{year}", `${COOP}/fiscal-years/2026`],
  ["/v1/regions/{prefix}/summary", `/v1/regions/35.74/summary?asOf=${TODAY}`],
  ["/v1/cooperatives/{coopId}", COOP],
  ["/v1/tokens", "/v1/tokens"],
];

describe("the report bodies of the OpenAPI document", () => {
  let harness: Harness;
  let cleanup: () => Promise<void>;
  // biome-ignore lint/suspicious/noExplicitAny: the document is inspected field by field
  let spec: any;
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats.default(ajv);

  beforeAll(async () => {
    const store = await freshStore("sqlite");
    cleanup = store.cleanup;
    harness = await startHarness(store.url, { now: () => `${TODAY}T05:00:00.000Z` });
    await seedDemo(harness.built.context, TODAY);
    spec = (await harness.call("GET", "/openapi.json", { token: null })).body;
  });
  afterAll(async () => {
    await harness?.stop();
    await cleanup?.();
  });

  it("types every JSON success body with its fields, not a bare object", () => {
    for (const [path, item] of Object.entries(spec.paths))
      for (const [method, operation] of Object.entries(item as Record<string, { responses: object }>))
        for (const [status, response] of Object.entries(operation.responses)) {
          const schema = (response as { content?: Record<string, { schema: { properties?: object } }> })
            .content?.["application/json"]?.schema;
          if (!status.startsWith("2") || schema === undefined) continue;
          expect(schema.properties, `${method} ${path} ${status}`).toBeDefined();
        }
  });

  it.each(READS)("the demo's %s answer (%s) is what the document says", async (template, request) => {
    const answer = await harness.call("GET", request);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    const schema = spec.paths[template].get.responses["200"].content["application/json"].schema;
    const validate = ajv.compile(schema);
    expect(validate(answer.body), JSON.stringify(validate.errors, null, 1)).toBe(true);
  });

  it("would catch a report field of the wrong type", () => {
    const schema =
      spec.paths["/v1/cooperatives/{coopId}/balance-sheet"].get.responses["200"].content["application/json"]
        .schema;
    const validate = ajv.compile(schema);
    expect(
      validate({
        asOf: TODAY,
        assets: { sections: [], total: 5 },
        liabilities: {},
        equity: {},
        balanced: true,
      }),
    ).toBe(false);
  });
});
