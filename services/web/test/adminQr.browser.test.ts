/**
 * The admin's screens in a real browser against a real `bukubesar serve`: registering a cooperative,
 * changing its settings, issuing a token shown once as text and as a QR code (the code is read back from
 * the rendered image by the test's own decoder), revoking a principal; then the new user signs in by
 * showing that QR code to the camera (chromium's fake camera playing a video made of the code's pixels).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { default as decodeQR } from "qr/decode.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DESKTOP, launchChromium, PHONE } from "./browser.js";
import { ADMIN_TOKEN, startTestServer, type TestServer } from "./server.js";

const COOP = "kkmp-baru";
const UI_TIMEOUT_MS = 20_000;
/** A test of several page loads, a QR decode in Node or a second browser: slow on a loaded machine. */
const TEST_TIMEOUT_MS = 180_000;
/** The fake camera's picture: the QR code's screenshot centred on white, in even dimensions (YUV 4:2:0). */
const FRAME_SIDE_PX = 400;
/** Y4M chroma planes of a grey picture: no colour. */
const NEUTRAL_CHROMA = 128;

interface Pixels {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
}

/** The RGBA pixels of a PNG, read by the browser's own image decoder. */
const pngPixels = async (page: Page, png: Buffer): Promise<Pixels> => {
  const read = await page.evaluate(async (base64) => {
    const image = new Image();
    image.src = `data:image/png;base64,${base64}`;
    await image.decode();
    const canvas = document.createElement("canvas");
    canvas.width = image.width;
    canvas.height = image.height;
    const context = canvas.getContext("2d") as CanvasRenderingContext2D;
    context.drawImage(image, 0, 0);
    const frame = context.getImageData(0, 0, image.width, image.height);
    return { width: frame.width, height: frame.height, data: Array.from(frame.data) };
  }, png.toString("base64"));
  return { ...read, data: Uint8Array.from(read.data) };
};

/** A one-frame YUV4MPEG2 video of the picture centred on white, for --use-file-for-fake-video-capture. */
const y4mOf = (picture: Pixels): Buffer => {
  const luma = Buffer.alloc(FRAME_SIDE_PX * FRAME_SIDE_PX, 255);
  const left = Math.floor((FRAME_SIDE_PX - picture.width) / 2);
  const top = Math.floor((FRAME_SIDE_PX - picture.height) / 2);
  for (let y = 0; y < picture.height; y++)
    for (let x = 0; x < picture.width; x++) {
      const at = (y * picture.width + x) * 4;
      const grey =
        0.299 * (picture.data[at] ?? 0) +
        0.587 * (picture.data[at + 1] ?? 0) +
        0.114 * (picture.data[at + 2] ?? 0);
      luma[(top + y) * FRAME_SIDE_PX + left + x] = Math.round(grey);
    }
  const chroma = Buffer.alloc((FRAME_SIDE_PX / 2) * (FRAME_SIDE_PX / 2) * 2, NEUTRAL_CHROMA);
  const header = `YUV4MPEG2 W${FRAME_SIDE_PX} H${FRAME_SIDE_PX} F10:1 Ip A1:1 C420jpeg\nFRAME\n`;
  return Buffer.concat([Buffer.from(header, "ascii"), luma, chroma]);
};

