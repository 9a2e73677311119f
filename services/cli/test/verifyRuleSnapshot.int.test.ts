/**
 * `bukubesar verify` checks the supervisor's rule-state snapshot against the log (docs/design.md,
 * Supervision): the snapshot as the supervisor writes it checks; one whose cooperative was edited with
 * every hash recomputed (its near misses cleared, which would silence the structuring alert they lead to)
 * fails, since the rule state rebuilt from the log up to the snapshot's position differs; one taken with
 * other thresholds is named as such and fails nothing, since the supervisor refuses it anyway.
 */
import { createHash } from "node:crypto";
import { join } from "node:path";
import { deserialize, serialize } from "node:v8";
import { createInProcessAlertBus } from "@bukubesar/bus";
import { openEventStore, readModelSnapshotTableFor } from "@bukubesar/event-store";
import type { LedgerCommand } from "@bukubesar/ledger-core";
import { ALL_RULES, DORMANT_COOPERATIVE_RULE, STRUCTURING_RULE } from "@bukubesar/supervision";
import { RULE_SNAPSHOT_NAME, startSupervisor } from "@bukubesar/supervisor";
import { describe, expect, it } from "vitest";
import {
  openCooperative,
  postingCommands,
  recordCommands,
  runBukubesar,
  temporaryDirectory,
} from "./fixtures.js";

const COOP = "kkmp-ramai";
const OTHER = "kkmp-sepi";
const ENV = { DATA_DIR: "data", STORE_URL: "" };

/** Two cash deposits just under the large-cash threshold (Rp100 million) and one above it. */
const NEAR_MISSES_AND_LARGE_CASH = ["95000000.00", "96000000.00", "150000000.00"];

const depositsOf = (amounts: readonly string[]): LedgerCommand[] =>
  postingCommands(amounts.length).map((command, index) => {
    if (command.type !== "PostJournalEntry") throw new Error("a posting command");
    const amount = amounts[index] as string;
    return {
      ...command,
      data: {
        ...command.data,
        date: "2025-03-15",
        lines: command.data.lines.map((line) => ({ ...line, amount })),
      },
    };
  });

/** Runs a supervisor over the store until it has judged every event, then stops it (writing its snapshot). */
const supervise = async (storeUrl: string, thresholds?: { duplicateWindowMinutes: number }) => {
  const store = await openEventStore(storeUrl);
  try {
    const supervisor = await startSupervisor({
      store,
      bus: createInProcessAlertBus(),
      clock: { now: () => new Date("2026-01-14T05:00:00.000Z") },
      tickIntervalMs: 0,
      snapshotIntervalMs: 0,
      ...(thresholds === undefined ? {} : { supervision: { thresholds } }),
    });
    await supervisor.idle();
    await supervisor.stop();
  } finally {
    await store.close();
  }
};

interface StoredCooperative {
  facts: { lastActivityEventId: string | null };
  ruleStates: unknown[];
}

interface Header {
  format: number;
  stateFormat: number;
  position: string;
  eventId: string;
  configuration: string;
  cooperatives: [string, string][];
  contentSha256: string;
}

const sha256 = (text: string): string => createHash("sha256").update(text, "utf8").digest("hex");

/**
 * Rewrites the stored rule-state snapshot as someone who can write the database would: `edit` changes the
 * header or a cooperative's decoded state, and every hash the snapshot records is recomputed.
 */
const editStored = async (
  storeUrl: string,
  edit: (header: Header, cooperatives: Map<string, StoredCooperative>) => void,
) => {
  const store = await openEventStore(storeUrl);
  try {
    const table = readModelSnapshotTableFor(store);
    const record = await table?.load(RULE_SNAPSHOT_NAME);
    if (table === null || record === null || record === undefined) throw new Error("no rule snapshot");
    const header = JSON.parse(record.parts[0] as string) as Header;
    const cooperatives = new Map(
      header.cooperatives.map(([coopId], index) => [
        coopId,
        deserialize(Buffer.from(record.parts[index + 1] as string, "base64")) as StoredCooperative,
      ]),
    );
    edit(header, cooperatives);
    const texts = [...cooperatives.values()].map((cooperative) => serialize(cooperative).toString("base64"));
    header.cooperatives = header.cooperatives.map(([coopId], index) => [
      coopId,
      sha256(texts[index] as string),
    ]);
    const { contentSha256: _old, ...claimed } = header;
    header.contentSha256 = sha256(
      JSON.stringify([
        claimed.format,
        claimed.stateFormat,
        claimed.position,
        claimed.eventId,
        claimed.configuration,
        claimed.cooperatives,
      ]),
    );
    await table.save(RULE_SNAPSHOT_NAME, record.position, [JSON.stringify(header), ...texts]);
  } finally {
    await store.close();
  }
};

const STRUCTURING = ALL_RULES.findIndex((rule) => rule.name === STRUCTURING_RULE);

/** Clears the cooperative's structuring near misses, which must be there to clear. */
const clearNearMisses =
  (coopId: string) => (_header: Header, cooperatives: Map<string, StoredCooperative>) => {
    const structuring = cooperatives.get(coopId)?.ruleStates[STRUCTURING] as {
      recent: Map<string, unknown[]>;
    };
    expect(structuring.recent.size).toBeGreaterThan(0);
    structuring.recent.clear();
  };

