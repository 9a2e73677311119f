/**
 * docs/reliability.md section 6, fault #27 on the real process: `bukubesar serve` runs under libfaketime
 * (Debian's faketime), whose offset file the test rewrites while it runs, so the process's wall clock jumps
 * back an hour, forward a day and back again between posts (its monotonic clock is left alone, as an NTP
 * step leaves it). `recordedAt` never goes backwards in the cooperative's stream, also across a kill -9
 * and a restart with the clock still a day behind; every valid post is 201, a keyed retry replays its
 * entry, and `bukubesar verify` passes.
 *
 * The second case runs the process's clock at a rate (faketime's `x` option): 500 ppm fast, then, after a
 * restart that sets it back to where the first run started, 500 ppm slow, under a light load of posts
 * from three clients. `recordedAt` never goes backwards; the entries fall in the periods of their dates;
 * and the out-of-hours rule judges each entry by its recordedAt in the cooperative's zone (the clock is
 * set to a Sunday afternoon in Jakarta, so every entry is "hari Minggu" on that day, at its own local time).
 */
import { existsSync, writeFileSync } from "node:fs";
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

const LIBFAKETIME = "/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1";
const ADMIN = "clock-skew-admin-token-0123456789abcdef";
const COOP = "kkmp-jam-loncat";
const DAY_MS = 24 * 60 * 60 * 1000;
const CASE_TIMEOUT_MS = 180_000;

const running: RunningCommand[] = [];
afterEach(async () => {
  for (const command of running.splice(0)) await command.stop("SIGKILL");
});

const call = apiCaller(ADMIN);

/** A Sunday, 17:00 in Asia/Jakarta (the kkmp chart's zone): where the drifting runs start their clock. */
const DRIFT_START = "2026-12-06T10:00:00.000Z";
const DRIFT_START_LOCAL_DATE = "2026-12-06";
const JAKARTA_OFFSET_MS = 7 * 60 * 60 * 1000;
const DRIFT_CLIENTS = 3;
const DRIFT_POSTS_PER_CLIENT = 12;
const ALERTS_WAIT_MS = 30_000;
const DRIFT_SPAN_MAX_MS = 10 * 60 * 1000;

/** `serve` with its wall clock starting at DRIFT_START and running at `rate` (its monotonic clock real). */
const serveDrifting = async (directory: string, storeUrl: string, rate: string) => {
  const offsetSeconds = Math.round((Date.parse(DRIFT_START) - Date.now()) / 1000);
  const started = await startServe({
    cwd: directory,
    storeUrl,
    adminToken: ADMIN,
    env: {
      LD_PRELOAD: LIBFAKETIME,
      FAKETIME: `${offsetSeconds >= 0 ? "+" : ""}${offsetSeconds} x${rate}`,
      FAKETIME_DONT_FAKE_MONOTONIC: "1",
      TZ: "UTC",
    },
  });
  running.push(started.command);
  return started;
};

/** Every alert of the region, all pages. */
const allAlerts = async (url: string) => {
  const alerts: { rule: string; entryIds: string[]; details: Record<string, unknown> }[] = [];
  let cursor: string | null = null;
  do {
    const page = await call(
      url,
      "GET",
      `/v1/alerts?region=35.74&limit=100${cursor === null ? "" : `&cursor=${cursor}`}`,
    );
    expect(page.status, JSON.stringify(page.body)).toBe(200);
    alerts.push(...page.body.alerts);
    cursor = page.body.nextCursor;
  } while (cursor !== null);
  return alerts;
};

/** The local date and HH:MM of an instant in Asia/Jakarta (UTC+7, no summer time). */
const jakartaOf = (instant: string) => {
  const local = new Date(Date.parse(instant) + JAKARTA_OFFSET_MS).toISOString();
  return { localDate: local.slice(0, 10), localTime: local.slice(11, 16) };
};

const entry = (memo: string) => depositEntry(memo);

