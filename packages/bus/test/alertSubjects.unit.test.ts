import { describe, expect, it } from "vitest";
import {
  alertFilterSubject,
  alertSubject,
  InvalidRegion,
  isRegionPrefix,
  regionMatches,
} from "../src/index.js";

describe("alert subjects", () => {
  it("splits the region code into subject tokens after the severity", () => {
    expect(alertSubject("high", "35.74.03.1002")).toBe("alerts.high.35.74.03.1002");
    expect(alertSubject("info", "35.74.03.1002", "test-1.alerts")).toBe("test-1.alerts.info.35.74.03.1002");
    expect(() => alertSubject("high", "35.74")).toThrow(InvalidRegion);
  });

  it("turns a region prefix into a subscription filter", () => {
    expect(alertFilterSubject("35.74")).toBe("alerts.*.35.74.>");
    expect(alertFilterSubject("35")).toBe("alerts.*.35.>");
    expect(alertFilterSubject("35.74.03.1002")).toBe("alerts.*.35.74.03.1002");
    expect(alertFilterSubject("*")).toBe("alerts.>");
    expect(alertFilterSubject("*", "alerts", "high")).toBe("alerts.high.>");
    expect(alertFilterSubject("35.74", "p", "high")).toBe("p.high.35.74.>");
    expect(() => alertFilterSubject("35.7")).toThrow(InvalidRegion);
    expect(() => alertFilterSubject("35.74.>")).toThrow(InvalidRegion);
  });

  it("matches region prefixes by whole segments only", () => {
    expect(regionMatches("35.74", "35.74.03.1002")).toBe(true);
    expect(regionMatches("35.7", "35.74.03.1002")).toBe(false);
    expect(regionMatches("35.13", "35.74.03.1002")).toBe(false);
    expect(regionMatches("*", "35.74.03.1002")).toBe(true);
    expect(isRegionPrefix("35.74.03.1002")).toBe(true);
    expect(isRegionPrefix("35.74.03.1002.1")).toBe(false);
  });
});
