/**
 * Closing a fiscal year and the RAT decision over HTTP: four eyes (the treasurer asks, 202; an approver
 * other than the treasurer posts, 201), a year that has not ended in the cooperative's time zone or has
 * entries awaiting approval is refused with 422 and nothing is recorded, and the year takes no postings
 * while its close waits.
 */
import { createInProcessAlertBus } from "@bukubesar/bus";
import { startSupervisor } from "@bukubesar/supervisor";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshStore, type Harness, startHarness } from "./harness.js";

const COOP = "kkmp-tutup-buku";
const coopPath = `/v1/cooperatives/${COOP}`;
/** 2027-01-01 00:30 in Jakarta (UTC+7) is still 2026-12-31 in UTC: the year has ended there, not in UTC. */
const NOW = "2026-12-31T17:30:00.000Z";
const ALLOCATION = { cadangan: "40", jasaUsaha: "40", jasaModal: "20" };
/** How long the supervisor may take to raise an alert after the event it judges. */
const ALERT_WAIT_MS = 10_000;

const eventually = async <T>(probe: () => Promise<T | undefined>): Promise<T> => {
  const deadline = Date.now() + ALERT_WAIT_MS;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};

describe("fiscal-year close and RAT decision over HTTP", () => {
  let harness: Harness;
  let cleanup: () => Promise<void>;
  const tokens = { treasurer: "", approver: "" };
  let keyCounter = 0;
  const post = (path: string, body: unknown, token: string) =>
    harness.call("POST", `${coopPath}/${path}`, {
      body,
      token,
      headers: { "idempotency-key": `fy-${++keyCounter}` },
    });
  const eventCount = async () =>
    (await harness.call("GET", `${coopPath}/events?limit=1000`)).body.events.length;
  const balances = async (asOf: string) =>
    Object.fromEntries(
      (await harness.call("GET", `${coopPath}/trial-balance?asOf=${asOf}`)).body.accounts.map(
        (row: { code: string; balance: string }) => [row.code, row.balance],
      ),
    );

  beforeAll(async () => {
    const store = await freshStore("sqlite");
    cleanup = store.cleanup;
    harness = await startHarness(store.url, {
      now: () => NOW,
      supervise: { bus: createInProcessAlertBus(), start: startSupervisor },
    });
    await harness.call("POST", "/v1/cooperatives", {
      body: { id: COOP, name: "KKMP Tutup Buku", regionCode: "35.74.03.1002", chart: "kkmp" },
    });
    for (const role of ["treasurer", "approver"] as const) {
      const issued = await harness.call("POST", "/v1/tokens", { body: { role, scope: COOP, name: role } });
      tokens[role] = issued.body.token;
    }
    for (const [date, debit, credit, amount] of [
      ["2026-03-02", "1101", "4101", "900000"],
      ["2026-04-01", "6101", "1101", "250000"],
      ["2026-05-01", "1111", "2601", "5000000"],
    ] as const) {
      const posted = await post(
        "journal-entries",
        {
          date,
          memo: "transaksi",
          lines: [
            { account: debit, debit: amount },
            { account: credit, credit: amount },
          ],
        },
        tokens.treasurer,
      );
      expect(posted.status, JSON.stringify(posted.body)).toBe(201);
    }
  });
  afterAll(async () => {
    await harness.stop();
    await cleanup();
  });

  it("refuses to push a contra account to the wrong side, with code and field path, recording nothing", async () => {
    const depreciation = await post(
      "journal-entries",
      {
        date: "2026-06-30",
        memo: "Penyusutan",
        lines: [
          { account: "6107", debit: "100000" },
          { account: "1690", credit: "100000" },
        ],
      },
      tokens.treasurer,
    );
    expect(depreciation.status).toBe(201);
    const before = await eventCount();
    const refused = await post(
      "journal-entries",
      {
        date: "2026-07-01",
        memo: "Koreksi berlebih",
        lines: [
          { account: "1690", debit: "100000.01" },
          { account: "6107", credit: "100000.01" },
        ],
      },
      tokens.treasurer,
    );
    expect([refused.status, refused.body.code]).toEqual([422, "contra_account_wrong_side"]);
    expect(refused.body.errors[0].path).toBe("/lines/0/amount");
    expect(await eventCount()).toBe(before);
    const undone = await post(
      "journal-entries",
      {
        date: "2026-07-01",
        memo: "Koreksi penyusutan",
        lines: [
          { account: "1690", debit: "100000" },
          { account: "6107", credit: "100000" },
        ],
      },
      tokens.treasurer,
    );
    expect(undone.status).toBe(201);
  });

  it("refuses to close a year that has not ended in the cooperative's time zone, recording nothing", async () => {
    const before = await eventCount();
    const refused = await post("fiscal-years/2027/close", {}, tokens.treasurer);
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe("fiscal_year_not_ended");
    expect(refused.body.errors).toEqual([
      expect.objectContaining({ path: "/year", code: "fiscal_year_not_ended" }),
    ]);
    expect(await eventCount()).toBe(before);
  });

  it("refuses while an entry of the year awaits approval, recording nothing", async () => {
    const threshold = await harness.call("PATCH", `${coopPath}/settings`, {
      body: { approvalThreshold: "10000000" },
    });
    expect(threshold.status).toBe(200);
    const big = await post(
      "journal-entries",
      {
        date: "2026-11-20",
        memo: "pembelian besar",
        lines: [
          { account: "1301", debit: "20000000" },
          { account: "2201", credit: "20000000" },
        ],
      },
      tokens.treasurer,
    );
    expect(big.status).toBe(202);
    const before = await eventCount();
    const refused = await post("fiscal-years/2026/close", {}, tokens.treasurer);
    expect([refused.status, refused.body.code]).toEqual([422, "entries_pending_approval"]);
    expect(await eventCount()).toBe(before);
    const rejected = await post(
      `journal-entries/${big.body.entryId}/reject`,
      { reason: "belum ada faktur" },
      tokens.approver,
    );
    expect(rejected.status).toBe(200);
  });

  it("closes only with four eyes: 202 for the treasurer, 403 for self-approval, 201 for the approver", async () => {
    const requested = await post("fiscal-years/2026/close", {}, tokens.treasurer);
    expect(requested.status, JSON.stringify(requested.body)).toBe(202);
    expect(requested.body).toMatchObject({ year: 2026, status: "pending_approval", shu: "650000.00" });
    expect(requested.headers.get("location")).toBe(`${coopPath}/fiscal-years/2026`);
    const standing = await harness.call("GET", `${coopPath}/fiscal-years/2026`);
    expect(standing.body).toMatchObject({ status: "close_pending", closeRequest: { shu: "650000.00" } });
    // Nothing is posted yet, and the year takes no new postings while its close waits.
    expect((await balances("2026-12-31"))["4101"]).toBe("900000.00");
    const late = await post(
      "journal-entries",
      {
        date: "2026-12-30",
        memo: "terlambat",
        lines: [
          { account: "1101", debit: "1000" },
          { account: "3200", credit: "1000" },
        ],
      },
      tokens.treasurer,
    );
    expect([late.status, late.body.code]).toEqual([422, "period_closed"]);
    const self = await post("fiscal-years/2026/close/approve", {}, tokens.treasurer);
    expect(self.status).toBe(403);
    const approved = await post("fiscal-years/2026/close/approve", {}, tokens.approver);
    expect(approved.status, JSON.stringify(approved.body)).toBe(201);
    expect(approved.body).toMatchObject({ status: "closed", shu: "650000.00", resultAccount: "3600" });
    expect(await balances("2026-12-31")).toMatchObject({
      "3600": "650000.00",
      "3700": "0.00",
      "4101": "0.00",
    });
    const beforeClosing = await harness.call(
      "GET",
      `${coopPath}/trial-balance?asOf=2026-12-31&beforeClosing=true`,
    );
    expect(beforeClosing.body.beforeClosing).toBe(true);
    const row = (code: string) =>
      beforeClosing.body.accounts.find((candidate: { code: string }) => candidate.code === code);
    expect(row("4101")).toMatchObject({
      credit: "900000.00",
      creditBalance: "900000.00",
      debitBalance: "0.00",
    });
    expect(row("3600")).toBeUndefined();
    expect(beforeClosing.body.totals.debitBalance).toBe(beforeClosing.body.totals.creditBalance);
    const printed = await harness.call(
      "GET",
      `${coopPath}/trial-balance?asOf=2026-12-31&beforeClosing=true&format=csv`,
    );
    // Printed, it is the same neraca saldo sebelum penutupan: 4101's balance in the credit column.
    expect(printed.status).toBe(200);
    expect(String(printed.body).split("\r\n")[0]).toBe(
      "role,code,name,type,debit,credit,debitBalance,creditBalance",
    );
    expect(String(printed.body)).toContain(",4101,");
    expect(String(printed.body)).toMatch(/,4101,[^\r]*,900000\.00,0\.00,900000\.00\r\n/);
    const again = await post("fiscal-years/2026/close/approve", {}, tokens.approver);
    expect([again.status, again.body.code]).toEqual([422, "not_pending"]);
  });

  it("lets an admin reopen the closed, undecided year for an audit correction, then close it again", async () => {
    const treasurerTry = await post("fiscal-years/2026/reopen", { reason: "koreksi" }, tokens.treasurer);
    expect(treasurerTry.status).toBe(403);
    const reopened = await harness.call("POST", `${coopPath}/fiscal-years/2026/reopen`, {
      body: { reason: "koreksi auditor: beban listrik Desember" },
    });
    expect(reopened.status, JSON.stringify(reopened.body)).toBe(200);
    expect(reopened.body).toMatchObject({ year: 2026, status: "open" });
    expect(await balances("2026-12-31")).toMatchObject({ "3600": "0.00", "4101": "900000.00" });
    // The supervisor follows the log on its own; its alert for the reopening arrives shortly after.
    const alert = await eventually(async () => {
      const alerts = await harness.call("GET", "/v1/alerts?region=35&limit=1000");
      return alerts.body.alerts.find(
        (candidate: { rule: string }) => candidate.rule === "fiscal-year-reopened",
      );
    });
    expect(alert).toMatchObject({ severity: "high", details: { year: 2026 } });
    const adjusting = await post(
      "journal-entries",
      {
        date: "2026-12-31",
        memo: "Penyesuaian: listrik Desember",
        lines: [
          { account: "6104", debit: "50000" },
          { account: "1101", credit: "50000" },
        ],
      },
      tokens.treasurer,
    );
    expect(adjusting.status, JSON.stringify(adjusting.body)).toBe(201);
    const requested = await post("fiscal-years/2026/close", {}, tokens.treasurer);
    expect(requested.body.shu).toBe("600000.00");
    const approved = await post("fiscal-years/2026/close/approve", {}, tokens.approver);
    expect(approved.status).toBe(201);
    expect(await balances("2026-12-31")).toMatchObject({ "3600": "600000.00", "3700": "0.00" });
    const verified = await harness.call("GET", `${coopPath}/verify`);
    expect(verified.body.ok, JSON.stringify(verified.body)).toBe(true);
  });

  it("records the RAT decision with four eyes, and a rejected proposal can be made again", async () => {
    // The year's 900,000 of member sales name no member: jasa usaha cannot be divided over them until the
    // meeting decides how (docs/accounting.md section 5); nothing is recorded.
    const eventsBefore = await eventCount();
    const unattributed = await post(
      "fiscal-years/2026/rat-decision",
      { decidedOn: "2027-01-01", allocation: ALLOCATION },
      tokens.treasurer,
    );
    expect([unattributed.status, unattributed.body.code]).toEqual([422, "jasa_usaha_unattributed"]);
    expect(unattributed.body.errors[0].path).toBe("/unattributedJasaUsaha");
    expect(await eventCount()).toBe(eventsBefore);
    const shuReport = await harness.call("GET", `${coopPath}/shu?year=2026`);
    expect(shuReport.body.participation).toMatchObject({
      memberRevenue: "900000.00",
      attributedRevenue: "0.00",
      unattributedRevenue: "900000.00",
      // The proposal divides by the AD/ART's (here the default) 30% jasa usaha: 180,000 of 600,000.
      unattributedJasaUsaha: "180000.00",
      treatment: null,
    });
    const first = await post(
      "fiscal-years/2026/rat-decision",
      { decidedOn: "2027-01-01", allocation: ALLOCATION, unattributedJasaUsaha: "reserve" },
      tokens.treasurer,
    );
    expect(first.status, JSON.stringify(first.body)).toBe(202);
    expect(first.body).toMatchObject({ unattributedJasaUsaha: "reserve", warnings: [] });
    const rejected = await post(
      "fiscal-years/2026/rat-decision/reject",
      { reason: "salah tanggal" },
      tokens.approver,
    );
    expect(rejected.body).toMatchObject({ status: "rejected", step: "ratDecision" });
    const proposed = await post(
      "fiscal-years/2026/rat-decision",
      { decidedOn: "2027-01-01", allocation: ALLOCATION, unattributedJasaUsaha: "reserve" },
      tokens.treasurer,
    );
    expect(proposed.status).toBe(202);
    expect((await balances("2027-01-01"))["3600"]).toBe("600000.00");
    const decided = await post("fiscal-years/2026/rat-decision/approve", {}, tokens.approver);
    expect(decided.status, JSON.stringify(decided.body)).toBe(201);
    expect(decided.body.entry.lines[0]).toMatchObject({ account: "3600", debit: "600000.00" });
    // No member has recorded participation: the reserve gets its 40%, and both member pools (jasa usaha on
    // unattributed sales, jasa modal with no member's capital) as residue; 2401 owes nobody anything.
    expect(await balances("2027-01-01")).toMatchObject({ "3600": "0.00", "3500": "600000.00" });
    expect((await balances("2027-01-01"))["2401"] ?? "0.00").toBe("0.00");
    const shu = await harness.call("GET", `${coopPath}/shu?year=2026`);
    expect(shu.body.undistributed).toEqual({ jasaModal: "120000.00", jasaUsaha: "240000.00" });
    const printed = await harness.call("GET", `${coopPath}/shu?year=2026&format=csv`);
    expect(String(printed.body)).toContain("Sisa pembulatan ke cadangan (3500)");
    const standing = await harness.call("GET", `${coopPath}/fiscal-years/2026`);
    expect(standing.body.status).toBe("decided");
    const reopen = await harness.call("POST", `${coopPath}/fiscal-years/2026/reopen`, {
      body: { reason: "terlambat" },
    });
    expect([reopen.status, reopen.body.code]).toEqual([422, "validation_failed"]);
  });
});