const DORMANT = ALL_RULES.findIndex((rule) => rule.name === DORMANT_COOPERATIVE_RULE);

/** Marks the cooperative's current quiet spell as reported, which no clock tick did. */
const silenceDormancy =
  (coopId: string) => (_header: Header, cooperatives: Map<string, StoredCooperative>) => {
    const cooperative = cooperatives.get(coopId);
    expect(cooperative?.facts.lastActivityEventId).toEqual(expect.any(String));
    (cooperative?.ruleStates[DORMANT] as { reportedActivityEventId: string | null }).reportedActivityEventId =
      cooperative?.facts.lastActivityEventId ?? null;
  };

interface VerifyJson {
  ok: boolean;
  snapshots: { ok: boolean; name: string; code?: string; reason?: string; note?: string }[];
}

const ruleSnapshotReport = (stdout: string) =>
  (JSON.parse(stdout) as VerifyJson).snapshots.find((report) => report.name === RULE_SNAPSHOT_NAME);

describe("verify and the supervisor's rule-state snapshot", () => {
  it("checks the snapshot as written and finds a cooperative's state edited with its hashes recomputed", async () => {
    const directory = temporaryDirectory();
    const storeUrl = `sqlite:${join(directory, "data", "bukubesar.db")}`;
    for (const coopId of [COOP, OTHER]) {
      await openCooperative(storeUrl, coopId);
      await recordCommands(storeUrl, coopId, depositsOf(NEAR_MISSES_AND_LARGE_CASH));
    }
    await supervise(storeUrl);
    const run = (args: string[]) => runBukubesar(args, { cwd: directory, env: ENV });

    const sound = await run(["verify"]);
    expect(sound.stdout).toContain(`ok    snapshot ${RULE_SNAPSHOT_NAME}: position`);
    expect(sound.code).toBe(0);

    await editStored(storeUrl, clearNearMisses(COOP));
    const edited = await run(["verify", "--json"]);
    expect(ruleSnapshotReport(edited.stdout)).toEqual({
      ok: false,
      name: RULE_SNAPSHOT_NAME,
      code: "rule_state_differs",
      reason: expect.stringContaining(`cooperative ${COOP}: its state of rule ${STRUCTURING_RULE} differs`),
    });
    expect(edited.code).toBe(1);
    const text = await run(["verify"]);
    expect(text.stdout).toContain(`FAIL  snapshot ${RULE_SNAPSHOT_NAME} (rule_state_differs)`);
    expect(text.code).toBe(1);

    // Only the cooperative asked for is checked: the other one's part is sound.
    const other = await run(["verify", "--coop", OTHER, "--json"]);
    expect(ruleSnapshotReport(other.stdout)?.ok).toBe(true);
    expect(other.code).toBe(0);
    const asked = await run(["verify", "--coop", COOP, "--json"]);
    expect(ruleSnapshotReport(asked.stdout)?.code).toBe("rule_state_differs");
    expect(asked.code).toBe(1);

    // The remedy the finding names: the snapshot dropped, verify is sound and the supervisor replays the log.
    expect(text.stdout).toContain("bukubesar drop-snapshot --rules");
    const dropped = await run(["drop-snapshot", "--rules"]);
    expect(dropped.stdout).toContain(`Dropped ${RULE_SNAPSHOT_NAME}.`);
    const afterDrop = await run(["verify"]);
    expect(afterDrop.code).toBe(0);
    expect(afterDrop.stdout).not.toContain(RULE_SNAPSHOT_NAME);
  }, 60_000);

  it("finds the clock-driven state edited to silence a dormant cooperative's coming alert", async () => {
    const directory = temporaryDirectory();
    const storeUrl = `sqlite:${join(directory, "data", "bukubesar.db")}`;
    await openCooperative(storeUrl, COOP);
    await recordCommands(storeUrl, COOP, depositsOf(NEAR_MISSES_AND_LARGE_CASH));
    await supervise(storeUrl);
    await editStored(storeUrl, silenceDormancy(COOP));

    const result = await runBukubesar(["verify", "--json"], { cwd: directory, env: ENV });
    expect(ruleSnapshotReport(result.stdout)).toEqual({
      ok: false,
      name: RULE_SNAPSHOT_NAME,
      code: "rule_state_differs",
      reason: expect.stringContaining(
        `cooperative ${COOP}: its state of rule ${DORMANT_COOPERATIVE_RULE} keeps a clock tick from raising an alert never recorded`,
      ),
    });
    expect(result.code).toBe(1);
  }, 60_000);

  it("names a snapshot taken with other thresholds without failing, since the supervisor refuses it anyway", async () => {
    const directory = temporaryDirectory();
    const storeUrl = `sqlite:${join(directory, "data", "bukubesar.db")}`;
    await openCooperative(storeUrl, COOP);
    await recordCommands(storeUrl, COOP, depositsOf(NEAR_MISSES_AND_LARGE_CASH));
    await supervise(storeUrl, { duplicateWindowMinutes: 5 });

    const result = await runBukubesar(["verify", "--json"], { cwd: directory, env: ENV });
    expect(ruleSnapshotReport(result.stdout)).toEqual({
      ok: true,
      name: RULE_SNAPSHOT_NAME,
      revision: null,
      code: "rule_snapshot_other_version",
      note: expect.stringContaining("other thresholds"),
    });
    expect(result.code).toBe(0);
  }, 60_000);
});
