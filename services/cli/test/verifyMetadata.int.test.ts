/**
 * `verify` on SQLite leaves a row's metadata on the reading thread when the fold needs none of it (its
 * chain fields have their own columns and its texts prove every string well-formed): the hash covers
 * it there. These are the findings about the metadata that must still be named: a lone surrogate in
 * it, a byte of it changed, and a chain field changed in its own column.
 */
import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import {
  openCooperative,
  postingCommands,
  recordCommands,
  runBukubesar,
  temporaryDirectory,
} from "./fixtures.js";

const COOP = "kkmp-metadata";
const STREAM = `ledger-${COOP}`;
const ENTRIES = 6;
/** The revision tampered with: a posting after the chart of accounts. */
const TARGET_OFFSET_FROM_HEAD = 2;

const seeded = async (recordedAt?: string): Promise<{ directory: string; file: string }> => {
  const directory = temporaryDirectory();
  const file = join(directory, "bukubesar.db");
  await openCooperative(`sqlite:${file}`, COOP);
  await recordCommands(`sqlite:${file}`, COOP, postingCommands(ENTRIES), recordedAt);
  return { directory, file };
};

const verify = (directory: string, file: string) =>
  runBukubesar(["verify"], { cwd: directory, env: { STORE_URL: `sqlite:${file}` } });

/** Runs `change` on the row of the stream's revision head − TARGET_OFFSET_FROM_HEAD; gives that revision. */
const tamper = (file: string, change: (database: Database.Database, position: number) => void): number => {
  const database = new Database(file);
  try {
    const row = database
      .prepare(
        "SELECT e.position, e.revision FROM events e JOIN streams s ON s.stream_id = e.stream_id WHERE s.name = ? ORDER BY e.revision DESC LIMIT 1 OFFSET ?",
      )
      .get(STREAM, TARGET_OFFSET_FROM_HEAD) as { position: number; revision: number };
    change(database, row.position);
    return row.revision;
  } finally {
    database.close();
  }
};

describe("verify and the metadata of ledger events", () => {
  it("names a lone surrogate in the metadata, with its pointer", async () => {
    const { directory, file } = await seeded("2026-01-02T01:00:00.000Z\ud800");
    const outcome = await verify(directory, file);
    expect(outcome.stdout).toContain("lone surrogate at /metadata/recordedAt");
    expect(outcome.code).toBe(1);
  }, 60_000);

  it("names the revision whose metadata changed by one byte", async () => {
    const { directory, file } = await seeded();
    expect((await verify(directory, file)).code).toBe(0);
    const revision = tamper(file, (database, position) => {
      const { metadata } = database
        .prepare("SELECT metadata FROM events WHERE position = ?")
        .get(position) as {
        metadata: string;
      };
      const changed = metadata.replace("2026-01-02", "2026-01-03");
      expect(changed).not.toBe(metadata);
      database.prepare("UPDATE events SET metadata = ? WHERE position = ?").run(changed, position);
    });
    const outcome = await verify(directory, file);
    expect(outcome.code).toBe(1);
    expect(outcome.stdout).toContain(`cooperative ${COOP}, revision ${revision}: hash mismatch`);
  }, 60_000);

  it("names the revision whose stored prevHash column was changed", async () => {
    const { directory, file } = await seeded();
    const revision = tamper(file, (database, position) => {
      database.prepare("UPDATE events SET prev_hash = zeroblob(32) WHERE position = ?").run(position);
    });
    const outcome = await verify(directory, file);
    expect(outcome.code).toBe(1);
    expect(outcome.stdout).toContain(`cooperative ${COOP}, revision ${revision}: prevHash ${"0".repeat(64)}`);
  }, 60_000);
});
