/**
 * docs/reliability.md section 6, fault #16: an I/O error on the store's sync. `bukubesar serve` runs on a
 * SQLite file under libfiu's POSIX preload (`fiu-run -x`, Debian's fiu-utils); `fiu-ctrl` then makes every
 * fsync and fdatasync of the process fail with EIO. The write in flight answers 503, the service says it
 * is not ready, and the connection that saw the error acknowledges nothing more (a later sync on it may
 * report success over data the kernel dropped). Reads go on. Once the fault clears, the store's next
 * recovery try opens a fresh connection, finds every acknowledged head and a write that syncs, and the
 * service takes writes again without a restart: every acknowledged entry is there, the chain verifies,
 * and the refused requests retried with their keys are recorded once each.
 * ENOSPC on its fsync is an I/O error like EIO (SQLite cannot tell what the failed sync left behind): the
 * same halt and the same recovery. ENOSPC on its writes instead (a full disk writes nothing) is 503 while
 * it lasts and no more.
 */
import { execFileSync } from "node:child_process";
import { existsSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
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

/** The memos of the cooperative's posted entries, in stream order. */
const postedMemos = async (url: string, path: string): Promise<string[]> => {
  const events = await call(url, "GET", `${path}/events?limit=1000`);
  return events.body.events
    .filter((event: { type: string }) => event.type === "JournalEntryPosted")
    .map((event: { data: { memo: string } }) => event.data.memo);
};

/**
 * Asks /ready every half second until it answers 200, at most `withinMs`; the time it took. The store's
 * recovery tries come after 1, 2, 4, 8… seconds (sqliteRecovery.ts), so a fault cleared a few seconds in
 * is seen by the next try within about ten seconds.
 */
const readyAgain = async (url: string, withinMs: number): Promise<number> => {
  const started = Date.now();
  while (Date.now() - started < withinMs) {
    if ((await call(url, "GET", "/ready")).status === 200) return Date.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`/ready still not 200 after ${withinMs} ms`);
};

/** Long enough for the first recovery tries (after 1 s and 3 s) to run, and fail, while the fault is on. */
const FAULT_HELD_MS = 4_000;
const RECOVERY_WITHIN_MS = 45_000;

/**
 * The sync fault of `errno` on, the write in flight refused, the tries made while it lasts refused too,
 * the fault off, and the service taking writes again by itself; every acknowledged entry is there and each
 * refused request retried with its key is recorded once.
 */
const syncFaultClears = async (name: string, errno: number) => {
  const { directory, storeUrl, url, command, path } = await servedCooperative(name);
  const acknowledged: string[] = [];
  for (let index = 0; index < 5; index += 1) {
    const key = `sebelum-${index}`;
    const posted = await call(url, "POST", `${path}/journal-entries`, entry(key), key);
    expect(posted.status, JSON.stringify(posted.body)).toBe(201);
    acknowledged.push(key);
  }
  expect((await call(url, "GET", "/ready")).status).toBe(200);

  fiuControl(
    command.pid,
    SYNC_POINTS.map((point) => `enable name=${point},failinfo=${errno}`),
  );
  const failed = await call(url, "POST", `${path}/journal-entries`, entry("saat-rusak"), "saat-rusak");
  expect([failed.status, failed.body.code], JSON.stringify(failed.body)).toEqual([503, "store_unavailable"]);
  const ready = await call(url, "GET", "/ready");
  expect([ready.status, ready.body.code], JSON.stringify(ready.body)).toEqual([503, "not_ready"]);
  expect(ready.body.detail).toContain("I/O error");
  // While the fault lasts every recovery try fails at its probe: still no write, still not ready.
  await new Promise((resolve) => setTimeout(resolve, FAULT_HELD_MS));
  const during = await call(url, "POST", `${path}/journal-entries`, entry("selama-rusak"), "selama-rusak");
  expect([during.status, during.body.code], JSON.stringify(during.body)).toEqual([503, "store_unavailable"]);
  expect((await call(url, "GET", "/ready")).status).toBe(503);
  // Reads go on.
  expect((await call(url, "GET", `${path}/trial-balance`)).status).toBe(200);

  fiuControl(
    command.pid,
    SYNC_POINTS.map((point) => `disable name=${point}`),
  );
  const tookMs = await readyAgain(url, RECOVERY_WITHIN_MS);
  console.log(`fault #16 (errno ${errno}): ready again ${tookMs} ms after the fault cleared, no restart`);
  const firstAnswers = new Map<string, string>();
  for (const key of ["saat-rusak", "selama-rusak", "setelah-pulih"]) {
    const posted = await call(url, "POST", `${path}/journal-entries`, entry(key), key);
    expect(posted.status, JSON.stringify(posted.body)).toBe(201);
    firstAnswers.set(key, posted.body.entryId);
  }
  const replayed = await call(url, "POST", `${path}/journal-entries`, entry("saat-rusak"), "saat-rusak");
  expect([replayed.status, replayed.body.entryId]).toEqual([201, firstAnswers.get("saat-rusak")]);
  expect(await postedMemos(url, path)).toEqual([
    ...acknowledged,
    "saat-rusak",
    "selama-rusak",
    "setelah-pulih",
  ]);
  const verified = await call(url, "GET", `${path}/verify`);
  expect(verified.body.ok, JSON.stringify(verified.body)).toBe(true);
  expect(await command.stop("SIGTERM")).toBe(0);
  const offline = await runBukubesar(["verify"], { cwd: directory, env: { STORE_URL: storeUrl } });
  expect(offline.code, offline.stdout + offline.stderr).toBe(0);
};

describe.skipIf(!hasFiu)("fault #16: EIO on the store's fsync", () => {
  it(
    "halts the broken connection while the fault lasts, then writes again without a restart, nothing acknowledged lost, each retry recorded once",
    () => syncFaultClears("KKMP Rusak Disk", EIO),
    CASE_TIMEOUT_MS,
  );
  it(
    "ENOSPC on the store's fsync: halted and not ready while it lasts, then writes again without a restart, nothing acknowledged lost",
    () => syncFaultClears("KKMP Fsync Penuh", ENOSPC),
    CASE_TIMEOUT_MS,
  );
  it(
    "stays halted and raises an alert when the file lacks an acknowledged entry once the fault clears",
    async () => {
      const { directory, storeUrl, url, command, path } = await servedCooperative("KKMP Disk Hilang");
      const dbPath = join(directory, "bukubesar.db");
      const older = join(directory, "older.db");
      expect((await call(url, "POST", `${path}/journal-entries`, entry("tetap"), "tetap")).status).toBe(201);
      // A copy of the file that lacks the next two acknowledged entries: what a disk that dropped them
      // would give back.
      const reader = new Database(dbPath, { readonly: true });
      await reader.backup(older);
      reader.close();
      for (const key of ["hilang-1", "hilang-2"])
        expect((await call(url, "POST", `${path}/journal-entries`, entry(key), key)).status).toBe(201);

      fiuControl(
        command.pid,
        SYNC_POINTS.map((point) => `enable name=${point},failinfo=${EIO}`),
      );
      expect((await call(url, "POST", `${path}/journal-entries`, entry("rusak"), "rusak")).status).toBe(503);
      renameSync(older, dbPath);
      for (const suffix of ["-wal", "-shm"]) rmSync(`${dbPath}${suffix}`, { force: true });
      fiuControl(
        command.pid,
        SYNC_POINTS.map((point) => `disable name=${point}`),
      );

      const started = Date.now();
      let detail = "";
      while (!detail.includes("missing") && Date.now() - started < RECOVERY_WITHIN_MS) {
        await new Promise((resolve) => setTimeout(resolve, 500));
        const ready = await call(url, "GET", "/ready");
        expect(ready.status).toBe(503);
        detail = String(ready.body.detail);
      }
      expect(detail).toContain(`acknowledged events are missing`);
      expect(detail).toContain(`ledger-${COOP}`);
      await new Promise((resolve) => setTimeout(resolve, FAULT_HELD_MS));
      const refused = await call(url, "POST", `${path}/journal-entries`, entry("lagi"), "lagi");
      expect([refused.status, refused.body.code]).toEqual([503, "store_unavailable"]);
      await command.stop("SIGKILL");

      const restarted = await serve(directory, storeUrl, false);
      const alerts = await call(restarted.url, "GET", "/v1/alerts?region=35.74&limit=100");
      expect(alerts.status, JSON.stringify(alerts.body)).toBe(200);
      const loss = alerts.body.alerts.filter(
        (alert: { rule: string }) => alert.rule === "store_acknowledged_loss",
      );
      expect(
        loss.map((alert: { coopId: string; severity: string }) => [alert.coopId, alert.severity]),
      ).toEqual([[COOP, "high"]]);
      expect(await postedMemos(restarted.url, path)).toEqual(["tetap"]);
      expect(await restarted.command.stop("SIGTERM")).toBe(0);
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
