/**
 * Fault #15 (docs/reliability.md): a real full filesystem, not SQLite's max_page_count. The store lives on
 * a small tmpfs mount; once it is full, writes are 503 `store_unavailable` with Retry-After, reads go on,
 * nothing acknowledged is lost, and writes succeed again once space is freed. Mounting needs root (the CI
 * machine runs as root); elsewhere the test says so and does not run.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, startHarness } from "./harness.js";

const COOP = "kkmp-penuh";
const MOUNT_SIZE = "6m";
const MEMO = "p".repeat(900);
const isRoot = process.getuid?.() === 0;

let harness: Harness | undefined;
let mountPoint = "";

beforeAll(async () => {
  if (!isRoot) return;
  mountPoint = mkdtempSync(join(tmpdir(), "bukubesar-full-"));
  execFileSync("mount", ["-t", "tmpfs", "-o", `size=${MOUNT_SIZE}`, "tmpfs", mountPoint]);
  harness = await startHarness(`sqlite:${join(mountPoint, "bukubesar.db")}`);
  const created = await harness.call("POST", "/v1/cooperatives", {
    body: { id: COOP, name: "KKMP Penuh", regionCode: "35.74.03.1002", chart: "kkmp" },
  });
  expect(created.status).toBe(201);
}, 60_000);
afterAll(async () => {
  await harness?.stop();
  if (mountPoint !== "") {
    execFileSync("umount", [mountPoint]);
    rmSync(mountPoint, { recursive: true, force: true });
  }
});

const fatEntry = (index: number) => ({
  date: "2026-02-02",
  memo: MEMO,
  lines: Array.from({ length: 40 }, (_, line) =>
    line % 2 === 0
      ? { account: "1101", debit: "1", memo: `${index}-${line}-${MEMO}` }
      : { account: "3300", credit: "1", memo: `${index}-${line}-${MEMO}` },
  ),
});

describe.skipIf(!isRoot)("fault #15: the store's filesystem fills up", () => {
  it("answers 503 when full, keeps every acknowledged entry, and writes again once space is freed", async () => {
    const server = harness as Harness;
    // Most of the mount goes to a filler file, so the store reaches the end within a few entries.
    writeFileSync(join(mountPoint, "filler"), Buffer.alloc(4 * 1024 * 1024));
    const acknowledged: string[] = [];
    let refused: { status: number; body: { code: string }; headers: Headers } | null = null;
    for (let index = 0; index < 500 && refused === null; index += 1) {
      const answer = await server.call("POST", `/v1/cooperatives/${COOP}/journal-entries`, {
        body: fatEntry(index),
        headers: { "idempotency-key": `penuh-${index}` },
      });
      if (answer.status === 201) acknowledged.push(answer.body.entryId as string);
      else refused = answer;
    }
    expect(refused?.status).toBe(503);
    expect(refused?.body.code).toBe("store_unavailable");
    expect(refused?.headers.get("retry-after")).toMatch(/^\d+$/);
    expect(acknowledged.length).toBeGreaterThan(0);
    // Reads go on while the disk is full.
    expect((await server.call("GET", `/v1/cooperatives/${COOP}`)).status).toBe(200);

    rmSync(join(mountPoint, "filler"));
    let after = await server.call("POST", `/v1/cooperatives/${COOP}/journal-entries`, {
      body: fatEntry(9999),
      headers: { "idempotency-key": "penuh-lagi" },
    });
    for (let attempt = 0; after.status === 503 && attempt < 20; attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      after = await server.call("POST", `/v1/cooperatives/${COOP}/journal-entries`, {
        body: fatEntry(9999),
        headers: { "idempotency-key": "penuh-lagi" },
      });
    }
    expect(after.status).toBe(201);
    // Nothing acknowledged was lost, across a restart too, and the chain is sound.
    harness = await server.restart();
    for (const entryId of acknowledged)
      expect((await harness.call("GET", `/v1/cooperatives/${COOP}/journal-entries/${entryId}`)).status).toBe(
        200,
      );
    const verified = await harness.call("GET", `/v1/cooperatives/${COOP}/verify`);
    expect(verified.body.ok).toBe(true);
  }, 120_000);
});
