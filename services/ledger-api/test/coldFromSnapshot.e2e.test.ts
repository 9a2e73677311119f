/**
 * A cooperative loaded from its stored snapshot keeps its per-entry collections packed until something
 * first reads them (packages/snapshots/src/lazyEntries.ts; docs/operations.md, Memory budget and
 * snapshots). Every path that needs the entries must then build them, and answer exactly as a service
 * that never let the cooperative go: here each read, write and refusal of docs/api.md that touches
 * entries is the first request on a cooperative freshly loaded from a snapshot written at its latest
 * revision (one report also on a snapshot one event behind, so an event is folded into it first).
 *
 * Two services run the same requests in lockstep with the same clock, principals and request ids, so
 * their answers are equal field for field, chain hashes included: the "cold" one holds a single
 * cooperative (its budget is one byte) and is made to let this one go before every step by a request
 * to another cooperative; the "warm" one keeps no snapshots and never lets anything go.
 */
import { copyFileSync, existsSync } from "node:fs";
import { readModelSnapshotTableFor } from "@bukubesar/event-store";
import { cooperativeSnapshotName } from "@bukubesar/snapshots";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshStore, type Harness, startHarness } from "./harness.js";

const COOP = "kkmp-dingin";
const coopPath = `/v1/cooperatives/${COOP}`;
/** The cooperative a request to which pushes COOP out of the cold service's memory. */
const OTHER = "kkmp-penyela";
/** After the end of 2025 in every Indonesian zone, so that fiscal year may be closed. */
const NOW = "2026-06-15T03:00:00.000Z";
/** Entries above this total wait for an approver (docs/api.md, settings). */
const APPROVAL_THRESHOLD = "5000000";
/** A budget no two cooperatives fit in: the cold service holds only the one it served last. */
const ONE_COOPERATIVE_BUDGET_BYTES = 1;
/**
 * Longer than the test: the cold service writes snapshots only when the test flushes them, and its
 * periodic check of the held cooperatives' tails never loads COOP between an eviction and a step.
 */
const NOT_DURING_THE_TEST_MS = 3_600_000;

type Role = "admin" | "treasurer" | "approver";

interface Request {
  readonly method: "GET" | "POST";
  /** Under the cooperative's path. */
  readonly path: string;
  readonly body?: unknown;
  /** Who sends it; the treasurer when not given. */
  readonly as?: Role;
}

/** What is compared between the two services: everything the client sees but the date header. */
interface Seen {
  readonly status: number;
  readonly revision: string | null;
  readonly type: string | null;
  // biome-ignore lint/suspicious/noExplicitAny: answers are inspected field by field
  readonly body: any;
}

interface Twin {
  readonly cold: Harness;
  readonly warm: Harness;
  readonly tokens: Record<Role, string>;
  /** The cold service's last Ledger-Revision of COOP. */
  revision: number;
  requests: number;
}

const sqlitePath = (url: string): string => url.slice("sqlite:".length);

/** Copies a closed SQLite store (with its journal files, if any) over a fresh one. */
const copyStore = (fromUrl: string, toUrl: string): void => {
  for (const suffix of ["", "-wal", "-shm"]) {
    const from = sqlitePath(fromUrl) + suffix;
    if (existsSync(from)) copyFileSync(from, sqlitePath(toUrl) + suffix);
  }
};

/** Opens both cooperatives, the approval threshold, the members and the tokens (both services share them). */
const openBooks = async (harness: Harness): Promise<Record<Role, string>> => {
  for (const [id, name] of [
    [COOP, "KKMP Dingin"],
    [OTHER, "KKMP Penyela"],
  ] as const) {
    const created = await harness.call("POST", "/v1/cooperatives", {
      body: { id, name, regionCode: "35.74.03.1002", chart: "kkmp" },
    });
    expect(created.status).toBe(201);
  }
  const settings = await harness.call("PATCH", `${coopPath}/settings`, {
    body: { approvalThreshold: APPROVAL_THRESHOLD },
  });
  expect(settings.status).toBe(200);
  // A member's registration takes no idempotency key, so its event's id (and the chain's hashes from
  // there on) would differ between the services: the members are registered before the copy.
  for (const [memberId, name] of [
    ["A-0001", "Siti Aminah"],
    ["A-0002", "Budi Santoso"],
  ]) {
    const member = await harness.call("POST", `${coopPath}/members`, {
      body: { memberId, name, joinedOn: "2025-01-02", role: "member" },
    });
    expect(member.status).toBe(201);
  }
  const tokens: Record<Role, string> = { admin: harness.admin, treasurer: "", approver: "" };
  for (const role of ["treasurer", "approver"] as const) {
    const issued = await harness.call("POST", "/v1/tokens", { body: { role, scope: COOP, name: role } });
    expect(issued.status).toBe(201);
    tokens[role] = issued.body.token;
  }
  return tokens;
};

