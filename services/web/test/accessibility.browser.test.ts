/**
 * Accessibility checked by a tool, not by eye: axe-core (WCAG 2.1 A and AA rules: contrast, labels, names,
 * keyboard-reachable scrolling regions, landmarks) runs on each role's main page at 360 px and at desktop
 * width, and must find nothing of serious or critical impact. A second test signs in and moves through the
 * menu with the keyboard alone.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DESKTOP, launchChromium, PHONE } from "./browser.js";
import { ADMIN_TOKEN, startTestServer, type TestServer } from "./server.js";

const COOP = "kkmp-akses";
const UI_TIMEOUT_MS = 20_000;
/** The WCAG levels the web application is held to: AA, which includes A. */
const WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];
/** Twenty page loads and checks per width: generous, as a loaded machine makes each take seconds. */
const ALL_PAGES_TIMEOUT_MS = 300_000;
/** Impacts that fail the test; "minor" and "moderate" findings are reported but do not fail it. */
const FAILING_IMPACTS = new Set(["serious", "critical"]);
const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

interface AxeFinding {
  readonly id: string;
  readonly impact: string | null;
  readonly help: string;
  readonly nodes: readonly { readonly target: readonly string[] }[];
}

/** Runs axe-core on the page as it stands and returns its WCAG A/AA violations. */
const axeViolations = async (page: Page): Promise<AxeFinding[]> => {
  await page.addScriptTag({ content: axeSource });
  return page.evaluate(async (tags) => {
    const axe = (
      globalThis as unknown as {
        axe: { run: (context: Document, options: unknown) => Promise<{ violations: AxeFinding[] }> };
      }
    ).axe;
    const result = await axe.run(document, {
      runOnly: { type: "tag", values: tags },
      resultTypes: ["violations"],
    });
    return result.violations.map(({ id, impact, help, nodes }) => ({
      id,
      impact,
      help,
      nodes: nodes.map((node) => ({ target: node.target })),
    }));
  }, WCAG_TAGS);
};

const today = () => new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Jakarta" }).format(new Date());