describe.skipIf(!existsSync(LIBFAKETIME))("fault #27: the serving process's clock jumps", () => {
  it(
    "keeps recordedAt monotonic in the stream through jumps and a restart, and posts every valid entry",
    async () => {
      const directory = temporaryDirectory();
      const storeUrl = `sqlite:${join(directory, "bukubesar.db")}`;
      const offsetFile = join(directory, "faketime.rc");
      const setClock = (offset: string) => writeFileSync(offsetFile, `${offset}\n`);
      const serve = async () => {
        const started = await startServe({
          cwd: directory,
          storeUrl,
          adminToken: ADMIN,
          env: {
            LD_PRELOAD: LIBFAKETIME,
            FAKETIME_TIMESTAMP_FILE: offsetFile,
            // Read the file at every call, so a rewrite is a jump of the running process's clock.
            FAKETIME_NO_CACHE: "1",
            FAKETIME_DONT_FAKE_MONOTONIC: "1",
          },
        });
        running.push(started.command);
        return started;
      };
      setClock("+0");
      let server = await serve();
      const path = `/v1/cooperatives/${COOP}`;
      const created = await call(server.url, "POST", "/v1/cooperatives", {
        id: COOP,
        name: "KKMP Jam Loncat",
        regionCode: "35.74.03.1002",
        chart: "kkmp",
      });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      const post = async (key: string) => {
        const answer = await call(server.url, "POST", `${path}/journal-entries`, entry(key), key);
        expect(answer.status, JSON.stringify(answer.body)).toBe(201);
        return answer.body as { entryId: string; recordedAt: string };
      };

      const first = await post("sebelum");
      setClock("-1h");
      const behind = await post("mundur-1-jam");
      expect(Date.parse(behind.recordedAt)).toBeGreaterThanOrEqual(Date.parse(first.recordedAt));
      setClock("+1d");
      const ahead = await post("maju-1-hari");
      expect(Date.parse(ahead.recordedAt)).toBeGreaterThan(Date.now() + DAY_MS / 2);
      setClock("+0");
      const back = await post("kembali");
      expect(back.recordedAt).toBe(ahead.recordedAt);
      expect((await post("sebelum")).entryId).toBe(first.entryId);

      await server.command.stop("SIGKILL");
      server = await serve();
      const afterRestart = await post("setelah-restart");
      expect(Date.parse(afterRestart.recordedAt)).toBeGreaterThanOrEqual(Date.parse(ahead.recordedAt));

      const events = await call(server.url, "GET", `${path}/events?limit=1000`);
      const times: number[] = events.body.events.map((event: { recordedAt: string }) =>
        Date.parse(event.recordedAt),
      );
      times.forEach((time, index) => {
        if (index > 0) expect(time).toBeGreaterThanOrEqual(times[index - 1] as number);
      });
      expect(
        events.body.events
          .filter((event: { type: string }) => event.type === "JournalEntryPosted")
          .map((event: { data: { memo: string } }) => event.data.memo),
      ).toEqual(["sebelum", "mundur-1-jam", "maju-1-hari", "kembali", "setelah-restart"]);
      expect(await server.command.stop("SIGTERM")).toBe(0);
      const verified = await runBukubesar(["verify"], { cwd: directory, env: { STORE_URL: storeUrl } });
      expect(verified.code, verified.stdout + verified.stderr).toBe(0);
    },
    CASE_TIMEOUT_MS,
  );
  it(
    "drifts 500 ppm fast, then 500 ppm slow from behind after a restart, under light load: recordedAt monotonic, periods by date, business hours in the cooperative's zone",
    async () => {
      const directory = temporaryDirectory();
      const storeUrl = `sqlite:${join(directory, "bukubesar.db")}`;
      const path = `/v1/cooperatives/${COOP}`;
      let server = await serveDrifting(directory, storeUrl, "1.0005");
      const created = await call(server.url, "POST", "/v1/cooperatives", {
        id: COOP,
        name: "KKMP Jam Hanyut",
        regionCode: "35.74.03.1002",
        chart: "kkmp",
      });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      const dates = ["2026-11-30", "2026-12-01"];
      const load = async (phase: string) => {
        await Promise.all(
          Array.from({ length: DRIFT_CLIENTS }, async (_, client) => {
            for (let index = 0; index < DRIFT_POSTS_PER_CLIENT; index += 1) {
              const key = `${phase}-${client}-${index}`;
              const date = dates[index % dates.length] as string;
              const posted = await call(
                server.url,
                "POST",
                `${path}/journal-entries`,
                depositEntry(key, date),
                key,
              );
              expect(posted.status, JSON.stringify(posted.body)).toBe(201);
            }
          }),
        );
      };
      await load("cepat");
      await server.command.stop("SIGTERM");
      // Started again at DRIFT_START: behind every recordedAt of the first run, and now slow.
      server = await serveDrifting(directory, storeUrl, "0.9995");
      await load("lambat");

      const events = await call(server.url, "GET", `${path}/events?limit=1000`);
      const posted = events.body.events.filter(
        (event: { type: string }) => event.type === "JournalEntryPosted",
      );
      expect(posted).toHaveLength(2 * DRIFT_CLIENTS * DRIFT_POSTS_PER_CLIENT);
      const times: number[] = events.body.events.map((event: { recordedAt: string }) =>
        Date.parse(event.recordedAt),
      );
      times.forEach((time, index) => {
        if (index > 0) expect(time).toBeGreaterThanOrEqual(times[index - 1] as number);
      });
      // The faked clock was the one read: every instant within minutes of DRIFT_START, long past.
      expect(times[0]).toBeGreaterThanOrEqual(Date.parse(DRIFT_START));
      expect(times.at(-1)).toBeLessThan(Date.parse(DRIFT_START) + DRIFT_SPAN_MAX_MS);

      // Periods come from the entries' dates: half of each run is dated 30 November.
      const cashAsOf = async (asOf: string) => {
        const balance = await call(server.url, "GET", `${path}/trial-balance?asOf=${asOf}`);
        expect(balance.status, JSON.stringify(balance.body)).toBe(200);
        return Number(
          balance.body.accounts.find((account: { code: string }) => account.code === "1101")?.balance,
        );
      };
      expect(await cashAsOf("2026-11-30")).toBe(DRIFT_CLIENTS * DRIFT_POSTS_PER_CLIENT * 1000);
      expect(await cashAsOf("2026-12-01")).toBe(2 * DRIFT_CLIENTS * DRIFT_POSTS_PER_CLIENT * 1000);

      // Business hours: each entry is judged at its own recordedAt, in Jakarta, on the Sunday.
      const recordedAtOf = new Map<string, string>(
        posted.map((event: { data: { entryId: string }; recordedAt: string }) => [
          event.data.entryId,
          event.recordedAt,
        ]),
      );
      const started = Date.now();
      let outOfHours = (await allAlerts(server.url)).filter((alert) => alert.rule === "out-of-hours");
      while (outOfHours.length < posted.length && Date.now() - started < ALERTS_WAIT_MS) {
        await new Promise((resolve) => setTimeout(resolve, 500));
        outOfHours = (await allAlerts(server.url)).filter((alert) => alert.rule === "out-of-hours");
      }
      expect(outOfHours).toHaveLength(posted.length);
      for (const alert of outOfHours) {
        const recordedAt = recordedAtOf.get(alert.entryIds[0] as string) as string;
        expect({ ...jakartaOf(recordedAt), timeZone: "Asia/Jakarta", holiday: null }).toEqual({
          localDate: alert.details.localDate,
          localTime: alert.details.localTime,
          timeZone: alert.details.timeZone,
          holiday: alert.details.holiday,
        });
        expect(alert.details.localDate).toBe(DRIFT_START_LOCAL_DATE);
      }
      expect(await server.command.stop("SIGTERM")).toBe(0);
      const verified = await runBukubesar(["verify"], { cwd: directory, env: { STORE_URL: storeUrl } });
      expect(verified.code, verified.stdout + verified.stderr).toBe(0);
    },
    CASE_TIMEOUT_MS,
  );
});
