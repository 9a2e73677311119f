/** The happy path of every route of api.md not covered by the contract flow, over HTTP on a real port. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Backend, freshStore, type Harness, startHarness } from "./harness.js";

const COOP = "kkmp-routes";
const coopPath = `/v1/cooperatives/${COOP}`;
const backends: Backend[] = ["sqlite", "postgres"];
/** An amount as sent out ("1234.50", always two fraction digits) in sen, for exact sums. */
const sen = (amount: string): bigint => BigInt(amount.replace(".", ""));

const ALLOCATION = {
  cadangan: "30",
  jasaUsaha: "30",
  jasaModal: "20",
  pengurusPengawas: "5",
  karyawan: "5",
  pendidikan: "5",
  sosial: "2.5",
  pembangunanDaerahKerja: "2.5",
};

describe.each(backends)("every route's happy path on %s", (backend) => {
  let harness: Harness;
  let cleanup: () => Promise<void>;
  let keyCounter = 0;
  const post = (body: unknown) =>
    harness.call("POST", `${coopPath}/journal-entries`, {
      body,
      headers: { "idempotency-key": `route-${++keyCounter}` },
    });
  const lines = (debit: string, credit: string, amount: string, extra: Record<string, string> = {}) => [
    { account: debit, debit: amount, ...extra },
    { account: credit, credit: amount, ...extra },
  ];

  beforeAll(async () => {
    const store = await freshStore(backend);
    cleanup = store.cleanup;
    harness = await startHarness(store.url);
    const created = await harness.call("POST", "/v1/cooperatives", {
      body: { id: COOP, name: "KKMP Rute", regionCode: "35.74.03.1002", chart: "kkmp" },
    });
    expect(created.status).toBe(201);
    for (const [memberId, name] of [
      ["A-0001", "Siti Aminah"],
      ["A-0002", "Budi Santoso"],
      ["A-0003", "Sri Wahyuni"],
    ]) {
      const member = await harness.call("POST", `${coopPath}/members`, {
        body: { memberId, name, joinedOn: "2025-01-02", role: "member" },
      });
      expect(member.status).toBe(201);
    }
    const history: unknown[] = [
      {
        date: "2025-01-02",
        memo: "Simpanan pokok Siti",
        lines: [
          { account: "1101", debit: "100000" },
          { account: "3100", credit: "100000", memberId: "A-0001" },
        ],
      },
      {
        date: "2025-01-03",
        memo: "Simpanan pokok Budi",
        lines: [
          { account: "1101", debit: "100000" },
          { account: "3100", credit: "100000", memberId: "A-0002" },
        ],
      },
      { date: "2025-01-10", memo: "Pinjaman bank", lines: lines("1111", "2601", "10000000") },
      { date: "2025-02-03", memo: "Beli sembako", lines: lines("1301", "1111", "4000000") },
      {
        date: "2025-02-15",
        memo: "Jual sembako anggota",
        lines: [
          { account: "1101", debit: "1500000", unit: "sembako" },
          { account: "4101", credit: "1500000", unit: "sembako", memberId: "A-0001" },
          { account: "5101", debit: "1200000", unit: "sembako", counterparty: "member" },
          { account: "1301", credit: "1200000", unit: "sembako" },
        ],
      },
      {
        date: "2025-04-20",
        memo: "Jual sembako non-anggota",
        lines: [
          { account: "1101", debit: "800000", unit: "sembako" },
          { account: "4201", credit: "800000", unit: "sembako", counterparty: "non_member" },
          { account: "5201", debit: "600000", unit: "sembako", counterparty: "non_member" },
          { account: "1301", credit: "600000", unit: "sembako" },
        ],
      },
      { date: "2025-05-25", memo: "Gaji karyawan", lines: lines("6101", "1111", "300000") },
    ];
    for (const body of history) {
      const posted = await post(body);
      expect(posted.status, JSON.stringify(posted.body)).toBe(201);
    }
  });
  afterAll(async () => {
    await harness?.stop();
    await cleanup?.();
  });

  it("reads a cooperative and changes its settings", async () => {
    const coop = await harness.call("GET", coopPath);
    expect([coop.status, coop.body.id, coop.body.regionCode]).toEqual([200, COOP, "35.74.03.1002"]);
    expect(coop.body.settings.timeZone).toBe("Asia/Jakarta");
    const changed = await harness.call("PATCH", `${coopPath}/settings`, {
      body: { largeCashThreshold: "50000000", businessHours: { start: "07:00", end: "18:00" } },
    });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    expect(changed.body.largeCashThreshold).toMatch(/^50000000(\.00)?$/);
    expect(changed.body.businessHours).toEqual({ start: "07:00", end: "18:00" });
    expect(changed.body.approvalThreshold).toBeNull();
    const reread = await harness.call("GET", coopPath);
    const { warnings, ...settings } = changed.body;
    expect(warnings).toEqual([]);
    expect(reread.body.settings).toEqual(settings);
    const unknown = await harness.call("PATCH", `${coopPath}/settings`, { body: { status: "x" } });
    expect([unknown.status, unknown.body.code]).toEqual([400, "unknown_field"]);
  });

  it("opens and closes accounts", async () => {
    const opened = await harness.call("POST", `${coopPath}/accounts`, {
      body: { code: "1199", name: "Kas Kecil Cadangan", type: "asset", noOverdraft: true },
    });
    expect(opened.status).toBe(201);
    expect(opened.body).toMatchObject({
      code: "1199",
      normalBalance: "debit",
      noOverdraft: true,
      open: true,
    });
    const duplicate = await harness.call("POST", `${coopPath}/accounts`, {
      body: { code: "1199", name: "lagi", type: "asset" },
    });
    expect([duplicate.status, duplicate.body.code]).toEqual([409, "account_exists"]);
    const closed = await harness.call("POST", `${coopPath}/accounts/1199/close`, { body: {} });
    expect([closed.status, closed.body.open]).toEqual([200, false]);
    const notEmpty = await harness.call("POST", `${coopPath}/accounts/1101/close`, { body: {} });
    expect([notEmpty.status, notEmpty.body.code]).toEqual([422, "account_not_empty"]);
    const postToClosed = await post({ date: "2025-06-01", memo: "x", lines: lines("1199", "1101", "1000") });
    expect([postToClosed.status, postToClosed.body.code]).toEqual([422, "account_closed"]);
    const missing = await harness.call("POST", `${coopPath}/accounts/9999/close`, { body: {} });
    expect(missing.status).toBe(404);
    const accounts = await harness.call("GET", `${coopPath}/accounts`);
    const account1199 = accounts.body.accounts.find((account: { code: string }) => account.code === "1199");
    expect(account1199.open).toBe(false);
  });

  it("lists members page by page", async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor === null ? "?limit=2" : `?limit=2&cursor=${cursor}`;
      const page = await harness.call("GET", `${coopPath}/members${query}`);
      expect(page.status).toBe(200);
      expect(page.body.members.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.members.map((member: { memberId: string }) => member.memberId));
      cursor = page.body.nextCursor;
    } while (cursor !== null);
    expect(seen).toEqual(["A-0001", "A-0002", "A-0003"]);
    const duplicate = await harness.call("POST", `${coopPath}/members`, {
      body: { memberId: "A-0001", name: "lagi", joinedOn: "2025-01-02" },
    });
    expect([duplicate.status, duplicate.body.code]).toEqual([409, "member_exists"]);
  });

  it("lists journal entries by date, account and page, and reads one", async () => {
    const all = await harness.call("GET", `${coopPath}/journal-entries?limit=1000`);
    expect(all.status).toBe(200);
    expect(all.body.entries).toHaveLength(7);
    expect(all.body.nextCursor).toBeNull();
    const paged: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor === null ? "?limit=3" : `?limit=3&cursor=${cursor}`;
      const page = await harness.call("GET", `${coopPath}/journal-entries${query}`);
      expect(page.body.entries.length).toBeLessThanOrEqual(3);
      paged.push(...page.body.entries.map((entry: { entryId: string }) => entry.entryId));
      cursor = page.body.nextCursor;
    } while (cursor !== null);
    expect(paged).toEqual(all.body.entries.map((entry: { entryId: string }) => entry.entryId));

    const february = await harness.call("GET", `${coopPath}/journal-entries?from=2025-02-01&to=2025-02-28`);
    expect(february.body.entries.map((entry: { memo: string }) => entry.memo)).toEqual([
      "Beli sembako",
      "Jual sembako anggota",
    ]);
    const capital = await harness.call("GET", `${coopPath}/journal-entries?account=3100`);
    expect(capital.body.entries).toHaveLength(2);
    // A filtered page may be short but must still lead on to the later matches.
    const filteredPaged: string[] = [];
    cursor = null;
    do {
      const query: string =
        cursor === null ? "?account=1101&limit=1" : `?account=1101&limit=1&cursor=${cursor}`;
      const page = await harness.call("GET", `${coopPath}/journal-entries${query}`);
      filteredPaged.push(...page.body.entries.map((entry: { entryId: string }) => entry.entryId));
      cursor = page.body.nextCursor;
    } while (cursor !== null);
    expect(filteredPaged).toHaveLength(4);

    const first = all.body.entries[0];
    const one = await harness.call("GET", `${coopPath}/journal-entries/${first.entryId}`);
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({
      entryId: first.entryId,
      coopId: COOP,
      status: "posted",
      date: "2025-01-02",
      memo: "Simpanan pokok Siti",
    });
    expect(one.body.lines[1]).toMatchObject({ account: "3100", credit: "100000.00", memberId: "A-0001" });
    expect(typeof one.body.sequence).toBe("number");
    const missing = await harness.call("GET", `${coopPath}/journal-entries/no-such-entry`);
    expect(missing.status).toBe(404);
    const badCursor = await harness.call("GET", `${coopPath}/journal-entries?cursor=abc`);
    expect(badCursor.status).toBe(422);
  });

  it("closes and reopens a period", async () => {
    const closed = await harness.call("POST", `${coopPath}/periods/2025-03/close`, {
      body: {},
      headers: { "idempotency-key": "close-2025-03" },
    });
    expect([closed.status, closed.body]).toEqual([200, { period: "2025-03", status: "closed" }]);
    const refused = await post({
      date: "2025-03-10",
      memo: "terlambat",
      lines: lines("1101", "3200", "1000"),
    });
    expect([refused.status, refused.body.code]).toEqual([422, "period_closed"]);
    const noKey = await harness.call("POST", `${coopPath}/periods/2025-04/close`, { body: {} });
    expect([noKey.status, noKey.body.code]).toEqual([400, "idempotency_key_required"]);
    const reopened = await harness.call("POST", `${coopPath}/periods/2025-03/reopen`, {
      body: { reason: "koreksi setoran" },
      headers: { "idempotency-key": "reopen-2025-03" },
    });
    expect([reopened.status, reopened.body]).toEqual([200, { period: "2025-03", status: "open" }]);
    const accepted = await post({
      date: "2025-03-10",
      memo: "Simpanan wajib Maret",
      lines: [
        { account: "1101", debit: "25000" },
        { account: "3200", credit: "25000", memberId: "A-0002" },
      ],
    });
    expect(accepted.status).toBe(201);
  });

  it("serves every report, also as CSV", async () => {
    const balance = await harness.call("GET", `${coopPath}/balance-sheet?asOf=2025-12-31`);
    expect(balance.status).toBe(200);
    expect(balance.body.balanced).toBe(true);
    expect(balance.body.assets.total).toBe(balance.body.liabilitiesAndEquity);

    const income = await harness.call("GET", `${coopPath}/income-statement?from=2025-01-01&to=2025-12-31`);
    expect(income.status).toBe(200);
    expect(income.body.memberBusiness.revenue.total).toBe("1500000.00");
    expect(income.body.nonMemberBusiness.revenue.total).toBe("800000.00");
    const sembako = await harness.call(
      "GET",
      `${coopPath}/income-statement?from=2025-01-01&to=2025-12-31&unit=sembako`,
    );
    expect([sembako.status, sembako.body.unit]).toEqual([200, "sembako"]);
    expect(sembako.body.operatingExpenses.total).toBe("0.00");
    expect(income.body.operatingExpenses.total).not.toBe("0.00");

    const equity = await harness.call("GET", `${coopPath}/equity-changes?from=2025-01-01&to=2025-12-31`);
    expect(equity.status).toBe(200);
    expect(equity.body.rows.length).toBeGreaterThan(0);
    const cash = await harness.call("GET", `${coopPath}/cash-flow?from=2025-01-01&to=2025-12-31`);
    expect([cash.status, cash.body.reconciles]).toEqual([200, true]);

    const statement = await harness.call("GET", `${coopPath}/members/A-0001/statement?asOf=2025-12-31`);
    expect(statement.status).toBe(200);
    expect([statement.body.memberId, statement.body.simpananPokok]).toEqual(["A-0001", "100000.00"]);
    const unknownMember = await harness.call("GET", `${coopPath}/members/Z-9/statement`);
    expect(unknownMember.status).toBe(404);

    const ledger = await harness.call("GET", `${coopPath}/ledger/1101?from=2025-02-01&to=2025-12-31`);
    expect(ledger.status).toBe(200);
    expect(ledger.body.openingBalance).toBe("200000.00");
    const last = ledger.body.lines[ledger.body.lines.length - 1];
    expect(ledger.body.closingBalance).toBe(last.balance);
    expect(ledger.body.closingBalance).toBe("2525000.00");

    for (const path of [
      "trial-balance?asOf=2025-12-31",
      "balance-sheet?asOf=2025-12-31",
      "income-statement?from=2025-01-01&to=2025-12-31",
      "equity-changes?from=2025-01-01&to=2025-12-31",
      "cash-flow?from=2025-01-01&to=2025-12-31",
      "members/A-0001/statement?asOf=2025-12-31",
      "ledger/1101?from=2025-01-01&to=2025-12-31",
    ]) {
      const csv = await harness.call("GET", `${coopPath}/${path}&format=csv`);
      expect(csv.status, path).toBe(200);
      expect(csv.headers.get("content-type"), path).toContain("text/csv");
      expect(String(csv.body).split("\r\n").length, path).toBeGreaterThan(2);
    }
    const pdf = await harness.call("GET", `${coopPath}/trial-balance?format=pdf`);
    expect(pdf.status === 200 || pdf.body.code === "not_acceptable").toBe(true);
  });

  it("closes the fiscal year, records the RAT decision (each approved by an approver) and reports the SHU", async () => {
    const issued = await harness.call("POST", "/v1/tokens", {
      body: { role: "approver", scope: COOP, name: "ketua" },
    });
    const approver = issued.body.token as string;
    const requested = await harness.call("POST", `${coopPath}/fiscal-years/2025/close`, {
      body: {},
      headers: { "idempotency-key": "close-2025" },
    });
    expect(requested.status, JSON.stringify(requested.body)).toBe(202);
    expect(requested.body).toMatchObject({ year: 2025, status: "pending_approval" });
    const closed = await harness.call("POST", `${coopPath}/fiscal-years/2025/close/approve`, {
      body: {},
      token: approver,
      headers: { "idempotency-key": "close-2025-ok" },
    });
    expect(closed.status, JSON.stringify(closed.body)).toBe(201);
    expect(closed.body).toMatchObject({ year: 2025, status: "closed", resultAccount: "3600" });
    // 1,500,000 + 800,000 revenue − 1,200,000 − 600,000 cost − 300,000 salaries.
    expect(closed.body.shu).toMatch(/^200000(\.00)?$/);
    const late = await post({ date: "2025-12-30", memo: "terlambat", lines: lines("1101", "3200", "1000") });
    expect([late.status, late.body.code]).toEqual([422, "period_closed"]);
    const proposed = await harness.call("POST", `${coopPath}/fiscal-years/2025/rat-decision`, {
      body: { decidedOn: "2026-03-15", allocation: ALLOCATION },
      headers: { "idempotency-key": "rat-2025" },
    });
    expect(proposed.status, JSON.stringify(proposed.body)).toBe(202);
    const decided = await harness.call("POST", `${coopPath}/fiscal-years/2025/rat-decision/approve`, {
      body: {},
      token: approver,
      headers: { "idempotency-key": "rat-2025-ok" },
    });
    expect(decided.status, JSON.stringify(decided.body)).toBe(201);
    expect(decided.body.year).toBe(2025);
    const shu = await harness.call("GET", `${coopPath}/shu?year=2025`);
    expect(shu.status).toBe(200);
    expect(shu.body.status).toBe("allocated");
    const memberTotal = shu.body.members.reduce(
      (sum: bigint, member: { total: string }) => sum + sen(member.total),
      0n,
    );
    expect(memberTotal).toBe(sen(shu.body.totals.total));
    expect(sen(shu.body.totals.jasaModal) + sen(shu.body.totals.jasaUsaha)).toBe(sen(shu.body.totals.total));
    expect(sen(shu.body.totals.total)).toBeGreaterThan(0n);
    const csv = await harness.call("GET", `${coopPath}/shu?year=2025&format=csv`);
    expect(csv.status).toBe(200);
    // Each member's slip carries their row of the SHU report and the total in words.
    const siti = shu.body.members.find((member: { memberId: string }) => member.memberId === "A-0001");
    const slip = await harness.call("GET", `${coopPath}/shu/A-0001/slip?year=2025`);
    expect(slip.status, JSON.stringify(slip.body)).toBe(200);
    expect(slip.body).toMatchObject({
      year: 2025,
      memberId: "A-0001",
      name: "Siti Aminah",
      status: "allocated",
      jasaModal: siti.jasaModal,
      jasaUsaha: siti.jasaUsaha,
      total: siti.total,
    });
    expect(slip.body.totalInWords).toMatch(/rupiah/);
    const printed = await harness.call("GET", `${coopPath}/shu/A-0001/slip?year=2025&format=pdf`);
    expect([printed.status, printed.headers.get("content-type")]).toEqual([200, "application/pdf"]);
    expect((await harness.call("GET", `${coopPath}/shu/A-9999/slip?year=2025`)).status).toBe(404);
  });

  it("pages through the events and verifies the chain", async () => {
    const revisions: number[] = [];
    let after: number | null = null;
    do {
      const query: string = after === null ? "?limit=5" : `?after=${after}&limit=5`;
      const page = await harness.call("GET", `${coopPath}/events${query}`);
      expect(page.status).toBe(200);
      for (const event of page.body.events) {
        expect(typeof event.recordedAt).toBe("string");
        expect(event.metadata.hash).toMatch(/^[0-9a-f]{64}$/);
      }
      revisions.push(...page.body.events.map((event: { revision: number }) => event.revision));
      after = page.body.nextAfter;
    } while (after !== null);
    expect(revisions).toEqual(revisions.map((_revision, index) => index));
    const verified = await harness.call("GET", `${coopPath}/verify`);
    expect(verified.body).toMatchObject({ ok: true, events: revisions.length });
    expect(verified.body.headHash).toMatch(/^[0-9a-f]{64}$/);
  });
});
