import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestPostgresDatabase, type EventStore, openEventStore } from "../src/index.js";

/** Kill rounds; each costs a child start (about half a second with tsx) plus a random run time. */
const KILL_ROUNDS = 15;
/** The child runs this long at most after its first acknowledgement before it is killed. */
const MAX_RUN_AFTER_FIRST_ACK_MS = 400;
const WRITERS = 4;

const script = join(dirname(fileURLToPath(import.meta.url)), "fixtures", "appendLoop.ts");
const directory = mkdtempSync(join(tmpdir(), "bukubesar-crash-"));

interface Acknowledged {
  readonly stream: string;
  readonly revision: number;
  readonly appendId: string;
}

/** Starts the appending child, kills it with SIGKILL at a random moment, returns what it acknowledged. */
const runAndKill = (storeUrl: string): Promise<Acknowledged[]> => {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["--conditions=source", "--import", "tsx", script, storeUrl, String(WRITERS)],
      {
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let output = "";
    let errors = "";
    let killTimer: NodeJS.Timeout | undefined;
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      output += chunk;
      if (killTimer === undefined && output.includes("ack ")) {
        killTimer = setTimeout(() => child.kill("SIGKILL"), Math.random() * MAX_RUN_AFTER_FIRST_ACK_MS);
      }
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      errors += chunk;
    });
    child.on("error", reject);
    child.on("exit", (_code, signal) => {
      clearTimeout(killTimer);
      if (signal !== "SIGKILL") {
        reject(new Error(`the appending child exited by itself (${String(signal)}): ${errors}`));
        return;
      }
      const acknowledged = output
        .split("\n")
        .filter((line) => line.startsWith("ack "))
        .map((line) => {
          const [, stream = "", revision = "", appendId = ""] = line.split(" ");
          return { stream, revision: Number(revision), appendId };
        });
      resolve(acknowledged);
    });
  });
};

/** Checks every acknowledged append is stored whole, and that no append is stored in part. */
const verify = async (storeUrl: string, acknowledged: readonly Acknowledged[]): Promise<number> => {
  const store = await openEventStore(storeUrl);
  try {
    // Streams are read by revision, which no visibility watermark delays (see docs/postgres-event-store.md).
    const streams = await Promise.all(
      Array.from({ length: WRITERS }, (_, writer) => store.readStream(`crash-${writer}`)),
    );
    const all = streams.flat();
    const byAppend = new Map<string, { revisions: number[]; stream: string }>();
    for (const event of all) {
      const data = event.data as { appendId: string; part: number; of: number };
      const entry = byAppend.get(data.appendId) ?? { revisions: [], stream: event.streamId };
      entry.revisions.push(event.revision);
      byAppend.set(data.appendId, entry);
    }
    for (const [appendId, entry] of byAppend) {
      expect(entry.revisions, `append ${appendId} is stored whole`).toHaveLength(3);
      expect(entry.revisions).toEqual([
        entry.revisions[0],
        (entry.revisions[0] ?? 0) + 1,
        (entry.revisions[0] ?? 0) + 2,
      ]);
    }
    for (const ack of acknowledged) {
      const entry = byAppend.get(ack.appendId);
      expect(entry, `acknowledged append ${ack.appendId} survived the kill`).toBeDefined();
      expect(entry?.stream).toBe(ack.stream);
      expect(entry?.revisions[2]).toBe(ack.revision);
    }
    for (const stream of streams) {
      expect(stream.map((event) => event.revision)).toEqual(stream.map((_, index) => index));
      // Within a stream the global order is the revision order.
      const positions = stream.map((event) => event.position);
      expect(
        positions.every((position, index) => index === 0 || position > (positions[index - 1] ?? position)),
      ).toBe(true);
    }
    return all.length;
  } finally {
    await store.close();
  }
};

afterAll(() => rmSync(directory, { recursive: true, force: true }));

/** The rounds of kills against one store, then one more append to show the store goes on. */
const killRounds = async (storeUrl: string): Promise<void> => {
  const acknowledged: Acknowledged[] = [];
  let stored = 0;
  for (let round = 0; round < KILL_ROUNDS; round += 1) {
    acknowledged.push(...(await runAndKill(storeUrl)));
    const now = await verify(storeUrl, acknowledged);
    expect(now).toBeGreaterThanOrEqual(stored);
    stored = now;
  }
  expect(acknowledged.length).toBeGreaterThan(KILL_ROUNDS);
  const store: EventStore = await openEventStore(storeUrl);
  const revision = await store.streamRevision("crash-0");
  const result = await store.append("crash-0", revision, [
    { eventId: "after-the-crashes", type: "Continued", data: {}, metadata: {} },
  ]);
  expect(result.nextExpectedRevision).toBe((revision === "no_stream" ? -1 : revision) + 1);
  await store.close();
};

describe("SQLite event store under kill -9", () => {
  it(`keeps every acknowledged append and no partial one across ${KILL_ROUNDS} kills, and appends continue`, async () => {
    await killRounds(`sqlite:${join(directory, "crash.db")}`);
  }, 60_000);
});

describe("PostgreSQL event store, its writing process under kill -9", () => {
  let database: Awaited<ReturnType<typeof createTestPostgresDatabase>> | undefined;
  beforeAll(async () => {
    database = await createTestPostgresDatabase("event_store_crash");
  });
  afterAll(() => database?.drop());

  it(`keeps every acknowledged append and no partial group across ${KILL_ROUNDS} kills mid group commit`, async () => {
    if (database === undefined) throw new Error("no test database");
    await killRounds(database.url);
  }, 90_000);
});
