/**
 * `serve --demo`: every demo entry is accepted, the books balance, last year is closed and decided, and a
 * second run records nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_COOPERATIVE, demoHistory, seedDemo } from "../src/index.js";
import { freshStore, type Harness, startHarness } from "./harness.js";

const TODAY = "2026-03-01";

describe("the demo seed on sqlite", () => {
  let harness: Harness;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    const store = await freshStore("sqlite");
    cleanup = store.cleanup;
    harness = await startHarness(store.url);
  });
  afterAll(async () => {
    await harness?.stop();
    await cleanup?.();
  });

  it("records every member and entry of the history, and the trial balance balances", async () => {
    const history = demoHistory(TODAY);
    const seeded = await seedDemo(harness.built.context, TODAY);
    expect(seeded.membersRecorded).toBe(history.members.length);
    expect(seeded.entriesRecorded).toBe(history.entries.length);
    expect(seeded.entriesAlreadyRecorded).toBe(0);
    expect(history.entries.length).toBeGreaterThan(1_000);

    const coop = `/v1/cooperatives/${DEMO_COOPERATIVE.id}`;
    const tb = await harness.call("GET", `${coop}/trial-balance?asOf=${TODAY}`);
    expect(tb.status).toBe(200);
    expect(tb.body.totals.debit).toBe(tb.body.totals.credit);
    const cash = tb.body.accounts.find((account: { code: string }) => account.code === "1101");
    expect(cash.balance.startsWith("-")).toBe(false);
    const members = await harness.call("GET", `${coop}/members?limit=1000`);
    expect(members.body.members).toHaveLength(history.members.length);
    const verified = await harness.call("GET", `${coop}/verify`);
    expect(verified.body.ok).toBe(true);
    const income = await harness.call(
      "GET",
      `${coop}/income-statement?from=${history.entries[0]?.body.date}&to=${TODAY}`,
    );
    expect(income.status).toBe(200);
  });

  it("holds last year closed by four eyes and divided by its RAT, with this year's result apart", async () => {
    const coop = `/v1/cooperatives/${DEMO_COOPERATIVE.id}`;
    const standing = await harness.call("GET", `${coop}/fiscal-years/2025`);
    expect(standing.body).toMatchObject({ status: "decided", resultAccount: "3600" });
    const shuOfYear = BigInt(standing.body.shu.replace(".", ""));
    expect(shuOfYear).toBeGreaterThan(0n);
    const closing = await harness.call("GET", `${coop}/journal-entries?from=2025-12-31&to=2025-12-31`);
    const closingEntry = closing.body.entries.find((entry: { kind?: string; memo: string }) =>
      entry.memo.startsWith("Penutupan tahun buku 2025"),
    );
    expect(closingEntry).toMatchObject({ proposedBy: "demo:seed", postedBy: "demo:ketua" });
    const shu = await harness.call("GET", `${coop}/shu?year=2025`);
    expect(shu.body.status).toBe("allocated");
    const tb = await harness.call("GET", `${coop}/trial-balance?asOf=${TODAY}`);
    const balance = (code: string) =>
      tb.body.accounts.find((account: { code: string }) => account.code === code)?.balance ?? "0.00";
    // Decided on TODAY (before 15 March): 3600 is empty again, the reserve holds its 30% and the sen of the
    // member pools that whole-rupiah shares cannot carry.
    expect(balance("3600")).toBe("0.00");
    expect(balance("3700")).toBe("0.00");
    const sen = (amount: string) => BigInt(amount.replace(".", ""));
    const reserveShare = shu.body.allocation.find((part: { key: string }) => part.key === "cadangan").amount;
    expect(sen(balance("3500"))).toBe(
      sen(reserveShare) + sen(shu.body.undistributed.jasaModal) + sen(shu.body.undistributed.jasaUsaha),
    );
    expect(sen(reserveShare)).toBe((shuOfYear * 30n) / 100n);
    // Every member's SHU is owed on 2401 under the member's id, and the base is the members' real purchases.
    expect(shu.body.participation.unattributedRevenue).toBe("0.00");
    expect(shu.body.bases).toMatchObject({ rules: "settings", unitWeights: { simpan_pinjam: "0.5" } });
    expect(sen(balance("2401"))).toBe(sen(shu.body.totals.total));
    const member = shu.body.members.find((row: { jasaUsaha: string }) => row.jasaUsaha !== "0.00");
    const statement = await harness.call("GET", `${coop}/members/${member.memberId}/statement?asOf=${TODAY}`);
    expect(statement.status).toBe(200);
    expect(JSON.stringify(statement.body)).toContain("2401");
  });

  it("records nothing twice when run again", async () => {
    const before = await harness.call("GET", `/v1/cooperatives/${DEMO_COOPERATIVE.id}/verify`);
    const again = await seedDemo(harness.built.context, TODAY);
    expect([again.membersRecorded, again.entriesRecorded]).toEqual([0, 0]);
    expect(again.entriesAlreadyRecorded).toBe(demoHistory(TODAY).entries.length);
    const after = await harness.call("GET", `/v1/cooperatives/${DEMO_COOPERATIVE.id}/verify`);
    expect(after.body.events).toBe(before.body.events);
  });

  it("is read at once by the next request when it records more days of a cooperative the service holds", async () => {
    // The cooperative is held and its head confirmed by these reads; the seed's appends come from this
    // process on the store's own connection, which only the service's cache can tell the reads about.
    const coop = `/v1/cooperatives/${DEMO_COOPERATIVE.id}`;
    const later = "2026-03-20";
    const entriesOf = async () =>
      (await harness.call("GET", `${coop}/journal-entries?from=2026-03-02&to=${later}&limit=1000`)).body
        .entries;
    expect(await entriesOf()).toHaveLength(0);
    expect(await entriesOf()).toHaveLength(0);
    const more = await seedDemo(harness.built.context, later);
    expect(more.entriesRecorded).toBeGreaterThan(0);
    expect(await entriesOf()).toHaveLength(more.entriesRecorded);
  });
});
