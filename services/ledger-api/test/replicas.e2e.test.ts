/**
 * Two API replicas over one PostgreSQL store (two servers, each with its own store connection and read
 * models, as two processes behind a load balancer): a report read on one replica right after a posting on
 * the other includes that posting; answers say which revision of the cooperative's log they reflect
 * (Ledger-Revision) and a read can ask for at least a revision (minRevision).
 */
import { describe, expect, it } from "vitest";
import { MIN_REVISION_WAIT_MS } from "../src/limits.js";
import { freshStore, type Harness, startHarness } from "./harness.js";

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
              { account: "3300", credit: amount },
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

  it("minRevision: a read on the other replica answers once it reflects the revision, else 503 with Retry-After", async () => {
    const store = await freshStore("postgres");
    const writer = await startHarness(store.url);
    const reader = await startHarness(store.url);
    const coop = "kkmp-revisi";
    const post = (replica: Harness, key: string) =>
      replica.call("POST", `/v1/cooperatives/${coop}/journal-entries`, {
        headers: { "idempotency-key": key },
        body: {
          date: "2026-02-02",
          memo: key,
          lines: [
            { account: "1101", debit: "1000.00" },
            { account: "3300", credit: "1000.00" },
          ],
        },
      });
    const revisionOf = (answer: { headers: Headers }) => Number(answer.headers.get("ledger-revision"));
    try {
      const created = await writer.call("POST", "/v1/cooperatives", {
        body: { id: coop, name: "KKMP Revisi", regionCode: "35.74.03.1002", chart: "kkmp" },
      });
      expect(created.status).toBe(201);
      const first = await post(writer, "revisi-1");
      expect(first.status).toBe(201);
      const written = revisionOf(first);
      expect(written).toBeGreaterThan(revisionOf(created));

      // Read-after-write on the other replica: it answers with at least the revision the write reported.
      for (const path of ["trial-balance", "journal-entries", "events", ""]) {
        const read = await reader.call(
          "GET",
          `/v1/cooperatives/${coop}${path === "" ? "" : `/${path}`}?minRevision=${written}`,
        );
        expect(read.status, path).toBe(200);
        expect(revisionOf(read), path).toBeGreaterThanOrEqual(written);
      }

      // A read asking for the next revision waits for it: the write lands on the other replica meanwhile.
      const waiting = reader.call("GET", `/v1/cooperatives/${coop}/trial-balance?minRevision=${written + 1}`);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect((await post(writer, "revisi-2")).status).toBe(201);
      const waited = await waiting;
      expect(waited.status).toBe(200);
      expect(revisionOf(waited)).toBe(written + 1);
      const cash = (waited.body as { accounts: { code: string; debit: string }[] }).accounts.find(
        (account) => account.code === "1101",
      );
      expect(cash?.debit).toBe("2000.00");

      // A revision that does not come: refused after the bounded wait, never answered from an older state.
      const started = Date.now();
      const refused = await reader.call(
        "GET",
        `/v1/cooperatives/${coop}/journal-entries?minRevision=${written + 50}`,
      );
      expect(refused.status).toBe(503);
      expect(refused.body.code).toBe("revision_unavailable");
      expect(refused.headers.get("retry-after")).toBe("1");
      expect(refused.headers.get("ledger-revision")).toBeNull();
      expect(Date.now() - started).toBeGreaterThanOrEqual(MIN_REVISION_WAIT_MS - 100);

      // Bad input changes nothing and says where; minRevision is a parameter of reads only.
      const malformed = await reader.call("GET", `/v1/cooperatives/${coop}/trial-balance?minRevision=-1`);
      expect(malformed.status).toBe(422);
      expect(malformed.body.errors[0].path).toBe("/minRevision");
      const onWrite = await reader.call("POST", `/v1/cooperatives/${coop}/journal-entries?minRevision=1`, {
        headers: { "idempotency-key": "revisi-3" },
        body: {},
      });
      expect(onWrite.status).toBe(400);
      expect(onWrite.body.code).toBe("unknown_parameter");
    } finally {
      await writer.stop();
      await reader.stop();
      await store.cleanup();
    }
  }, 60_000);
});
