import { describe, expect, it } from "vitest";
import { ConfigurationError, LOG_LEVELS, logLevelFromEnvironment } from "../src/index.js";

describe("LOG_LEVEL", () => {
  it("takes every pino level and silent, and defaults to info", () => {
    for (const level of LOG_LEVELS) expect(logLevelFromEnvironment(level)).toBe(level);
    expect(LOG_LEVELS).toEqual(["trace", "debug", "info", "warn", "error", "fatal", "silent"]);
    expect(logLevelFromEnvironment(undefined)).toBe("info");
    expect(logLevelFromEnvironment("")).toBe("info");
  });

  it("refuses an unknown level with a message naming the allowed ones", () => {
    for (const wrong of ["verbose", "INFO", "warning", "0"]) {
      expect(() => logLevelFromEnvironment(wrong)).toThrow(ConfigurationError);
      expect(() => logLevelFromEnvironment(wrong)).toThrow(/LOG_LEVEL must be one of trace, debug, info/);
    }
  });
});
