/**
 * Writes docs/screenshots/<role>-<phone|desktop>.png: each role's main page of a running demo
 * (`./scripts/start --demo`), at phone and desktop width. Usage:
 *   tsx services/web/scripts/screenshots.mts http://127.0.0.1:8080 treasurer=bb_… approver=bb_… …
 * ROUTE=/tokens takes another page of each role instead of its home; with ISSUE="role:scope:name" the
 * admin's token page first issues a token, so the picture shows it as text and QR code.
 */
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { DESKTOP, launchChromium, PHONE } from "../test/browser.js";

const [base = "http://127.0.0.1:8080", ...pairs] = process.argv.slice(2);
const tokens = Object.fromEntries(pairs.map((pair) => pair.split("=") as [string, string]));
const directory = fileURLToPath(new URL("../../../docs/screenshots/", import.meta.url));
mkdirSync(directory, { recursive: true });

/** A page is ready when its loading line is gone and its first heading is shown. */
const READY_TIMEOUT_MS = 30_000;
const route = process.env.ROUTE ?? "/";
/** A pause between two checks that nothing is loading. */
const SETTLE_MS = 1_000;

const browser = await launchChromium();
try {
  for (const [role, token] of Object.entries(tokens)) {
    for (const [label, viewport] of [
      ["phone", PHONE],
      ["desktop", DESKTOP],
    ] as const) {
      const context = await browser.newContext({ viewport, locale: "id-ID", timezoneId: "Asia/Jakarta" });
      const page = await context.newPage();
      await page.goto(`${base}/#${route}`);
      await page.getByLabel("Token").fill(token);
      await page.getByRole("button", { name: "Masuk" }).click();
      await page.locator("main h1").first().waitFor({ timeout: READY_TIMEOUT_MS });
      // A page may load in steps (a list, then each item's own check): ready when nothing is loading twice in a row.
      for (let check = 0; check < 2; check++) {
        await page.waitForFunction(() => document.querySelector("[aria-busy=true]") === null, undefined, {
          timeout: READY_TIMEOUT_MS,
        });
        await page.waitForTimeout(SETTLE_MS);
      }
      const issue = process.env.ISSUE?.split(":");
      if (issue !== undefined) {
        const [issuedRole = "treasurer", scope = "", name = ""] = issue;
        await page.getByLabel("Peran").selectOption(issuedRole);
        await page.getByLabel("Cakupan").fill(scope);
        await page.getByLabel("Nama", { exact: true }).fill(name);
        await page.getByRole("button", { name: "Buat token" }).click();
        await page.getByRole("img", { name: /Kode QR token/ }).waitFor({ timeout: READY_TIMEOUT_MS });
      }
      const suffix =
        (route === "/" ? "" : `-${route.replaceAll("/", "-").replace(/^-/, "")}`) +
        (issue === undefined ? "" : "-issued");
      const file = `${directory}${role}${suffix}-${label}.png`;
      await page.screenshot({ path: file, fullPage: false });
      process.stdout.write(`wrote ${file}\n`);
      await context.close();
    }
  }
} finally {
  await browser.close();
}
