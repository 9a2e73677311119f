/** LOG_LEVEL on `bukubesar serve`: pino's levels are honoured, an unknown one stops the start. */
import { describe, expect, it } from "vitest";
import { runBukubesar, startBukubesar, temporaryDirectory } from "./fixtures.js";

const requestLogLines = async (level: string): Promise<string[]> => {
  const server = startBukubesar(["serve"], {
    cwd: temporaryDirectory(),
    env: {
      DATA_DIR: "data",
      STORE_URL: "",
      PORT: "0",
      LOG_LEVEL: level,
      BUKUBESAR_ADMIN_TOKEN: "log-level-admin-0123",
    },
  });
  try {
    const [, url] = await server.waitFor(/listening on (http:\/\/\S+)/);
    expect((await fetch(`${url}/health`)).status).toBe(200);
  } finally {
    expect(await server.stop()).toBe(0);
  }
  return server
    .stdout()
    .split("\n")
    .filter((line) => line.includes('"msg":"incoming request"'));
};

describe("LOG_LEVEL", () => {
  it("logs each request at info and not at warn", async () => {
    expect((await requestLogLines("info")).length).toBeGreaterThan(0);
    expect(await requestLogLines("warn")).toEqual([]);
  }, 60_000);

  it("refuses to start with an unknown level, naming the ones it takes (exit 2)", async () => {
    const outcome = await runBukubesar(["serve"], {
      cwd: temporaryDirectory(),
      env: { DATA_DIR: "data", STORE_URL: "", PORT: "0", LOG_LEVEL: "verbose" },
    });
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toContain(
      'LOG_LEVEL must be one of trace, debug, info, warn, error, fatal, silent, not "verbose"',
    );
    expect(outcome.stdout).not.toContain("listening");
  }, 60_000);
});
