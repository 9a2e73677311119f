/**
 * Fail-stop on tampering (docs/reliability.md, integrity checks): an event edited behind the store's back
 * makes its cooperative read-only (writes 503 `ledger_integrity`), raises one high alert, shows in
 * `/ready`, and stays so until an admin (not a supervisor) acknowledges; other cooperatives go on. Found
 * when the cooperative is loaded after a restart, and in the background for a tail another process wrote.
 */
import { DatabaseSync } from "node:sqlite";
import { openEventStore } from "@bukubesar/event-store";
import { chainEvents, ledgerStreamId } from "@bukubesar/ledger-core";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { freshStore, type Harness, startHarness } from "./harness.js";

const COOP = "kkmp-utuh";
const OTHER = "kkmp-lain";

const entry = (memo: string) => ({
  date: "2026-02-02",
  memo,
  lines: [
    { account: "1101", debit: "1000" },
    { account: "3300", credit: "1000" },
  ],
});

const open = async (harness: Harness, id: string) => {
  const created = await harness.call("POST", "/v1/cooperatives", {
    body: { id, name: `KKMP ${id}`, regionCode: "35.74.03.1002", chart: "kkmp" },
  });
  expect(created.status).toBe(201);
};

const post = (harness: Harness, coopId: string, key: string) =>
  harness.call("POST", `/v1/cooperatives/${coopId}/journal-entries`, {
    body: entry(key),
    headers: { "idempotency-key": key },
  });

/** Plays the attacker who holds the database: rewrites the memo of one stored event of a stream. */
const editStoredMemo = async (url: string, streamName: string, memo: string): Promise<number> => {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const found = await client.query(
      `SELECT e.position::text AS position, e.revision::int AS revision, e.data FROM event_store_events e
       JOIN event_store_streams s ON s.stream_id = e.stream_id
       WHERE s.name = $1 AND e.type = 'JournalEntryPosted' ORDER BY e.revision LIMIT 1`,
      [streamName],
    );
    const row = found.rows[0] as { position: string; revision: number; data: string };
    const data = JSON.parse(row.data) as { memo: string };
    await client.query("UPDATE event_store_events SET data = $1 WHERE position = $2", [
      JSON.stringify({ ...data, memo }),
      row.position,
    ]);
    return row.revision;
  } finally {
    await client.end();
  }
};

const waitFor = async <T>(what: () => Promise<T | undefined>, timeoutMs: number): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await what();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};

