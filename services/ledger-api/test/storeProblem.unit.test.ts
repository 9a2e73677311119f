/** How the API answers the store's failures (api.md: 503 store_unavailable with Retry-After). */

import { StoreFailure } from "@bukubesar/event-store";
import { describe, expect, it } from "vitest";
import { toProblem } from "../src/buildServer.js";
import { STORE_RETRY_AFTER_SECONDS } from "../src/limits.js";

describe("toProblem for store failures", () => {
  it("answers EventIdReused (an unkeyed command's ids met stored ones) with 503 and Retry-After", () => {
    const problem = toProblem(new StoreFailure({ _tag: "EventIdReused", eventId: "3f0c-0" }));
    expect(problem.status).toBe(503);
    expect(problem.code).toBe("store_unavailable");
    expect(problem.headers["retry-after"]).toBe(String(STORE_RETRY_AFTER_SECONDS));
  });

  it("answers StoreUnavailable and WrongExpectedRevision the same way", () => {
    for (const failure of [
      new StoreFailure({ _tag: "StoreUnavailable", reason: "connection refused" }),
      new StoreFailure({ _tag: "WrongExpectedRevision", streamId: "s", expected: 3, actual: 4 }),
    ]) {
      const problem = toProblem(failure);
      expect(problem.status).toBe(503);
      expect(problem.code).toBe("store_unavailable");
      expect(problem.headers["retry-after"]).toBe(String(STORE_RETRY_AFTER_SECONDS));
    }
  });
});
