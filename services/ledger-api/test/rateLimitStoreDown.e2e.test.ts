/**
 * A shared rate-limit store that cannot be reached (its PostgreSQL is failing over) must not turn every
 * request into a 500: the limit lets the request through and the request is answered as usual.
 */
import { describe, expect, it } from "vitest";
import type { RateLimitStore } from "../src/rateLimitStore.js";
import { freshStore, startHarness } from "./harness.js";

/** A store whose every count fails, as the PostgreSQL one does while its server is unreachable. */
const unreachable: RateLimitStore = {
  incr: (_key, callback) => callback(new Error("connect ECONNREFUSED 127.0.0.1:15430")),
  read: (_key, callback) => callback(new Error("connect ECONNREFUSED 127.0.0.1:15430")),
  child: () => unreachable,
};

describe("rate limit with its shared store unreachable", () => {
  it("answers requests (with and without a valid token) instead of failing them", async () => {
    const store = await freshStore("sqlite");
    const harness = await startHarness(store.url, { rateLimitStore: unreachable });
    try {
      expect((await harness.call("GET", "/v1/cooperatives")).status).toBe(200);
      expect((await harness.call("GET", "/v1/cooperatives", { token: "wrong-token" })).status).toBe(401);
    } finally {
      await harness.stop();
      await store.cleanup();
    }
  });
});
