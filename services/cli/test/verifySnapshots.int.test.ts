/**
 * `bukubesar verify` checks every stored snapshot (docs/operations.md, Memory budget and snapshots): a
 * cooperative's snapshot as the service writes it checks; one whose content was edited fails on its hash;
 * one edited with its hash recomputed fails on its balances, which differ from the log's at its revision,
 * and one whose packed entries were edited with its hash recomputed fails on the entry edited, though its
 * balances agree with the log's.
 */
import { createHash } from "node:crypto";
import { join } from "node:path";
import { deserialize, serialize } from "node:v8";
import { openEventStore, readModelSnapshotTableFor, type SnapshotPart } from "@bukubesar/event-store";
import { createCommandHandler } from "@bukubesar/ledger-api";
import { type LedgerCommand, ledgerStreamId, recordedLedgerEventOf } from "@bukubesar/ledger-core";
import { reviveClonedReadModel, trialBalance } from "@bukubesar/projections";
import {
  advanceSnapshot,
  cooperativeSnapshotName,
  encodeCooperativeSnapshot,
  type LedgerSnapshot,
  readStoredSnapshot,
} from "@bukubesar/snapshots";
import { describe, expect, it } from "vitest";
import {
  openCooperative,
  postingCommands,
  recordCommands,
  runBukubesar,
  temporaryDirectory,
} from "./fixtures.js";

const COOP = "kkmp-snapshot";
const ENV = { DATA_DIR: "data", STORE_URL: "" };
const NAME = cooperativeSnapshotName(COOP);

/** Rewrites the stored snapshot's parts through `edit`. */
const editStored = async (storeUrl: string, edit: (parts: readonly SnapshotPart[]) => SnapshotPart[]) => {
  const store = await openEventStore(storeUrl);
  try {
    const table = readModelSnapshotTableFor(store);
    const record = await table?.loadParts(NAME);
    if (table === null || record === null || record === undefined) throw new Error("no stored snapshot");
    await table.save(NAME, record.position, edit(record.parts));
  } finally {
    await store.close();
  }
};

/** The stored snapshot with a day of debits on 1101 raised by 10,000 rupiah, its hash recomputed. */
const inflated = (parts: readonly SnapshotPart[]): SnapshotPart[] => {
  const header = JSON.parse(parts[0] as string) as { revision: number; headHash: string };
  const body = deserialize(Buffer.concat(parts.slice(1) as Uint8Array[])) as Omit<
    LedgerSnapshot,
    "coopId" | "revision" | "headHash"
  >;
  const totals = body.model.accounts.get("1101")?.totals as unknown as {
    buckets: Map<number, { debitSmall: number }>;
  };
  const bucket = totals.buckets.values().next().value;
  if (bucket === undefined) throw new Error("no posting on 1101");
  bucket.debitSmall += 1_000_000;
  return encodeCooperativeSnapshot({
    ...body,
    model: reviveClonedReadModel(body.model),
    coopId: COOP,
    revision: header.revision,
    headHash: header.headHash,
  });
};

/**
 * The stored snapshot with its packed entries text replaced by `edit`'s, its content hash recomputed as
 * someone with write access to the database could.
 */
const withPackedText =
  (edit: (text: string) => string) =>
  (parts: readonly SnapshotPart[]): SnapshotPart[] => {
    const header = JSON.parse(parts[0] as string) as {
      format: number;
      coopId: string;
      revision: number;
      headHash: string;
    };
    const body = deserialize(Buffer.concat(parts.slice(1) as Uint8Array[])) as { entries: string };
    const edited = serialize({ ...body, entries: edit(body.entries) });
    const contentSha256 = createHash("sha256")
      .update(`${header.format}\n${header.coopId}\n${header.revision}\n${header.headHash}\n`, "utf8")
      .update(edited)
      .digest("hex");
    return [JSON.stringify({ ...header, contentSha256 }), edited];
  };

