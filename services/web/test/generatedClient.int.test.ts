/**
 * The application talks to the API only through types generated from the API's own OpenAPI document, so
 * the committed types must be what the generator writes today: regenerate them with
 * `pnpm --filter @bukubesar/web generate` when this fails.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { generatedSchemaSource } from "../scripts/schemaSource.mts";

describe("the generated API client", () => {
  it("is up to date with /openapi.json", async () => {
    const committed = readFileSync(fileURLToPath(new URL("../src/api/schema.d.ts", import.meta.url)), "utf8");
    expect(committed === (await generatedSchemaSource()), "run: pnpm --filter @bukubesar/web generate").toBe(
      true,
    );
  });
});
