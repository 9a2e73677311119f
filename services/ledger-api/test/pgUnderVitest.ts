// A copy of packages/event-store/test/pg-under-vitest.ts: tests may not import across packages.
import Module from "node:module";

/**
 * The root vitest configuration passes its `ssr.resolve.conditions` (source, import, default) to the test
 * processes as Node `--conditions`, so `require("pg-pool")` inside pg resolves to pg-pool's ESM wrapper,
 * whose default-only namespace pg cannot extend ("Class extends value [object Module]"). Until the root
 * configuration stops forcing the `import` condition on require(), this test helper sends the CommonJS
 * require of pg-pool back to its CommonJS entry. It must be imported before anything loads pg.
 */
type ResolveFilename = (request: string, parent: unknown, isMain: boolean, options?: unknown) => string;
const moduleInternals = Module as unknown as { _resolveFilename: ResolveFilename };
const original = moduleInternals._resolveFilename;
moduleInternals._resolveFilename = function resolveFilename(request, parent, isMain, options) {
  const resolved = original.call(this, request, parent, isMain, options);
  if (request === "pg-pool" && resolved.endsWith("/esm/index.mjs")) {
    return resolved.replace(/\/esm\/index\.mjs$/, "/index.js");
  }
  return resolved;
};
