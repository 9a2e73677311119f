/**
 * The /docs page of `bukubesar serve --demo` in a browser: it is titled bukubesar, and "Try it out" works
 * against the demo as it comes, with one of the demo tokens the server printed: a GET (the trial balance)
 * and a POST (a journal entry, from the document's own examples) both answer 2xx.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DESKTOP, launchChromium } from "./browser.js";
import { startTestServer, type TestServer } from "./server.js";

const UI_TIMEOUT_MS = 30_000;
/** The demo prints its tokens after it has seeded a year of entries; that takes a while on a loaded machine. */
const DEMO_TOKENS_TIMEOUT_MS = 120_000;
const TOKEN_POLL_MS = 200;
/** Two operations through Swagger UI's own page: slow on a loaded machine. */
const TRY_IT_OUT_TIMEOUT_MS = 180_000;

describe("the /docs page against the demo", () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  let treasurerToken = "";

  beforeAll(async () => {
    server = await startTestServer({ demo: true });
    const deadline = Date.now() + DEMO_TOKENS_TIMEOUT_MS;
    for (;;) {
      const printed = /^\s*treasurer\s+(bb_\S+)/m.exec(server.output());
      if (printed?.[1] !== undefined) {
        treasurerToken = printed[1];
        break;
      }
      if (Date.now() > deadline) throw new Error(`no demo tokens printed:\n${server.output()}`);
      await new Promise((resolve) => setTimeout(resolve, TOKEN_POLL_MS));
    }
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: DESKTOP });
    page = await context.newPage();
    page.setDefaultTimeout(UI_TIMEOUT_MS);
  }, DEMO_TOKENS_TIMEOUT_MS + 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
  });

  /** Expands the operation, presses Try it out, then Execute, and returns the status it shows. */
  const tryItOut = async (method: "get" | "post", path: string): Promise<number> => {
    const operation = page.locator(`.opblock-${method}`, {
      has: page.locator(`.opblock-summary-path[data-path="${path}"]`),
    });
    await operation.locator(".opblock-summary").first().click();
    await operation.getByRole("button", { name: "Try it out" }).click();
    await operation.getByRole("button", { name: "Execute" }).click();
    // The live response's row (the table's header row has the same class and says "Code").
    const status = operation.locator(".live-responses-table tbody .response-col_status").first();
    await status.waitFor();
    return Number(/\d{3}/.exec((await status.textContent()) ?? "")?.[0]);
  };

  it(
    "is titled bukubesar and runs a GET and a POST with a demo token, each answering 2xx",
    async () => {
      await page.goto(`${server.base}/docs`, { waitUntil: "domcontentloaded" });
      await page.locator(".opblock-summary-path").first().waitFor();
      expect(await page.title()).toBe("bukubesar");

      await page.locator(".auth-wrapper .authorize").click();
      const dialog = page.locator(".modal-ux");
      await dialog.locator(".auth-container", { hasText: "bearer" }).locator("input").fill(treasurerToken);
      await dialog.locator(".auth-container", { hasText: "bearer" }).locator("button.authorize").click();
      await dialog.locator("button.btn-done").first().click();

      const read = await tryItOut("get", "/v1/cooperatives/{coopId}/trial-balance");
      expect(read).toBe(200);
      const write = await tryItOut("post", "/v1/cooperatives/{coopId}/journal-entries");
      expect([201, 202]).toContain(write);

      // The POST recorded the document's example entry in the demo cooperative.
      const entries = await server.call(
        "GET",
        "/v1/cooperatives/kkmp-mangunharjo/journal-entries?limit=1000&account=3200",
        undefined,
        treasurerToken,
      );
      expect(
        entries.body.entries.some((entry: { memo: string }) => entry.memo === "Setoran simpanan wajib"),
      ).toBe(true);
    },
    TRY_IT_OUT_TIMEOUT_MS,
  );
});
