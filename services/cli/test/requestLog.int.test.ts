/** The service's request log names the request id the caller gave, the principal, the cooperative and the problem. */
import { describe, expect, it } from "vitest";
import { startBukubesar, temporaryDirectory } from "./fixtures.js";

const ADMIN_TOKEN = "request-log-admin-0123";

describe("request log lines", () => {
  it("carry the caller's request id, the principal, the cooperative and the problem code", async () => {
    const server = startBukubesar(["serve", "--no-supervisor"], {
      cwd: temporaryDirectory(),
      env: {
        DATA_DIR: "data",
        STORE_URL: "",
        PORT: "0",
        LOG_LEVEL: "info",
        BUKUBESAR_ADMIN_TOKEN: ADMIN_TOKEN,
      },
    });
    try {
      const [, url] = await server.waitFor(/listening on (http:\/\/\S+)/);
      const response = await fetch(`${url}/v1/cooperatives/kkmp-tidak-ada`, {
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, "x-request-id": "log-test-42" },
      });
      expect(response.status).toBe(404);
      await server.waitFor(/"reqId":"log-test-42"[^\n]*"request completed"/);
    } finally {
      expect(await server.stop()).toBe(0);
    }
    const completed = server
      .stdout()
      .split("\n")
      .filter((line) => line.includes('"reqId":"log-test-42"') && line.includes('"request completed"'))
      .map((line) => JSON.parse(line) as { res: Record<string, unknown> });
    expect(completed).toHaveLength(1);
    expect(completed[0]?.res).toMatchObject({
      statusCode: 404,
      coopId: "kkmp-tidak-ada",
      problem: "not_found",
    });
    expect(completed[0]?.res.principalId).toMatch(/^p-/);
    expect(server.stdout()).not.toContain(ADMIN_TOKEN);
  }, 60_000);
});
