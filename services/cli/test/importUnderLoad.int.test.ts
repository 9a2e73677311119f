/**
 * `bukubesar import` competing with steady API posts on the same SQLite store: `bukubesar serve` takes a
 * post every IMPORT_LOAD_POST_INTERVAL_MS from one client while the import records IMPORT_LOAD_ENTRIES
 * entries into the same cooperative. Every conflict the import meets (the service appended between its
 * read and its append) costs it a pause and a read of the stream's tail, not of the whole stream; it
 * finishes, and every imported and every acknowledged API entry is in the stream exactly once.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  apiCaller,
  depositEntry,
  depositLines,
  openCooperative,
  type RunningCommand,
  runBukubesar,
  startServe,
  temporaryDirectory,
} from "./fixtures.js";

const ADMIN = "import-load-admin-token-0123456789abcdef";
const COOP = "kkmp-mangunharjo";
const IMPORT_LOAD_ENTRIES = 3_000;
const IMPORT_LOAD_POST_INTERVAL_MS = 20;
const CASE_TIMEOUT_MS = 240_000;

const running: RunningCommand[] = [];
afterEach(async () => {
  for (const command of running.splice(0)) await command.stop("SIGKILL");
});

const call = apiCaller(ADMIN);

describe("bukubesar import under steady API posts", () => {
  it(
    "finishes, and records every imported and every acknowledged API entry once",
    async () => {
      const directory = temporaryDirectory();
      const storeUrl = `sqlite:${join(directory, "bukubesar.db")}`;
      await openCooperative(storeUrl, COOP);
      writeFileSync(join(directory, "entries.jsonl"), `${depositLines(IMPORT_LOAD_ENTRIES).join("\n")}\n`);
      const { url, command } = await startServe({ cwd: directory, storeUrl, adminToken: ADMIN });
      running.push(command);

      let importing = true;
      const acknowledged: string[] = [];
      const poster = (async () => {
        for (let index = 0; importing; index += 1) {
          const key = `api-${index}`;
          const posted = await call(
            url,
            "POST",
            `/v1/cooperatives/${COOP}/journal-entries`,
            depositEntry(key),
            key,
          );
          if (posted.status === 201) acknowledged.push(key);
          else expect(posted.status, JSON.stringify(posted.body)).toBe(503);
          await new Promise((resolve) => setTimeout(resolve, IMPORT_LOAD_POST_INTERVAL_MS));
        }
      })();
      const started = Date.now();
      const imported = await runBukubesar(["import", "--coop", COOP, "--file", "entries.jsonl"], {
        cwd: directory,
        env: { STORE_URL: storeUrl },
      });
      importing = false;
      await poster;
      console.log(
        `import under load: exit ${imported.code} in ${Date.now() - started} ms, ${acknowledged.length} API posts meanwhile; ${imported.stdout.trim()} ${imported.stderr.trim().split("\n").slice(-2).join(" ")}`,
      );
      expect(imported.code, imported.stdout + imported.stderr).toBe(0);
      expect(imported.stdout).toContain(`Imported ${IMPORT_LOAD_ENTRIES} entries into ${COOP}`);
      expect(acknowledged.length).toBeGreaterThan(0);
      // The import did meet the service: at least one of its appends was refused as a conflict.
      const conflicts = /appended to the ledger (\d+) time/.exec(imported.stderr);
      expect(Number(conflicts?.[1] ?? 0), imported.stderr).toBeGreaterThan(0);

      const events = await call(url, "GET", `/v1/cooperatives/${COOP}/events?limit=1000`);
      let page = events.body;
      const memos: string[] = [];
      for (;;) {
        for (const event of page.events as { type: string; data: { memo: string } }[])
          if (event.type === "JournalEntryPosted") memos.push(event.data.memo);
        if (page.nextAfter === null || page.events.length === 0) break;
        page = (await call(url, "GET", `/v1/cooperatives/${COOP}/events?after=${page.nextAfter}&limit=1000`))
          .body;
      }
      const counts = new Map<string, number>();
      for (const memo of memos) counts.set(memo, (counts.get(memo) ?? 0) + 1);
      expect([...counts.values()].every((count) => count === 1)).toBe(true);
      for (let index = 1; index <= IMPORT_LOAD_ENTRIES; index += 1)
        expect(counts.get(`Setoran ${index}`)).toBe(1);
      for (const key of acknowledged) expect(counts.get(key)).toBe(1);
      expect(memos).toHaveLength(IMPORT_LOAD_ENTRIES + acknowledged.length);
    },
    CASE_TIMEOUT_MS,
  );
});