const send = async (twin: Twin, harness: Harness, request: Request): Promise<Seen> => {
  const headers: Record<string, string> = { "x-request-id": `dingin-${twin.requests}` };
  if (request.method === "POST") headers["idempotency-key"] = `dingin-${twin.requests}`;
  const answer = await harness.call(request.method, `${coopPath}/${request.path}`, {
    token: twin.tokens[request.as ?? "treasurer"],
    headers,
    ...(request.body === undefined ? {} : { body: request.body }),
  });
  return {
    status: answer.status,
    revision: answer.headers.get("ledger-revision"),
    type: answer.headers.get("content-type"),
    body: answer.body,
  };
};

/** Sends the request to both services; their answers must be equal. */
const both = async (twin: Twin, request: Request): Promise<Seen> => {
  twin.requests++;
  const cold = await send(twin, twin.cold, request);
  const warm = await send(twin, twin.warm, request);
  expect(cold).toEqual(warm);
  if (cold.revision !== null) twin.revision = Number(cold.revision);
  return cold;
};

/** The revision of COOP's stored snapshot on the cold service, or -1. */
const storedRevision = async (twin: Twin): Promise<number> => {
  const table = readModelSnapshotTableFor(twin.cold.store);
  const record = await table?.loadParts(cooperativeSnapshotName(COOP));
  return record === null || record === undefined ? -1 : Number(record.position);
};

/** Makes the cold service let COOP go, by serving the other cooperative. */
const evict = async (twin: Twin): Promise<void> => {
  const other = await twin.cold.call("GET", `/v1/cooperatives/${OTHER}/trial-balance?asOf=2026-12-31`);
  expect(other.status).toBe(200);
  expect(twin.cold.built.context.cache.cachedCooperatives()).not.toContain(COOP);
};

/**
 * Sends the request to both services, the cold one having just let COOP go, and checks that it loaded
 * COOP back from its stored snapshot: written at COOP's latest revision, or, with `tail`, one event
 * behind it (that event is then folded into the snapshot as loaded, before anything reads the entries).
 */
const coldly = async (twin: Twin, request: Request, options: { tail?: boolean } = {}): Promise<Seen> => {
  if (options.tail === true) expect(await storedRevision(twin)).toBe(twin.revision - 1);
  else {
    await twin.cold.built.context.snapshotWriter?.flush(1);
    expect(await storedRevision(twin)).toBe(twin.revision);
  }
  await evict(twin);
  const cache = twin.cold.built.context.cache;
  const before = cache.usage();
  const seen = await both(twin, request);
  const after = cache.usage();
  expect(after.fromSnapshot - before.fromSnapshot).toBe(1);
  expect(after.fromLog).toBe(before.fromLog);
  return seen;
};

/** Whether the cold service's copy of COOP still holds its entries as the snapshot's packed text. */
const entriesStillPacked = (twin: Twin): boolean => {
  const held = twin.cold.built.context.cache.cached(COOP);
  if (held === undefined) throw new Error("the cold service does not hold the cooperative");
  // While packed, the entries are an accessor of the state's prototype, not a property of its own.
  return !Object.hasOwn(held.state, "entries");
};

const entry = (date: string, memo: string, debit: object, credit: object, amount: string) => ({
  method: "POST" as const,
  path: "journal-entries",
  body: {
    date,
    memo,
    lines: [
      { ...debit, debit: amount },
      { ...credit, credit: amount },
    ],
  },
});

/** The entries of the history whose ids the steps use. */
interface History {
  readonly saleToMember: string;
  readonly reversedEarlier: string;
  readonly toReverse: string;
  readonly proposal: string;
  readonly entryCount: number;
}

const posted = async (twin: Twin, request: Request, status = 201): Promise<string> => {
  const seen = await both(twin, request);
  expect(seen.status).toBe(status);
  return seen.body.entryId;
};

