/**
 * Controls 7 to 10 of docs/accounting.md section 2 over HTTP: each forbidden posting is a 422 with its code
 * and field path and records nothing; the member exit and the adjusting entry are the ways that are allowed.
 */
import {
  CONTROL_CASES,
  CONTROL_EXIT,
  CONTROL_MEMBERS,
  CONTROL_OPENING_ENTRIES,
  jsonPointerOf,
} from "@bukubesar/ledger-core/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshStore, type Harness, startHarness } from "./harness.js";

const coop = "kkmp-kontrol";
const path = `/v1/cooperatives/${coop}`;

describe("member controls over HTTP", () => {
  let harness: Harness;
  let cleanup: () => Promise<void>;
  let approver: string;
  let keyCounter = 0;
  const post = (route: string, body: unknown, token?: string) =>
    harness.call("POST", `${path}/${route}`, {
      body,
      ...(token === undefined ? {} : { token }),
      headers: { "idempotency-key": `ctl-${++keyCounter}` },
    });
  const eventCount = async () => (await harness.call("GET", `${path}/events?limit=1000`)).body.events.length;
  const trialBalance = async () => (await harness.call("GET", `${path}/trial-balance?asOf=2025-12-31`)).body;

  beforeAll(async () => {
    const store = await freshStore("sqlite");
    cleanup = store.cleanup;
    harness = await startHarness(store.url, { now: () => "2026-01-05T03:00:00.000Z" });
    await harness.call("POST", "/v1/cooperatives", {
      body: { id: coop, name: "KKMP Kontrol", regionCode: "35.74.03.1002", chart: "kkmp" },
    });
    approver = (
      await harness.call("POST", "/v1/tokens", { body: { role: "approver", scope: coop, name: "ketua" } })
    ).body.token;
    for (const member of CONTROL_MEMBERS) expect((await post("members", member)).status).toBe(201);
    for (const body of CONTROL_OPENING_ENTRIES)
      expect((await post("journal-entries", body)).status).toBe(201);
    const exit = await post(`members/${CONTROL_EXIT.memberId}/exit`, {
      date: CONTROL_EXIT.date,
      reason: CONTROL_EXIT.reason,
      settlementAccount: CONTROL_EXIT.settlementAccount,
    });
    expect(exit.status).toBe(201);
  });
  afterAll(async () => {
    await harness.stop();
    await cleanup();
  });

  it("shows the chart's control tags on the accounts", async () => {
    const accounts = (await harness.call("GET", `${path}/accounts`)).body.accounts as {
      code: string;
      memberControl: boolean;
      businessWith: string | null;
      systemAccount: boolean;
    }[];
    const byCode = new Map(accounts.map((account) => [account.code, account]));
    expect(byCode.get("3100")).toMatchObject({
      memberControl: true,
      businessWith: null,
      systemAccount: false,
    });
    expect(byCode.get("4101")).toMatchObject({ memberControl: false, businessWith: "member" });
    expect(byCode.get("5201")).toMatchObject({ businessWith: "non_member" });
    expect(byCode.get("3600")).toMatchObject({ systemAccount: true });
  });

  for (const forbidden of CONTROL_CASES) {
    it(`refuses (${forbidden.control}) with ${forbidden.code} at ${jsonPointerOf(forbidden.path)}, recording nothing`, async () => {
      const events = await eventCount();
      const balances = await trialBalance();
      const refused = await post("journal-entries", forbidden.body);
      expect([refused.status, refused.body.code]).toEqual([422, forbidden.code]);
      expect(refused.body.errors).toEqual([
        expect.objectContaining({ path: jsonPointerOf(forbidden.path), code: forbidden.code }),
      ]);
      expect(await eventCount()).toBe(events);
      expect(await trialBalance()).toEqual(balances);
    });
  }

  it("records the member exit: pokok and wajib paid out in one member_exit entry; a second exit is refused", async () => {
    const members = (await harness.call("GET", `${path}/members`)).body.members;
    expect(members.find((member: { memberId: string }) => member.memberId === "A-0002")).toMatchObject({
      exitedOn: "2025-06-30",
    });
    const statement = (await harness.call("GET", `${path}/members/A-0002/statement?asOf=2025-12-31`)).body;
    expect(statement).toMatchObject({
      simpananPokok: "0.00",
      simpananWajib: "0.00",
      simpananSukarela: "0.00",
    });
    const exitEntry = (await harness.call("GET", `${path}/journal-entries?from=2025-06-30&to=2025-06-30`))
      .body.entries[0];
    expect(exitEntry).toMatchObject({
      kind: "member_exit",
      lines: [
        { account: "3100", debit: "100000.00", memberId: "A-0002" },
        { account: "3200", debit: "25000.00", memberId: "A-0002" },
        { account: "1101", credit: "125000.00", memberId: null },
      ],
    });
    const events = await eventCount();
    const again = await post("members/A-0002/exit", { date: "2025-07-01", reason: "lagi" });
    expect([again.status, again.body.code, again.body.errors[0].path]).toEqual([
      422,
      "member_exited",
      "/memberId",
    ]);
    const unknown = await post("members/Z-9/exit", { date: "2025-07-01", reason: "x" });
    expect(unknown.status).toBe(404);
    expect(await eventCount()).toBe(events);
  });

  it("refuses the exit of a member with a loan outstanding", async () => {
    const loan = await post("journal-entries", {
      date: "2025-07-10",
      memo: "Pinjaman anggota",
      lines: [
        { account: "1201", debit: "50000", memberId: "A-0001", unit: "simpan_pinjam" },
        { account: "1101", credit: "50000" },
      ],
    });
    expect(loan.status).toBe(201);
    const events = await eventCount();
    const exit = await post("members/A-0001/exit", { date: "2025-08-01", reason: "keluar" });
    expect([exit.status, exit.body.code]).toEqual([422, "member_loan_outstanding"]);
    expect(await eventCount()).toBe(events);
  });

  it("takes a correction of the reserve as an adjusting entry that waits for a second person", async () => {
    const proposed = await post("journal-entries", {
      date: "2025-07-15",
      memo: "Koreksi saldo awal cadangan (temuan audit)",
      kind: "adjusting",
      lines: [
        { account: "1101", debit: "10000" },
        { account: "3500", credit: "10000" },
      ],
    });
    expect([proposed.status, proposed.body.status, proposed.body.kind]).toEqual([
      202,
      "pending_approval",
      "adjusting",
    ]);
    const self = await post(`journal-entries/${proposed.body.entryId}/approve`, {});
    expect([self.status, self.body.code]).toEqual([403, "self_approval"]);
    const approved = await post(`journal-entries/${proposed.body.entryId}/approve`, {}, approver);
    expect([approved.status, approved.body.kind]).toEqual([201, "adjusting"]);
    const read = (await harness.call("GET", `${path}/journal-entries/${proposed.body.entryId}`)).body;
    expect(read).toMatchObject({
      kind: "adjusting",
      proposedBy: expect.any(String),
      postedBy: expect.any(String),
    });
    expect(read.proposedBy).not.toBe(read.postedBy);
  });
});
