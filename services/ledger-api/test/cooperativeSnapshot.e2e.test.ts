/**
 * Per-cooperative snapshots in service (docs/operations.md, Memory budget): written in the background, a
 * restart loads the cooperative from its snapshot plus the events after it and answers exactly as before;
 * a stored snapshot whose content or chain head was edited is refused (docs/reliability.md: integrity checks
 * cover everything served), the cooperative is rebuilt from the log, and a critical alert is recorded. So
 * is one whose packed entries cannot be built, found only by the first request that needs them.
 */
import { createHash } from "node:crypto";
import { deserialize, serialize } from "node:v8";
import { alertsStreamId } from "@bukubesar/alerts";
import {
  type EventStore,
  openEventStore,
  readModelSnapshotTableFor,
  type SnapshotPart,
} from "@bukubesar/event-store";
import { credit, debit } from "@bukubesar/ledger-core/testing";
import {
  cooperativeSnapshotName,
  encodeCooperativeSnapshot,
  type LedgerSnapshot,
} from "@bukubesar/snapshots";
import { afterAll, describe, expect, it } from "vitest";
import { SNAPSHOT_INTEGRITY_RULE } from "../src/cooperativeState.js";
import { createCommandHandler } from "../src/index.js";
import { type Backend, freshStore, type Harness, startHarness } from "./harness.js";

const COOP = "kkmp-snapshot";
const coopPath = `/v1/cooperatives/${COOP}`;
const backends: Backend[] = ["sqlite", "postgres"];
const AMOUNTS = ["150000", "275000.50", "90000"];
const REPORT_PATHS = [
  `${coopPath}/trial-balance?asOf=2026-12-31`,
  `${coopPath}/balance-sheet?asOf=2026-12-31`,
  `${coopPath}/income-statement?from=2026-01-01&to=2026-12-31`,
  `${coopPath}/ledger/1101?from=2026-01-01&to=2026-12-31`,
];

/** Posts one entry straight through the command handler while no server runs. */
const postOffline = async (store: EventStore, amount: string) => {
  const result = await createCommandHandler({ store }).execute(
    COOP,
    {
      type: "PostJournalEntry",
      data: {
        entryId: "offline-entry",
        date: "2026-03-10",
        memo: "dicatat saat layanan berhenti",
        lines: [debit("1101", amount), credit("3300", amount)],
      },
      actor: { principalId: "test-admin", role: "admin" },
    },
    {
      principalId: "test-admin",
      role: "admin",
      route: "test",
      idempotencyKey: null,
      requestHash: null,
      correlationId: null,
    },
  );
  expect(result.kind).toBe("recorded");
};

/** Opens the cooperative and posts AMOUNTS; answers the reports as served, with the snapshot saved. */
const seed = async (harness: Harness): Promise<unknown[]> => {
  const created = await harness.call("POST", "/v1/cooperatives", {
    body: { id: COOP, name: "KKMP Snapshot", regionCode: "35.74.03.1002", chart: "kkmp" },
  });
  expect(created.status).toBe(201);
  for (const [index, amount] of AMOUNTS.entries()) {
    const posted = await harness.call("POST", `${coopPath}/journal-entries`, {
      body: {
        date: `2026-02-0${index + 1}`,
        memo: "setoran",
        lines: [
          { account: "1101", debit: amount },
          { account: "3300", credit: amount },
        ],
      },
      headers: { "idempotency-key": `entry-${index}` },
    });
    expect(posted.status).toBe(201);
  }
  await harness.built.context.snapshotWriter?.flush(1);
  return Promise.all(REPORT_PATHS.map(async (path) => (await harness.call("GET", path)).body));
};

const cashDebit = async (harness: Harness): Promise<string> => {
  const balance = await harness.call("GET", `${coopPath}/trial-balance?asOf=2026-12-31`);
  return balance.body.accounts.find((account: { code: string }) => account.code === "1101").debit;
};

/** Rewrites the stored snapshot through `edit`, keeping or recomputing its header. */
const editStoredSnapshot = async (
  url: string,
  edit: (parts: SnapshotPart[]) => SnapshotPart[],
): Promise<void> => {
  const store = await openEventStore(url);
  try {
    const table = readModelSnapshotTableFor(store);
    const record = await table?.loadParts(cooperativeSnapshotName(COOP));
    if (table === null || record === null || record === undefined) throw new Error("no stored snapshot");
    await table.save(cooperativeSnapshotName(COOP), record.position, edit([...record.parts]));
  } finally {
    await store.close();
  }
};

/** The body of a stored snapshot with 1101's first day of debits raised by 1,000,000 sen. */
const inflatedCash = (parts: SnapshotPart[]): { body: Buffer; clone: Record<string, unknown> } => {
  const clone = deserialize(Buffer.concat(parts.slice(1) as Uint8Array[])) as {
    model: { accounts: Map<string, { totals: { buckets: Map<number, { debitSmall: number }> } }> };
  };
  const bucket = clone.model.accounts.get("1101")?.totals.buckets.values().next().value;
  if (bucket === undefined) throw new Error("no posting on 1101 in the snapshot");
  bucket.debitSmall += 1_000_000;
  return { body: serialize(clone), clone };
};

/** The stored snapshot with its packed entries cut short (not JSON), its content hash recomputed. */
const unreadableEntries = (parts: SnapshotPart[]): SnapshotPart[] => {
  const header = JSON.parse(parts[0] as string) as {
    format: number;
    coopId: string;
    revision: number;
    headHash: string;
  };
  const clone = deserialize(Buffer.concat(parts.slice(1) as Uint8Array[])) as { entries: string };
  const body = serialize({ ...clone, entries: clone.entries.slice(0, -1) });
  const contentSha256 = createHash("sha256")
    .update(`${header.format}\n${header.coopId}\n${header.revision}\n${header.headHash}\n`, "utf8")
    .update(body)
    .digest("hex");
  return [JSON.stringify({ ...header, contentSha256 }), body];
};

