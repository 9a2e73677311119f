import { join } from "node:path";
import { createTestPostgresDatabase, type TestPostgresDatabase } from "@bukubesar/event-store";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type CommandOutcome,
  openCooperative,
  postingCommands,
  recordCommands,
  runBukubesar,
  temporaryDirectory,
} from "./fixtures.js";
import { postgresRawStore, type RawStore, sqliteRawStore } from "./rawStore.js";

const COOP = "kkmp-mangunharjo";
const STREAM = `ledger-${COOP}`;
const ENTRIES = 12;

interface Backend {
  readonly name: string;
  setUp(): Promise<void>;
  /** A freshly seeded store, its own for one scenario. */
  fresh(): Promise<RawStore>;
  tearDown(): Promise<void>;
}

const seed = async (storeUrl: string): Promise<void> => {
  await openCooperative(storeUrl, COOP);
  await recordCommands(storeUrl, COOP, postingCommands(ENTRIES));
};

const sqliteBackend = (): Backend => {
  const directory = temporaryDirectory();
  let counter = 0;
  return {
    name: "SQLite",
    setUp: async () => undefined,
    fresh: async () => {
      counter++;
      const file = join(directory, `store-${counter}.db`);
      await seed(`sqlite:${file}`);
      return sqliteRawStore(file);
    },
    tearDown: async () => undefined,
  };
};

const postgresBackend = (): Backend => {
  let database: TestPostgresDatabase | undefined;
  let counter = 0;
  return {
    name: "PostgreSQL",
    setUp: async () => {
      database = await createTestPostgresDatabase("cli_tamper");
    },
    fresh: async () => {
      if (database === undefined) throw new Error("the PostgreSQL backend is used before its setUp");
      counter++;
      const schema = `tamper_${counter}`;
      const url = new URL(database.url);
      url.searchParams.set("schema", schema);
      await seed(url.toString());
      return postgresRawStore(database.url, schema);
    },
    tearDown: async () => {
      await database?.drop();
    },
  };
};

const verify = (store: RawStore, ...extra: string[]): Promise<CommandOutcome> =>
  runBukubesar(["verify", ...extra], { cwd: temporaryDirectory(), env: { STORE_URL: store.storeUrl } });

/** The posted entries' events, to tamper with something that matters. */
const postedEvents = async (store: RawStore) =>
  (await store.events(STREAM)).filter((event) => event.type === "JournalEntryPosted");

describe.each([sqliteBackend(), postgresBackend()])("verify catches tampering on $name", (backend) => {
  beforeAll(() => backend.setUp());
  afterAll(() => backend.tearDown());

  it("passes an untouched store and prints a summary", async () => {
    const store = await backend.fresh();
    try {
      const outcome = await verify(store);
      expect(outcome.stderr).toBe("");
      expect(outcome.code).toBe(0);
      expect(outcome.stdout).toContain(`ok    ${COOP}`);
      expect(outcome.stdout).toContain(`${ENTRIES} posted entries`);
    } finally {
      await store.close();
    }
  });

  it("names the revision whose data changed by one byte", async () => {
    const store = await backend.fresh();
    try {
      const target = (await postedEvents(store))[4];
      if (target === undefined) throw new Error("fixture too small");
      const changed = target.data.replace('"amount":"5000.00"', '"amount":"5001.00"');
      expect(changed).not.toBe(target.data);
      expect(changed.length).toBe(target.data.length);
      await store.setData(target.position, changed);
      const outcome = await verify(store);
      expect(outcome.code).toBe(1);
      expect(outcome.stdout).toContain(`cooperative ${COOP}, revision ${target.revision}: hash mismatch`);
    } finally {
      await store.close();
    }
  });

  it("names the revision whose data is no longer JSON at all", async () => {
    // Before, verify stopped with "unexpected error" (a JSON parse error) instead of naming the event.
    const store = await backend.fresh();
    try {
      const target = (await postedEvents(store))[4];
      if (target === undefined) throw new Error("fixture too small");
      await store.setData(target.position, target.data.slice(0, 12));
      const outcome = await verify(store);
      expect(outcome.stderr).not.toContain("unexpected error");
      expect(outcome.code).toBe(1);
      expect(outcome.stdout).toContain(`cooperative ${COOP}, revision ${target.revision}:`);
    } finally {
      await store.close();
    }
  });

  it("names the revision of a deleted event", async () => {
    const store = await backend.fresh();
    try {
      const target = (await postedEvents(store))[2];
      if (target === undefined) throw new Error("fixture too small");
      await store.deleteEvent(target.position);
      const outcome = await verify(store);
      expect(outcome.code).toBe(1);
      expect(outcome.stdout).toContain(
        `cooperative ${COOP}, revision ${target.revision}: revision ${target.revision} is missing`,
      );
    } finally {
      await store.close();
    }
  });

  it("names the first of two events whose data was swapped", async () => {
    const store = await backend.fresh();
    try {
      const posted = await postedEvents(store);
      const first = posted[3];
      const second = posted[7];
      if (first === undefined || second === undefined) throw new Error("fixture too small");
      await store.setData(first.position, second.data);
      await store.setData(second.position, first.data);
      const outcome = await verify(store);
      expect(outcome.code).toBe(1);
      expect(outcome.stdout).toContain(`cooperative ${COOP}, revision ${first.revision}: hash mismatch`);
    } finally {
      await store.close();
    }
  });

  it("misses a truncated tail without a checkpoint and catches it with one", async () => {
    const store = await backend.fresh();
    const directory = temporaryDirectory();
    try {
      const keyOutcome = await runBukubesar(["checkpoint", "--generate-key", "auditor.pem"], {
        cwd: directory,
      });
      expect(keyOutcome.code).toBe(0);
      const checkpointOutcome = await runBukubesar(
        ["checkpoint", "--key", "auditor.pem", "--out", "head.checkpoint.json"],
        { cwd: directory, env: { STORE_URL: store.storeUrl } },
      );
      expect(checkpointOutcome.stderr).toContain("written to head.checkpoint.json");
      expect(checkpointOutcome.code).toBe(0);

      const events = await store.events(STREAM);
      const headRevision = events.length - 1;
      const keptRevision = headRevision - 3;
      await store.truncateAfter(STREAM, keptRevision);

      const plain = await verify(store);
      expect(plain.code).toBe(0);

      const checked = await runBukubesar(
        ["verify", "--checkpoint", "head.checkpoint.json", "--public-key", "auditor.pem.pub"],
        { cwd: directory, env: { STORE_URL: store.storeUrl } },
      );
      expect(checked.code).toBe(1);
      expect(checked.stdout).toContain("checkpoint signature valid (checked against the given public key)");
      expect(checked.stdout).toContain(
        `cooperative ${COOP}, revision ${keptRevision + 1}: the chain ends at revision ${keptRevision} but the checkpoint`,
      );
      expect(checked.stdout).toContain(`records revision ${headRevision}`);
    } finally {
      await store.close();
    }
  });
});
