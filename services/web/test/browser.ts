/**
 * Debian's chromium driven by playwright-core: never a browser downloaded by a tool. The flags keep
 * chromium from reaching out to the network at start (this machine has none) and from needing a GPU.
 */
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** `extraArgs` add to the flags above, e.g. a fake camera that shows a video file. */
export const launchChromium = (extraArgs: readonly string[] = []): Promise<Browser> =>
  chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS, ...extraArgs], headless: true });

/** Phone and desktop widths the application is checked at (a cheap Android phone is 360 px wide). */
export const PHONE = { width: 360, height: 780 } as const;
export const DESKTOP = { width: 1280, height: 900 } as const;

/**
 * A page of its own (a new context, at phone width, in Indonesian and WIB) signed in with `token` through
 * the sign-in form at `base`, opened at `route` once the signed-in page shows its heading. Its context is
 * added to `contexts`, which the test closes.
 */
export const signedInPage = async (
  browser: Browser,
  base: string,
  token: string,
  options: { readonly route: string; readonly contexts: BrowserContext[]; readonly timeoutMs: number },
): Promise<Page> => {
  const context = await browser.newContext({ viewport: PHONE, locale: "id-ID", timezoneId: "Asia/Jakarta" });
  options.contexts.push(context);
  const page = await context.newPage();
  page.setDefaultTimeout(options.timeoutMs);
  await page.goto(`${base}/#${options.route}`);
  await page.getByLabel("Token").fill(token);
  await page.getByRole("button", { name: "Masuk" }).click();
  await page.locator("main h1").first().waitFor();
  return page;
};
