/**
 * Alerts, refusals and principals are hash-chained like the ledger, and verify covers them: a deleted
 * alert or an edited token event is as visible as a deleted or edited entry.
 */
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createInProcessAlertBus } from "@bukubesar/bus";
import { buildServer } from "@bukubesar/ledger-api";
import { startSupervisor } from "@bukubesar/supervisor";
import { describe, expect, it } from "vitest";
import { runBukubesar, temporaryDirectory } from "./fixtures.js";
import { sqliteRawStore } from "./rawStore.js";

const COOP = "kkmp-rantai";
const ENV = { DATA_DIR: "data", STORE_URL: "" };
const ADMIN = "chained-streams-admin-token-0123456789";

/** A store where the API and its supervisor recorded an alert, its acknowledgement, a refusal and tokens. */
const storeWithAlertsRefusalsAndTokens = async (): Promise<{ directory: string; file: string }> => {
  const directory = temporaryDirectory();
  const file = join(directory, "data", "bukubesar.db");
  const bus = createInProcessAlertBus();
  const server = await buildServer({
    storeUrl: `sqlite:${file}`,
    adminToken: ADMIN,
    logger: false,
    supervise: { bus, start: startSupervisor },
  });
  try {
    const call = async (method: "GET" | "POST" | "PATCH", url: string, token: string, body?: unknown) => {
      const answer = await server.app.inject({
        method,
        url,
        headers: {
          authorization: `Bearer ${token}`,
          "idempotency-key": randomUUID(),
          ...(body === undefined ? {} : { "content-type": "application/json" }),
        },
        ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
      });
      return { status: answer.statusCode, body: answer.body === "" ? null : JSON.parse(answer.body) };
    };
    const coop = { id: COOP, name: "KKMP Rantai", regionCode: "35.74.03.1002", chart: "kkmp" };
    expect((await call("POST", "/v1/cooperatives", ADMIN, coop)).status).toBe(201);
    expect(
      (await call("PATCH", `/v1/cooperatives/${COOP}/settings`, ADMIN, { largeCashThreshold: "5000000" }))
        .status,
    ).toBe(200);
    const token = async (role: string, scope: string) =>
      (await call("POST", "/v1/tokens", ADMIN, { role, scope, name: role })).body.token as string;
    const treasurer = await token("treasurer", COOP);
    const auditor = await token("auditor", "35.74");
    const supervisor = await token("supervisor", "35.74");
    const entry = {
      date: "2026-02-02",
      memo: "Setoran tunai besar",
      lines: [
        { account: "1101", debit: "7500000" },
        { account: "3300", credit: "7500000" },
      ],
    };
    expect((await call("POST", `/v1/cooperatives/${COOP}/journal-entries`, treasurer, entry)).status).toBe(
      201,
    );
    expect((await call("POST", `/v1/cooperatives/${COOP}/journal-entries`, auditor, entry)).status).toBe(403);
    let alertId: string | undefined;
    await expect
      .poll(
        async () => {
          alertId = (await call("GET", "/v1/alerts", supervisor)).body.alerts[0]?.alertId;
          return alertId !== undefined;
        },
        { timeout: 10_000 },
      )
      .toBe(true);
    expect(
      (await call("POST", `/v1/alerts/${alertId}/acknowledge`, supervisor, { note: "dicek" })).status,
    ).toBe(200);
    // The audit event of the refusal is written after the 403 is answered.
    await new Promise((resolve) => setTimeout(resolve, 200));
  } finally {
    await server.close();
    await bus.close();
  }
  return { directory, file };
};

describe("verify and the alerts, audit and principals streams", () => {
  it("checks their chains, and names a deleted alert and an edited token event", async () => {
    const { directory, file } = await storeWithAlertsRefusalsAndTokens();
    const sound = await runBukubesar(["verify"], { cwd: directory, env: ENV });
    expect(sound.stdout).toMatch(
      new RegExp(`ok    alerts-${COOP}: revisions 0\\.\\.\\d+, head [0-9a-f]{64}\\n`),
    );
    expect(sound.stdout).toMatch(new RegExp(`ok    audit-${COOP}: revisions 0\\.\\.0, head [0-9a-f]{64}\\n`));
    expect(sound.stdout).toMatch(/ok {4}principals: revisions 0\.\.3, head [0-9a-f]{64}\n/);
    expect(sound.code).toBe(0);

    const raw = sqliteRawStore(file);
    try {
      const [raised] = await raw.events(`alerts-${COOP}`);
      await raw.deleteEvent(raised?.position ?? -1);
      const tokens = await raw.events("principals");
      const auditorToken = tokens[2];
      await raw.setData(
        auditorToken?.position ?? -1,
        (auditorToken?.data ?? "").replace('"auditor"', '"admin"'),
      );
    } finally {
      await raw.close();
    }
    const tampered = await runBukubesar(["verify"], { cwd: directory, env: ENV });
    expect(tampered.stdout).toContain(`FAIL  alerts-${COOP}: revision 0: revision 0 is missing`);
    expect(tampered.stdout).toMatch(/FAIL {2}principals: revision 2: hash mismatch/);
    expect(tampered.code).toBe(1);
  }, 60_000);

  it("a checkpoint covers them: a truncated tail no chain can show is caught against its signed head", async () => {
    const { directory, file } = await storeWithAlertsRefusalsAndTokens();
    expect(
      (await runBukubesar(["checkpoint", "--generate-key", "k.pem"], { cwd: directory, env: ENV })).code,
    ).toBe(0);
    const signed = await runBukubesar(["checkpoint", "--key", "k.pem", "--out", "c.json"], {
      cwd: directory,
      env: ENV,
    });
    expect(signed.code).toBe(0);
    const statement = JSON.parse(readFileSync(join(directory, "c.json"), "utf8")).statement as {
      streams: { streamId: string; revision: number }[];
    };
    expect(statement.streams.map((head) => head.streamId).sort()).toEqual(
      [`alerts-${COOP}`, `audit-${COOP}`, "principals"].sort(),
    );

    const raw = sqliteRawStore(file);
    const alertsHead = statement.streams.find((head) => head.streamId === `alerts-${COOP}`)?.revision ?? 0;
    const principalsHead = statement.streams.find((head) => head.streamId === "principals")?.revision ?? 0;
    try {
      // Deleting the last acknowledgement and the last token leaves chains that are sound on their own.
      await raw.truncateAfter(`alerts-${COOP}`, alertsHead - 1);
      await raw.truncateAfter("principals", principalsHead - 1);
    } finally {
      await raw.close();
    }
    expect((await runBukubesar(["verify"], { cwd: directory, env: ENV })).code).toBe(0);
    const checked = await runBukubesar(["verify", "--checkpoint", "c.json", "--public-key", "k.pem.pub"], {
      cwd: directory,
      env: ENV,
    });
    expect(checked.stdout).toContain(
      `FAIL  alerts-${COOP}: revision ${alertsHead}: the chain ends at revision ${alertsHead - 1} but the checkpoint records it up to revision ${alertsHead}`,
    );
    expect(checked.stdout).toContain(`FAIL  principals: revision ${principalsHead}:`);
    expect(checked.code).toBe(1);
  }, 60_000);
});
