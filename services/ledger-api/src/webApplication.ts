/**
 * The web application (services/web, built by Vite into dist/) served at `/`. Vite names every asset
 * after a hash of its content, so assets are cached for a year and never revalidated; the page itself,
 * the service worker and the manifest are revalidated on each visit so that a new build is picked up.
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance } from "fastify";

/** A year, the longest cache lifetime browsers honour; safe because a changed asset gets a new name. */
const HASHED_ASSET_MAX_AGE_SECONDS = 365 * 24 * 60 * 60;
const HASHED_ASSET_PREFIX = "/assets/";

/** Where the built application is when this package runs from its sources or its build (both two levels down). */
export const defaultWebRoot = (): string => fileURLToPath(new URL("../../web/dist/", import.meta.url));

export const registerWebApplication = async (app: FastifyInstance, root: string): Promise<void> => {
  if (!existsSync(root)) {
    app.log.warn(
      { root },
      "the web application is not built (pnpm --filter @bukubesar/web build); / is not served",
    );
    return;
  }
  await app.register(fastifyStatic, {
    root,
    prefix: "/",
    // One route per file found at start (so unknown paths stay the API's 404 and 405 answers): a new
    // build is served after a restart, which is how it is deployed (scripts/start builds, then serves).
    wildcard: false,
    index: ["index.html"],
    cacheControl: false,
    setHeaders: (response, path) => {
      const url = path.slice(root.length - 1);
      response.header(
        "cache-control",
        url.startsWith(HASHED_ASSET_PREFIX)
          ? `public, max-age=${HASHED_ASSET_MAX_AGE_SECONDS}, immutable`
          : "no-cache",
      );
      response.header("x-content-type-options", "nosniff");
    },
  });
};
