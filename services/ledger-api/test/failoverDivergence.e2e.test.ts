/**
 * After a database failover the new leader may lack a commit the old one showed (docs/scaling.md): a
 * replica's cached ledger and read model then hold a revision the store does not have. The replica must
 * notice, replay that cooperative from the store, and go on: its reports show what the store holds, a new
 * posting is recorded (not refused for ever on a revision the store never reaches), and the chain stays
 * sound. The lost commit is made here by deleting the last event as the new leader would lack it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshStore, type Harness, startHarness } from "./harness.js";

const COOP = "kkmp-failover";

const entry = (memo: string, amount: string) => ({
  date: "2026-02-02",
  memo,
  lines: [
    { account: "1101", debit: amount },
    { account: "3300", credit: amount },
  ],
});

const cashDebit = (answer: { body: { accounts: { code: string; debit: string }[] } }) =>
  answer.body.accounts.find((account) => account.code === "1101")?.debit;

/** Removes the stream's last event, as a new leader that never received its commit would lack it. */
const loseLastCommit = async (url: string, stream: string): Promise<void> => {
  const { Client } = await import("pg");
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query("BEGIN");
    const { rows } = await client.query<{ stream_id: string; last_revision: string }>(
      "SELECT stream_id, last_revision FROM event_store_streams WHERE name = $1",
      [stream],
    );
    const row = rows[0];
    if (row === undefined) throw new Error(`no stream ${stream}`);
    await client.query("DELETE FROM event_store_events WHERE stream_id = $1 AND revision = $2", [
      row.stream_id,
      row.last_revision,
    ]);
    await client.query(
      "UPDATE event_store_streams SET last_revision = last_revision - 1 WHERE stream_id = $1",
      [row.stream_id],
    );
    await client.query("COMMIT");
  } finally {
    await client.end();
  }
};

describe("a replica whose ledger is ahead of the store after a failover", () => {
  let store: { url: string; cleanup: () => Promise<void> };
  let replica: Harness;

  beforeAll(async () => {
    store = await freshStore("postgres");
    replica = await startHarness(store.url);
  }, 60_000);

  afterAll(async () => {
    await replica?.stop();
    await store?.cleanup();
  });

  it("replays the cooperative from the store: reports drop the lost entry, new postings are recorded, the chain verifies", async () => {
    expect(
      (
        await replica.call("POST", "/v1/cooperatives", {
          body: { id: COOP, name: "KKMP Failover", regionCode: "35.74.03.1002", chart: "kkmp" },
        })
      ).status,
    ).toBe(201);
    const post = (key: string, amount: string) =>
      replica.call("POST", `/v1/cooperatives/${COOP}/journal-entries`, {
        headers: { "idempotency-key": key },
        body: entry(key, amount),
      });
    expect((await post("kept", "1000.00")).status).toBe(201);
    const lost = await post("lost", "5000.00");
    expect(lost.status).toBe(201);
    // The replica has applied the lost entry everywhere: its cache and its read model.
    expect(cashDebit(await replica.call("GET", `/v1/cooperatives/${COOP}/trial-balance`))).toBe("6000.00");

    await loseLastCommit(store.url, `ledger-${COOP}`);

    const report = await replica.call("GET", `/v1/cooperatives/${COOP}/trial-balance`);
    expect(report.status).toBe(200);
    expect(cashDebit(report)).toBe("1000.00");
    expect(Number(report.headers.get("ledger-revision"))).toBe(
      Number(lost.headers.get("ledger-revision")) - 1,
    );

    const next = await post("after-failover", "2000.00");
    expect(next.status).toBe(201);
    expect(Number(next.headers.get("ledger-revision"))).toBe(Number(lost.headers.get("ledger-revision")));
    expect(
      cashDebit(
        await replica.call(
          "GET",
          `/v1/cooperatives/${COOP}/trial-balance?minRevision=${next.headers.get("ledger-revision")}`,
        ),
      ),
    ).toBe("3000.00");
    const verified = await replica.call("GET", `/v1/cooperatives/${COOP}/verify`);
    expect(verified.status).toBe(200);
    expect(verified.body.ok).toBe(true);
  }, 60_000);
});
