/**
 * Refusals that supervisors must see, while a refused request changes nothing (docs/api.md): a
 * self-approval attempt and a post into a closed month are answered 403/422, leave the ledger stream
 * exactly as it was (revision and head hash), are recorded as `CommandRefused` in `audit-<coopId>`, and
 * raise alerts that the region's supervisor lists in GET /v1/alerts.
 */

import { auditStreamId, COMMAND_REFUSED } from "@bukubesar/alerts";
import { createInProcessAlertBus } from "@bukubesar/bus";
import { ledgerStreamId } from "@bukubesar/ledger-core";
import { type Alert, CLOSED_PERIOD_ATTEMPT_RULE, SELF_APPROVAL_RULE } from "@bukubesar/supervision";
import { startSupervisor } from "@bukubesar/supervisor";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Backend, freshStore, type Harness, startHarness } from "./harness.js";

const COOP = "kkmp-refusals";
const coopPath = `/v1/cooperatives/${COOP}`;
const backends: Backend[] = ["sqlite", "postgres"];

const entry = (amount: string, date = "2026-02-02") => ({
  date,
  memo: "uji",
  lines: [
    { account: "1101", debit: amount },
    { account: "3300", credit: amount },
  ],
});

const eventually = async <T>(probe: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};

describe.each(backends)("refusals on %s", (backend) => {
  let harness: Harness;
  let cleanup: () => Promise<void>;
  const bus = createInProcessAlertBus();
  const tokens = {} as Record<"treasurer" | "supervisor" | "foreignSupervisor", string>;

  /** The ledger stream's head: its last revision and chain hash. */
  const ledgerHead = async () => {
    const [last] = await harness.store.readStream(ledgerStreamId(COOP), { direction: "backwards", limit: 1 });
    return { revision: last?.revision, hash: (last?.metadata as { hash?: string } | undefined)?.hash };
  };
  const alertsFor = async (token: string, rule: string): Promise<Alert[]> => {
    const page = await harness.call("GET", "/v1/alerts?region=35.74", { token });
    expect(page.status).toBe(200);
    return (page.body.alerts as Alert[]).filter((alert) => alert.rule === rule);
  };

  beforeAll(async () => {
    const store = await freshStore(backend);
    cleanup = store.cleanup;
    harness = await startHarness(store.url, { supervise: { bus, start: startSupervisor } });
    const created = await harness.call("POST", "/v1/cooperatives", {
      body: { id: COOP, name: "KKMP Penolakan", regionCode: "35.74.03.1002", chart: "kkmp" },
    });
    expect(created.status).toBe(201);
    const settings = await harness.call("PATCH", `${coopPath}/settings`, {
      body: { approvalThreshold: "1000000" },
    });
    expect(settings.status).toBe(200);
    for (const [name, role, scope] of [
      ["treasurer", "treasurer", COOP],
      ["supervisor", "supervisor", "35.74"],
      ["foreignSupervisor", "supervisor", "35.13"],
    ] as const) {
      const issued = await harness.call("POST", "/v1/tokens", { body: { role, scope, name } });
      expect(issued.status).toBe(201);
      tokens[name] = issued.body.token;
    }
  });
  afterAll(async () => {
    await harness?.stop();
    await bus.close();
    await cleanup?.();
  });

  it("answers a self-approval 403, changes nothing in the ledger, and alerts the region's supervisor", async () => {
    const pending = await harness.call("POST", `${coopPath}/journal-entries`, {
      body: entry("3000000"),
      headers: { "idempotency-key": "admin-large" },
    });
    expect(pending.status).toBe(202);
    const entryId = pending.body.entryId as string;
    const before = await ledgerHead();

    const approve = () =>
      harness.call("POST", `${coopPath}/journal-entries/${entryId}/approve`, {
        body: {},
        headers: { "idempotency-key": "self" },
      });
    const refused = await approve();
    expect([refused.status, refused.body.code]).toEqual([403, "self_approval"]);
    // The same request retried under the same key is the same attempt: recorded once.
    expect((await approve()).status).toBe(403);
    expect(await ledgerHead()).toEqual(before);

    const audit = await harness.store.readStream(auditStreamId(COOP));
    expect(audit.map((event) => [event.type, (event.data as { code: string }).code])).toEqual([
      [COMMAND_REFUSED, "self_approval"],
    ]);
    expect(audit[0]?.data).toMatchObject({
      commandType: "ApproveJournalEntry",
      entryId,
      date: "2026-02-02",
      role: "admin",
    });

    const [alert] = await eventually(async () => {
      const found = await alertsFor(tokens.supervisor, SELF_APPROVAL_RULE);
      return found.length > 0 ? found : undefined;
    });
    expect(alert).toMatchObject({
      severity: "high",
      coopId: COOP,
      regionCode: "35.74.03.1002",
      entryIds: [entryId],
    });
    const foreign = await harness.call("GET", "/v1/alerts", { token: tokens.foreignSupervisor });
    expect(foreign.body.alerts).toEqual([]);
    expect(await ledgerHead()).toEqual(before);
  });

  it("answers a treasurer approving its own proposal 403 forbidden, audited, and alerts it as a self-approval", async () => {
    const pending = await harness.call("POST", `${coopPath}/journal-entries`, {
      token: tokens.treasurer,
      body: entry("4000000"),
      headers: { "idempotency-key": "treasurer-large" },
    });
    expect(pending.status).toBe(202);
    const entryId = pending.body.entryId as string;
    const before = await ledgerHead();
    const refused = await harness.call("POST", `${coopPath}/journal-entries/${entryId}/approve`, {
      token: tokens.treasurer,
      body: {},
      headers: { "idempotency-key": "own" },
    });
    expect([refused.status, refused.body.code]).toEqual([403, "forbidden"]);
    expect(await ledgerHead()).toEqual(before);
    const audit = await harness.store.readStream(auditStreamId(COOP));
    expect(audit.at(-1)?.data).toMatchObject({
      code: "forbidden",
      commandType: "ApproveJournalEntry",
      entryId,
    });
    await eventually(async () => {
      const found = await alertsFor(tokens.supervisor, SELF_APPROVAL_RULE);
      return found.find((alert) => alert.entryIds[0] === entryId);
    });
  });

  it("answers a post into a closed month 422 period_closed, changes nothing, and alerts it", async () => {
    const closed = await harness.call("POST", `${coopPath}/periods/2026-01/close`, {
      token: tokens.treasurer,
      body: {},
      headers: { "idempotency-key": "close-january" },
    });
    expect(closed.status).toBe(200);
    const before = await ledgerHead();
    const balanceBefore = await harness.call("GET", `${coopPath}/trial-balance?asOf=2026-12-31`);

    const refused = await harness.call("POST", `${coopPath}/journal-entries`, {
      token: tokens.treasurer,
      body: entry("50000", "2026-01-20"),
      headers: { "idempotency-key": "into-january" },
    });
    expect([refused.status, refused.body.code]).toEqual([422, "period_closed"]);
    expect(await ledgerHead()).toEqual(before);
    const balanceAfter = await harness.call("GET", `${coopPath}/trial-balance?asOf=2026-12-31`);
    expect(balanceAfter.body).toEqual(balanceBefore.body);

    const audit = await harness.store.readStream(auditStreamId(COOP));
    expect(audit.at(-1)?.data).toMatchObject({
      code: "period_closed",
      commandType: "PostJournalEntry",
      entryId: null,
      date: "2026-01-20",
      role: "treasurer",
    });
    const alert = await eventually(
      async () => (await alertsFor(tokens.supervisor, CLOSED_PERIOD_ATTEMPT_RULE))[0],
    );
    expect(alert).toMatchObject({ severity: "warning", coopId: COOP, details: { period: "2026-01" } });
  });
});
