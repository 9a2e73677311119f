/**
 * The two correction forms of docs/accounting.md section 2 in a real browser (Debian's chromium) against a
 * real `bukubesar serve`: the treasurer's adjusting entry, which always waits for the approver, and the
 * member exit form, which records the exit (or says it awaits approval above the threshold).
 */
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium, signedInPage } from "./browser.js";
import { ADMIN_TOKEN, startTestServer, type TestServer } from "./server.js";

const COOP = "kkmp-koreksi";
/** Long waits: a first page load compiles nothing, but a loaded machine is slow. */
const UI_TIMEOUT_MS = 20_000;
/** Each test signs in one or two browsers and waits on the server; well above the 20-30 s they take here. */
const TEST_TIMEOUT_MS = 120_000;

describe("correction forms in a browser", () => {
  let server: TestServer;
  let browser: Browser;
  const tokens = { treasurer: "", approver: "" };
  const contexts: BrowserContext[] = [];

  const signedIn = (token: string, route = "/"): Promise<Page> =>
    signedInPage(browser, server.base, token, { route, contexts, timeoutMs: UI_TIMEOUT_MS });

  const entryWithMemo = async (memo: string) => {
    const answer = await server.call("GET", `/v1/cooperatives/${COOP}/journal-entries?limit=1000`);
    return answer.body.entries.find((entry: { memo: string }) => entry.memo === memo);
  };

  beforeAll(async () => {
    server = await startTestServer();
    browser = await launchChromium();
    const created = await server.call("POST", "/v1/cooperatives", {
      id: COOP,
      name: "KKMP Koreksi",
      regionCode: "35.74.03.1002",
      chart: "kkmp",
    });
    expect(created.status).toBe(201);
    for (const role of ["treasurer", "approver"] as const) {
      const issued = await server.call("POST", "/v1/tokens", { role, scope: COOP, name: role });
      expect(issued.status).toBe(201);
      tokens[role] = issued.body.token;
    }
  });
  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await server?.dispose();
  });

  it("an adjusting entry on the reserve waits for the approver, who approves it", {
    timeout: TEST_TIMEOUT_MS,
  }, async () => {
    const treasurer = await signedIn(tokens.treasurer, "/entry/new");
    const memo = "Saldo awal cadangan";
    await treasurer.getByLabel("Keterangan").fill(memo);
    await treasurer.getByLabel("Jurnal penyesuaian", { exact: false }).check();
    for (const [index, [account, side]] of [
      ["1101", "debit"],
      ["3500", "credit"],
    ].entries()) {
      const line = treasurer.locator("fieldset.line").nth(index);
      await line.getByLabel("Akun").fill(account as string);
      await line.getByLabel("Posisi").selectOption(side as string);
      await line.getByLabel("Jumlah").fill("200.000");
    }
    await treasurer.getByRole("button", { name: "Simpan jurnal" }).click();
    const item = treasurer.locator(".outbox li", { hasText: memo });
    await item.and(treasurer.locator("[data-state=sent]")).waitFor();
    expect(await item.textContent()).toContain("Menunggu persetujuan");
    expect(await entryWithMemo(memo)).toMatchObject({ kind: "adjusting", status: "pending_approval" });

    const approver = await signedIn(tokens.approver);
    const pending = approver.locator("li.pending", { hasText: memo });
    await pending.getByRole("button", { name: "Setujui" }).click();
    await pending.waitFor({ state: "detached" });
    expect(await entryWithMemo(memo)).toMatchObject({ kind: "adjusting", status: "posted" });
  });

  it("the treasurer records a member's exit, the list shows the day they left, and the exit is reversed", {
    timeout: TEST_TIMEOUT_MS,
  }, async () => {
    const registered = await server.call("POST", `/v1/cooperatives/${COOP}/members`, {
      memberId: "A-0007",
      name: "Wati",
      joinedOn: "2025-01-02",
    });
    expect(registered.status).toBe(201);
    const deposit = await server.call(
      "POST",
      `/v1/cooperatives/${COOP}/journal-entries`,
      {
        date: "2025-02-01",
        memo: "simpanan pokok Wati",
        lines: [
          { account: "1101", debit: "100000" },
          { account: "3100", credit: "100000", memberId: "A-0007" },
        ],
      },
      undefined,
      { "idempotency-key": "pokok-wati" },
    );
    expect(deposit.status).toBe(201);
    const page = await signedIn(tokens.treasurer, "/members");
    const form = page.locator("section", { hasText: "Anggota keluar" });
    await form.getByLabel(/^Anggota/).selectOption("A-0007");
    await form.getByLabel("Alasan").fill("pindah domisili");
    await form.getByRole("button", { name: "Catat anggota keluar" }).click();
    await page.getByRole("status").filter({ hasText: "Anggota keluar dicatat" }).waitFor();
    const members = (await server.call("GET", `/v1/cooperatives/${COOP}/members`)).body.members;
    const wati = members.find((member: { memberId: string }) => member.memberId === "A-0007");
    expect(wati.exitedOn).not.toBeNull();
    const row = page.locator("tr", { hasText: "A-0007" });
    await expect.poll(() => row.textContent()).not.toContain("—");
    // Gone from the form's list: a second exit cannot be asked for
    expect(
      await form
        .getByLabel(/^Anggota/)
        .locator("option", { hasText: "A-0007" })
        .count(),
    ).toBe(0);

    // The exit was a mistake: the treasurer reverses it and Wati is a member again with her savings
    const reverse = page.locator("section", { hasText: "Batalkan keluarnya anggota" });
    await reverse.getByLabel(/^Anggota/).selectOption("A-0007");
    await reverse.getByLabel("Alasan").fill("salah catat");
    await reverse.getByRole("button", { name: "Batalkan keluarnya anggota" }).click();
    await page.getByRole("status").filter({ hasText: "Keluarnya anggota dibatalkan" }).waitFor();
    const after = (await server.call("GET", `/v1/cooperatives/${COOP}/members`)).body.members;
    expect(
      after.find((member: { memberId: string }) => member.memberId === "A-0007").exitedOn ?? null,
    ).toBeNull();
    const statement = await server.call("GET", `/v1/cooperatives/${COOP}/members/A-0007/statement`);
    expect(statement.body.simpananPokok).toBe("100000.00");
  });

  it("the admin tags an old chart's simpanan wajib a member sub-ledger; a tag that does not fit is refused", {
    timeout: TEST_TIMEOUT_MS,
  }, async () => {
    const old = "kkmp-bagan-lama";
    const created = await server.call("POST", "/v1/cooperatives", {
      id: old,
      name: "KKMP Bagan Lama",
      regionCode: "35.74.03.1003",
    });
    expect(created.status).toBe(201);
    for (const account of [
      { code: "1101", name: "Kas Besar", type: "asset", noOverdraft: true },
      { code: "3200", name: "Simpanan Wajib", type: "equity" },
    ])
      expect((await server.call("POST", `/v1/cooperatives/${old}/accounts`, account)).status).toBe(201);
    const page = await signedIn(ADMIN_TOKEN, `/settings/${old}`);
    const section = page.locator("section", { hasText: "Tanda kendali akun" });
    await section.getByLabel(/^Akun/).selectOption("3200");
    await section.getByRole("button", { name: "Pasang tanda" }).click();
    await section.getByRole("status").filter({ hasText: "Tanda terpasang." }).waitFor();
    const accounts = async () =>
      new Map(
        (await server.call("GET", `/v1/cooperatives/${old}/accounts`)).body.accounts.map(
          (account: { code: string }) => [account.code, account],
        ),
      );
    expect((await accounts()).get("3200")).toMatchObject({ memberControl: true });

    await section.getByLabel(/^Akun/).selectOption("1101");
    await section.getByLabel(/^Tanda/).selectOption("systemAccount");
    await section.getByRole("button", { name: "Pasang tanda" }).click();
    await section.locator(".field-problem, [role=alert]").first().waitFor();
    expect((await accounts()).get("1101")).toMatchObject({ systemAccount: false });
  });
});
