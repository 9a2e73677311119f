/**
 * A member's exit over HTTP when it needs correcting (docs/accounting.md, section 2): a settlement above
 * the approval threshold waits for an approver other than the treasurer, and a recorded exit is reversed,
 * reinstating the member with their savings. Refusals carry their code and path and record nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshStore, type Harness, startHarness } from "./harness.js";

const coop = "kkmp-keluar";
const path = `/v1/cooperatives/${coop}`;

describe("correcting a member's exit over HTTP", () => {
  let harness: Harness;
  let cleanup: () => Promise<void>;
  let treasurer: string;
  let approver: string;
  let keyCounter = 0;
  const post = (route: string, body: unknown, token?: string) =>
    harness.call("POST", `${path}/${route}`, {
      body,
      ...(token === undefined ? {} : { token }),
      headers: { "idempotency-key": `keluar-${++keyCounter}` },
    });
  const eventCount = async () => (await harness.call("GET", `${path}/events?limit=1000`)).body.events.length;
  const statement = async () =>
    (await harness.call("GET", `${path}/members/A-0001/statement?asOf=2026-12-31`)).body;

  beforeAll(async () => {
    const store = await freshStore("sqlite");
    cleanup = store.cleanup;
    harness = await startHarness(store.url, { now: () => "2026-03-05T03:00:00.000Z" });
    await harness.call("POST", "/v1/cooperatives", {
      body: { id: coop, name: "KKMP Keluar", regionCode: "35.74.03.1002", chart: "kkmp" },
    });
    const token = async (role: string) => {
      const issued = await harness.call("POST", "/v1/tokens", { body: { role, scope: coop, name: role } });
      expect(issued.status).toBe(201);
      return issued.body.token as string;
    };
    treasurer = await token("treasurer");
    approver = await token("approver");
    const settings = await harness.call("PATCH", `${path}/settings`, {
      body: { approvalThreshold: "100000" },
    });
    expect(settings.status).toBe(200);
    expect((await post("members", { memberId: "A-0001", name: "Siti", joinedOn: "2025-01-02" })).status).toBe(
      201,
    );
    for (const [account, amount] of [
      ["3100", "100000"],
      ["3200", "25000"],
    ]) {
      const deposit = await post(
        "journal-entries",
        {
          date: "2025-02-01",
          lines: [
            { account: "1101", debit: amount },
            { account, credit: amount, memberId: "A-0001" },
          ],
        },
        treasurer,
      );
      expect(deposit.status).toBe(201);
    }
  });
  afterAll(async () => {
    await harness.stop();
    await cleanup();
  });

  it("holds an exit above the threshold for an approver, freezing the member, then records it", async () => {
    const requested = await post(
      "members/A-0001/exit",
      { date: "2026-03-01", reason: "pindah domisili", settlementAccount: "2103" },
      treasurer,
    );
    expect(requested.status).toBe(202);
    expect(requested.body.entry).toMatchObject({ status: "pending_approval", kind: "member_exit" });
    const entryId = requested.body.entry.entryId as string;
    const events = await eventCount();
    const frozen = await post(
      "journal-entries",
      {
        date: "2026-03-02",
        lines: [
          { account: "1101", debit: "1000" },
          { account: "3200", credit: "1000", memberId: "A-0001" },
        ],
      },
      treasurer,
    );
    expect([frozen.status, frozen.body.code, frozen.body.errors[0].path]).toEqual([
      422,
      "approval_pending",
      "/lines/1/memberId",
    ]);
    const selfApproved = await post(`journal-entries/${entryId}/approve`, {}, treasurer);
    expect(selfApproved.status).toBe(403);
    expect(await eventCount()).toBe(events);
    const approved = await post(`journal-entries/${entryId}/approve`, {}, approver);
    expect(approved.status).toBe(201);
    const members = (await harness.call("GET", `${path}/members`)).body.members;
    expect(members[0]).toMatchObject({ memberId: "A-0001", exitedOn: "2026-03-01" });
    expect(await statement()).toMatchObject({ simpananPokok: "0.00", simpananWajib: "0.00" });
  });

  it("reverses the recorded exit: the member is back with their savings and can post again", async () => {
    const early = await post(
      "members/A-0001/exit/reverse",
      { date: "2026-02-28", reason: "salah" },
      treasurer,
    );
    expect([early.status, early.body.code, early.body.errors[0].path]).toEqual([
      422,
      "invalid_date",
      "/date",
    ]);
    const reversed = await post(
      "members/A-0001/exit/reverse",
      { date: "2026-03-03", reason: "anggota membatalkan pengunduran diri" },
      treasurer,
    );
    expect(reversed.status).toBe(201);
    expect(reversed.body.entry).toMatchObject({ kind: "reversal", date: "2026-03-03" });
    const members = (await harness.call("GET", `${path}/members`)).body.members;
    expect(members[0].exitedOn ?? null).toBeNull();
    expect(await statement()).toMatchObject({ simpananPokok: "100000.00", simpananWajib: "25000.00" });
    const deposit = await post(
      "journal-entries",
      {
        date: "2026-03-04",
        lines: [
          { account: "1101", debit: "1000" },
          { account: "3200", credit: "1000", memberId: "A-0001" },
        ],
      },
      treasurer,
    );
    expect(deposit.status).toBe(201);
    const events = await eventCount();
    const again = await post(
      "members/A-0001/exit/reverse",
      { date: "2026-03-04", reason: "lagi" },
      treasurer,
    );
    expect([again.status, again.body.code, again.body.errors[0].path]).toEqual([
      422,
      "member_not_exited",
      "/memberId",
    ]);
    expect((await post("members/Z-9/exit/reverse", { date: "2026-03-04", reason: "x" })).status).toBe(404);
    expect(await eventCount()).toBe(events);
  });
});
