/**
 * docs/reliability.md section 6, fault #27 on the real process: `bukubesar serve` runs under libfaketime
 * (Debian's faketime), whose offset file the test rewrites while it runs, so the process's wall clock jumps
 * back an hour, forward a day and back again between posts (its monotonic clock is left alone, as an NTP
 * step leaves it). `recordedAt` never goes backwards in the cooperative's stream, also across a kill -9
 * and a restart with the clock still a day behind; every valid post is 201, a keyed retry replays its
 * entry, and `bukubesar verify` passes.
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
});
