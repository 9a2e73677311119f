/**
 * Two API replicas over one PostgreSQL store (two servers, each with its own store connection and read
 * models, as two processes behind a load balancer): a report read on one replica right after a posting on
 * the other includes that posting.
 */
import { describe, expect, it } from "vitest";
import { freshStore, startHarness } from "./harness.js";

const COOP = "kkmp-replicas";
const ROUNDS = 10;

describe("API replicas over one PostgreSQL store", () => {
  it("a trial balance read on one replica includes the entry just posted on the other", async () => {
    const store = await freshStore("postgres");
    const writer = await startHarness(store.url);
    const reader = await startHarness(store.url);
    try {
      const created = await writer.call("POST", "/v1/cooperatives", {
        body: { id: COOP, name: "KKMP Replika", regionCode: "35.74.03.1002", chart: "kkmp" },
      });
      expect(created.status).toBe(201);
      const issued = await writer.call("POST", "/v1/tokens", {
        body: { role: "treasurer", scope: COOP, name: "bendahara" },
      });
      const treasurer = (issued.body as { token: string }).token;
      // Whole rupiah amounts, so a plain integer sum is exact.
      let expected = 0;
      for (let round = 1; round <= ROUNDS; round += 1) {
        const amount = `${round * 1000}.00`;
        const posted = await writer.call("POST", `/v1/cooperatives/${COOP}/journal-entries`, {
          token: treasurer,
          headers: { "idempotency-key": `replica-round-${round}` },
          body: {
            date: "2026-02-02",
            memo: `putaran ${round}`,
            lines: [
              { account: "1101", debit: amount },
              { account: "3200", credit: amount },
            ],
          },
        });
        expect(posted.status).toBe(201);
        expected += round * 1000;
        // At once, on the other replica, whose read models follow the store on their own.
        const read = await reader.call("GET", `/v1/cooperatives/${COOP}/trial-balance`);
        expect(read.status).toBe(200);
        const cash = (read.body as { accounts: { code: string; debit: string }[] }).accounts.find(
          (account) => account.code === "1101",
        );
        expect(Number(cash?.debit ?? "0"), `round ${round}`).toBe(expected);
      }
    } finally {
      await writer.stop();
      await reader.stop();
      await store.cleanup();
    }
  }, 60_000);
});
