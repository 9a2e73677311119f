import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import * as store from "../src/index.js";
import * as testing from "../src/testing/index.js";

/**
 * The conformance suite is written with vitest, so it lives at `@bukubesar/event-store/testing`: before,
 * the main entry point exported it and vitest was a runtime dependency of every service.
 */
describe("event-store's entry points", () => {
  it("keeps the conformance suite off the main entry point and vitest out of the runtime dependencies", () => {
    expect(Object.keys(store)).not.toContain("eventStoreConformance");
    expect(Object.keys(testing)).toContain("eventStoreConformance");
    const manifest = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
      dependencies: Record<string, string>;
    };
    expect(Object.keys(manifest.dependencies)).not.toContain("vitest");
  });
});
