import { openEventStore } from "@bukubesar/event-store";
import { describe, expect, it } from "vitest";
import { PrincipalRegistry, PrincipalRequestRefused } from "../src/index.js";

const SYSTEM = { principalId: "system", role: "system" as const };
const NOW = "2026-12-07T00:00:00.000Z";

describe("the principal registry refuses a wrong field without knowing HTTP", () => {
  it("given a scope the role cannot have, when a token is issued, then it is refused naming scope and nothing is recorded", async () => {
    const store = await openEventStore("memory:");
    const registry = await PrincipalRegistry.open(store, () => NOW);
    const refused = await registry
      .issue({ role: "treasurer", scope: "35.74", name: "bendahara" }, SYSTEM)
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(PrincipalRequestRefused);
    expect((refused as PrincipalRequestRefused).field.path).toBe("scope");
    expect(await store.readStream("principals")).toEqual([]);
  });

  it("given an expiry before now, when a token is issued, then it is refused naming /expiresAt", async () => {
    const registry = await PrincipalRegistry.open(await openEventStore("memory:"), () => NOW);
    const refused = await registry
      .issue({ role: "auditor", scope: "35", name: "pemeriksa", expiresAt: "2026-12-06T00:00:00Z" }, SYSTEM)
      .catch((error: unknown) => error);
    expect((refused as PrincipalRequestRefused).field.path).toBe("/expiresAt");
  });

  it("given a valid request, when a token is issued, then the token resolves to its principal", async () => {
    const registry = await PrincipalRegistry.open(await openEventStore("memory:"), () => NOW);
    const issued = await registry.issue({ role: "auditor", scope: "35", name: "pemeriksa" }, SYSTEM);
    expect(issued.principal).toMatchObject({ role: "auditor", scope: "35", name: "pemeriksa" });
  });
});
