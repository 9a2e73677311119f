/**
 * The two-year scenario of docs/accounting.md section 6, over HTTP: 2025 ends with a loss carried forward
 * by the AD/ART rule, 2026 with a profit; members join and save, borrow and repay; sales to members and
 * non-members in three units; a Himbara loan and its instalments; depreciation; the close with four eyes;
 * an audit correction before the RAT (the year reopened, member sales attributed, a shrinkage recorded,
 * closed again); the RAT decision per the AD/ART; each member's SHU paid or capitalised. Every figure
 * asserted here is worked out by hand in that section.
 */
import { createInProcessAlertBus } from "@bukubesar/bus";
import { startSupervisor } from "@bukubesar/supervisor";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Backend, freshStore, type Harness, startHarness } from "./harness.js";

const COOP = "kkmp-dua-tahun";
const coopPath = `/v1/cooperatives/${COOP}`;
/** 20 March 2027, 10:00 in Jakarta: both years have ended and the 2026 RAT (15 March) has been held. */
const NOW = "2027-03-20T03:00:00.000Z";
/** How long the supervisor may take to raise an alert after the event it judges. */
const ALERT_WAIT_MS = 10_000;

/** The AD/ART: the meeting decides only jasa usaha and jasa modal; a loss is carried forward. */
const AD_ART = {
  allocation: {
    cadangan: "30",
    jasaUsaha: "35",
    jasaModal: "15",
    pengurusPengawas: "5",
    pengawas: "5",
    pendidikan: "5",
    sosial: "5",
  },
  meetingDecides: ["jasaUsaha", "jasaModal"],
  jasaModalBasis: "yearEnd",
  unitWeights: { simpan_pinjam: "0.5" },
  lossCoverageOrder: "nextShuFirst",
};

type Line = {
  account: string;
  debit?: string;
  credit?: string;
  memberId?: string;
  unit?: string;
  counterparty?: string;
};

/** Both stores: PostgreSQL gives a decision's allocation back in its own key order (jsonb). */
const backends: Backend[] = ["sqlite", "postgres"];

