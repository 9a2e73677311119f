import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { repositoryRoot, runBukubesar, temporaryDirectory } from "./fixtures.js";

/** The store written by schema version 2 (packages/event-store/test/fixtures/README.md). */
const VERSION_TWO_STORE = join(repositoryRoot, "packages/event-store/test/fixtures/store-v2.db.gz");

const verify = (file: string, json: boolean) =>
  runBukubesar(json ? ["verify", "--json"] : ["verify"], {
    cwd: repositoryRoot,
    env: { STORE_URL: `sqlite:${file}` },
  });

/** The cooperative and revision of the first ledger event whose data uses the most shared shape. */
interface Target {
  readonly shapeId: number;
  readonly coopId: string;
  readonly revision: number;
  readonly events: number;
}

/**
 * A copy of the version-2 store migrated to shapes (by a first verify), with the shape that most events
 * share edited by `edit` behind the store's back: the first event using it, and how many do.
 */
const storeWithEditedShape = async (
  edit: (shape: string) => string | null,
): Promise<{ file: string; target: Target }> => {
  const file = join(temporaryDirectory(), "bukubesar.db");
  writeFileSync(file, gunzipSync(readFileSync(VERSION_TWO_STORE)));
  expect((await verify(file, true)).code).toBe(0);
  const database = new Database(file);
  try {
    const shared = database
      .prepare(
        "SELECT data_shape AS shapeId, count(*) AS events FROM events GROUP BY data_shape HAVING data_shape <> 0 ORDER BY count(*) DESC LIMIT 1",
      )
      .get() as { shapeId: number; events: number };
    const first = database
      .prepare(
        "SELECT substr(s.name, 8) AS coopId, e.revision FROM events e JOIN streams s ON s.stream_id = e.stream_id WHERE e.data_shape = ? AND s.name LIKE 'ledger-%' ORDER BY e.position LIMIT 1",
      )
      .get(shared.shapeId) as { coopId: string; revision: number };
    const { shape } = database.prepare("SELECT shape FROM shapes WHERE shape_id = ?").get(shared.shapeId) as {
      shape: string;
    };
    const edited = edit(shape);
    if (edited === null) {
      // Whoever can write the file can switch off its foreign keys as well.
      database.pragma("foreign_keys = OFF");
      database.prepare("DELETE FROM shapes WHERE shape_id = ?").run(shared.shapeId);
    } else database.prepare("UPDATE shapes SET shape = ? WHERE shape_id = ?").run(edited, shared.shapeId);
    return { file, target: { ...shared, ...first } };
  } finally {
    database.close();
  }
};

describe("verify on a store whose shared shape row was edited", () => {
  it("names the first event of a shape no longer JSON, in text and as JSON", async () => {
    const { file, target } = await storeWithEditedShape((shape) => `${shape}x`);
    expect(target.events).toBeGreaterThan(100);
    const text = await verify(file, false);
    expect(text.stderr).not.toContain("unexpected error");
    expect(text.code).toBe(1);
    expect(text.stdout).toContain(`cooperative ${target.coopId}, revision ${target.revision}: hash mismatch`);
    const json = await verify(file, true);
    expect(json.code).toBe(1);
    expect(json.stderr).not.toContain("unexpected error");
    expect((JSON.parse(json.stdout) as { ok: boolean }).ok).toBe(false);
    expect(json.stdout).toContain(`"firstBadRevision":${target.revision}`);
  });

  it("names the first event of a shape whose placeholder is a string", async () => {
    // Before, such a shape made the shape compiler recurse until the stack overflowed.
    const { file, target } = await storeWithEditedShape((shape) => shape.replace(":0", ':"xy"'));
    const text = await verify(file, false);
    expect(text.stderr).not.toContain("unexpected error");
    expect(text.code).toBe(1);
    expect(text.stdout).toContain(`cooperative ${target.coopId}, revision ${target.revision}: hash mismatch`);
  });

  it("names the first event of a shape whose row was deleted", async () => {
    // Before, every read stopped at "the event store has no shape N: the file is damaged".
    const { file, target } = await storeWithEditedShape(() => null);
    const text = await verify(file, false);
    expect(text.stderr).not.toContain("unexpected error");
    expect(text.code).toBe(1);
    expect(text.stdout).toContain(`cooperative ${target.coopId}, revision ${target.revision}: hash mismatch`);
  });
});
