/**
 * docs/reliability.md section 6 B and G: maker-checker, two requests in flight with one key, the per-principal rate
 * limit, and a store that cannot write (503 with Retry-After, reads keep working, nothing half-recorded).
 */
import { statSync } from "node:fs";
import { type EventStore, SqliteEventStore, StoreFailure, sqlitePathFromUrl } from "@bukubesar/event-store";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Backend, freshStore, type Harness, startHarness } from "./harness.js";

const COOP = "kkmp-guarantees";
const coopPath = `/v1/cooperatives/${COOP}`;

const entry = (amount: string, memo = "uji") => ({
  date: "2026-02-02",
  memo,
  lines: [
    { account: "1101", debit: amount },
    { account: "3300", credit: amount },
  ],
});

const openCooperative = async (harness: Harness) => {
  const created = await harness.call("POST", "/v1/cooperatives", {
    body: { id: COOP, name: "KKMP Uji", regionCode: "35.74.03.1002", chart: "kkmp" },
  });
  expect(created.status).toBe(201);
};

const issue = async (harness: Harness, role: string, scope = COOP) => {
  const issued = await harness.call("POST", "/v1/tokens", { body: { role, scope, name: role } });
  expect(issued.status).toBe(201);
  return issued.body as { token: string; principalId: string };
};

const backends: Backend[] = ["sqlite", "postgres"];

describe.each(backends)("maker-checker and keys in flight on %s", (backend) => {
  let harness: Harness;
  let cleanup: () => Promise<void>;
  let treasurer: { token: string; principalId: string };
  let approver: { token: string; principalId: string };

  beforeAll(async () => {
    const store = await freshStore(backend);
    cleanup = store.cleanup;
    harness = await startHarness(store.url);
    await openCooperative(harness);
    treasurer = await issue(harness, "treasurer");
    approver = await issue(harness, "approver");
  });
  afterAll(async () => {
    await harness?.stop();
    await cleanup?.();
  });

  it("holds entries above the threshold for another approver", async () => {
    const settings = await harness.call("PATCH", `${coopPath}/settings`, {
      body: { approvalThreshold: "1000000" },
    });
    expect(settings.status).toBe(200);
    expect(settings.body.approvalThreshold).toMatch(/^1000000(\.00)?$/);
    const small = await harness.call("POST", `${coopPath}/journal-entries`, {
      token: treasurer.token,
      body: entry("1000000"),
      headers: { "idempotency-key": "small" },
    });
    expect([small.status, small.body.status]).toEqual([201, "posted"]);

    const pending = await harness.call("POST", `${coopPath}/journal-entries`, {
      token: treasurer.token,
      body: entry("2000000", "besar"),
      headers: { "idempotency-key": "large" },
    });
    expect([pending.status, pending.body.status]).toEqual([202, "pending_approval"]);
    expect(pending.body.proposedBy).toBe(treasurer.principalId);
    expect(pending.body.hash).toBeUndefined();
    const entryId = pending.body.entryId as string;
    const approve = (token: string, key: string) =>
      harness.call("POST", `${coopPath}/journal-entries/${entryId}/approve`, {
        token,
        body: {},
        headers: { "idempotency-key": key },
      });

    const byTreasurer = await approve(treasurer.token, "t-approve");
    expect([byTreasurer.status, byTreasurer.body.code]).toEqual([403, "forbidden"]);
    const balanceBefore = await harness.call("GET", `${coopPath}/trial-balance?asOf=2026-12-31`);
    expect(balanceBefore.body.totals.debit).toBe("1000000.00");

    // The admin may both post and approve, but never its own proposal.
    const adminPending = await harness.call("POST", `${coopPath}/journal-entries`, {
      body: entry("3000000", "admin"),
      headers: { "idempotency-key": "admin-large" },
    });
    expect(adminPending.status).toBe(202);
    const selfApproval = await harness.call(
      "POST",
      `${coopPath}/journal-entries/${adminPending.body.entryId}/approve`,
      { body: {}, headers: { "idempotency-key": "self" } },
    );
    expect([selfApproval.status, selfApproval.body.code]).toEqual([403, "self_approval"]);

    const approved = await approve(approver.token, "a-approve");
    expect(approved.status, JSON.stringify(approved.body)).toBe(201);
    expect([approved.body.status, approved.body.entryId]).toEqual(["posted", entryId]);
    expect(approved.body.hash).toMatch(/^[0-9a-f]{64}$/);
    const replayed = await approve(approver.token, "a-approve");
    expect([replayed.status, replayed.headers.get("idempotent-replayed")]).toEqual([201, "true"]);
    const again = await approve(approver.token, "a-approve-2");
    expect([again.status, again.body.code]).toEqual([422, "not_pending"]);

    const rejected = await harness.call(
      "POST",
      `${coopPath}/journal-entries/${adminPending.body.entryId}/reject`,
      { token: approver.token, body: { reason: "dokumen kurang" }, headers: { "idempotency-key": "reject" } },
    );
    expect([rejected.status, rejected.body.status]).toEqual([200, "rejected"]);
    expect([rejected.body.reason, rejected.body.rejectedBy]).toEqual([
      "dokumen kurang",
      approver.principalId,
    ]);
    // Reading the rejected entry later tells the same: why, and who rejected it.
    const readRejected = await harness.call(
      "GET",
      `${coopPath}/journal-entries/${adminPending.body.entryId}`,
      {
        token: treasurer.token,
      },
    );
    expect(readRejected.body).toMatchObject({
      status: "rejected",
      reason: "dokumen kurang",
      rejectedBy: approver.principalId,
    });
    const approveRejected = await harness.call(
      "POST",
      `${coopPath}/journal-entries/${adminPending.body.entryId}/approve`,
      { token: approver.token, body: {}, headers: { "idempotency-key": "late" } },
    );
    expect([approveRejected.status, approveRejected.body.code]).toEqual([422, "not_pending"]);

    const balanceAfter = await harness.call("GET", `${coopPath}/trial-balance?asOf=2026-12-31`);
    expect(balanceAfter.body.totals.debit).toBe("3000000.00");
    const stored = await harness.call("GET", `${coopPath}/journal-entries/${entryId}`, {
      token: approver.token,
    });
    expect([stored.body.status, stored.body.proposedBy]).toEqual(["posted", treasurer.principalId]);
  });

  it("records one entry for the same key sent many times at once", async () => {
    await harness.call("PATCH", `${coopPath}/settings`, { body: { approvalThreshold: null } });
    const body = entry("5000", "serentak");
    const answers = await Promise.all(
      Array.from({ length: 8 }, () =>
        harness.call("POST", `${coopPath}/journal-entries`, {
          token: treasurer.token,
          body,
          headers: { "idempotency-key": "in-flight" },
        }),
      ),
    );
    const created = answers.filter((answer) => answer.status === 201);
    const busy = answers.filter((answer) => answer.status === 409);
    expect(created.length + busy.length, JSON.stringify(answers.map((a) => a.status))).toBe(answers.length);
    expect(created.length).toBeGreaterThanOrEqual(1);
    expect(new Set(created.map((answer) => answer.body.entryId)).size).toBe(1);
    for (const answer of busy) expect(answer.body.code).toBe("idempotency_key_in_flight");
    const events = await harness.call("GET", `${coopPath}/events?limit=1000`);
    const postings = events.body.events.filter(
      (event: { type: string; data: { memo?: string } }) =>
        event.type === "JournalEntryPosted" && event.data.memo === "serentak",
    );
    expect(postings).toHaveLength(1);
    const retried = await harness.call("POST", `${coopPath}/journal-entries`, {
      token: treasurer.token,
      body,
      headers: { "idempotency-key": "in-flight" },
    });
    expect([retried.status, retried.headers.get("idempotent-replayed")]).toEqual([201, "true"]);
  });
});