describe("fail-stop on a broken hash chain", () => {
  let harness: Harness | undefined;
  let cleanup: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await harness?.stop();
    await cleanup?.();
    harness = undefined;
  });

  it("an edited event found at load makes its cooperative read-only until an admin acknowledges", async () => {
    const database = await freshStore("postgres");
    cleanup = database.cleanup;
    harness = await startHarness(database.url);
    await open(harness, COOP);
    await open(harness, OTHER);
    for (const key of ["satu", "dua"]) expect((await post(harness, COOP, key)).status).toBe(201);
    await harness.stop();
    const badRevision = await editStoredMemo(database.url, ledgerStreamId(COOP), "diubah diam-diam");
    harness = await startHarness(database.url);

    // Reads still answer (as of the last sound event) and say so; writes are refused with the stable code.
    const read = await harness.call("GET", `/v1/cooperatives/${COOP}/trial-balance`);
    expect(read.status).toBe(200);
    expect(read.headers.get("ledger-integrity")).toMatch(
      new RegExp(`^broken; revision=${badRevision}; alert=\\S+$`),
    );
    expect(
      (await harness.call("GET", `/v1/cooperatives/${OTHER}`)).headers.get("ledger-integrity"),
    ).toBeNull();
    const refused = await post(harness, COOP, "tiga");
    expect([refused.status, refused.body.code]).toEqual([503, "ledger_integrity"]);
    expect((await post(harness, OTHER, "lain")).status).toBe(201);

    const ready = await harness.call("GET", "/ready", { token: null });
    expect(ready.status).toBe(200);
    expect(ready.body.status).toBe("degraded");
    expect(ready.body.readOnly).toEqual([
      expect.objectContaining({ coopId: COOP, revision: badRevision, reason: expect.any(String) }),
    ]);
    const alertId = ready.body.readOnly[0].alertId as string;
    const alert = await waitFor(async () => {
      const listed = await harness?.call("GET", "/v1/alerts?severity=high");
      const alerts = (listed?.body.alerts ?? []) as { alertId: string; rule: string }[];
      return alerts.find((a) => a.alertId === alertId);
    }, 5_000);
    expect(alert).toMatchObject({ rule: "ledger-integrity", coopId: COOP, severity: "high" });

    const supervisor = await harness.call("POST", "/v1/tokens", {
      body: { role: "supervisor", scope: "35.74", name: "pengawas" },
    });
    const bySupervisor = await harness.call("POST", `/v1/alerts/${alertId}/acknowledge`, {
      token: supervisor.body.token,
      body: { note: "sudah dilihat" },
    });
    expect([bySupervisor.status, bySupervisor.body.code]).toEqual([403, "forbidden"]);
    expect((await post(harness, COOP, "empat")).status).toBe(503);

    const byAdmin = await harness.call("POST", `/v1/alerts/${alertId}/acknowledge`, {
      body: { note: "diperiksa, dipulihkan dari cadangan kertas" },
    });
    expect(byAdmin.status).toBe(200);
    const posted = await post(harness, COOP, "lima");
    expect(posted.status).toBe(201);
    expect(posted.headers.get("ledger-integrity")).toBeNull();
    expect((await harness.call("GET", "/ready", { token: null })).body).toMatchObject({
      status: "ready",
      readOnly: [],
    });

    // The acknowledgement is recorded: after a restart the same break is accepted, and raised only once.
    harness = await harness.restart();
    expect((await post(harness, COOP, "enam")).status).toBe(201);
    const alerts = await harness.call("GET", "/v1/alerts?severity=high");
    expect(
      (alerts.body.alerts as { rule: string }[]).filter((a) => a.rule === "ledger-integrity"),
    ).toHaveLength(1);
  });

  it("a bad tail another process appended is found in the background, without any request", async () => {
    const database = await freshStore("postgres");
    cleanup = database.cleanup;
    harness = await startHarness(database.url, { integrityCheckIntervalMs: 100 });
    await open(harness, COOP);
    expect((await post(harness, COOP, "satu")).status).toBe(201);

    // Another process appends an event whose hash does not chain (an old writer, a hand-made insert).
    const other = await openEventStore(database.url);
    try {
      const [head] = await other.readStream(ledgerStreamId(COOP), { direction: "backwards", limit: 1 });
      if (head === undefined) throw new Error("no head");
      await other.append(ledgerStreamId(COOP), head.revision, [
        {
          eventId: "00000000-0000-5000-8000-00000000beef",
          type: head.type,
          data: { ...(head.data as object), memo: "sisipan" },
          metadata: { ...(head.metadata as object), prevHash: "f".repeat(64), hash: "e".repeat(64) },
        },
      ]);
    } finally {
      await other.close();
    }
    const readOnly = await waitFor(async () => {
      const ready = await harness?.call("GET", "/ready", { token: null });
      return ready?.body.readOnly.length > 0 ? ready?.body.readOnly : undefined;
    }, 5_000);
    expect(readOnly[0]).toMatchObject({ coopId: COOP, reason: expect.stringContaining("prevHash") });
    const refused = await post(harness, COOP, "dua");
    expect([refused.status, refused.body.code]).toEqual([503, "ledger_integrity"]);
  });

  it("a chained event of a type the ledger does not know is a break, at load and in verify, never folded", async () => {
    const database = await freshStore("sqlite");
    cleanup = database.cleanup;
    harness = await startHarness(database.url);
    await open(harness, COOP);
    expect((await post(harness, COOP, "satu")).status).toBe(201);
    await harness.stop();

    // Its hashes chain, so only the checked decoder can tell that it is no ledger event.
    const other = await openEventStore(database.url);
    let foreignRevision = -1;
    try {
      const [head] = await other.readStream(ledgerStreamId(COOP), { direction: "backwards", limit: 1 });
      if (head === undefined) throw new Error("no head");
      const { hash, prevHash: _prevHash, ...metadata } = head.metadata as { hash: string; prevHash: string };
      const foreign = {
        type: "LedgerRenamed",
        data: { name: "lain" },
        metadata: { ...metadata, eventId: "x-1" },
      };
      foreignRevision = head.revision + 1;
      await other.append(
        ledgerStreamId(COOP),
        head.revision,
        chainEvents([foreign], { nextRevision: foreignRevision, headHash: hash }).map((event) => ({
          eventId: "00000000-0000-5000-8000-00000000cafe",
          ...event,
        })),
      );
    } finally {
      await other.close();
    }
    harness = await startHarness(database.url);

    const verified = await harness.call("GET", `/v1/cooperatives/${COOP}/verify`);
    expect(verified.body).toMatchObject({
      ok: false,
      firstBadRevision: foreignRevision,
      reason: expect.stringContaining("unknown type"),
    });
    const read = await harness.call("GET", `/v1/cooperatives/${COOP}/trial-balance`);
    expect(read.status).toBe(200);
    expect(read.headers.get("ledger-integrity")).toMatch(
      new RegExp(`^broken; revision=${foreignRevision}; `),
    );
    const refused = await post(harness, COOP, "dua");
    expect([refused.status, refused.body.code]).toEqual([503, "ledger_integrity"]);
  });

  it("a shared shape row edited behind the store's back is a break at its first event, not a 500", async () => {
    const database = await freshStore("sqlite");
    cleanup = database.cleanup;
    harness = await startHarness(database.url);
    await open(harness, COOP);
    expect((await post(harness, COOP, "satu")).status).toBe(201);
    await harness.stop();

    // The shape of the posted entry's data, edited so that it is no JSON; every event using it is damaged.
    const file = new DatabaseSync(database.url.slice("sqlite:".length));
    let badRevision = -1;
    try {
      const posted = file
        .prepare(
          "SELECT e.data_shape AS shapeId FROM events e JOIN streams s ON s.stream_id = e.stream_id WHERE s.name = ? AND e.type = 'JournalEntryPosted'",
        )
        .get(ledgerStreamId(COOP)) as { shapeId: number };
      const first = file
        .prepare(
          "SELECT min(e.revision) AS revision FROM events e JOIN streams s ON s.stream_id = e.stream_id WHERE s.name = ? AND e.data_shape = ?",
        )
        .get(ledgerStreamId(COOP), posted.shapeId) as { revision: number };
      badRevision = first.revision;
      file.prepare("UPDATE shapes SET shape = shape || 'x' WHERE shape_id = ?").run(posted.shapeId);
    } finally {
      file.close();
    }
    harness = await startHarness(database.url);

    // Before, the load threw a SyntaxError from the shape compiler and every request of it answered 500.
    const read = await harness.call("GET", `/v1/cooperatives/${COOP}/trial-balance`);
    expect(read.status).toBe(200);
    expect(read.headers.get("ledger-integrity")).toMatch(new RegExp(`^broken; revision=${badRevision}; `));
    const refused = await post(harness, COOP, "dua");
    expect([refused.status, refused.body.code]).toEqual([503, "ledger_integrity"]);
  });
});
