/**
 * Reads answered without asking the store or building the report again (ledgerCache.ts's change watch,
 * reportAnswers.ts) never answer older than a write already acknowledged: two services over one SQLite
 * file (each its own connection, as two processes), a posting on one and at once a read on the other;
 * the same after a posting on the same service, for another date, and for a cooperative let go beyond
 * the memory budget and loaded again.
 */
import { afterEach, describe, expect, it } from "vitest";
import { freshStore, type Harness, startHarness } from "./harness.js";

const ROUNDS = 6;
const coopId = (index: number) => `kkmp-answers-${index}`;

type Cleanup = () => Promise<void>;
const cleanups: Cleanup[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Two services over one fresh SQLite file, each with its own store connection. */
const twoServices = async (
  config: Parameters<typeof startHarness>[1] = {},
): Promise<{ writer: Harness; reader: Harness }> => {
  const store = await freshStore("sqlite");
  cleanups.push(store.cleanup);
  const writer = await startHarness(store.url, config);
  cleanups.push(() => writer.stop());
  const reader = await startHarness(store.url, config);
  cleanups.push(() => reader.stop());
  return { writer, reader };
};

const open = async (harness: Harness, index: number) => {
  const created = await harness.call("POST", "/v1/cooperatives", {
    body: { id: coopId(index), name: `KKMP Jawaban ${index}`, regionCode: "35.74.03.1002", chart: "kkmp" },
  });
  expect(created.status).toBe(201);
};

const post = async (harness: Harness, index: number, key: string, amount: number) => {
  const posted = await harness.call("POST", `/v1/cooperatives/${coopId(index)}/journal-entries`, {
    body: {
      date: "2026-02-02",
      memo: "setoran",
      lines: [
        { account: "1101", debit: String(amount) },
        { account: "3300", credit: String(amount) },
      ],
    },
    headers: { "idempotency-key": key },
  });
  expect(posted.status).toBe(201);
  return Number(posted.headers.get("ledger-revision"));
};

/** The cash account's debit in the trial balance as of `asOf`, and the revision the answer reflects. */
const cash = async (
  harness: Harness,
  index: number,
  asOf = "2026-02-28",
): Promise<{ debit: number; revision: number }> => {
  const read = await harness.call("GET", `/v1/cooperatives/${coopId(index)}/trial-balance?asOf=${asOf}`);
  expect(read.status).toBe(200);
  const account = (read.body as { accounts: { code: string; debit: string }[] }).accounts.find(
    (row) => row.code === "1101",
  );
  return { debit: Number(account?.debit ?? "0"), revision: Number(read.headers.get("ledger-revision")) };
};

describe("reads kept from one request to the next", () => {
  it("a read on one service right after a posting on the other includes it", async () => {
    const { writer, reader } = await twoServices();
    await open(writer, 0);
    let expected = 0;
    for (let round = 1; round <= ROUNDS; round++) {
      // Twice, so the reader holds the cooperative confirmed and its answer kept before the posting.
      expect((await cash(reader, 0)).debit).toBe(expected);
      expect((await cash(reader, 0)).debit).toBe(expected);
      const revision = await post(writer, 0, `other-service-${round}`, round * 1_000);
      expected += round * 1_000;
      const read = await cash(reader, 0);
      expect(read, `round ${round}`).toEqual({ debit: expected, revision });
    }
  }, 60_000);

  it("a read after a posting on the same service includes it, and an answer is only for its own date", async () => {
    const { writer } = await twoServices();
    await open(writer, 0);
    await post(writer, 0, "same-service-1", 1_000);
    expect((await cash(writer, 0)).debit).toBe(1_000);
    expect((await cash(writer, 0, "2026-02-01")).debit).toBe(0);
    const revision = await post(writer, 0, "same-service-2", 2_000);
    expect(await cash(writer, 0)).toEqual({ debit: 3_000, revision });
    expect((await cash(writer, 0, "2026-02-01")).debit).toBe(0);
    const csv = await writer.call(
      "GET",
      `/v1/cooperatives/${coopId(0)}/trial-balance?asOf=2026-02-28&format=csv`,
    );
    expect(csv.status).toBe(200);
    expect(String(csv.headers.get("content-type"))).toContain("text/csv");
  }, 60_000);

  it("a cooperative let go beyond the budget and loaded again answers what the other service wrote meanwhile", async () => {
    // A budget of one byte holds one cooperative: reading the other lets it go.
    const { writer, reader } = await twoServices({ cooperativeState: { memoryBudgetBytes: 1 } });
    await open(writer, 0);
    await open(writer, 1);
    const expected = [0, 0];
    for (let round = 1; round <= ROUNDS; round++) {
      const index = round % 2;
      expect((await cash(reader, index)).debit).toBe(expected[index]);
      expect((await cash(reader, 1 - index)).debit).toBe(expected[1 - index]);
      await post(writer, index, `evicted-${round}`, round * 1_000);
      expected[index] = (expected[index] ?? 0) + round * 1_000;
      expect((await cash(reader, index)).debit, `round ${round}`).toBe(expected[index]);
    }
  }, 60_000);
});
