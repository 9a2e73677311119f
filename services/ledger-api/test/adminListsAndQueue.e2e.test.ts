/**
 * What the web application's admin and approver screens read: `GET /v1/tokens` lists the principals whose
 * tokens work (never a token or its hash; admin only), and `GET …/journal-entries?status=` gives the
 * approvers' queue without reading every entry.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshStore, type Harness, startHarness } from "./harness.js";

const COOP = "kkmp-antrian";
const entriesPath = `/v1/cooperatives/${COOP}/journal-entries`;

describe("the admin's principal list and the approvers' queue", () => {
  let harness: Harness;
  let cleanup: () => Promise<void>;
  let clock = Date.parse("2026-04-01T02:00:00.000Z");

  beforeAll(async () => {
    const store = await freshStore("sqlite");
    cleanup = store.cleanup;
    harness = await startHarness(store.url, { now: () => new Date(clock).toISOString() });
    expect(
      (
        await harness.call("POST", "/v1/cooperatives", {
          body: { id: COOP, name: "KKMP Antrian", regionCode: "35.74.03.1002", chart: "kkmp" },
        })
      ).status,
    ).toBe(201);
    await harness.call("PATCH", `/v1/cooperatives/${COOP}/settings`, {
      body: { approvalThreshold: "1000000" },
    });
  });
  afterAll(async () => {
    await harness?.stop();
    await cleanup?.();
  });

  it("lists live principals with their expiry, leaves out revoked and expired ones, and only for an admin", async () => {
    const issue = async (body: Record<string, string>) => {
      const issued = await harness.call("POST", "/v1/tokens", { body });
      expect(issued.status).toBe(201);
      return issued.body as { token: string; principalId: string };
    };
    const treasurer = await issue({ role: "treasurer", scope: COOP, name: "bendahara" });
    const expiring = await issue({
      role: "auditor",
      scope: "35",
      name: "auditor sebentar",
      expiresAt: "2026-04-01T03:00:00.000Z",
    });
    const revoked = await issue({ role: "supervisor", scope: "35.74", name: "pengawas lama" });
    expect((await harness.call("DELETE", `/v1/tokens/${revoked.principalId}`)).status).toBe(204);

    const listed = await harness.call("GET", "/v1/tokens");
    expect(listed.status).toBe(200);
    const byId = new Map(
      listed.body.principals.map((principal: { principalId: string }) => [principal.principalId, principal]),
    );
    expect(byId.get(treasurer.principalId)).toEqual({
      principalId: treasurer.principalId,
      role: "treasurer",
      scope: COOP,
      name: "bendahara",
    });
    expect(byId.get(expiring.principalId)).toMatchObject({ expiresAt: "2026-04-01T03:00:00.000Z" });
    expect(byId.has(revoked.principalId)).toBe(false);
    expect(JSON.stringify(listed.body)).not.toContain(treasurer.token);
    expect(JSON.stringify(listed.body)).not.toMatch(/tokenHash|[0-9a-f]{64}/);

    clock += 2 * 60 * 60 * 1000;
    const later = await harness.call("GET", "/v1/tokens");
    expect(
      later.body.principals.map((principal: { principalId: string }) => principal.principalId),
    ).not.toContain(expiring.principalId);
    const refused = await harness.call("GET", "/v1/tokens", { token: treasurer.token });
    expect([refused.status, refused.body.code]).toEqual([403, "forbidden"]);
  });

  it("filters entries by status: the pending ones for the approvers' queue", async () => {
    const post = async (key: string, memo: string, amount: string) => {
      const answer = await harness.call("POST", entriesPath, {
        body: {
          date: "2026-04-01",
          memo,
          lines: [
            { account: "1101", debit: amount },
            { account: "3300", credit: amount },
          ],
        },
        headers: { "idempotency-key": key },
      });
      expect([201, 202]).toContain(answer.status);
    };
    await post("kecil", "Kecil", "50000");
    await post("besar-1", "Besar satu", "2000000");
    await post("kecil-2", "Kecil dua", "75000");
    await post("besar-2", "Besar dua", "3000000");

    const pending = await harness.call("GET", `${entriesPath}?status=pending_approval`);
    expect(pending.status).toBe(200);
    expect(pending.body.entries.map((entry: { memo: string }) => entry.memo)).toEqual([
      "Besar satu",
      "Besar dua",
    ]);
    const posted = await harness.call("GET", `${entriesPath}?status=posted&limit=1`);
    expect(posted.body.entries.map((entry: { memo: string }) => entry.memo)).toEqual(["Kecil"]);
    expect(posted.body.nextCursor).not.toBeNull();

    const bad = await harness.call("GET", `${entriesPath}?status=waiting`);
    expect(bad.status).toBe(422);
    expect(bad.body.errors[0].path).toMatch(/status/);
  });
});
