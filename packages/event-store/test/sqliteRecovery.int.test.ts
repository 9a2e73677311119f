/**
 * The parts of the SQLite store's recovery from an I/O error (sqliteRecovery.ts) that need no fault
 * injection: which acknowledged heads a file no longer holds, the write probe, and the tries' timing. The
 * whole recovery under a real sync fault is services/cli/test/ioError.int.test.ts (fiu-run).
 */
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { eventKeyOf } from "../src/sqliteEncoding.js";
import { SqliteEventStore } from "../src/sqliteEventStore.js";
import {
  AcknowledgedHeads,
  checkpointToDatabaseFile,
  probeWriteAndSync,
  type RecoveryOutcome,
  RecoverySchedule,
  SQLITE_RECOVERY_FIRST_DELAY_MS,
  SQLITE_RECOVERY_MAX_DELAY_MS,
} from "../src/sqliteRecovery.js";

const directory = mkdtempSync(join(tmpdir(), "bukubesar-sqlite-recovery-"));
afterAll(() => rmSync(directory, { recursive: true, force: true }));
afterEach(() => {
  vi.useRealTimers();
});

const ids = ["0b6f1a9e-5a3c-4a7e-9f00-000000000001", "0b6f1a9e-5a3c-4a7e-9f00-000000000002"];

/** A store file holding stream `s` with two events (revisions 0 and 1), opened raw. */
const fileWithTwoEvents = async (name: string): Promise<Database.Database> => {
  const path = join(directory, name);
  const store = new SqliteEventStore(path);
  await store.append(
    "s",
    "no_stream",
    ids.map((eventId) => ({ eventId, type: "T", data: {}, metadata: {} })),
  );
  await store.close();
  return new Database(path);
};

describe("SQLite store recovery", () => {
  it("names every acknowledged head the file no longer holds", async () => {
    const database = await fileWithTwoEvents("heads.db");
    const heads = new AcknowledgedHeads();
    heads.record("s", 1, eventKeyOf(ids[1] as string));
    expect(heads.missingIn(database)).toEqual([]);
    // Another event at the acknowledged revision is a loss too, as is a revision the file never reached
    // and a stream it does not hold.
    heads.record("s", 1, eventKeyOf(ids[0] as string));
    expect(heads.missingIn(database)).toEqual([
      { streamId: "s", acknowledgedRevision: 1, storedRevision: 1 },
    ]);
    heads.record("s", 4, eventKeyOf(ids[1] as string));
    heads.record("t", 0, eventKeyOf(ids[0] as string));
    expect(heads.missingIn(database)).toEqual([
      { streamId: "s", acknowledgedRevision: 4, storedRevision: 1 },
      { streamId: "t", acknowledgedRevision: 0, storedRevision: "no_stream" },
    ]);
    database.close();
  });

  it("probes a write that leaves the file as it was, and throws when the file cannot take one", async () => {
    const database = await fileWithTwoEvents("probe.db");
    const streams = () => database.prepare("SELECT name, last_revision FROM streams ORDER BY name").all();
    const before = streams();
    probeWriteAndSync(database);
    expect(streams()).toEqual(before);
    const path = database.name;
    database.close();
    const readOnly = new Database(path, { readonly: true });
    expect(() => probeWriteAndSync(readOnly)).toThrow(/readonly/i);
    readOnly.close();
  });

  it("copies what the WAL holds into the database file before writes resume, and says when it cannot", async () => {
    const path = join(directory, "checkpoint.db");
    const store = new SqliteEventStore(path);
    await store.append("s", "no_stream", [{ eventId: ids[0] as string, type: "T", data: {}, metadata: {} }]);
    // A short busy timeout: the second checkpoint below is meant to find a reader in its way.
    const database = new Database(path, { timeout: 100 });
    // The store's connection still holds the file open, so its commit is in the WAL, not yet in the file.
    expect(statSync(`${path}-wal`).size).toBeGreaterThan(0);
    checkpointToDatabaseFile(database);
    expect(statSync(`${path}-wal`).size).toBe(0);
    // A reader holding an older snapshot keeps the WAL's frames in use: the checkpoint cannot finish.
    await store.append("s", 0, [{ eventId: ids[1] as string, type: "T", data: {}, metadata: {} }]);
    const reader = new Database(path, { readonly: true });
    const read = reader.prepare("SELECT count(*) AS n FROM streams");
    reader.exec("BEGIN");
    read.get();
    await store.append("t", "no_stream", [
      { eventId: "0b6f1a9e-5a3c-4a7e-9f00-000000000003", type: "T", data: {}, metadata: {} },
    ]);
    expect(() => checkpointToDatabaseFile(database)).toThrow(/could not be copied/);
    reader.exec("COMMIT");
    reader.close();
    database.close();
    await store.close();
  });

  it("tries after the first delay, then doubling up to the maximum, until a try says it is done", async () => {
    vi.useFakeTimers();
    const started = Date.now();
    const tries: number[] = [];
    const outcomes: RecoveryOutcome[] = [
      "retry",
      "retry",
      "retry",
      "retry",
      "retry",
      "retry",
      "retry",
      "recovered",
    ];
    const schedule = new RecoverySchedule(() => {
      tries.push(Date.now() - started);
      return outcomes[tries.length - 1] as RecoveryOutcome;
    });
    schedule.start();
    schedule.start(); // already running: no second series
    await vi.advanceTimersByTimeAsync(10 * SQLITE_RECOVERY_MAX_DELAY_MS);
    const first = SQLITE_RECOVERY_FIRST_DELAY_MS;
    const gaps = tries.map((at, index) => at - (tries[index - 1] ?? 0));
    expect(gaps).toEqual([
      first,
      2 * first,
      4 * first,
      8 * first,
      16 * first,
      SQLITE_RECOVERY_MAX_DELAY_MS,
      SQLITE_RECOVERY_MAX_DELAY_MS,
      SQLITE_RECOVERY_MAX_DELAY_MS,
    ]);
    schedule.stop();
  });
});