/** Postings to member accounts, an early reversal, a rejected and a pending proposal. */
const recordHistory = async (twin: Twin): Promise<History> => {
  const a1 = { memberId: "A-0001" };
  const a2 = { memberId: "A-0002" };
  await posted(
    twin,
    entry("2025-01-10", "simpanan pokok", { account: "1101" }, { account: "3100", ...a1 }, "100000"),
  );
  await posted(
    twin,
    entry("2025-01-10", "simpanan pokok", { account: "1101" }, { account: "3100", ...a2 }, "100000"),
  );
  await posted(
    twin,
    entry("2025-02-05", "simpanan wajib", { account: "1101" }, { account: "3200", ...a1 }, "50000"),
  );
  // Below the approval threshold each, so posted at once.
  for (const date of ["2025-02-20", "2025-02-21"])
    await posted(twin, entry(date, "pinjaman bank", { account: "1111" }, { account: "2601" }, "4500000"));
  await posted(
    twin,
    entry("2025-03-01", "pinjaman anggota", { account: "1201", ...a1 }, { account: "1111" }, "1000000"),
  );
  const saleToMember = await posted(
    twin,
    entry("2025-04-01", "penjualan sembako", { account: "1101" }, { account: "4101", ...a2 }, "300000"),
  );
  await posted(twin, entry("2025-04-02", "gaji", { account: "6101" }, { account: "1101" }, "100000"));
  const reversedEarlier = await posted(
    twin,
    entry("2025-05-01", "salah catat", { account: "6101" }, { account: "1101" }, "40000"),
  );
  const reversal = { date: "2025-05-02", reason: "salah akun" };
  await posted(twin, { method: "POST", path: `journal-entries/${reversedEarlier}/reverse`, body: reversal });
  const toReverse = await posted(
    twin,
    entry("2025-06-01", "simpanan wajib", { account: "1101" }, { account: "3200", ...a2 }, "75000"),
  );
  const proposal = await posted(
    twin,
    entry("2025-07-01", "pinjaman besar", { account: "1201", ...a2 }, { account: "1111" }, "6000000"),
    202,
  );
  const rejected = await posted(
    twin,
    entry("2025-07-02", "beban besar", { account: "6101" }, { account: "1111" }, "6000000"),
    202,
  );
  const rejection = {
    method: "POST" as const,
    path: `journal-entries/${rejected}/reject`,
    as: "approver" as const,
  };
  expect((await both(twin, { ...rejection, body: { reason: "tidak wajar" } })).status).toBe(200);
  await posted(
    twin,
    entry("2026-01-15", "simpanan wajib", { account: "1101" }, { account: "3200", ...a1 }, "50000"),
  );
  return { saleToMember, reversedEarlier, toReverse, proposal, entryCount: 14 };
};

