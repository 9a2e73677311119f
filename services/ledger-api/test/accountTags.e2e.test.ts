/**
 * A cooperative whose chart was opened before the control tags existed (docs/accounting.md, section 1):
 * POST …/accounts/{code}/tags makes simpanan wajib a member sub-ledger, so a member's exit settles it
 * instead of leaving it behind; refusals carry their stable code and path and record nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshStore, type Harness, startHarness } from "./harness.js";

const coop = "kkmp-lama";
const path = `/v1/cooperatives/${coop}`;

describe("tagging the accounts of an old chart over HTTP", () => {
  let harness: Harness;
  let cleanup: () => Promise<void>;
  let treasurer: string;
  let auditor: string;
  let keyCounter = 0;
  const post = (route: string, body: unknown, token?: string) =>
    harness.call("POST", `${path}/${route}`, {
      body,
      ...(token === undefined ? {} : { token }),
      headers: { "idempotency-key": `tag-${++keyCounter}` },
    });
  const eventCount = async () => (await harness.call("GET", `${path}/events?limit=1000`)).body.events.length;

  beforeAll(async () => {
    const store = await freshStore("sqlite");
    cleanup = store.cleanup;
    harness = await startHarness(store.url, { now: () => "2026-01-05T03:00:00.000Z" });
    await harness.call("POST", "/v1/cooperatives", {
      body: { id: coop, name: "KKMP Lama", regionCode: "35.74.03.1002" },
    });
    const token = async (role: string, scope: string) => {
      const issued = await harness.call("POST", "/v1/tokens", { body: { role, scope, name: role } });
      expect(issued.status).toBe(201);
      return issued.body.token as string;
    };
    treasurer = await token("treasurer", coop);
    auditor = await token("auditor", "35.74");
    // The accounts as a chart opened before the tags recorded them: no tags at all.
    for (const account of [
      { code: "1101", name: "Kas", type: "asset", noOverdraft: true },
      { code: "3200", name: "Simpanan Wajib", type: "equity" },
      { code: "4101", name: "Penjualan Anggota", type: "income" },
    ])
      expect((await post("accounts", account)).status).toBe(201);
    for (const [memberId, name] of [
      ["A-0001", "Siti"],
      ["A-0002", "Budi"],
    ])
      expect((await post("members", { memberId, name, joinedOn: "2025-01-02" })).status).toBe(201);
    for (const [memberId, amount] of [
      ["A-0001", "60000"],
      ["A-0002", "40000"],
    ]) {
      const deposit = await post("journal-entries", {
        date: "2025-02-01",
        memo: "simpanan wajib",
        lines: [
          { account: "1101", debit: amount },
          { account: "3200", credit: amount, memberId },
        ],
      });
      expect(deposit.status).toBe(201);
    }
  });
  afterAll(async () => {
    await harness.stop();
    await cleanup();
  });

  it("tags 3200 a member sub-ledger, after which an exit settles the member's simpanan wajib", async () => {
    const tagged = await post("accounts/3200/tags", { memberControl: true }, treasurer);
    expect(tagged.status).toBe(200);
    expect(tagged.body).toMatchObject({ code: "3200", memberControl: true, systemAccount: false });
    const exit = await post("members/A-0002/exit", {
      date: "2025-06-30",
      reason: "pindah",
      settlementAccount: "1101",
    });
    expect(exit.status).toBe(201);
    expect(exit.body.entry.lines).toEqual([
      expect.objectContaining({ account: "3200", debit: "40000.00", memberId: "A-0002" }),
      expect.objectContaining({ account: "1101", credit: "40000.00", memberId: null }),
    ]);
    const statement = (await harness.call("GET", `${path}/members/A-0002/statement?asOf=2025-12-31`)).body;
    expect(statement.simpananWajib).toBe("0.00");
  });

  it("refuses a line naming no member on the tagged account, and a tag that would be removed", async () => {
    const events = await eventCount();
    const unnamed = await post("journal-entries", {
      date: "2025-07-01",
      lines: [
        { account: "1101", debit: "1000" },
        { account: "3200", credit: "1000" },
      ],
    });
    expect([unnamed.status, unnamed.body.code]).toEqual([422, "member_required"]);
    const removed = await post("accounts/3200/tags", { memberControl: false });
    expect([removed.status, removed.body.code, removed.body.errors[0].path]).toEqual([
      422,
      "account_tag_locked",
      "/memberControl",
    ]);
    expect(await eventCount()).toBe(events);
  });

  it("refuses a tag the history contradicts, an unknown account, a bad body and a reader, recording nothing", async () => {
    const sale = await post("journal-entries", {
      date: "2025-07-02",
      lines: [
        { account: "1101", debit: "5000" },
        { account: "4101", credit: "5000", counterparty: "non_member" },
      ],
    });
    expect(sale.status).toBe(201);
    const events = await eventCount();
    const contradicted = await post("accounts/4101/tags", { businessWith: "member" });
    expect([contradicted.status, contradicted.body.code, contradicted.body.errors[0].path]).toEqual([
      422,
      "account_history_conflicts",
      "/businessWith",
    ]);
    const system = await post("accounts/1101/tags", { systemAccount: true });
    expect([system.status, system.body.code]).toEqual([422, "validation_failed"]);
    expect((await post("accounts/9999/tags", { systemAccount: true })).status).toBe(404);
    const badBody = await post("accounts/4101/tags", { businessWith: "everyone" });
    expect([badBody.status, badBody.body.code]).toEqual([422, "validation_failed"]);
    expect((await post("accounts/4101/tags", { businessWith: "member" }, auditor)).status).toBe(403);
    expect(await eventCount()).toBe(events);
    const accounts = (await harness.call("GET", `${path}/accounts`)).body.accounts;
    expect(accounts.find((account: { code: string }) => account.code === "4101").businessWith).toBeNull();
  });

  it("classifies member revenue by the account's businessWith tag, not its 41xx code", async () => {
    // Given a member-tagged revenue account outside 41xx and the untagged 4101, each with a sale that does
    // not say whose business it is
    expect(
      (await post("accounts", { code: "4450", name: "Jasa Anggota", type: "income", businessWith: "member" }))
        .status,
    ).toBe(201);
    for (const account of ["4450", "4101"]) {
      const sale = await post("journal-entries", {
        date: "2025-08-01",
        lines: [
          { account: "1101", debit: "7000" },
          { account, credit: "7000" },
        ],
      });
      expect(sale.status).toBe(201);
    }
    // Then the income statement counts 4450 as member business and 4101 as non-member business
    const statement = (await harness.call("GET", `${path}/income-statement?from=2025-01-01&to=2025-12-31`))
      .body;
    expect(statement.memberBusiness.revenue.accounts).toEqual([
      expect.objectContaining({ code: "4450", amount: "7000.00" }),
    ]);
    expect(statement.nonMemberBusiness.revenue.accounts).toEqual([
      expect.objectContaining({ code: "4101", amount: "12000.00" }),
    ]);
    // And 4101 cannot be tagged member business now: its history holds a line tagged non_member
    const tagged = await post("accounts/4101/tags", { businessWith: "member" });
    expect(tagged.body.code).toBe("account_history_conflicts");
  });
});
