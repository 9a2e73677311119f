/** /openapi.json documents every body, query, path parameter and Idempotency-Key from the codecs. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshStore, type Harness, startHarness } from "./harness.js";

describe("the OpenAPI document", () => {
  let harness: Harness;
  let cleanup: () => Promise<void>;
  // biome-ignore lint/suspicious/noExplicitAny: the document is inspected field by field
  let spec: any;

  beforeAll(async () => {
    const store = await freshStore("sqlite");
    cleanup = store.cleanup;
    harness = await startHarness(store.url);
    spec = (await harness.call("GET", "/openapi.json", { token: null })).body;
  });
  afterAll(async () => {
    await harness?.stop();
    await cleanup?.();
  });

  const operation = (path: string, method: string) => spec.paths[path]?.[method];
  const bodySchema = (path: string, method = "post") =>
    operation(path, method)?.requestBody?.content?.["application/json"]?.schema;

  it("describes the journal entry body as the codec takes it", () => {
    const path = "/v1/cooperatives/{coopId}/journal-entries";
    const schema = bodySchema(path);
    expect(schema.type).toBe("object");
    expect(schema.additionalProperties).toBe(false);
    expect(schema.required).toEqual(["date", "lines"]);
    expect(schema.properties.date.format).toBe("date");
    expect(schema.properties.memo.maxLength).toBe(1000);
    const lines = schema.properties.lines;
    expect([lines.minItems, lines.maxItems]).toEqual([2, 500]);
    expect(lines.items.oneOf).toEqual([{ required: ["debit"] }, { required: ["credit"] }]);
    expect(lines.items.properties.debit.type).toBe("string");
    expect(new RegExp(lines.items.properties.debit.pattern).test("50000.50")).toBe(true);
    expect(new RegExp(lines.items.properties.debit.pattern).test("1e5")).toBe(false);
    expect(lines.items.properties.unit.enum).toContain("sembako");
    const parameters = operation(path, "post").parameters;
    const key = parameters.find((parameter: { name: string }) => parameter.name === "idempotency-key");
    expect([key.in, key.required]).toEqual(["header", true]);
    const coopId = parameters.find((parameter: { name: string }) => parameter.name === "coopId");
    expect([coopId.in, coopId.required]).toEqual(["path", true]);
    expect(new RegExp(coopId.schema.pattern).test("kkmp-mangunharjo")).toBe(true);
  });

  it("describes every body a route decodes, and the query parameters of lists and reports", () => {
    const withBodies: [string, string][] = [
      ["/v1/cooperatives", "post"],
      ["/v1/cooperatives/{coopId}/settings", "patch"],
      ["/v1/cooperatives/{coopId}/accounts", "post"],
      ["/v1/cooperatives/{coopId}/members", "post"],
      ["/v1/cooperatives/{coopId}/journal-entries/{entryId}/reject", "post"],
      ["/v1/cooperatives/{coopId}/journal-entries/{entryId}/reverse", "post"],
      ["/v1/cooperatives/{coopId}/fiscal-years/{year}/rat-decision", "post"],
      ["/v1/cooperatives/{coopId}/fiscal-years/{year}/close/reject", "post"],
      ["/v1/tokens", "post"],
      ["/v1/alerts/{alertId}/acknowledge", "post"],
    ];
    for (const [path, method] of withBodies) {
      const schema = bodySchema(path, method);
      expect(schema?.type, `${method} ${path}`).toBe("object");
      expect(schema.additionalProperties, `${method} ${path}`).toBe(false);
    }
    expect(bodySchema("/v1/cooperatives").properties.chart.enum).toEqual(["kkmp", "empty"]);
    expect(
      bodySchema("/v1/cooperatives/{coopId}/settings", "patch").properties.approvalThreshold.anyOf,
    ).toContainEqual({
      type: "null",
    });
    expect(bodySchema("/v1/tokens").properties.role.enum).toEqual([
      "admin",
      "treasurer",
      "approver",
      "supervisor",
      "auditor",
      "metrics",
    ]);
    const names = (path: string) =>
      operation(path, "get")
        .parameters.filter((parameter: { in: string }) => parameter.in === "query")
        .map((parameter: { name: string }) => parameter.name)
        .sort();
    expect(names("/v1/cooperatives/{coopId}/journal-entries")).toEqual([
      "account",
      "cursor",
      "from",
      "limit",
      "minRevision",
      "status",
      "to",
    ]);
    expect(names("/v1/cooperatives/{coopId}/income-statement")).toContain("unit");
    expect(names("/v1/cooperatives/{coopId}/events")).toEqual(["after", "limit", "minRevision"]);
    expect(names("/v1/cooperatives/{coopId}")).toEqual(["minRevision"]);
    expect(names("/v1/alerts")).toEqual(["cursor", "limit", "region", "severity", "since"]);
  });

  it("serves a human page at /docs", async () => {
    const docs = await harness.call("GET", "/docs", { token: null });
    expect(docs.status).toBe(200);
    expect(String(docs.body)).toContain("html");
  });
});