describe.each(backends)("reading one's own writes on %s", (backend) => {
  let harness: Harness;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    const store = await freshStore(backend);
    cleanup = store.cleanup;
    harness = await startHarness(store.url);
    await openCooperative(harness);
  });
  afterAll(async () => {
    await harness?.stop();
    await cleanup?.();
  });

  it("shows every posted entry in the very next report, ledger and list", async () => {
    for (let index = 1; index <= 15; index++) {
      const posted = await harness.call("POST", `${coopPath}/journal-entries`, {
        body: entry("1000"),
        headers: { "idempotency-key": `ryw-${index}` },
      });
      expect(posted.status).toBe(201);
      const [trialBalance, ledger, list] = await Promise.all([
        harness.call("GET", `${coopPath}/trial-balance?asOf=2026-12-31`),
        harness.call("GET", `${coopPath}/ledger/1101?from=2026-01-01&to=2026-12-31`),
        harness.call("GET", `${coopPath}/journal-entries?limit=1000`),
      ]);
      expect(trialBalance.body.totals.debit).toBe(`${index * 1000}.00`);
      expect(ledger.body.closingBalance).toBe(`${index * 1000}.00`);
      expect(list.body.entries).toHaveLength(index);
    }
  });
});

describe("the rate limit", () => {
  let harness: Harness;
  let cleanup: () => Promise<void>;
  const LIMIT = 5;

  beforeAll(async () => {
    const store = await freshStore("sqlite");
    cleanup = store.cleanup;
    harness = await startHarness(store.url, { rateLimitPerMinute: LIMIT });
  });
  afterAll(async () => {
    await harness?.stop();
    await cleanup?.();
  });

  it("answers 429 with Retry-After beyond the limit, per principal", async () => {
    const auditor = await harness.call("POST", "/v1/tokens", {
      body: { role: "auditor", scope: "35", name: "auditor" },
    });
    expect(auditor.status).toBe(201);
    const statuses: number[] = [];
    for (let index = 0; index < LIMIT; index++)
      statuses.push((await harness.call("GET", "/v1/cooperatives", { token: auditor.body.token })).status);
    expect(statuses.every((status) => status === 200)).toBe(true);
    const limited = await harness.call("GET", "/v1/cooperatives", { token: auditor.body.token });
    expect([limited.status, limited.body.code]).toEqual([429, "rate_limited"]);
    const retryAfter = Number(limited.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(limited.headers.get("content-type")).toContain("application/problem+json");
    // The admin has used two requests of its own and is not held up by the auditor's.
    expect((await harness.call("GET", "/v1/cooperatives")).status).toBe(200);
    // Public routes are not limited.
    expect((await harness.call("GET", "/health", { token: null })).status).toBe(200);
  });
});

/** A real store whose appends can be made to fail as a full disk or a lost server does. */
const failingStore = (store: EventStore, failing: { on: boolean }): EventStore =>
  new Proxy(store, {
    get(target, property) {
      if (property === "append" && failing.on) {
        return async () => {
          throw new StoreFailure({ _tag: "StoreUnavailable", reason: "disk full (test)" });
        };
      }
      const value = Reflect.get(target, property, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });

describe.each(backends)("a store that cannot write on %s", (backend) => {
  let harness: Harness;
  let cleanup: () => Promise<void>;
  const failing = { on: false };

  beforeAll(async () => {
    const store = await freshStore(backend);
    cleanup = store.cleanup;
    const { openEventStore } = await import("@bukubesar/event-store");
    harness = await startHarness(store.url, {}, async (url) =>
      failingStore(await openEventStore(url), failing),
    );
    await openCooperative(harness);
    const seeded = await harness.call("POST", `${coopPath}/journal-entries`, {
      body: entry("10000"),
      headers: { "idempotency-key": "seed" },
    });
    expect(seeded.status).toBe(201);
  });
  afterAll(async () => {
    await harness?.stop();
    await cleanup?.();
  });

  it("answers 503 with Retry-After, keeps serving reads, and the retry with the same key posts once", async () => {
    const before = await harness.call("GET", `${coopPath}/events?limit=1000`);
    failing.on = true;
    const refused = await harness.call("POST", `${coopPath}/journal-entries`, {
      body: entry("20000", "saat gangguan"),
      headers: { "idempotency-key": "during-outage" },
    });
    expect([refused.status, refused.body.code]).toEqual([503, "store_unavailable"]);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    const member = await harness.call("POST", `${coopPath}/members`, {
      body: { memberId: "A-0009", name: "Budi", joinedOn: "2026-01-02" },
    });
    expect([member.status, member.body.code]).toEqual([503, "store_unavailable"]);
    for (const path of ["/trial-balance?asOf=2026-12-31", "/journal-entries", "/members", ""]) {
      const read = await harness.call("GET", `${coopPath}${path}`);
      expect(read.status, path).toBe(200);
    }
    const during = await harness.call("GET", `${coopPath}/events?limit=1000`);
    expect(during.body.events).toEqual(before.body.events);
    failing.on = false;
    const retried = await harness.call("POST", `${coopPath}/journal-entries`, {
      body: entry("20000", "saat gangguan"),
      headers: { "idempotency-key": "during-outage" },
    });
    expect(retried.status, JSON.stringify(retried.body)).toBe(201);
    expect(retried.headers.get("idempotent-replayed")).toBeNull();
    const after = await harness.call("GET", `${coopPath}/events?limit=1000`);
    expect(after.body.events.length).toBe(before.body.events.length + 1);
  });
});

describe("a full SQLite disk", () => {
  it("answers 503 store_unavailable, keeps reads, and records nothing", async () => {
    const store = await freshStore("sqlite");
    let harness = await startHarness(store.url);
    try {
      await openCooperative(harness);
      await harness.stop();
      // Reopen the file allowed no more pages than it has: every write that needs a page fails as on a full disk.
      const path = sqlitePathFromUrl(store.url);
      const pages = Math.ceil(statSync(path).size / 4096);
      harness = await startHarness(
        store.url,
        {},
        async () => new SqliteEventStore(path, { maxPageCount: pages }),
      );
      const before = await harness.call("GET", `${coopPath}/events?limit=1000`);
      // Larger than a page (4 KiB) however the store encodes it, so it cannot fit in the free space
      // left in the file's last pages: it needs a new page, which the cap refuses.
      const lines = Array.from({ length: 40 }, (_, index) => ({
        account: index % 2 === 0 ? "1101" : "3300",
        [index % 2 === 0 ? "debit" : "credit"]: "1000",
        memo: `baris ${index} ${"x".repeat(120)}`,
      }));
      const refused = await harness.call("POST", `${coopPath}/journal-entries`, {
        body: { ...entry("1000"), memo: "x".repeat(1000), lines },
        headers: { "idempotency-key": "full" },
      });
      expect([refused.status, refused.body.code], JSON.stringify(refused.body)).toEqual([
        503,
        "store_unavailable",
      ]);
      expect(refused.headers.get("retry-after")).not.toBeNull();
      const read = await harness.call("GET", `${coopPath}/trial-balance?asOf=2026-12-31`);
      expect(read.status).toBe(200);
      const after = await harness.call("GET", `${coopPath}/events?limit=1000`);
      expect(after.body.events).toEqual(before.body.events);
    } finally {
      await harness.stop();
      await store.cleanup();
    }
  });
});
