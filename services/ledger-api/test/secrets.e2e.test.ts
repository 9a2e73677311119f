/**
 * Secrets at rest and in the environment: a changed BUKUBESAR_ADMIN_TOKEN replaces the old one, the data
 * directory and the database are readable by the service's own user only, and a token can expire.
 */
import { existsSync, mkdtempSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REFUSALS_RECORDED_PER_MINUTE, serve } from "../src/index.js";
import { freshStore, startHarness } from "./harness.js";

const quietTerminal = { isTTY: false, write: () => true };

const answersWith = async (url: string, token: string): Promise<number> =>
  (await fetch(`${url}/v1/cooperatives`, { headers: { authorization: `Bearer ${token}` } })).status;

const start = (dataDir: string, adminToken: string) =>
  serve({
    env: { DATA_DIR: dataDir, PORT: "0", BUKUBESAR_ADMIN_TOKEN: adminToken, LOG_LEVEL: "silent" },
    handleSignals: false,
    print: () => undefined,
    terminal: quietTerminal,
  });

describe("secrets", () => {
  it("a changed BUKUBESAR_ADMIN_TOKEN replaces the old one at the next start", async () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), "bukubesar-secrets-")), "data");
    const oldToken = "old-admin-token-0123456789abcdefghij";
    const newToken = "new-admin-token-0123456789abcdefghij";
    const first = await start(dataDir, oldToken);
    expect(await answersWith(first.url, oldToken)).toBe(200);
    await first.close();

    const second = await start(dataDir, newToken);
    try {
      expect(await answersWith(second.url, newToken)).toBe(200);
      expect(await answersWith(second.url, oldToken)).toBe(401);
    } finally {
      await second.close();
    }
  });

  it("creates the data directory 0700 and the database 0600", async () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), "bukubesar-secrets-")), "data");
    const started = await start(dataDir, "mode-admin-token-0123456789abcdefghij");
    try {
      expect(statSync(dataDir).mode & 0o777).toBe(0o700);
      expect(statSync(join(dataDir, "bukubesar.db")).mode & 0o777).toBe(0o600);
      // SQLite's write-ahead log and shared memory take the database's permissions.
      for (const companion of ["bukubesar.db-wal", "bukubesar.db-shm"])
        if (existsSync(join(dataDir, companion)))
          expect(statSync(join(dataDir, companion)).mode & 0o777, companion).toBe(0o600);
    } finally {
      await started.close();
    }
  });

  it("a token issued with expiresAt works until then and never after; one already expired is refused", async () => {
    const store = await freshStore("sqlite");
    let clock = Date.parse("2026-12-01T00:00:00.000Z");
    const harness = await startHarness(store.url, { now: () => new Date(clock).toISOString() });
    try {
      const issued = await harness.call("POST", "/v1/tokens", {
        body: {
          role: "auditor",
          scope: "35",
          name: "pemeriksa tamu",
          expiresAt: "2026-12-01T08:00:00+07:00",
        },
      });
      expect(issued.status).toBe(201);
      expect(issued.body.expiresAt).toBe("2026-12-01T01:00:00.000Z");
      const asGuest = () => harness.call("GET", "/v1/cooperatives", { token: issued.body.token });
      expect((await asGuest()).status).toBe(200);
      clock = Date.parse("2026-12-01T01:00:00.000Z");
      expect((await asGuest()).status).toBe(401);

      const late = await harness.call("POST", "/v1/tokens", {
        body: { role: "auditor", scope: "35", name: "terlambat", expiresAt: "2026-11-30T00:00:00Z" },
      });
      expect([late.status, late.body.code, late.body.errors?.[0]?.path]).toEqual([
        422,
        "validation_failed",
        "/expiresAt",
      ]);
    } finally {
      await harness.stop();
      await store.cleanup();
    }
  });

  it("a read-only role cannot flood the audit stream: refusals past the budget are 429 and not recorded", async () => {
    const store = await freshStore("sqlite");
    const harness = await startHarness(store.url);
    try {
      const coop = { id: "kkmp-banjir", name: "KKMP Banjir", regionCode: "35.74.03.1002", chart: "kkmp" };
      expect((await harness.call("POST", "/v1/cooperatives", { body: coop })).status).toBe(201);
      const auditor = await harness.call("POST", "/v1/tokens", {
        body: { role: "auditor", scope: "35.74", name: "pemeriksa" },
      });
      const statuses: number[] = [];
      for (let attempt = 0; attempt < REFUSALS_RECORDED_PER_MINUTE + 10; attempt += 1) {
        const answer = await harness.call("POST", "/v1/cooperatives/kkmp-banjir/journal-entries", {
          token: auditor.body.token,
          headers: { "idempotency-key": `banjir-${attempt}` },
          body: {
            date: "2026-02-02",
            memo: "Coba",
            lines: [
              { account: "1101", debit: "1000" },
              { account: "3300", credit: "1000" },
            ],
          },
        });
        statuses.push(answer.status);
      }
      expect(statuses.filter((status) => status === 403)).toHaveLength(REFUSALS_RECORDED_PER_MINUTE);
      expect(statuses.slice(REFUSALS_RECORDED_PER_MINUTE)).toEqual(new Array(10).fill(429));
      await expect
        .poll(async () => (await harness.store.readStream("audit-kkmp-banjir")).length)
        .toBe(REFUSALS_RECORDED_PER_MINUTE);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(await harness.store.readStream("audit-kkmp-banjir")).toHaveLength(REFUSALS_RECORDED_PER_MINUTE);
    } finally {
      await harness.stop();
      await store.cleanup();
    }
  });
});
