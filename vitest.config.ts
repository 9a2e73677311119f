import { defineConfig } from "vitest/config";

// Tests run against the TypeScript sources (the "source" export condition), so no build is needed first.
// Only "source" is added to Vite's own conditions: forcing "import" as well would reach Node as a
// `--conditions` flag and make CommonJS require() calls inside dependencies (pg → pg-pool) load ESM wrappers.
// These two lists are Vite's own defaults (defaultClientConditions, defaultServerConditions) with "source" first.
const clientConditions = ["source", "module", "browser", "development|production"];
const serverConditions = ["source", "module", "node", "development|production"];

/** Where every package keeps its tests; a test's tier is the word before `.test.ts`. */
const TEST_FOLDERS = ["packages/*/test/**", "services/*/test/**"];
const testsOfTier = (tier: string) => TEST_FOLDERS.map((folder) => `${folder}/*.${tier}.test.ts`);

/**
 * The tiers, each a vitest project (`vitest run --project unit`, or `pnpm test:unit`): unit tests touch
 * nothing outside the process; int tests use a real store, server or command; e2e tests drive the HTTP
 * service; browser tests drive chromium. `vitest run` with no project runs them all (scripts/test).
 */
const TIERS = ["unit", "int", "e2e", "browser"] as const;

export default defineConfig({
  resolve: { conditions: clientConditions },
  ssr: { resolve: { conditions: serverConditions } },
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
    projects: TIERS.map((tier) => ({ extends: true, test: { name: tier, include: testsOfTier(tier) } })),
  },
});