/** entry-1's two lines of 1000.00 made 1.00, in the decider's entries and wherever else they are packed. */
const entryOneShrunk = (text: string): string => {
  const shrunk = text.replace(
    /(\["entry-1",[^\]]*?\[\["1101","debit",)"1000\.00"(.*?"4101","credit",)"1000\.00"/,
    '$1"1.00"$2"1.00"',
  );
  if (shrunk === text) throw new Error("entry-1's lines were not found in the packed text");
  return shrunk;
};

const reversalOfEntryOne: LedgerCommand = {
  type: "ReverseJournalEntry",
  actor: { principalId: "test-treasurer", role: "treasurer" },
  data: { entryId: "entry-1", reversalEntryId: "reversal-1", date: "2025-09-30", reason: "Salah catat" },
};

/**
 * Writes the snapshot the way the service does for a cooperative it loaded from its stored snapshot,
 * caught up with the events after it and served a report from (which builds the read model's caches):
 * verify must find nothing in it.
 */
const saveSnapshotLoadedAndAdvanced = async (storeUrl: string): Promise<void> => {
  const store = await openEventStore(storeUrl);
  try {
    const table = readModelSnapshotTableFor(store);
    if (table === null) throw new Error("no snapshot table");
    const stored = await readStoredSnapshot(store, table, COOP);
    if (stored.kind !== "usable") throw new Error(`the stored snapshot is ${stored.kind}`);
    const { snapshot } = stored;
    const tail = await store.readStream(ledgerStreamId(COOP), { fromRevision: snapshot.revision + 1 });
    advanceSnapshot(snapshot, tail.map(recordedLedgerEventOf));
    trialBalance(snapshot.model, "2025-06-30");
    await table.save(NAME, BigInt(snapshot.revision), encodeCooperativeSnapshot(snapshot));
  } finally {
    await store.close();
  }
};

type SnapshotsJson = {
  ok: boolean;
  snapshots: { ok: boolean; name: string; code?: string; reason?: string }[];
};

/** A store with COOP's three postings and its snapshot as the service writes it. */
const storeWithSnapshot = async (): Promise<{ directory: string; storeUrl: string }> => {
  const directory = temporaryDirectory();
  const storeUrl = `sqlite:${join(directory, "data", "bukubesar.db")}`;
  await openCooperative(storeUrl, COOP);
  await recordCommands(storeUrl, COOP, postingCommands(3));
  const store = await openEventStore(storeUrl);
  try {
    const snapshot = await createCommandHandler({ store }).load(COOP);
    await readModelSnapshotTableFor(store)?.save(
      NAME,
      BigInt(snapshot.revision),
      encodeCooperativeSnapshot(snapshot),
    );
  } finally {
    await store.close();
  }
  return { directory, storeUrl };
};

describe("verify and the stored snapshots", () => {
  it("checks a snapshot written from one loaded, caught up and read from, as the service writes it", async () => {
    const { directory, storeUrl } = await storeWithSnapshot();
    await recordCommands(storeUrl, COOP, [reversalOfEntryOne, ...postingCommands(4).slice(3)]);
    await saveSnapshotLoadedAndAdvanced(storeUrl);
    const result = await runBukubesar(["verify"], { cwd: directory, env: ENV });
    expect(result.stdout).toContain(`ok    snapshot ${NAME}: revision 148`);
    expect(result.code).toBe(0);
  }, 60_000);

  it("names an entry edited in the packed entries with the hash recomputed, though the balances agree", async () => {
    const { directory, storeUrl } = await storeWithSnapshot();
    await editStored(storeUrl, withPackedText(entryOneShrunk));
    const result = await runBukubesar(["verify", "--json"], { cwd: directory, env: ENV });
    const report = JSON.parse(result.stdout) as SnapshotsJson;
    const finding = report.snapshots.find((snapshot) => snapshot.name === NAME);
    expect(finding?.ok).toBe(false);
    expect(finding?.code).toBe("snapshot_differs");
    expect(finding?.reason).toContain("entry entry-1");
    expect(finding?.reason).toContain("lines");
    expect(report.ok).toBe(false);
    expect(result.code).toBe(1);
  }, 60_000);

  it("drops an edited snapshot with drop-snapshot, as verify's finding advises, after which verify is sound", async () => {
    const { directory, storeUrl } = await storeWithSnapshot();
    await editStored(storeUrl, withPackedText(entryOneShrunk));
    const found = await runBukubesar(["verify"], { cwd: directory, env: ENV });
    expect(found.code).toBe(1);
    expect(found.stdout).toContain(`bukubesar drop-snapshot --coop ${COOP}`);

    const dropped = await runBukubesar(["drop-snapshot", "--coop", COOP], { cwd: directory, env: ENV });
    expect(dropped.code).toBe(0);
    expect(dropped.stdout).toContain(`Dropped ${NAME}.`);
    const again = await runBukubesar(["drop-snapshot", "--coop", COOP], { cwd: directory, env: ENV });
    expect(again.stdout).toContain(`No stored snapshot ${NAME}.`);
    const sound = await runBukubesar(["verify"], { cwd: directory, env: ENV });
    expect(sound.code).toBe(0);
    expect(sound.stdout).not.toContain(NAME);

    const usage = await runBukubesar(["drop-snapshot"], { cwd: directory, env: ENV });
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("--coop <id> or --rules");
  }, 60_000);

  it("names packed entries that are not JSON as damaged, before the service would fail on them", async () => {
    const { directory, storeUrl } = await storeWithSnapshot();
    await editStored(
      storeUrl,
      withPackedText((text) => text.slice(0, -1)),
    );
    const result = await runBukubesar(["verify"], { cwd: directory, env: ENV });
    expect(result.stdout).toContain(`FAIL  snapshot ${NAME} (snapshot_damaged)`);
    expect(result.stdout).toContain("its packed entries cannot be read");
    expect(result.code).toBe(1);
  }, 60_000);

  it("checks a snapshot as written, and names one edited with or without its hash recomputed", async () => {
    const directory = temporaryDirectory();
    const storeUrl = `sqlite:${join(directory, "data", "bukubesar.db")}`;
    await openCooperative(storeUrl, COOP);
    await recordCommands(storeUrl, COOP, postingCommands(3));
    const store = await openEventStore(storeUrl);
    try {
      const snapshot = await createCommandHandler({ store }).load(COOP);
      await readModelSnapshotTableFor(store)?.save(
        NAME,
        BigInt(snapshot.revision),
        encodeCooperativeSnapshot(snapshot),
      );
    } finally {
      await store.close();
    }
    const run = (args: string[]) => runBukubesar(args, { cwd: directory, env: ENV });

    const sound = await run(["verify"]);
    expect(sound.stdout).toContain(`ok    snapshot ${NAME}: revision`);
    expect(sound.code).toBe(0);

    await editStored(storeUrl, inflated);
    const recomputed = await run(["verify"]);
    expect(recomputed.stdout).toContain(`FAIL  snapshot ${NAME}`);
    expect(recomputed.stdout).toContain("trial balance differs");
    expect(recomputed.code).toBe(1);

    await editStored(storeUrl, (parts) => [
      (parts[0] as string).replace(/"contentSha256":"[0-9a-f]/, '"contentSha256":"x'),
      ...parts.slice(1),
    ]);
    const edited = await run(["verify", "--json"]);
    const report = JSON.parse(edited.stdout) as {
      ok: boolean;
      snapshots: { ok: boolean; reason?: string }[];
    };
    expect(report.ok).toBe(false);
    expect(report.snapshots[0]?.reason).toContain("does not match the hash");
    expect(edited.code).toBe(1);
  }, 60_000);
});
