import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { RAW_SHAPE, SqliteShapes } from "@bukubesar/event-store";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { repositoryRoot, runBukubesar, temporaryDirectory } from "./fixtures.js";

/** The store written by schema version 1 (packages/event-store/test/fixtures/README.md). */
const VERSION_ONE_STORE = join(repositoryRoot, "packages/event-store/test/fixtures/store-v1.db.gz");

const copyOfVersionOneStore = (): string => {
  const file = join(temporaryDirectory(), "bukubesar.db");
  writeFileSync(file, gunzipSync(readFileSync(VERSION_ONE_STORE)));
  return file;
};

/** The head of each ledger stream as version 1 stored it: last revision and its hash. */
const versionOneHeads = (file: string): Map<string, { revision: number; hash: string }> => {
  const database = new Database(file, { readonly: true });
  try {
    const rows = database
      .prepare(
        "SELECT s.name, e.revision, e.metadata FROM events e JOIN streams s ON s.stream_id = e.stream_id WHERE s.name LIKE 'ledger-%' AND e.revision = s.last_revision",
      )
      .all() as { name: string; revision: number; metadata: string }[];
    return new Map(
      rows.map((row) => [row.name, { revision: row.revision, hash: JSON.parse(row.metadata).hash }]),
    );
  } finally {
    database.close();
  }
};

interface VerifyReport {
  readonly ok: boolean;
  readonly streamId: string;
  readonly headRevision: number;
  readonly headHash: string;
}

describe("verify on a store written by the version before the reading encoding", () => {
  it("migrates it on open and verifies it with the same head hashes", async () => {
    const file = copyOfVersionOneStore();
    const heads = versionOneHeads(file);
    expect(heads.size).toBe(2);
    const outcome = await runBukubesar(["verify", "--json"], {
      cwd: repositoryRoot,
      env: { STORE_URL: `sqlite:${file}` },
    });
    expect(outcome.stderr).toBe("");
    expect(outcome.code).toBe(0);
    const { ok, ledgers } = JSON.parse(outcome.stdout) as { ok: boolean; ledgers: VerifyReport[] };
    expect(ok).toBe(true);
    expect(
      new Map(
        ledgers.map((report) => [report.streamId, { revision: report.headRevision, hash: report.headHash }]),
      ),
    ).toEqual(heads);
  });

  it("still verifies when a stored text is rewritten with the same values in another form", async () => {
    const file = copyOfVersionOneStore();
    const first = await runBukubesar(["verify", "--json"], {
      cwd: repositoryRoot,
      env: { STORE_URL: `sqlite:${file}` },
    });
    expect(first.code).toBe(0);
    // The hash is over the canonical JSON of the values: spacing and key order are not part of it, so
    // an edit that keeps every value is no tampering, while one that changes a value is.
    const database = new Database(file);
    const row = database
      .prepare(
        "SELECT position, data_shape, data FROM events WHERE type = 'JournalEntryPosted' ORDER BY position DESC LIMIT 1",
      )
      .get() as { position: number; data_shape: number; data: string };
    const value = new SqliteShapes(database).decode(row.data_shape, row.data) as object;
    const reordered = JSON.stringify(Object.fromEntries(Object.entries(value).reverse()), null, 1);
    // Written as a raw column (its own text), as anyone editing the file could.
    database
      .prepare("UPDATE events SET data = ?, data_shape = ? WHERE position = ?")
      .run(reordered, RAW_SHAPE, row.position);
    database.close();
    const second = await runBukubesar(["verify", "--json"], {
      cwd: repositoryRoot,
      env: { STORE_URL: `sqlite:${file}` },
    });
    expect(second.stdout).toContain('"ok":true');
    expect(second.code).toBe(0);
  });
});

/** The store written by schema version 2 (packages/event-store/test/fixtures/README.md). */
const VERSION_TWO_STORE = join(repositoryRoot, "packages/event-store/test/fixtures/store-v2.db.gz");

describe("verify on a store written by the version before shapes (schema version 2)", () => {
  it("migrates it on open and verifies it with the same head hashes", async () => {
    const file = join(temporaryDirectory(), "bukubesar.db");
    writeFileSync(file, gunzipSync(readFileSync(VERSION_TWO_STORE)));
    const database = new Database(file, { readonly: true });
    const heads = new Map(
      (
        database
          .prepare(
            "SELECT s.name, e.revision, lower(hex(e.hash)) AS hash FROM events e JOIN streams s ON s.stream_id = e.stream_id WHERE s.name LIKE 'ledger-%' AND e.revision = s.last_revision",
          )
          .all() as { name: string; revision: number; hash: string }[]
      ).map((row) => [row.name, { revision: row.revision, hash: row.hash }]),
    );
    expect(database.pragma("user_version", { simple: true })).toBe(2);
    database.close();
    expect(heads.size).toBe(2);
    const outcome = await runBukubesar(["verify", "--json"], {
      cwd: repositoryRoot,
      env: { STORE_URL: `sqlite:${file}` },
    });
    expect(outcome.stderr).toBe("");
    expect(outcome.code).toBe(0);
    const { ok, ledgers } = JSON.parse(outcome.stdout) as { ok: boolean; ledgers: VerifyReport[] };
    expect(ok).toBe(true);
    expect(
      new Map(
        ledgers.map((report) => [report.streamId, { revision: report.headRevision, hash: report.headHash }]),
      ),
    ).toEqual(heads);
    const migrated = new Database(file, { readonly: true });
    expect(migrated.pragma("user_version", { simple: true })).toBe(3);
    migrated.close();
  });
});
