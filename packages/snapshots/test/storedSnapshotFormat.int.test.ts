/**
 * A snapshot written by the previous format (5: the body as base64 text) and left in a SQLite store is
 * read as another format's, not as damaged: the service rebuilds the cooperative from its log without an
 * integrity alert and rewrites the snapshot, since a snapshot is a cache and the log is the truth.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readModelSnapshotTableFor, SqliteEventStore } from "@bukubesar/event-store";
import { afterAll, expect, it } from "vitest";
import {
  COOPERATIVE_SNAPSHOT_FORMAT,
  cooperativeSnapshotName,
  encodeCooperativeSnapshot,
  readStoredSnapshot,
} from "../src/cooperativeSnapshot.js";
import { emptySnapshot } from "../src/ledgerSnapshot.js";

const directory = mkdtempSync(join(tmpdir(), "bukubesar-stored-snapshot-"));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

it("reads a format-5 text snapshot in SQLite as another format's, and a format-6 one back as bytes", async () => {
  const store = new SqliteEventStore(join(directory, "store.db"));
  try {
    const table = readModelSnapshotTableFor(store);
    if (table === null) throw new Error("no snapshot table");
    const [header, ...body] = encodeCooperativeSnapshot(emptySnapshot("kkmp-a"));
    const claimed = JSON.parse(header as string) as Record<string, unknown>;
    const older = [
      JSON.stringify({ ...claimed, format: 5 }),
      ...body.map((part) => Buffer.from(part as Uint8Array).toString("base64")),
    ];
    await table.save(cooperativeSnapshotName("kkmp-a"), 0n, older);
    expect(await readStoredSnapshot(store, table, "kkmp-a")).toEqual({ kind: "other_format" });
    expect(await readStoredSnapshot(store, table, "kkmp-b")).toEqual({ kind: "none" });

    await table.save(cooperativeSnapshotName("kkmp-a"), 0n, [header as string, ...body]);
    const stored = await table.loadParts(cooperativeSnapshotName("kkmp-a"));
    expect(JSON.parse(stored?.parts[0] as string)).toMatchObject({ format: COOPERATIVE_SNAPSHOT_FORMAT });
    expect(stored?.parts.slice(1).every((part) => Buffer.isBuffer(part))).toBe(true);
    expect(Buffer.concat((stored?.parts.slice(1) ?? []) as Uint8Array[])).toEqual(
      Buffer.concat(body as Uint8Array[]),
    );
  } finally {
    await store.close();
  }
});
