/**
 * docs/reliability.md section 6, fault #16: an I/O error on the store's sync. `bukubesar serve` runs on a
 * SQLite file under libfiu's POSIX preload (`fiu-run -x`, Debian's fiu-utils); `fiu-ctrl` then makes every
 * fsync and fdatasync of the process fail with EIO. The write in flight answers 503, the service says it
 * is not ready, and it acknowledges no write after that, not even once the fault has cleared (a later sync
 * may report success over data the kernel dropped). Reads go on. After a restart every acknowledged entry
 * is there, the chain verifies, and the refused requests retried with their keys are recorded once each.
 * ENOSPC on its writes instead (a full disk writes nothing) is 503 while it lasts and no more.
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  apiCaller,
  depositEntry,
  type RunningCommand,
  runBukubesar,
  startServe,
  temporaryDirectory,
} from "./fixtures.js";

const ADMIN = "io-error-admin-token-0123456789abcdef";
const COOP = "kkmp-rusak-disk";
const EIO = 5;
const ENOSPC = 28;
const SYNC_POINTS = ["posix/io/sync/fsync", "posix/io/sync/fdatasync"];
const hasFiu = existsSync("/usr/bin/fiu-run") && existsSync("/usr/bin/fiu-ctrl");
const CASE_TIMEOUT_MS = 180_000;

const running: RunningCommand[] = [];
afterEach(async () => {
  for (const command of running.splice(0)) await command.stop("SIGKILL");
});

const serve = async (directory: string, storeUrl: string, underFiu: boolean) => {
  const started = await startServe({
    cwd: directory,
    storeUrl,
    adminToken: ADMIN,
    ...(underFiu ? { wrapper: ["fiu-run", "-x"] } : {}),
  });
  running.push(started.command);
  return started;
};

const call = apiCaller(ADMIN);

const entry = (memo: string) => depositEntry(memo);

/** Runs fiu-ctrl commands on the process: `enable name=…,failinfo=…` or `disable name=…`. */
const fiuControl = (pid: number, commands: readonly string[]) =>
  execFileSync("fiu-ctrl", [...commands.flatMap((command) => ["-c", command]), String(pid)]);

/** `serve` under fiu-run on a fresh SQLite store, with the test's cooperative registered in it. */
const servedCooperative = async (name: string) => {
  const directory = temporaryDirectory();
  const storeUrl = `sqlite:${join(directory, "bukubesar.db")}`;
  const { url, command } = await serve(directory, storeUrl, true);
  const created = await call(url, "POST", "/v1/cooperatives", {
    id: COOP,
    name,
    regionCode: "35.74.03.1002",
    chart: "kkmp",
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return { directory, storeUrl, url, command, path: `/v1/cooperatives/${COOP}` };
};

describe.skipIf(!hasFiu)("fault #16: EIO on the store's fsync", () => {
  it(
    "fail-stops writes, reports not ready, loses nothing acknowledged and records the retries once after a restart",
    async () => {
      const { directory, storeUrl, url, command, path } = await servedCooperative("KKMP Rusak Disk");
      const acknowledged: string[] = [];
      for (let index = 0; index < 5; index += 1) {
        const posted = await call(
          url,
          "POST",
          `${path}/journal-entries`,
          entry(`sebelum-${index}`),
          `sebelum-${index}`,
        );
        expect(posted.status, JSON.stringify(posted.body)).toBe(201);
        acknowledged.push(`sebelum-${index}`);
      }
      expect((await call(url, "GET", "/ready")).status).toBe(200);

      fiuControl(
        command.pid,
        SYNC_POINTS.map((name) => `enable name=${name},failinfo=${EIO}`),
      );
      const failed = await call(url, "POST", `${path}/journal-entries`, entry("saat-rusak"), "saat-rusak");
      expect([failed.status, failed.body.code], JSON.stringify(failed.body)).toEqual([
        503,
        "store_unavailable",
      ]);
      const ready = await call(url, "GET", "/ready");
      expect([ready.status, ready.body.code], JSON.stringify(ready.body)).toEqual([503, "not_ready"]);
      expect(ready.body.detail).toContain("I/O error");

      // The disk answers again, but what the failed sync left behind is unknown: still no write.
      fiuControl(
        command.pid,
        SYNC_POINTS.map((name) => `disable name=${name}`),
      );
      const after = await call(
        url,
        "POST",
        `${path}/journal-entries`,
        entry("setelah-rusak"),
        "setelah-rusak",
      );
      expect([after.status, after.body.code], JSON.stringify(after.body)).toEqual([503, "store_unavailable"]);
      expect((await call(url, "GET", "/ready")).status).toBe(503);
      // Reads go on.
      const read = await call(url, "GET", `${path}/trial-balance`);
      expect(read.status).toBe(200);

      await command.stop("SIGKILL");
      const restarted = await serve(directory, storeUrl, false);
      expect((await call(restarted.url, "GET", "/ready")).status).toBe(200);
      for (const key of ["saat-rusak", "setelah-rusak"]) {
        const retried = await call(restarted.url, "POST", `${path}/journal-entries`, entry(key), key);
        expect(retried.status, JSON.stringify(retried.body)).toBe(201);
      }
      const events = await call(restarted.url, "GET", `${path}/events?limit=1000`);
      const memos = events.body.events
        .filter((event: { type: string }) => event.type === "JournalEntryPosted")
        .map((event: { data: { memo: string } }) => event.data.memo);
      expect(memos).toEqual([...acknowledged, "saat-rusak", "setelah-rusak"]);
      const verified = await call(restarted.url, "GET", `${path}/verify`);
      expect(verified.body.ok, JSON.stringify(verified.body)).toBe(true);
      expect(await restarted.command.stop("SIGTERM")).toBe(0);
      const offline = await runBukubesar(["verify"], { cwd: directory, env: { STORE_URL: storeUrl } });
      expect(offline.code, offline.stdout + offline.stderr).toBe(0);
    },
    CASE_TIMEOUT_MS,
  );
  it(
    "ENOSPC on the store's writes: 503 while it lasts, ready all along, and writes again once it clears",
    async () => {
      const { url, command, path } = await servedCooperative("KKMP Disk Penuh");
      expect((await call(url, "POST", `${path}/journal-entries`, entry("sebelum"), "sebelum")).status).toBe(
        201,
      );

      // A full disk writes nothing: unlike an I/O error it leaves nothing unknown behind.
      fiuControl(command.pid, [`enable name=posix/io/rw/pwrite,failinfo=${ENOSPC}`]);
      const full = await call(url, "POST", `${path}/journal-entries`, entry("penuh"), "penuh");
      expect([full.status, full.body.code], JSON.stringify(full.body)).toEqual([503, "store_unavailable"]);
      fiuControl(command.pid, ["disable name=posix/io/rw/pwrite"]);
      expect((await call(url, "GET", "/ready")).status).toBe(200);
      const retried = await call(url, "POST", `${path}/journal-entries`, entry("penuh"), "penuh");
      expect(retried.status, JSON.stringify(retried.body)).toBe(201);
      const events = await call(url, "GET", `${path}/events?limit=1000`);
      expect(
        events.body.events
          .filter((event: { type: string }) => event.type === "JournalEntryPosted")
          .map((event: { data: { memo: string } }) => event.data.memo),
      ).toEqual(["sebelum", "penuh"]);
      expect(await command.stop("SIGTERM")).toBe(0);
    },
    CASE_TIMEOUT_MS,
  );
});
