import { describe, expect, it } from "vitest";
import { settlesWithin } from "../src/index.js";

/** The bound each case waits at most; the promises that settle do so at once. */
const BOUND_MS = 50;

describe("settlesWithin, the one bounded wait of the bus and the supervisor", () => {
  it("is true for a promise that resolves or rejects within the bound, and leaves the outcome alone", async () => {
    expect(await settlesWithin(Promise.resolve("done"), BOUND_MS)).toBe(true);
    const refused = Promise.reject(new Error("refused"));
    expect(await settlesWithin(refused, BOUND_MS)).toBe(true);
    await expect(refused).rejects.toThrow("refused");
  });

  it("is false for a promise still pending when the bound has passed", async () => {
    const startedAt = performance.now();
    expect(await settlesWithin(new Promise(() => undefined), BOUND_MS)).toBe(false);
    expect(performance.now() - startedAt).toBeGreaterThanOrEqual(BOUND_MS - 1);
  });
});
