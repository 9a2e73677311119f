/**
 * The web application in a real browser (Debian's chromium through playwright-core) against a real
 * `bukubesar serve` process: the treasurer's entry form and trial balance, the approver's queue, the
 * supervisor's live alerts (and another region's supervisor seeing none of them), the offline outbox
 * across a server killed mid-sync, and the alert stream resuming after a restart with nothing missed.
 */
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium, signedInPage } from "./browser.js";
import { startTestServer, type TestServer } from "./server.js";

const COOP = "kkmp-peramban";
const OTHER_COOP = "kkmp-seberang";
/** The supervisor's page must show a large cash alert this soon after the posting. */
const ALERT_SHOWN_WITHIN_MS = 2_000;
/** Long waits: a first page load compiles nothing, but a loaded machine is slow. */
const UI_TIMEOUT_MS = 20_000;
/** The offline reading test loads five pages twice over, online and then from the service worker. */
const OFFLINE_READING_TIMEOUT_MS = 180_000;

interface Tokens {
  treasurer: string;
  approver: string;
  supervisor: string;
  otherSupervisor: string;
}

const today = () =>
  new Intl.DateTimeFormat("en-CA", {
    timeZone: "Asia/Jakarta",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).format(new Date());

/** A whole-rupiah wire amount as the statements print it: "1500000.00" → "Rp1.500.000", negatives in parentheses. */
const printedRupiah = (wire: string): string => {
  const [whole = "", sen] = wire.replace("-", "").split(".");
  expect(sen).toBe("00");
  const grouped = `Rp${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ".")}`;
  return wire.startsWith("-") ? `(${grouped})` : grouped;
};

describe("the web application in a browser", () => {
  let server: TestServer;
  let browser: Browser;
  const tokens = {} as Tokens;
  const contexts: BrowserContext[] = [];
  let memoCounter = 0;

  const signedIn = (token: string, route = "/"): Promise<Page> =>
    signedInPage(browser, server.base, token, { route, contexts, timeoutMs: UI_TIMEOUT_MS });

  /** Fills the entry form with `lines` ([account, side, amount as typed]) and saves it. */
  const makeEntry = async (
    page: Page,
    memo: string,
    lines: readonly (readonly [string, "debit" | "credit", string])[],
  ) => {
    await page.getByLabel("Keterangan").fill(memo);
    for (let index = 0; index < lines.length; index++) {
      if (index >= 2) await page.getByRole("button", { name: "Tambah baris" }).click();
      const [account, side, amount] = lines[index] as readonly [string, "debit" | "credit", string];
      const line = page.locator("fieldset.line").nth(index);
      await line.getByLabel("Akun").fill(account);
      await line.getByLabel("Posisi").selectOption(side);
      await line.getByLabel("Jumlah").fill(amount);
    }
    await page.getByRole("button", { name: "Simpan jurnal" }).click();
  };

  const outboxItem = (page: Page, memo: string) => page.locator(".outbox li", { hasText: memo });

  const entriesWithMemo = async (memo: string): Promise<number> => {
    const answer = await server.call("GET", `/v1/cooperatives/${COOP}/journal-entries?limit=1000`);
    return answer.body.entries.filter((entry: { memo: string }) => entry.memo === memo).length;
  };

  beforeAll(async () => {
    server = await startTestServer();
    browser = await launchChromium();
    for (const [id, regionCode] of [
      [COOP, "35.74.03.1002"],
      [OTHER_COOP, "35.13.01.2001"],
    ] as const) {
      const created = await server.call("POST", "/v1/cooperatives", {
        id,
        name: `KKMP ${id}`,
        regionCode,
        chart: "kkmp",
      });
      expect(created.status).toBe(201);
      const settings = await server.call("PATCH", `/v1/cooperatives/${id}/settings`, {
        approvalThreshold: "25000000",
        largeCashThreshold: "5000000",
      });
      expect(settings.status).toBe(200);
    }
    for (const [name, role, scope] of [
      ["treasurer", "treasurer", COOP],
      ["approver", "approver", COOP],
      ["supervisor", "supervisor", "35.74"],
      ["otherSupervisor", "supervisor", "35.13"],
    ] as const) {
      const issued = await server.call("POST", "/v1/tokens", { role, scope, name });
      expect(issued.status).toBe(201);
      tokens[name] = issued.body.token;
    }
  });
  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await server?.dispose();
  });

  it("serves the application at / with long-cached hashed assets", async () => {
    const page = await fetch(`${server.base}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get("cache-control")).toBe("no-cache");
    const html = await page.text();
    const asset = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(asset).toBeDefined();
    const script = await fetch(`${server.base}${asset}`);
    expect(script.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
  });

  it("a treasurer posts a three-line entry through the form and the trial balance shows it", async () => {
    const page = await signedIn(tokens.treasurer, "/entry/new");
    const memo = `Tiga baris ${++memoCounter}`;
    await makeEntry(page, memo, [
      ["1101", "debit", "Rp1.500.000"],
      ["3400", "credit", "1.000.000"],
      ["3300", "credit", "500.000,00"],
    ]);
    await outboxItem(page, memo).and(page.locator("[data-state=sent]")).waitFor();
    await expect.poll(() => entriesWithMemo(memo)).toBe(1);

    await page.goto(`${server.base}/#/reports`);
    await page.getByLabel("Per tanggal").fill(today());
    await page.getByRole("button", { name: "Tampilkan" }).click();
    const row = page.getByTestId("trial-balance").locator("tr", { hasText: "Kas Besar" });
    await expect.poll(() => row.textContent()).toContain("Rp1.500.000,00");
    const hibah = page.getByTestId("trial-balance").locator("tr", { hasText: "Hibah / Donasi" });
    expect(await hibah.textContent()).toContain("Rp1.000.000,00");
  });

  it("the treasurer's balance sheet is the printed statement: its title and totals from the JSON report", async () => {
    const page = await signedIn(tokens.treasurer, "/reports");
    await page.locator("select[name=report]").selectOption("balance-sheet");
    await page.getByLabel("Per tanggal").fill(today());
    await page.getByRole("button", { name: "Tampilkan" }).click();
    const statement = page.getByTestId("report-document");
    await statement.getByRole("heading", { name: "Laporan Posisi Keuangan" }).waitFor();
    const json = await server.call("GET", `/v1/cooperatives/${COOP}/balance-sheet?asOf=${today()}`);
    expect(json.status).toBe(200);
    const total = statement.locator("tr[data-role=total]", { hasText: "JUMLAH LIABILITAS DAN EKUITAS" });
    expect(await total.locator("td.amount").first().textContent()).toBe(
      printedRupiah(json.body.liabilitiesAndEquity),
    );
    const assets = statement.locator("tr[data-role=total]", { hasText: "JUMLAH ASET" });
    expect(await assets.locator("td.amount").first().textContent()).toBe(
      printedRupiah(json.body.assets.total),
    );
    expect(json.body.assets.total).not.toBe("0.00");
    expect(await statement.locator("tr[data-role=heading]", { hasText: "ASET" }).count()).toBeGreaterThan(0);
  });

  it("every other statement shows as its printed document: its title over its rows", async () => {
    const page = await signedIn(tokens.treasurer, "/reports");
    for (const [report, title, subject] of [
      ["income-statement", "Laporan Perhitungan Hasil Usaha", null],
      ["cash-flow", "Laporan Arus Kas", null],
      ["equity-changes", "Laporan Perubahan Ekuitas", null],
      ["ledger", "Buku Besar", "1101"],
      ["shu", /Pembagian SHU/, null],
      ["notes", "Catatan atas Laporan Keuangan", null],
    ] as const) {
      await page.locator("select[name=report]").selectOption(report);
      if (subject !== null) await page.locator("input[name=subject]").fill(subject);
      await page.getByRole("button", { name: "Tampilkan" }).click();
      const document = page
        .getByTestId("report-document")
        .and(page.locator(`[data-kind=${report === "ledger" ? "general-ledger" : report}]`));
      await document.getByRole("heading", { name: title }).waitFor();
      expect(await document.locator("tbody tr").count()).toBeGreaterThan(0);
    }
  });

  it("a refused entry says why next to its field, and is corrected and sent again", async () => {
    const page = await signedIn(tokens.treasurer, "/entry/new");
    const memo = `Akun salah ${++memoCounter}`;
    await makeEntry(page, memo, [
      ["9999", "debit", "25.000"],
      ["3300", "credit", "25.000"],
    ]);
    const refused = outboxItem(page, memo).and(page.locator("[data-state=refused]"));
    await refused.getByText("Akun tidak ada di bagan akun.").waitFor();
    await refused.getByRole("button", { name: "Perbaiki" }).click();
    const firstLine = page.locator("fieldset.line").first();
    // The corrected form is the one that says what was wrong next to the account.
    await firstLine.getByText("Akun tidak ada di bagan akun.").waitFor();
    expect(await firstLine.getByLabel("Akun").inputValue()).toBe("9999");
    await firstLine.getByLabel("Akun").fill("1102");
    await page.getByRole("button", { name: "Simpan jurnal" }).click();
    await outboxItem(page, memo).and(page.locator("[data-state=sent]")).waitFor();
    expect(await entriesWithMemo(memo)).toBe(1);
  });

  it("an entry above the approval threshold goes to the approver, who approves it", async () => {
    const treasurer = await signedIn(tokens.treasurer, "/entry/new");
    const memo = `Di atas ambang ${++memoCounter}`;
    await makeEntry(treasurer, memo, [
      ["1111", "debit", "30.000.000"],
      ["3300", "credit", "30.000.000"],
    ]);
    await outboxItem(treasurer, memo).and(treasurer.locator("[data-state=sent]")).waitFor();
    expect(await outboxItem(treasurer, memo).textContent()).toContain("Menunggu persetujuan");

    const approver = await signedIn(tokens.approver);
    const pending = approver.locator("li.pending", { hasText: memo });
    await pending.getByRole("button", { name: "Setujui" }).click();
    await pending.waitFor({ state: "detached" });
    const answer = await server.call("GET", `/v1/cooperatives/${COOP}/journal-entries?limit=1000`);
    const entry = answer.body.entries.find((candidate: { memo: string }) => candidate.memo === memo);
    expect(entry.status).toBe("posted");
  });

  it("a supervisor sees a large cash alert within two seconds and acknowledges it; another region never sees it", async () => {
    const supervisor = await signedIn(tokens.supervisor);
    const other = await signedIn(tokens.otherSupervisor);
    await supervisor.getByTestId("stream-state").filter({ hasText: "Langsung" }).waitFor();
    await other.getByTestId("stream-state").filter({ hasText: "Langsung" }).waitFor();
    const memo = `Setoran tunai besar ${++memoCounter}`;
    const postedAt = Date.now();
    const posted = await server.call(
      "POST",
      `/v1/cooperatives/${COOP}/journal-entries`,
      {
        date: today(),
        memo,
        lines: [
          { account: "1101", debit: "7654321" },
          { account: "3300", credit: "7654321" },
        ],
      },
      tokens.treasurer,
      { "idempotency-key": `besar-${memoCounter}` },
    );
    expect(posted.status).toBe(201);
    const alert = supervisor.locator("li.alert[data-rule=large-cash]", { hasText: "7.654.321" });
    await alert.waitFor({ timeout: ALERT_SHOWN_WITHIN_MS * 5 });
    expect(Date.now() - postedAt).toBeLessThan(ALERT_SHOWN_WITHIN_MS);

    await alert.getByLabel("Catatan").fill("Sudah dicek ke bendahara");
    await alert.getByRole("button", { name: "Tandai sudah ditangani" }).click();
    await alert.getByText("Sudah ditangani:").waitFor();
    const alertId = await alert.getAttribute("data-alert");
    const listed = await server.call("GET", "/v1/alerts?limit=1000");
    const recorded = listed.body.alerts.find(
      (candidate: { alertId: string }) => candidate.alertId === alertId,
    );
    expect(recorded.acknowledgements.map((ack: { note: string }) => ack.note)).toEqual([
      "Sudah dicek ke bendahara",
    ]);

    expect(await other.locator(`li.alert[data-alert="${alertId}"]`).count()).toBe(0);
    expect(await other.locator("main").textContent()).not.toContain(COOP);
  });

  it("offline: three entries wait on the device, the server dies mid-sync, and exactly three are recorded", async () => {
    const page = await signedIn(tokens.treasurer, "/entry/new");
    await page.getByLabel("Keterangan").waitFor();
    await page.context().setOffline(true);
    const memos = [1, 2, 3].map((n) => `Luring ${++memoCounter}-${n}`);
    for (const [index, memo] of memos.entries()) {
      await makeEntry(page, memo, [
        ["1101", "debit", `${index + 1}0.000`],
        ["3300", "credit", `${index + 1}0.000`],
      ]);
      await outboxItem(page, memo).and(page.locator("[data-state=waiting]")).waitFor();
    }

    // Each send takes a moment, so that the server can be killed while the outbox is part-way through.
    await page.route("**/journal-entries", async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 400));
      await route.continue().catch(() => undefined);
    });
    await page.context().setOffline(false);
    await page.evaluate(() => window.dispatchEvent(new Event("online")));
    await outboxItem(page, memos[0] as string)
      .and(page.locator("[data-state=sent]"))
      .waitFor();
    await server.kill();
    await server.start();
    for (const memo of memos)
      await outboxItem(page, memo).and(page.locator("[data-state=sent]")).waitFor({ timeout: 60_000 });
    for (const memo of memos) expect(await entriesWithMemo(memo)).toBe(1);
  });

  it("opens without a network once visited, and an entry made there is sent when the network returns", async () => {
    const page = await signedIn(tokens.treasurer, "/entry/new");
    await page.getByLabel("Keterangan").waitFor();
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
    await page.context().setOffline(true);
    await page.reload();
    await page.getByLabel("Keterangan").waitFor();
    const memo = `Dibuka tanpa sinyal ${++memoCounter}`;
    await makeEntry(page, memo, [
      ["1101", "debit", "12.500"],
      ["3300", "credit", "12.500"],
    ]);
    await outboxItem(page, memo).and(page.locator("[data-state=waiting]")).waitFor();
    await page.context().setOffline(false);
    await page.evaluate(() => window.dispatchEvent(new Event("online")));
    await outboxItem(page, memo).and(page.locator("[data-state=sent]")).waitFor();
    expect(await entriesWithMemo(memo)).toBe(1);
  });

  it(
    "the treasurer's home and the report last seen open without a network, marked with the time of their data",
    async () => {
      const posted = await server.call(
        "POST",
        `/v1/cooperatives/${COOP}/journal-entries`,
        {
          date: today(),
          memo: `Kas untuk luring ${++memoCounter}`,
          lines: [
            { account: "1101", debit: "120000" },
            { account: "3300", credit: "120000" },
          ],
        },
        tokens.treasurer,
        { "idempotency-key": `luring-${memoCounter}` },
      );
      expect(posted.status).toBe(201);
      const page = await signedIn(tokens.treasurer);
      await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
      // Read once through the service worker: the home page, then the balance sheet.
      await page.reload();
      const cash = page
        .locator("section", { hasText: "Kas dan bank" })
        .locator("tr", { hasText: "Kas Besar" });
      await cash.waitFor();
      const cashOnline = await cash.textContent();
      await page.goto(`${server.base}/#/reports`);
      await page.locator("select[name=report]").selectOption("balance-sheet");
      await page.getByRole("button", { name: "Tampilkan" }).click();
      const statement = page.getByTestId("report-document");
      await statement.getByRole("heading", { name: "Laporan Posisi Keuangan" }).waitFor();
      const totalOnline = await statement.locator("tr[data-role=total]").last().textContent();
      expect(await page.getByTestId("stale-data").count()).toBe(0);

      await page.context().setOffline(true);
      await page.goto(`${server.base}/#/`);
      await page.reload();
      await page.getByRole("heading", { name: `KKMP ${COOP}`, level: 1 }).waitFor();
      expect(await cash.textContent()).toBe(cashOnline);
      expect(await page.getByTestId("stale-data").textContent()).toMatch(
        /^Data per \d{1,2} \w+ \d{4} \d{2}\.\d{2}/,
      );

      await page.goto(`${server.base}/#/reports`);
      await page.locator("select[name=report]").selectOption("balance-sheet");
      await page.getByRole("button", { name: "Tampilkan" }).click();
      await statement.getByRole("heading", { name: "Laporan Posisi Keuangan" }).waitFor();
      expect(await statement.locator("tr[data-role=total]").last().textContent()).toBe(totalOnline);
      await page.getByTestId("stale-data").waitFor();

      // Signing out forgets the kept answers, so the next person on this phone sees none of them.
      await page.context().setOffline(false);
      await page.getByRole("button", { name: /Keluar/ }).click();
      await page.getByRole("button", { name: "Masuk" }).waitFor();
      expect(await page.evaluate(() => caches.has("bukubesar-data-v1"))).toBe(false);
    },
    OFFLINE_READING_TIMEOUT_MS,
  );

  it("the alert stream resumes after a server restart with nothing missed", async () => {
    const supervisor = await signedIn(tokens.supervisor);
    await supervisor.getByTestId("stream-state").filter({ hasText: "Langsung" }).waitFor();
    // The page may not reconnect until the alerts below are recorded, so that only Last-Event-ID brings them.
    let reconnecting = false;
    await supervisor.route("**/v1/alerts/stream", (route) =>
      reconnecting ? route.continue() : route.abort(),
    );
    await server.kill();
    await supervisor.getByTestId("stream-state").filter({ hasText: "Menyambung ulang" }).waitFor();
    await server.start();
    // Raised right after the restart, before the page has reconnected: the stream must hand them over.
    const amounts = ["6111111", "6222222"];
    for (const amount of amounts) {
      const posted = await server.call(
        "POST",
        `/v1/cooperatives/${COOP}/journal-entries`,
        {
          date: today(),
          memo: `Setelah mulai ulang ${amount}`,
          lines: [
            { account: "1101", debit: amount },
            { account: "3300", credit: amount },
          ],
        },
        tokens.treasurer,
        { "idempotency-key": `ulang-${amount}` },
      );
      expect(posted.status).toBe(201);
    }
    reconnecting = true;
    for (const amount of ["6.111.111", "6.222.222"])
      await supervisor.locator("li.alert[data-rule=large-cash]", { hasText: amount }).waitFor();
    const ids = await supervisor
      .locator("li.alert")
      .evaluateAll((items) => items.map((item) => item.getAttribute("data-alert")));
    expect(new Set(ids).size).toBe(ids.length);
  });
});