describe("a cooperative loaded from its snapshot answers every path that needs its entries as one never let go", () => {
  const cleanups: (() => Promise<void>)[] = [];
  let twin: Twin;
  let history: History;

  beforeAll(async () => {
    const coldStore = await freshStore("sqlite");
    const warmStore = await freshStore("sqlite");
    cleanups.push(coldStore.cleanup, warmStore.cleanup);
    const setup = await startHarness(coldStore.url, { now: () => NOW });
    const tokens = await openBooks(setup);
    await setup.stop();
    copyStore(coldStore.url, warmStore.url);
    const cold = await startHarness(coldStore.url, {
      now: () => NOW,
      cooperativeState: {
        memoryBudgetBytes: ONE_COOPERATIVE_BUDGET_BYTES,
        snapshotIntervalMs: NOT_DURING_THE_TEST_MS,
      },
      integrityCheckIntervalMs: NOT_DURING_THE_TEST_MS,
    });
    cleanups.push(() => cold.stop());
    const warm = await startHarness(warmStore.url, {
      now: () => NOW,
      cooperativeState: { snapshots: false },
    });
    cleanups.push(() => warm.stop());
    twin = { cold, warm, tokens, revision: -1, requests: 0 };
    history = await recordHistory(twin);
  }, 60_000);

  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it("(a) the trial balance, which leaves the entries packed", async () => {
    const seen = await coldly(twin, { method: "GET", path: "trial-balance?asOf=2026-12-31" });
    expect(seen.status).toBe(200);
    expect(seen.body.totals.debit).not.toBe("0.00");
    expect(entriesStillPacked(twin)).toBe(true);
  });

  it("(b) the list of journal entries, the approvers' queue, an entry's detail and its receipt", async () => {
    const listed = await coldly(twin, { method: "GET", path: "journal-entries?limit=1000" });
    expect(listed.status).toBe(200);
    expect(listed.body.entries).toHaveLength(history.entryCount);
    expect(entriesStillPacked(twin)).toBe(false);
    const queue = await coldly(twin, { method: "GET", path: "journal-entries?status=pending_approval" });
    expect(queue.body.entries.map((pending: { entryId: string }) => pending.entryId)).toEqual([
      history.proposal,
    ]);
    const detail = await coldly(twin, { method: "GET", path: `journal-entries/${history.reversedEarlier}` });
    expect(detail.status).toBe(200);
    expect(detail.body.reversedBy).toEqual(expect.any(String));
    const reversal = await coldly(twin, { method: "GET", path: `journal-entries/${detail.body.reversedBy}` });
    expect(reversal.body.reverses).toBe(history.reversedEarlier);
    const receipt = await coldly(twin, {
      method: "GET",
      path: `journal-entries/${history.saleToMember}/receipt?format=json`,
    });
    expect([receipt.status, receipt.body.amount]).toEqual([200, "300000.00"]);
  });

  it("refuses to close a year whose proposal still waits", async () => {
    const refused = await coldly(twin, { method: "POST", path: "fiscal-years/2025/close", body: {} });
    expect([refused.status, refused.body.code]).toEqual([422, "entries_pending_approval"]);
  });

  it("(c) approves the pending proposal", async () => {
    const approval = {
      method: "POST" as const,
      path: `journal-entries/${history.proposal}/approve`,
      body: {},
    };
    const approved = await coldly(twin, { ...approval, as: "approver" });
    expect([approved.status, approved.body.status]).toEqual([201, "posted"]);
  });

  it("(d) reverses a posted entry, and refuses to reverse the one reversed before", async () => {
    const path = (entryId: string) => `journal-entries/${entryId}/reverse`;
    const body = { date: "2026-02-01", reason: "salah anggota" };
    const reversed = await coldly(twin, { method: "POST", path: path(history.toReverse), body });
    expect([reversed.status, reversed.body.reverses]).toEqual([201, history.toReverse]);
    const again = await coldly(twin, { method: "POST", path: path(history.reversedEarlier), body });
    expect([again.status, again.body.code]).toEqual([422, "already_reversed"]);
  });

  it("(e) posts new entries, whose snapshot and whose tail are each loaded back", async () => {
    const a2 = { memberId: "A-0002" };
    const deposit = (date: string) =>
      entry(date, "simpanan wajib", { account: "1101" }, { account: "3200", ...a2 }, "25000");
    const first = await coldly(twin, deposit("2026-02-10"));
    expect(first.status).toBe(201);
    // The snapshot written after that write holds every entry, not only those the write touched.
    const listed = await coldly(twin, { method: "GET", path: "journal-entries?limit=1000" });
    const ids = listed.body.entries.map((listedEntry: { entryId: string }) => listedEntry.entryId);
    expect(ids).toEqual(expect.arrayContaining([history.saleToMember, first.body.entryId]));
    expect((await coldly(twin, deposit("2026-03-10"))).status).toBe(201);
    // Let go before the snapshot writer saw that entry: the load folds it into the packed state.
    const ledger = { method: "GET" as const, path: "ledger/3200?from=2025-01-01&to=2026-12-31" };
    expect((await coldly(twin, ledger, { tail: true })).status).toBe(200);
  });

  it("(f) the reports that read the entries", async () => {
    for (const path of [
      "ledger/1101?from=2025-01-01&to=2026-12-31",
      "ledger/1201?from=2025-01-01&to=2026-12-31",
      "members/A-0001/statement?asOf=2026-12-31",
      "members/A-0002/statement?asOf=2026-12-31",
      "equity-changes?from=2025-01-01&to=2026-12-31",
      "cash-flow?from=2025-01-01&to=2025-12-31",
      "income-statement?from=2025-01-01&to=2025-12-31",
      "shu?year=2025",
      "export?format=ledger",
    ]) {
      const seen = await coldly(twin, { method: "GET", path });
      expect(seen.status, path).toBe(200);
    }
  });

  it("(g) closes a month and the year, whose reports then read the closing entry", async () => {
    const month = await coldly(twin, { method: "POST", path: "periods/2026-01/close", body: {} });
    expect([month.status, month.body.status]).toEqual([200, "closed"]);
    const late = entry(
      "2026-01-20",
      "terlambat",
      { account: "1101" },
      { account: "3200", memberId: "A-0001" },
      "1000",
    );
    const refused = await coldly(twin, late);
    expect([refused.status, refused.body.code]).toEqual([422, "period_closed"]);
    const asked = await coldly(twin, { method: "POST", path: "fiscal-years/2025/close", body: {} });
    expect(asked.status).toBe(202);
    const approval = { method: "POST" as const, path: "fiscal-years/2025/close/approve", body: {} };
    const closed = await coldly(twin, { ...approval, as: "approver" });
    expect([closed.status, closed.body.status]).toEqual([201, "closed"]);
    for (const path of [
      "trial-balance?asOf=2025-12-31&beforeClosing=true",
      "shu?year=2025",
      "fiscal-years/2025",
      "journal-entries?limit=1000",
    ]) {
      const seen = await coldly(twin, { method: "GET", path });
      expect(seen.status, path).toBe(200);
    }
  });

  it("the warm service never loaded the cooperative from a snapshot", () => {
    expect(twin.warm.built.context.cache.usage().fromSnapshot).toBe(0);
  });
});
