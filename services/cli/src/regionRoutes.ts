/**
 * Which deployment (cluster) serves a cooperative, by configuration (docs/scaling.md, "80,000
 * cooperatives"): a table from region prefixes, whole dotted segments of the Kemendagri code as in
 * principals' scopes, to the base URL of that cluster's API; the longest matching prefix wins and `*`
 * takes the rest. A cooperative's region code never changes, so it belongs to one cluster for life. The
 * table is a JSON object, e.g. `{"35": "https://jatim.example", "33": "https://jateng.example", "*": …}`,
 * read by `bukubesar route` (REGION_ROUTES_FILE) for operators and load balancers.
 */
import { isRegionCode, isRegionPrefix, regionWithin } from "@bukubesar/ledger-core";

/** A routing table that cannot be used, naming the bad entry. */
export class RegionRoutesError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RegionRoutesError";
  }
}

/** Region prefix (or `*`) → the cluster's API base URL. */
export type RegionRoutes = ReadonlyMap<string, string>;

/** Parses and checks a routing table; a wrong one is a RegionRoutesError naming the bad entry. */
export const parseRegionRoutes = (text: string): RegionRoutes => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new RegionRoutesError(`the region routes are not JSON: ${(error as Error).message}`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
    throw new RegionRoutesError('the region routes must be a JSON object like {"35": "https://…"}');
  const routes = new Map<string, string>();
  for (const [prefix, url] of Object.entries(parsed)) {
    if (prefix !== "*" && !isRegionPrefix(prefix))
      throw new RegionRoutesError(`region route ${JSON.stringify(prefix)} is not a region prefix or "*"`);
    if (typeof url !== "string" || !/^https?:\/\/[^\s]+$/.test(url))
      throw new RegionRoutesError(`region route ${prefix} must name an http(s) URL`);
    routes.set(prefix, url);
  }
  return routes;
};

/** The cluster of a cooperative's region code: its longest matching prefix, else `*`, else null. */
export const clusterForRegion = (routes: RegionRoutes, regionCode: string): string | null => {
  if (!isRegionCode(regionCode)) return null;
  let best: { prefix: string; url: string } | null = null;
  for (const [prefix, url] of routes) {
    if (prefix === "*" || !regionWithin(regionCode, prefix)) continue;
    if (best === null || prefix.length > best.prefix.length) best = { prefix, url };
  }
  return best?.url ?? routes.get("*") ?? null;
};
