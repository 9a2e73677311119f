/** The routing of a cooperative to its cluster by region prefix (docs/scaling.md). */
import { describe, expect, it } from "vitest";
import { clusterForRegion, parseRegionRoutes } from "../src/regionRoutes.js";

const routes = parseRegionRoutes(
  JSON.stringify({
    "35": "https://jatim.example",
    "35.74": "https://probolinggo.example",
    "33": "https://jateng.example",
    "*": "https://nasional.example",
  }),
);

describe("region routes", () => {
  it("sends a cooperative to the cluster of its longest matching prefix, else to *", () => {
    expect(clusterForRegion(routes, "35.74.03.1002")).toBe("https://probolinggo.example");
    expect(clusterForRegion(routes, "35.13.01.2001")).toBe("https://jatim.example");
    expect(clusterForRegion(routes, "33.01.01.2001")).toBe("https://jateng.example");
    expect(clusterForRegion(routes, "11.01.01.2001")).toBe("https://nasional.example");
  });

  it("matches whole segments only and refuses what is not a region code", () => {
    // 35.7 is not a prefix of 35.74 (docs/api.md), and 3 is not one of 35.
    const partial = parseRegionRoutes(JSON.stringify({ "35": "https://jatim.example" }));
    expect(clusterForRegion(partial, "36.01.01.2001")).toBeNull();
    expect(clusterForRegion(routes, "35.74")).toBeNull();
  });

  it("refuses a table with a bad prefix or URL, naming it", () => {
    expect(() => parseRegionRoutes('{"35.7": "https://x.example"}')).toThrow(/35\.7/);
    expect(() => parseRegionRoutes('{"35": "ftp://x.example"}')).toThrow(/35 must name/);
    expect(() => parseRegionRoutes("[]")).toThrow(/JSON object/);
    expect(() => parseRegionRoutes("{")).toThrow(/not JSON/);
  });
});
