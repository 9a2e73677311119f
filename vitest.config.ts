import { defineConfig } from "vitest/config";

// Tests run against the TypeScript sources (the "source" export condition), so no build is needed first.
// Only "source" is added to Vite's own conditions: forcing "import" as well would reach Node as a
// `--conditions` flag and make CommonJS require() calls inside dependencies (pg → pg-pool) load ESM wrappers.
// These two lists are Vite's own defaults (defaultClientConditions, defaultServerConditions) with "source" first.
const clientConditions = ["source", "module", "browser", "development|production"];
const serverConditions = ["source", "module", "node", "development|production"];

export default defineConfig({
  resolve: { conditions: clientConditions },
  ssr: { resolve: { conditions: serverConditions } },
  test: {
    include: ["packages/*/test/**/*.test.ts", "services/*/test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
  },
});