const integrityAlerts = async (store: EventStore) =>
  (await store.readStream(alertsStreamId(COOP))).filter(
    (event) => (event.data as { rule?: string }).rule === SNAPSHOT_INTEGRITY_RULE,
  );

describe.each(backends)("per-cooperative snapshots on %s", (backend) => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups) await cleanup();
  });

  it("a restart loads the cooperative from its snapshot plus the events after it and reports the same", async () => {
    const fresh = await freshStore(backend);
    cleanups.push(fresh.cleanup);
    let harness = await startHarness(fresh.url);
    const before = await seed(harness);
    await harness.stop();
    const store = await openEventStore(fresh.url);
    try {
      await postOffline(store, "1000000");
    } finally {
      await store.close();
    }
    harness = await startHarness(fresh.url);
    try {
      const totalAfter = (await harness.call("GET", REPORT_PATHS[0] as string)).body.totals.debit;
      expect(Number(totalAfter) - Number((before[0] as { totals: { debit: string } }).totals.debit)).toBe(
        1_000_000,
      );
      expect(harness.built.context.cache.usage()).toMatchObject({ fromSnapshot: 1, fromLog: 0 });
      const balanceSheet = (await harness.call("GET", REPORT_PATHS[1] as string)).body;
      expect(balanceSheet.assets.total).not.toBe((before[1] as { assets: { total: string } }).assets.total);
    } finally {
      await harness.stop();
    }
  }, 60_000);

  it("an edited snapshot is refused: the reports stay right and a critical alert is recorded", async () => {
    const fresh = await freshStore(backend);
    cleanups.push(fresh.cleanup);
    let harness = await startHarness(fresh.url);
    await seed(harness);
    const rightCash = await cashDebit(harness);
    await harness.stop();

    // The content edited, the header kept: the content no longer matches its hash.
    await editStoredSnapshot(fresh.url, (parts) => [parts[0] as string, inflatedCash(parts).body]);
    harness = await startHarness(fresh.url);
    try {
      expect(await cashDebit(harness)).toBe(rightCash);
      expect(harness.built.context.cache.usage()).toMatchObject({ fromSnapshot: 0, fromLog: 1 });
      await expect.poll(async () => (await integrityAlerts(harness.store)).length).toBe(1);
      const [alert] = await integrityAlerts(harness.store);
      expect(alert?.data).toMatchObject({ severity: "high", coopId: COOP, regionCode: "35.74.03.1002" });
      await harness.built.context.snapshotWriter?.flush(1);
    } finally {
      await harness.stop();
    }

    // The content edited and its hash recomputed, but on another chain head: not built from this log.
    await editStoredSnapshot(fresh.url, (parts) => {
      const { clone } = inflatedCash(parts);
      const header = JSON.parse(parts[0] as string) as { revision: number };
      const forged = {
        ...(clone as object),
        coopId: COOP,
        revision: header.revision,
        headHash: "0".repeat(64),
      } as unknown as LedgerSnapshot;
      return encodeCooperativeSnapshot(forged);
    });
    harness = await startHarness(fresh.url);
    try {
      expect(await cashDebit(harness)).toBe(rightCash);
      expect(harness.built.context.cache.usage()).toMatchObject({ fromSnapshot: 0, fromLog: 1 });
      await expect.poll(async () => (await integrityAlerts(harness.store)).length).toBe(2);
    } finally {
      await harness.stop();
    }
  }, 60_000);

  it("packed entries that cannot be built answer one request 503 to retry, then the cooperative is rebuilt from the log and an alert recorded", async () => {
    const fresh = await freshStore(backend);
    cleanups.push(fresh.cleanup);
    let harness = await startHarness(fresh.url);
    await seed(harness);
    const entriesPath = `${coopPath}/journal-entries`;
    const rightEntries = (await harness.call("GET", entriesPath)).body;
    await harness.stop();

    await editStoredSnapshot(fresh.url, unreadableEntries);
    harness = await startHarness(fresh.url);
    try {
      // The hash checks, so the snapshot is loaded; the trial balance leaves its entries packed.
      expect((await harness.call("GET", `${coopPath}/trial-balance?asOf=2026-12-31`)).status).toBe(200);
      expect(harness.built.context.cache.usage()).toMatchObject({ fromSnapshot: 1, fromLog: 0 });
      const first = await harness.call("GET", entriesPath);
      expect(first.status).toBe(503);
      expect(first.body).toMatchObject({ code: "store_unavailable" });
      expect(first.headers.get("retry-after")).not.toBeNull();
      const second = await harness.call("GET", entriesPath);
      expect(second.status).toBe(200);
      expect(second.body).toEqual(rightEntries);
      expect(harness.built.context.cache.usage()).toMatchObject({ fromSnapshot: 1, fromLog: 1 });
      await expect.poll(async () => (await integrityAlerts(harness.store)).length).toBe(1);
      const [alert] = await integrityAlerts(harness.store);
      expect(alert?.data).toMatchObject({ severity: "high", coopId: COOP, regionCode: "35.74.03.1002" });
      expect(JSON.stringify(alert?.data)).toContain("packed entries cannot be read");
    } finally {
      await harness.stop();
    }
  }, 60_000);
});