describe("a loss year and the next year's SHU over HTTP", () => {
  const LOSS_COOP = "kkmp-rugi";
  const path = `/v1/cooperatives/${LOSS_COOP}`;
  let harness: Harness;
  let cleanup: () => Promise<void>;
  let approver = "";
  let keyCounter = 0;
  const post = (route: string, body: unknown, token?: string) =>
    harness.call("POST", `${path}/${route}`, {
      body,
      ...(token === undefined ? {} : { token }),
      headers: { "idempotency-key": `loss-${++keyCounter}` },
    });
  const entry = (date: string, debit: string, credit: string, amount: string, memberId?: string) =>
    post("journal-entries", {
      date,
      memo: "transaksi",
      lines: [
        { account: debit, debit: amount },
        { account: credit, credit: amount, ...(memberId === undefined ? {} : { memberId }) },
      ],
    });
  const closeAndApprove = async (year: number) => {
    expect((await post(`fiscal-years/${year}/close`, {})).status).toBe(202);
    return post(`fiscal-years/${year}/close/approve`, {}, approver);
  };
  const balanceOf = async (code: string, asOf: string) =>
    (await harness.call("GET", `${path}/trial-balance?asOf=${asOf}`)).body.accounts.find(
      (row: { code: string }) => row.code === code,
    )?.balance ?? "0.00";

  beforeAll(async () => {
    const store = await freshStore("sqlite");
    cleanup = store.cleanup;
    harness = await startHarness(store.url, { now: () => NOW });
    await harness.call("POST", "/v1/cooperatives", {
      body: { id: LOSS_COOP, name: "KKMP Rugi", regionCode: "35.74.03.1002", chart: "kkmp" },
    });
    approver = (
      await harness.call("POST", "/v1/tokens", {
        body: { role: "approver", scope: LOSS_COOP, name: "ketua" },
      })
    ).body.token;
  });
  afterAll(async () => {
    await harness.stop();
    await cleanup();
  });

  it("covers a loss partly from the reserve, and the next year's SHU covers the rest first", async () => {
    // 2025: an opening reserve of 200,000 (3500 is a system account: an adjusting entry under four eyes)
    // and a loss of 300,000.
    const opening = await post("journal-entries", {
      date: "2025-01-10",
      memo: "Saldo awal cadangan",
      kind: "adjusting",
      lines: [
        { account: "1101", debit: "200000" },
        { account: "3500", credit: "200000" },
      ],
    });
    expect([opening.status, opening.body.kind]).toEqual([202, "adjusting"]);
    const openingPosted = await post(`journal-entries/${opening.body.entryId}/approve`, {}, approver);
    expect([openingPosted.status, openingPosted.body.kind]).toEqual([201, "adjusting"]);
    expect((await entry("2025-02-01", "6101", "3300", "300000")).status).toBe(201);
    const closed = await closeAndApprove(2025);
    expect(closed.body).toMatchObject({ shu: "-300000.00", resultAccount: "3610" });
    const allocating = await post("fiscal-years/2025/rat-decision", {
      decidedOn: "2026-03-15",
      allocation: { cadangan: "100" },
    });
    expect([allocating.status, allocating.body.code]).toEqual([422, "validation_failed"]);
    const unequal = await post("fiscal-years/2025/rat-decision", {
      decidedOn: "2026-03-15",
      lossCoverage: { fromReserve: "200000" },
    });
    expect(unequal.status).toBe(422);
    expect(unequal.body.errors[0].path).toBe("/lossCoverage");
    const proposed = await post("fiscal-years/2025/rat-decision", {
      decidedOn: "2026-03-15",
      lossCoverage: { fromReserve: "200000", carriedForward: "100000" },
    });
    expect(proposed.status, JSON.stringify(proposed.body)).toBe(202);
    const decided = await post("fiscal-years/2025/rat-decision/approve", {}, approver);
    expect(decided.status, JSON.stringify(decided.body)).toBe(201);
    expect(decided.body.lossCoverage).toEqual({ fromReserve: "200000.00", carriedForward: "100000.00" });
    expect(await balanceOf("3610", "2026-03-15")).toBe("100000.00");
    expect(await balanceOf("3500", "2026-03-15")).toBe("0.00");

    // 2026: sales of 1,100,000 to member A-0001; its SHU first covers the 100,000 carried forward.
    const registered = await harness.call("POST", `${path}/members`, {
      body: { memberId: "A-0001", name: "Siti Aminah", joinedOn: "2025-01-02" },
    });
    expect(registered.status).toBe(201);
    expect((await entry("2026-05-01", "1101", "4101", "1100000", "A-0001")).status).toBe(201);
    expect((await closeAndApprove(2026)).body).toMatchObject({ shu: "1100000.00", resultAccount: "3600" });
    expect(
      (
        await post("fiscal-years/2026/rat-decision", {
          decidedOn: "2027-01-01",
          allocation: { cadangan: "50", jasaUsaha: "50" },
        })
      ).status,
    ).toBe(202);
    const next = await post("fiscal-years/2026/rat-decision/approve", {}, approver);
    expect(next.status, JSON.stringify(next.body)).toBe(201);
    expect(next.body.priorLossCovered).toBe("100000.00");
    expect(await balanceOf("3610", "2027-01-01")).toBe("0.00");
    expect(await balanceOf("3500", "2027-01-01")).toBe("500000.00");
    expect(next.body.entry.lines).toContainEqual(
      expect.objectContaining({
        account: "2401",
        credit: "500000.00",
        memberId: "A-0001",
        memo: "jasaUsaha",
      }),
    );
    const shu = await harness.call("GET", `${path}/shu?year=2026`);
    expect(shu.body).toMatchObject({ priorLossCovered: "100000.00", status: "allocated" });
    expect(shu.body.members).toEqual([
      expect.objectContaining({ memberId: "A-0001", jasaUsaha: "500000.00" }),
    ]);
    const lossShu = await harness.call("GET", `${path}/shu?year=2025`);
    expect(lossShu.body.lossCoverage).toEqual({ fromReserve: "200000.00", carriedForward: "100000.00" });
  });
});
