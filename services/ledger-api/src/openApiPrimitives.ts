/** The building blocks of the OpenAPI document's response schemas (openApiResponses.ts, openApiReports.ts). */

export type Schema = Record<string, unknown>;

export const text = (description: string, example?: string): Schema => ({
  type: "string",
  description,
  ...(example === undefined ? {} : { examples: [example] }),
});
export const amount = { type: "string", pattern: "^-?\\d{1,15}\\.\\d{2}$", examples: ["50000.00"] };
export const date = { type: "string", format: "date", examples: ["2026-01-15"] };
export const instant = { type: "string", format: "date-time", examples: ["2026-01-15T03:00:00.000Z"] };
export const nullable = (schema: Schema): Schema => ({ anyOf: [schema, { type: "null" }] });
export const object = (
  properties: Record<string, Schema>,
  required: readonly string[] = Object.keys(properties),
) => ({
  type: "object",
  properties,
  required: [...required],
});
export const list = (name: string, item: Schema) =>
  object({ [name]: { type: "array", items: item }, nextCursor: nullable(text("continue with ?cursor=")) });
