/**
 * `bukubesar verify` checks every stored snapshot (docs/operations.md, Memory budget and snapshots): a
 * cooperative's snapshot as the service writes it checks; one whose content was edited fails on its hash;
 * one edited with its hash recomputed fails on its balances, which differ from the log's at its revision.
 */
import { join } from "node:path";
import { deserialize } from "node:v8";
import { openEventStore, readModelSnapshotTableFor, type SnapshotPart } from "@bukubesar/event-store";
import { createCommandHandler } from "@bukubesar/ledger-api";
import { reviveClonedReadModel } from "@bukubesar/projections";
import {
  cooperativeSnapshotName,
  encodeCooperativeSnapshot,
  type LedgerSnapshot,
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

describe("verify and the stored snapshots", () => {
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