describe("the admin's screens and QR-code sign-in", () => {
  let server: TestServer;
  let browser: Browser;
  let cameraBrowser: Browser | null = null;
  let admin: Page;
  const directory = mkdtempSync(join(tmpdir(), "bukubesar-qr-"));
  let issuedToken = "";
  let qrPixels: Pixels | null = null;

  beforeAll(async () => {
    server = await startTestServer();
    browser = await launchChromium();
    // Without the service worker: the settings test holds back one API answer with page.route, which does
    // not see requests the worker makes (the worker's offline reads are tested in app.browser.test.ts).
    const context = await browser.newContext({
      viewport: DESKTOP,
      locale: "id-ID",
      timezoneId: "Asia/Jakarta",
      serviceWorkers: "block",
    });
    admin = await context.newPage();
    admin.setDefaultTimeout(UI_TIMEOUT_MS);
    await admin.goto(`${server.base}/`);
    await admin.getByLabel("Token").fill(ADMIN_TOKEN);
    await admin.getByRole("button", { name: "Masuk" }).click();
    await admin.locator("main h1").first().waitFor();
  });
  afterAll(async () => {
    await cameraBrowser?.close();
    await browser?.close();
    await server?.dispose();
    rmSync(directory, { recursive: true, force: true });
  }, TEST_TIMEOUT_MS);

  it(
    "registers a cooperative and changes its settings",
    async () => {
      await admin.getByLabel("Kode koperasi").fill(COOP);
      await admin.getByLabel("Nama", { exact: true }).fill("KKMP Baru");
      await admin.getByLabel("Kode wilayah (Kemendagri)").fill("35.74.03.1003");
      await admin.getByRole("button", { name: "Daftarkan koperasi" }).click();
      const row = admin.locator(`tr[data-coop=${COOP}]`);
      await row.waitFor();
      expect(await row.textContent()).toContain("Rp0");
      const stored = await server.call("GET", `/v1/cooperatives/${COOP}`);
      expect([stored.status, stored.body.regionCode, stored.body.accounts.length > 100]).toEqual([
        200,
        "35.74.03.1003",
        true,
      ]);

      // The key figures come from the region summary: cash and the last posting, once there is one.
      const treasurer = await server.call("POST", "/v1/tokens", {
        role: "treasurer",
        scope: COOP,
        name: "b",
      });
      const posted = await server.call(
        "POST",
        `/v1/cooperatives/${COOP}/journal-entries`,
        {
          date: new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Jakarta" }).format(new Date()),
          memo: "Simpanan pokok",
          lines: [
            { account: "1101", debit: "1500000" },
            { account: "3300", credit: "1500000" },
          ],
        },
        treasurer.body.token,
        { "idempotency-key": "admin-figures-1" },
      );
      expect(posted.status).toBe(201);
      await server.call("DELETE", `/v1/tokens/${treasurer.body.principalId}`);
      await admin.reload();
      await row.locator("td.amount", { hasText: "Rp1.500.000" }).waitFor();
      expect(await row.locator("td").nth(1).textContent()).toBe("Rp1.500.000,00");
      expect(await row.locator("td").nth(2).textContent()).toMatch(/\d{4} \d{2}\.\d{2} WIB$/);
      // Recorded just now: 0 days on the cooperative's calendar at any hour (it read 1 from 17:00 UTC while the
      // recording instant's UTC date was compared with today in WIB).
      expect(await row.locator("td").nth(3).textContent()).toBe("0");

      await row.getByRole("link", { name: "Pengaturan" }).click();
      const threshold = admin.getByLabel("Batas persetujuan (Rp)");
      await threshold.fill("25.000.000");
      await admin.getByLabel("Nomor badan hukum").fill("AHU-0001234.AH.01.29.TAHUN 2026");
      // The page reloads the cooperative after a save; its answer is held back here until the next change is
      // typed, as a slow network or a loaded server does. It used to fill the fields again and overwrite what
      // was typed meanwhile (so the invalid amount below was never seen).
      const coopPath = `/v1/cooperatives/${COOP}`;
      let releaseReload = () => {};
      const reloadHeld = new Promise<void>((resolve) => {
        releaseReload = resolve;
      });
      const isCoopUrl = (url: URL) => url.pathname === coopPath;
      await admin.route(isCoopUrl, async (route) => {
        if (route.request().method() === "GET") await reloadHeld;
        await route.continue();
      });
      const reloaded = admin.waitForResponse(
        (response) => new URL(response.url()).pathname === coopPath && response.request().method() === "GET",
      );
      await admin.getByRole("button", { name: "Simpan pengaturan" }).click();
      await admin.getByText("Pengaturan tersimpan.").waitFor();
      const settings = (await server.call("GET", `/v1/cooperatives/${COOP}`)).body.settings;
      expect(settings).toMatchObject({
        approvalThreshold: "25000000.00",
        legalEntityNumber: "AHU-0001234.AH.01.29.TAHUN 2026",
      });

      await threshold.fill("25.000.000,5x");
      releaseReload();
      await reloaded;
      await admin.unroute(isCoopUrl);
      expect(await threshold.inputValue()).toBe("25.000.000,5x");
      await admin.getByRole("button", { name: "Simpan pengaturan" }).click();
      await admin.getByText("Jumlah tidak sah.", { exact: false }).first().waitFor();
      expect((await server.call("GET", `/v1/cooperatives/${COOP}`)).body.settings.approvalThreshold).toBe(
        "25000000.00",
      );
    },
    TEST_TIMEOUT_MS,
  );

  it(
    "issues a token shown once as text and as a QR code that reads back as the same token",
    async () => {
      await admin.goto(`${server.base}/#/tokens`);
      await admin.getByLabel("Cakupan").fill(COOP);
      await admin.getByLabel("Nama", { exact: true }).fill("Bendahara Baru");
      await admin.getByRole("button", { name: "Buat token" }).click();
      const issued = admin.getByTestId("issued-token");
      const code = issued.getByRole("img", { name: /Kode QR token/ });
      await code.waitFor();
      issuedToken = await issued.getByLabel("Token", { exact: true }).inputValue();
      expect(issuedToken).toMatch(/^bb_/);

      qrPixels = await pngPixels(admin, await code.screenshot());
      expect(decodeQR(qrPixels)).toBe(issuedToken);
      const listed = (await server.call("GET", "/v1/tokens")).body.principals;
      expect(listed.map((principal: { name: string }) => principal.name)).toContain("Bendahara Baru");

      await issued.getByRole("button", { name: "Selesai" }).click();
      await issued.waitFor({ state: "detached" });
      expect(await admin.locator("main").textContent()).not.toContain(issuedToken);
      await admin.locator("tr", { hasText: "Bendahara Baru" }).waitFor();
    },
    TEST_TIMEOUT_MS,
  );

  it(
    "revokes a principal after asking to confirm, and its token stops working",
    async () => {
      const old = await server.call("POST", "/v1/tokens", {
        role: "auditor",
        scope: "35",
        name: "Auditor Lama",
      });
      await admin.goto(`${server.base}/#/`);
      await admin.goto(`${server.base}/#/tokens`);
      const row = admin.locator("tr", { hasText: "Auditor Lama" });
      await row.getByRole("button", { name: "Cabut: Auditor Lama" }).click();
      await row.getByRole("button", { name: "Ya, cabut token" }).click();
      await row.waitFor({ state: "detached" });
      const listed = (await server.call("GET", "/v1/tokens")).body.principals;
      expect(listed.map((principal: { principalId: string }) => principal.principalId)).not.toContain(
        old.body.principalId,
      );
      expect((await server.call("GET", "/v1/cooperatives", undefined, old.body.token)).status).toBe(401);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    "signs the new treasurer in from the QR code shown to the camera",
    async () => {
      expect(qrPixels).not.toBeNull();
      const video = join(directory, "qr.y4m");
      writeFileSync(video, y4mOf(qrPixels as Pixels));
      cameraBrowser = await launchChromium([
        "--use-fake-device-for-media-stream",
        "--use-fake-ui-for-media-stream",
        `--use-file-for-fake-video-capture=${video}`,
      ]);
      const context = await cameraBrowser.newContext({
        viewport: PHONE,
        locale: "id-ID",
        timezoneId: "Asia/Jakarta",
        permissions: ["camera"],
      });
      // The library decoder is the one a phone without BarcodeDetector uses: take the native one away.
      await context.addInitScript(() => {
        Reflect.deleteProperty(globalThis, "BarcodeDetector");
      });
      const page = await context.newPage();
      page.setDefaultTimeout(UI_TIMEOUT_MS);
      await page.goto(`${server.base}/`);
      // The decoder is a chunk of its own, fetched only when the camera opens without a native detector.
      const decoderLoaded = page.waitForRequest((request) =>
        /\/assets\/decode-[^/]+\.js$/.test(request.url()),
      );
      await page.getByRole("button", { name: "Pindai kode QR" }).click();
      await decoderLoaded;
      await page.getByRole("heading", { name: "KKMP Baru", level: 1 }).waitFor();
      const session = await page.evaluate(async () => (await fetch("/v1/session")).json());
      expect(session).toMatchObject({ role: "treasurer", scope: COOP, name: "Bendahara Baru" });
    },
    TEST_TIMEOUT_MS,
  );

  it(
    "uses the browser's own BarcodeDetector where it reads QR codes, without loading the decoder",
    async () => {
      // Debian's chromium has no BarcodeDetector; a phone's Chrome has. This one stands in for it: it reads
      // the token from a running camera picture, and notes which sources it was handed.
      expect(cameraBrowser).not.toBeNull();
      const context = await (cameraBrowser as Browser).newContext({
        viewport: PHONE,
        permissions: ["camera"],
      });
      await context.addInitScript((token: string) => {
        const handed: string[] = [];
        Object.assign(globalThis, {
          handedToDetector: handed,
          BarcodeDetector: class {
            static async getSupportedFormats(): Promise<string[]> {
              return ["qr_code", "ean_13"];
            }
            async detect(source: HTMLVideoElement): Promise<{ rawValue: string }[]> {
              handed.push(`${source.tagName}:${source.videoWidth > 0}`);
              return source.videoWidth > 0 ? [{ rawValue: token }] : [];
            }
          },
        });
      }, issuedToken);
      const page = await context.newPage();
      page.setDefaultTimeout(UI_TIMEOUT_MS);
      const decoderRequests: string[] = [];
      page.on("request", (request) => {
        if (/\/assets\/decode-/.test(request.url())) decoderRequests.push(request.url());
      });
      await page.goto(`${server.base}/`);
      await page.getByRole("button", { name: "Pindai kode QR" }).click();
      await page.getByRole("heading", { name: "KKMP Baru", level: 1 }).waitFor();
      const handed = await page.evaluate(
        () => (globalThis as unknown as { handedToDetector: string[] }).handedToDetector,
      );
      expect(handed).toContain("VIDEO:true");
      expect(decoderRequests).toEqual([]);
      await context.close();
    },
    TEST_TIMEOUT_MS,
  );
});