describe.each(backends)(
  "two years of a KKMP over HTTP on %s, checked against docs/accounting.md section 6",
  (backend) => {
    let harness: Harness;
    let cleanup: () => Promise<void>;
    const tokens = { treasurer: "", approver: "" };
    let keyCounter = 0;
    const post = (path: string, body: unknown, token: string | undefined = tokens.treasurer) =>
      harness.call("POST", `${coopPath}/${path}`, {
        body,
        ...(token === undefined ? {} : { token }),
        headers: { "idempotency-key": `two-years-${++keyCounter}` },
      });
    const get = async (path: string) => {
      const answer = await harness.call("GET", `${coopPath}/${path}`);
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      return answer.body;
    };
    const entry = async (date: string, memo: string, lines: Line[]) => {
      const posted = await post("journal-entries", { date, memo, lines });
      expect(posted.status, JSON.stringify(posted.body)).toBe(201);
      return posted.body;
    };
    const balances = async (asOf: string): Promise<Record<string, string>> =>
      Object.fromEntries(
        (await get(`trial-balance?asOf=${asOf}`)).accounts.map((row: { code: string; balance: string }) => [
          row.code,
          row.balance,
        ]),
      );
    const eventCount = async () => (await get("events?limit=1000")).events.length;
    const closeYear = async (year: number) => {
      const asked = await post(`fiscal-years/${year}/close`, {});
      expect(asked.status, JSON.stringify(asked.body)).toBe(202);
      const approved = await post(`fiscal-years/${year}/close/approve`, {}, tokens.approver);
      expect(approved.status, JSON.stringify(approved.body)).toBe(201);
      return approved.body;
    };
    const decide = async (year: number, body: unknown) => {
      const asked = await post(`fiscal-years/${year}/rat-decision`, body);
      expect(asked.status, JSON.stringify(asked.body)).toBe(202);
      const approved = await post(`fiscal-years/${year}/rat-decision/approve`, {}, tokens.approver);
      expect(approved.status, JSON.stringify(approved.body)).toBe(201);
      return { asked: asked.body, approved: approved.body };
    };
    const member = (memberId: string, unit: string, extra: Partial<Line> = {}) => ({
      memberId,
      unit,
      counterparty: "member",
      ...extra,
    });

    beforeAll(async () => {
      const store = await freshStore(backend);
      cleanup = store.cleanup;
      harness = await startHarness(store.url, {
        now: () => NOW,
        supervise: { bus: createInProcessAlertBus(), start: startSupervisor },
      });
      await harness.call("POST", "/v1/cooperatives", {
        body: { id: COOP, name: "KKMP Dua Tahun", regionCode: "35.74.03.1002", chart: "kkmp" },
      });
      for (const role of ["treasurer", "approver"] as const) {
        const issued = await harness.call("POST", "/v1/tokens", { body: { role, scope: COOP, name: role } });
        tokens[role] = issued.body.token;
      }
    });
    afterAll(async () => {
      await harness.stop();
      await cleanup();
    });

    it("takes the AD/ART rules as settings, warning of unusual percentages without refusing them", async () => {
      const unusual = await harness.call("PATCH", `${coopPath}/settings`, {
        body: { shuRules: { ...AD_ART, allocation: { cadangan: "10", jasaUsaha: "20", jasaModal: "70" } } },
      });
      expect(unusual.status, JSON.stringify(unusual.body)).toBe(200);
      expect(
        unusual.body.warnings.map((warning: { code: string; path: string }) => [warning.code, warning.path]),
      ).toEqual([
        ["jasa_modal_above_jasa_usaha", "/shuRules/allocation/jasaModal"],
        ["cadangan_below_usual", "/shuRules/allocation/cadangan"],
      ]);
      const alert = await eventuallyFind(async () => {
        const alerts = await harness.call("GET", "/v1/alerts?region=35&limit=1000");
        return alerts.body.alerts.find(
          (candidate: { rule: string }) => candidate.rule === "shu-allocation-unusual",
        );
      });
      expect(alert).toMatchObject({ severity: "warning", coopId: COOP });
      const refused = await harness.call("PATCH", `${coopPath}/settings`, {
        body: { shuRules: { allocation: { cadangan: "50", jasaUsaha: "40" } } },
      });
      expect([refused.status, refused.body.code, refused.body.errors[0].path]).toEqual([
        422,
        "validation_failed",
        "/shuRules/allocation",
      ]);
      const set = await harness.call("PATCH", `${coopPath}/settings`, { body: { shuRules: AD_ART } });
      expect([set.status, set.body.warnings, set.body.shuRules]).toEqual([200, [], AD_ART]);
    });

    it("2025: a loss of 470,000, closed with four eyes and carried forward by the AD/ART rule", async () => {
      for (const [memberId, name] of [
        ["A-0001", "Siti Aminah"],
        ["A-0002", "Budi Santoso"],
      ]) {
        const registered = await harness.call("POST", `${coopPath}/members`, {
          body: { memberId, name, joinedOn: "2025-01-02" },
        });
        expect(registered.status).toBe(201);
      }
      await entry("2025-01-02", "Simpanan pokok", [
        { account: "1101", debit: "200000" },
        { account: "3100", credit: "100000", memberId: "A-0001" },
        { account: "3100", credit: "100000", memberId: "A-0002" },
      ]);
      await entry("2025-01-05", "Simpanan wajib", [
        { account: "1101", debit: "120000" },
        { account: "3200", credit: "60000", memberId: "A-0001" },
        { account: "3200", credit: "60000", memberId: "A-0002" },
      ]);
      await entry("2025-01-10", "Pencairan pinjaman Himbara", [
        { account: "1111", debit: "10000000", counterparty: "bank" },
        { account: "2601", credit: "10000000", counterparty: "bank" },
      ]);
      await entry("2025-01-15", "Pembelian cold storage", [
        { account: "1603", debit: "2400000", unit: "sembako" },
        { account: "1111", credit: "2400000", counterparty: "supplier" },
      ]);
      await entry("2025-02-01", "Pembelian sembako", [
        { account: "1301", debit: "3000000", unit: "sembako" },
        { account: "1111", credit: "3000000", counterparty: "supplier" },
      ]);
      await entry("2025-03-01", "Penjualan sembako anggota", [
        { account: "1101", debit: "1000000" },
        { account: "4101", credit: "1000000", ...member("A-0001", "sembako") },
        { account: "5101", debit: "800000", unit: "sembako", counterparty: "member" },
        { account: "1301", credit: "800000", unit: "sembako" },
      ]);
      await entry("2025-03-02", "Penjualan sembako non-anggota", [
        { account: "1101", debit: "500000" },
        { account: "4201", credit: "500000", unit: "sembako", counterparty: "non_member" },
        { account: "5201", debit: "400000", unit: "sembako", counterparty: "non_member" },
        { account: "1301", credit: "400000", unit: "sembako" },
      ]);
      await entry("2025-04-01", "Pinjaman anggota Budi", [
        { account: "1201", debit: "1000000", ...member("A-0002", "simpan_pinjam") },
        { account: "1111", credit: "1000000" },
      ]);
      await entry("2025-06-01", "Jasa klinik", [
        { account: "1101", debit: "150000" },
        { account: "4103", credit: "100000", ...member("A-0002", "klinik") },
        { account: "4203", credit: "50000", unit: "klinik", counterparty: "non_member" },
      ]);
      await entry("2025-10-01", "Angsuran pinjaman Budi", [
        { account: "1101", debit: "520000" },
        { account: "1201", credit: "500000", ...member("A-0002", "simpan_pinjam") },
        { account: "4106", credit: "20000", ...member("A-0002", "simpan_pinjam") },
      ]);
      await entry("2025-12-10", "Angsuran dan bunga Himbara", [
        { account: "2601", debit: "1000000", counterparty: "bank" },
        { account: "6110", debit: "400000", unit: "kantor" },
        { account: "1111", credit: "1400000", counterparty: "bank" },
      ]);
      await entry("2025-12-20", "Gaji karyawan", [
        { account: "6101", debit: "300000", unit: "kantor" },
        { account: "1111", credit: "300000" },
      ]);
      await entry("2025-12-31", "Penyusutan cold storage", [
        { account: "6107", debit: "240000", unit: "sembako" },
        { account: "1690", credit: "240000", unit: "sembako" },
      ]);

      const income = await get("income-statement?from=2025-01-01&to=2025-12-31");
      expect(income.memberBusiness.revenue.total).toBe("1120000.00");
      expect(income.memberBusiness.costOfRevenue.total).toBe("800000.00");
      expect(income.memberBusiness.net).toBe("320000.00");
      expect(income.nonMemberBusiness.revenue.total).toBe("550000.00");
      expect(income.nonMemberBusiness.net).toBe("150000.00");
      expect(income.grossShu).toBe("470000.00");
      expect(income.operatingExpenses.total).toBe("940000.00");
      expect(income.shuAfterTax).toBe("-470000.00");

      expect((await closeYear(2025)).shu).toBe("-470000.00");
      const sheet = await get("balance-sheet?asOf=2025-12-31");
      expect([sheet.assets.total, sheet.liabilities.total, sheet.equity.total, sheet.balanced]).toEqual([
        "8850000.00",
        "9000000.00",
        "-150000.00",
        true,
      ]);
      expect(await balances("2025-12-31")).toMatchObject({
        "1101": "2490000.00",
        "1111": "1900000.00",
        "1201": "500000.00",
        "1301": "1800000.00",
        "1690": "240000.00",
        "3610": "470000.00",
      });
      const flow = await get("cash-flow?from=2025-01-01&to=2025-12-31");
      expect([flow.openingCash, flow.netChange, flow.closingCash, flow.investing.total]).toEqual([
        "0.00",
        "4390000.00",
        "4390000.00",
        "-2400000.00",
      ]);
      const equity = await get("equity-changes?from=2025-01-01&to=2025-12-31");
      const equityRow = (key: string) => equity.rows.find((row: { key: string }) => row.key === key)?.total;
      expect([equityRow("saldoAwal"), equityRow("setoranSimpanan"), equityRow("saldoAkhir")]).toEqual([
        "0.00",
        "320000.00",
        "-150000.00",
      ]);

      // The RAT of 10 March 2026 gives no coverage: the AD/ART's nextShuFirst carries the loss forward whole.
      const decided = await decide(2025, { decidedOn: "2026-03-10" });
      expect(decided.asked.lossCoverage).toEqual({ fromReserve: "0.00", carriedForward: "470000.00" });
      expect(decided.approved.entryId).toBeNull();
      // The loss waits in 3610 for 2026's SHU, which covers it first.
      expect((await balances("2026-03-10"))["3610"]).toBe("470000.00");
    });

    it("2026: a profit; the unattributed member sale is refused, corrected after reopening, and the RAT divides", async () => {
      const joined = await harness.call("POST", `${coopPath}/members`, {
        body: { memberId: "A-0003", name: "Dewi Lestari", joinedOn: "2026-02-01" },
      });
      expect(joined.status).toBe(201);
      await entry("2026-02-01", "Simpanan pokok Dewi", [
        { account: "1101", debit: "100000" },
        { account: "3100", credit: "100000", memberId: "A-0003" },
      ]);
      await entry("2026-02-05", "Simpanan wajib", [
        { account: "1101", debit: "180000" },
        { account: "3200", credit: "60000", memberId: "A-0001" },
        { account: "3200", credit: "60000", memberId: "A-0002" },
        { account: "3200", credit: "60000", memberId: "A-0003" },
      ]);
      await entry("2026-02-10", "Simpanan sukarela Siti", [
        { account: "1101", debit: "200000" },
        { account: "2101", credit: "200000", memberId: "A-0001" },
      ]);
      await entry("2026-02-20", "Setoran kas ke bank", [
        { account: "1111", debit: "2500000" },
        { account: "1101", credit: "2500000" },
      ]);
      await entry("2026-03-01", "Pembelian sembako", [
        { account: "1301", debit: "4000000", unit: "sembako" },
        { account: "1111", credit: "4000000", counterparty: "supplier" },
      ]);
      // 500,000 of it sold to a member the treasurer did not name: member business nobody is credited for.
      await entry("2026-04-01", "Penjualan sembako anggota", [
        { account: "1101", debit: "3500000" },
        { account: "4101", credit: "2000000", ...member("A-0001", "sembako") },
        { account: "4101", credit: "1000000", ...member("A-0003", "sembako") },
        { account: "4101", credit: "500000", unit: "sembako", counterparty: "member" },
        { account: "5101", debit: "1750000", unit: "sembako", counterparty: "member" },
        { account: "1301", credit: "1750000", unit: "sembako" },
      ]);
      await entry("2026-04-01", "Pelunasan pinjaman Budi", [
        { account: "1101", debit: "520000" },
        { account: "1201", credit: "500000", ...member("A-0002", "simpan_pinjam") },
        { account: "4106", credit: "20000", ...member("A-0002", "simpan_pinjam") },
      ]);
      await entry("2026-04-02", "Penjualan sembako non-anggota", [
        { account: "1101", debit: "1000000" },
        { account: "4201", credit: "1000000", unit: "sembako", counterparty: "non_member" },
        { account: "5201", debit: "500000", unit: "sembako", counterparty: "non_member" },
        { account: "1301", credit: "500000", unit: "sembako" },
      ]);
      await entry("2026-05-01", "Jasa klinik", [
        { account: "1101", debit: "400000" },
        { account: "4103", credit: "300000", ...member("A-0002", "klinik") },
        { account: "4203", credit: "100000", unit: "klinik", counterparty: "non_member" },
      ]);
      await entry("2026-06-01", "Pinjaman anggota Dewi", [
        { account: "1201", debit: "1000000", ...member("A-0003", "simpan_pinjam") },
        { account: "1101", credit: "1000000" },
      ]);
      await entry("2026-11-01", "Angsuran pinjaman Dewi", [
        { account: "1101", debit: "530000" },
        { account: "1201", credit: "500000", ...member("A-0003", "simpan_pinjam") },
        { account: "4106", credit: "30000", ...member("A-0003", "simpan_pinjam") },
      ]);
      await entry("2026-12-01", "Setoran kas ke bank", [
        { account: "1111", debit: "2000000" },
        { account: "1101", credit: "2000000" },
      ]);
      await entry("2026-12-10", "Angsuran dan bunga Himbara", [
        { account: "2601", debit: "1000000", counterparty: "bank" },
        { account: "6110", debit: "360000", unit: "kantor" },
        { account: "1111", credit: "1360000", counterparty: "bank" },
      ]);
      await entry("2026-12-20", "Gaji karyawan", [
        { account: "6101", debit: "300000", unit: "kantor" },
        { account: "1111", credit: "300000" },
      ]);
      await entry("2026-12-31", "Penyusutan cold storage", [
        { account: "6107", debit: "240000", unit: "sembako" },
        { account: "1690", credit: "240000", unit: "sembako" },
      ]);
      expect((await closeYear(2026)).shu).toBe("1800000.00");

      // Before the RAT: the proposal names the unattributed 500,000, and a decision dividing jasa usaha is refused.
      const proposal = await get("shu?year=2026");
      expect(proposal).toMatchObject({
        division: "proposed",
        priorLossCovered: "470000.00",
        participation: {
          memberRevenue: "3850000.00",
          attributedRevenue: "3350000.00",
          unattributedRevenue: "500000.00",
          treatment: null,
        },
        bases: { capitalBasis: "yearEnd", unitWeights: { simpan_pinjam: "0.5" }, rules: "settings" },
      });
      const before = await eventCount();
      const unattributed = await post("fiscal-years/2026/rat-decision", { decidedOn: "2027-03-15" });
      expect([unattributed.status, unattributed.body.code, unattributed.body.errors[0].path]).toEqual([
        422,
        "jasa_usaha_unattributed",
        "/unattributedJasaUsaha",
      ]);
      expect(await eventCount()).toBe(before);
      const printed = await harness.call("GET", `${coopPath}/shu?year=2026&format=csv`);
      expect(String(printed.body)).toContain("Pendapatan dari anggota tanpa nomor anggota");

      // The audit correction: an admin reopens 2026; the sale is attributed to Budi and a shrinkage found at
      // the stock count is recorded; the year is closed again with four eyes.
      const reopened = await harness.call("POST", `${coopPath}/fiscal-years/2026/reopen`, {
        body: { reason: "koreksi auditor: penjualan anggota tanpa nomor anggota, susut persediaan" },
      });
      expect(reopened.status, JSON.stringify(reopened.body)).toBe(200);
      await entry("2026-12-31", "Penyesuaian: penjualan 1 April atas nama Budi", [
        { account: "4101", debit: "500000", unit: "sembako", counterparty: "member" },
        { account: "4101", credit: "500000", ...member("A-0002", "sembako") },
      ]);
      await entry("2026-12-31", "Penyesuaian: susut persediaan sembako", [
        { account: "6109", debit: "100000", unit: "sembako" },
        { account: "1301", credit: "100000", unit: "sembako" },
      ]);
      expect((await closeYear(2026)).shu).toBe("1700000.00");

      const income = await get("income-statement?from=2026-01-01&to=2026-12-31");
      expect(income.memberBusiness.revenue.total).toBe("3850000.00");
      expect(income.memberBusiness.net).toBe("2100000.00");
      expect(income.nonMemberBusiness.revenue.total).toBe("1100000.00");
      expect(income.nonMemberBusiness.net).toBe("600000.00");
      expect(income.grossShu).toBe("2700000.00");
      expect(income.operatingExpenses.total).toBe("1000000.00");
      expect(income.shuAfterTax).toBe("1700000.00");
      const sheet = await get("balance-sheet?asOf=2026-12-31");
      expect([sheet.assets.total, sheet.liabilities.total, sheet.equity.total, sheet.balanced]).toEqual([
        "10030000.00",
        "8200000.00",
        "1830000.00",
        true,
      ]);
      expect(await balances("2026-12-31")).toMatchObject({
        "1101": "3420000.00",
        "1111": "740000.00",
        "1201": "500000.00",
        "1301": "3450000.00",
        "1690": "480000.00",
        "2601": "8000000.00",
        "3600": "1700000.00",
        "3610": "470000.00",
      });
      const flow = await get("cash-flow?from=2026-01-01&to=2026-12-31");
      expect([flow.openingCash, flow.netChange, flow.closingCash]).toEqual([
        "4390000.00",
        "-230000.00",
        "4160000.00",
      ]);
      const equity = await get("equity-changes?from=2026-01-01&to=2026-12-31");
      const equityRow = (key: string) => equity.rows.find((row: { key: string }) => row.key === key)?.total;
      expect([equityRow("saldoAwal"), equityRow("setoranSimpanan"), equityRow("saldoAkhir")]).toEqual([
        "-150000.00",
        "280000.00",
        "1830000.00",
      ]);

      // The RAT may move only jasa usaha and jasa modal (AD/ART); it moves 5 points from jasa modal.
      const fixed = await post("fiscal-years/2026/rat-decision", {
        decidedOn: "2027-03-15",
        allocation: { ...AD_ART.allocation, cadangan: "25", sosial: "10" },
      });
      expect([fixed.status, fixed.body.code, fixed.body.errors[0].path]).toEqual([
        422,
        "fixed_by_ad_art",
        "/allocation/cadangan",
      ]);
      const { approved } = await decide(2026, {
        decidedOn: "2027-03-15",
        allocation: { ...AD_ART.allocation, jasaUsaha: "40", jasaModal: "10" },
      });
      expect(approved.priorLossCovered).toBe("470000.00");
      const credits = approved.entry.lines
        .filter((line: { credit?: string }) => line.credit !== undefined)
        .map((line: { account: string; credit: string; memberId?: string | null; memo?: string | null }) => [
          line.account,
          line.memberId ?? null,
          line.memo ?? null,
          line.credit,
        ]);
      expect(credits).toEqual([
        ["3610", null, "kerugianTahunLalu", "470000.00"],
        ["3500", null, "cadangan", "369000.00"],
        ["2402", null, "pengurusPengawas", "61500.00"],
        ["2405", null, "pendidikan", "61500.00"],
        ["2406", null, "sosial", "61500.00"],
        ["2403", null, "pengawas", "61500.00"],
        ["2401", "A-0001", "jasaModal", "45100.00"],
        ["2401", "A-0002", "jasaModal", "45100.00"],
        ["2401", "A-0003", "jasaModal", "32800.00"],
        ["2401", "A-0001", "jasaUsaha", "257255.00"],
        ["2401", "A-0002", "jasaUsaha", "104188.00"],
        ["2401", "A-0003", "jasaUsaha", "130557.00"],
      ]);
      const shu = await get("shu?year=2026");
      expect(shu).toMatchObject({
        division: "decided",
        status: "allocated",
        undistributed: { jasaModal: "0.00", jasaUsaha: "0.00" },
        participation: { unattributedRevenue: "0.00" },
        totals: { jasaModal: "123000.00", jasaUsaha: "492000.00", total: "615000.00" },
      });
      expect(
        shu.members.map((row: Record<string, string>) => [
          row.memberId,
          row.capitalBase,
          row.usageBase,
          row.total,
        ]),
      ).toEqual([
        ["A-0001", "220000.00", "2000000.00", "302355.00"],
        ["A-0002", "220000.00", "810000.00", "149288.00"],
        ["A-0003", "160000.00", "1015000.00", "163357.00"],
      ]);
    });

    it("2027: each member's SHU is paid or capitalised, and the member statements follow it", async () => {
      await entry("2027-03-16", "Pembayaran SHU Siti", [
        { account: "2401", debit: "302355", memberId: "A-0001" },
        { account: "1101", credit: "302355" },
      ]);
      await entry("2027-03-16", "SHU Budi dikapitalisasi ke simpanan wajib", [
        { account: "2401", debit: "149288", memberId: "A-0002" },
        { account: "3200", credit: "149288", memberId: "A-0002" },
      ]);
      await entry("2027-03-16", "Pembayaran sebagian SHU Dewi", [
        { account: "2401", debit: "100000", memberId: "A-0003" },
        { account: "1101", credit: "100000" },
      ]);
      const statement = async (memberId: string) => get(`members/${memberId}/statement?asOf=2027-03-20`);
      expect(await statement("A-0001")).toMatchObject({
        simpananPokok: "100000.00",
        simpananWajib: "120000.00",
        simpananSukarela: "200000.00",
        shuOwed: "0.00",
      });
      expect(await statement("A-0002")).toMatchObject({ simpananWajib: "269288.00", shuOwed: "0.00" });
      expect(await statement("A-0003")).toMatchObject({ pinjaman: "500000.00", shuOwed: "63357.00" });
      const now = await balances("2027-03-20");
      expect(now).toMatchObject({ "2401": "63357.00", "3500": "369000.00", "3600": "0.00", "3610": "0.00" });
      const equity = await get("equity-changes?from=2027-01-01&to=2027-03-20");
      const equityRow = (key: string) => equity.rows.find((row: { key: string }) => row.key === key)?.total;
      expect([equityRow("kapitalisasiShu"), equityRow("saldoAkhir")]).toEqual(["149288.00", "1118288.00"]);
      const trial = await get("trial-balance?asOf=2027-03-20");
      expect(trial.totals.debit).toBe(trial.totals.credit);
      expect(trial.totals.debitBalance).toBe(trial.totals.creditBalance);
      expect((await get("verify")).ok).toBe(true);
    });
  },
);

const eventuallyFind = async <T>(probe: () => Promise<T | undefined>): Promise<T> => {
  const deadline = Date.now() + ALERT_WAIT_MS;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};