describe("accessibility of each role's main page", () => {
  let server: TestServer;
  let browser: Browser;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    server = await startTestServer();
    browser = await launchChromium();
    await server.call("POST", "/v1/cooperatives", {
      id: COOP,
      name: "KKMP Akses",
      regionCode: "35.74.03.1002",
      chart: "kkmp",
    });
    await server.call("PATCH", `/v1/cooperatives/${COOP}/settings`, {
      approvalThreshold: "25000000",
      largeCashThreshold: "5000000",
    });
    for (const [role, scope] of [
      ["treasurer", COOP],
      ["approver", COOP],
      ["supervisor", "35.74"],
      ["auditor", "35"],
    ] as const) {
      const issued = await server.call("POST", "/v1/tokens", { role, scope, name: role });
      tokens[role] = issued.body.token;
    }
    tokens.admin = ADMIN_TOKEN;
    // Something on every page: a posted entry, one awaiting approval and a large-cash alert.
    for (const [key, amount] of [
      ["a11y-1", "6000000"],
      ["a11y-2", "30000000"],
    ] as const) {
      const posted = await server.call(
        "POST",
        `/v1/cooperatives/${COOP}/journal-entries`,
        {
          date: today(),
          memo: `Setoran ${amount}`,
          lines: [
            { account: "1101", debit: amount },
            { account: "3300", credit: amount },
          ],
        },
        tokens.treasurer,
        { "idempotency-key": key },
      );
      expect([201, 202]).toContain(posted.status);
    }
  });
  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
  });

  const pages: readonly (readonly [role: string, route: string])[] = [
    ["signed-out", "/"],
    ["treasurer", "/"],
    ["treasurer", "/entry/new"],
    ["treasurer", "/reports"],
    ["approver", "/"],
    ["supervisor", "/"],
    ["supervisor", "/cooperatives"],
    ["auditor", "/"],
    ["admin", "/"],
    ["admin", "/tokens"],
  ];

  for (const [label, viewport] of [
    ["360 px", PHONE],
    ["desktop", DESKTOP],
  ] as const)
    it(
      `finds no serious or critical WCAG A/AA violation at ${label}`,
      async () => {
        const findings: string[] = [];
        for (const [role, route] of pages) {
          const context = await browser.newContext({ viewport, locale: "id-ID", timezoneId: "Asia/Jakarta" });
          const page = await context.newPage();
          page.setDefaultTimeout(UI_TIMEOUT_MS);
          await page.goto(`${server.base}/#${route}`);
          if (role !== "signed-out") {
            await page.getByLabel("Token").fill(tokens[role] as string);
            await page.getByRole("button", { name: "Masuk" }).click();
          }
          await page.locator("main h1").first().waitFor();
          await page.waitForFunction(() => document.querySelector("[aria-busy=true]") === null);
          for (const finding of await axeViolations(page))
            if (finding.impact !== null && FAILING_IMPACTS.has(finding.impact))
              findings.push(
                `${role} ${route}: ${finding.id} (${finding.impact}) ${finding.help} at ${finding.nodes
                  .map((node) => node.target.join(" "))
                  .join(", ")}`,
              );
          await context.close();
        }
        expect(findings, findings.join("\n")).toEqual([]);
      },
      ALL_PAGES_TIMEOUT_MS,
    );

  it("the check itself finds faint text and an unlabelled field (so a clean result means something)", async () => {
    const context = await browser.newContext({ viewport: PHONE });
    const page = await context.newPage();
    await page.goto(`${server.base}/`);
    await page.locator("main h1").first().waitFor();
    await page.evaluate(() =>
      document
        .querySelector("main")
        ?.insertAdjacentHTML(
          "beforeend",
          '<p style="color:#bbb;background:#fff">samar</p><input id="tanpa-label">',
        ),
    );
    const found = (await axeViolations(page)).map((finding) => `${finding.id}:${finding.impact}`);
    expect(found).toEqual(expect.arrayContaining(["color-contrast:serious", "label:critical"]));
    await context.close();
  });

  it("signs in and moves through the menu with the keyboard alone", async () => {
    const context = await browser.newContext({
      viewport: PHONE,
      locale: "id-ID",
      timezoneId: "Asia/Jakarta",
    });
    const page = await context.newPage();
    page.setDefaultTimeout(UI_TIMEOUT_MS);
    await page.goto(`${server.base}/`);
    // Tab from the top of the page until the token field has the focus, then type and press Enter.
    const focusedLabel = () =>
      page.evaluate(() => {
        const element = document.activeElement as HTMLElement | null;
        return element === null
          ? ""
          : `${element.tagName}:${element.id || element.textContent?.trim() || ""}`;
      });
    for (let step = 0; step < 10 && (await focusedLabel()) !== "INPUT:token"; step++)
      await page.keyboard.press("Tab");
    expect(await focusedLabel()).toBe("INPUT:token");
    await page.keyboard.type(tokens.treasurer as string);
    // Enter submits through the form's default button, which is enabled once the typed token has rendered.
    await page.waitForFunction(
      () => document.querySelector<HTMLButtonElement>("form button[type=submit]")?.disabled === false,
    );
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { name: "KKMP Akses", level: 1 }).waitFor();

    // The menu is reached by Tab and followed with Enter; the focus is always visible.
    for (let step = 0; step < 10 && (await focusedLabel()) !== "A:Laporan"; step++)
      await page.keyboard.press("Tab");
    expect(await focusedLabel()).toBe("A:Laporan");
    const outline = await page.evaluate(
      () => getComputedStyle(document.activeElement as Element).outlineStyle,
    );
    expect(outline).not.toBe("none");
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { name: "Laporan", level: 1 }).waitFor();
    expect(page.url()).toContain("#/reports");
    await context.close();
  });
});
