/**
 * docs/reliability.md section 6, fault #22: the alert worker killed with SIGKILL mid-batch. A backlog of
 * large cash postings waits in a SQLite store; `bukubesar supervise` (and `bukubesar serve`, whose
 * supervisor runs in the background) starts on it, publishing to JetStream, and is killed once it has
 * recorded some of the alerts but not all. Started again, it resumes from what the store holds: every
 * posting has exactly one large-cash alert recorded (one logical alert id each), the alerts' hash chains
 * verify, and a subscriber sees every recorded id (at least once; repeats are counted and printed).
 */
import { randomUUID } from "node:crypto";
import { join } from "node:path";
import { ALERT_RAISED } from "@bukubesar/alerts";
import { openNatsAlertBus } from "@bukubesar/bus";
import { type EventStore, openEventStore } from "@bukubesar/event-store";
import type { LedgerCommand } from "@bukubesar/ledger-core";
import { LARGE_CASH_RULE } from "@bukubesar/supervision";
import { afterEach, describe, expect, it } from "vitest";
import {
  openCooperative,
  type RunningCommand,
  recordCommands,
  runBukubesar,
  startBukubesar,
  temporaryDirectory,
} from "./fixtures.js";

const NATS_URL = process.env.TEST_NATS_URL ?? "nats://127.0.0.1:4222";
const COOP = "kkmp-mangunharjo";
const ADMIN = "supervise-kill-admin-token-0123456789";
/** Postings in the backlog, each over the large-cash threshold: enough that the kill lands mid-way. */
const BACKLOG_AT_SCALE_ONE = 200;
/** scripts/bench --reliability's FAULT_SCALE grows the backlog at most this much (it is judged twice). */
const BACKLOG_SCALE_MAX = 3;
const BACKLOG = Math.round(
  BACKLOG_AT_SCALE_ONE * Math.min(Number(process.env.FAULT_SCALE ?? "1"), BACKLOG_SCALE_MAX),
);
/** The worker is killed once it has recorded this many of the backlog's large-cash alerts. */
const KILL_AFTER = Math.round(BACKLOG / 3);
/** How often the store is looked at while waiting for the moment to kill. */
const POLL_MS = 5;
/** How long the restarted worker may take to record and publish the rest. */
const SETTLE_MS = 180_000;
const CASE_TIMEOUT_MS = 300_000;

const running: RunningCommand[] = [];
afterEach(async () => {
  for (const command of running.splice(0)) await command.stop("SIGKILL");
});

const largeCash = (index: number): LedgerCommand => ({
  type: "PostJournalEntry",
  actor: { principalId: "test-treasurer", role: "treasurer" },
  data: {
    entryId: `besar-${index}`,
    date: "2026-01-14",
    memo: `Setoran tunai besar ${index}`,
    lines: (["debit", "credit"] as const).map((side) => ({
      account: side === "debit" ? "1101" : "4101",
      side,
      amount: `${150_000_000 + index}.00`,
      memberId: null,
      unit: null,
      counterparty: null,
      memo: null,
    })),
  },
});

/** The recorded AlertRaised events: their ids and the entries of the large-cash ones. */
const recordedAlerts = async (store: EventStore) => {
  const events = (await store.readAll({ streamPrefix: "alerts-" })).filter(
    (event) => event.type === ALERT_RAISED,
  );
  const data = events.map((event) => event.data as { rule: string; entryIds: string[] });
  return {
    ids: events.map((event) => event.eventId),
    largeCashEntries: data
      .filter((alert) => alert.rule === LARGE_CASH_RULE)
      .flatMap((alert) => alert.entryIds),
  };
};

const waitUntil = async (what: () => string, done: () => Promise<boolean> | boolean, ms: number) => {
  const deadline = Date.now() + ms;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};

const workers: [string, string[]][] = [
  ["supervise", ["supervise"]],
  ["serve", ["serve"]],
];

describe("the alert worker killed with SIGKILL mid-batch", () => {
  for (const [name, args] of workers) {
    it(
      `${name}: resumed, records every alert once and publishes every recorded id`,
      async () => {
        const run = randomUUID().replaceAll("-", "").slice(0, 12);
        const directory = temporaryDirectory();
        const storeUrl = `sqlite:${join(directory, "bukubesar.db")}`;
        const env = {
          STORE_URL: storeUrl,
          NATS_URL,
          NATS_ALERTS_STREAM: `TEST_KILL_${run}`,
          NATS_SUBJECT_PREFIX: `kill${run}.alerts`,
          PORT: "0",
          BUKUBESAR_ADMIN_TOKEN: ADMIN,
          LOG_LEVEL: "silent",
        };
        await openCooperative(storeUrl, COOP);
        await recordCommands(
          storeUrl,
          COOP,
          Array.from({ length: BACKLOG }, (_unused, index) => largeCash(index)),
        );
        const bus = await openNatsAlertBus({
          servers: NATS_URL,
          streamName: env.NATS_ALERTS_STREAM,
          subjectPrefix: env.NATS_SUBJECT_PREFIX,
        });
        const deliveries: string[] = [];
        const subscription = await bus.subscribe({ regionPrefix: "35" }, (alert) => {
          deliveries.push(alert.alertId);
        });
        // A reader of its own: SQLite lets it read while the worker writes.
        const reader = await openEventStore(storeUrl);
        try {
          const first = startBukubesar(args, { cwd: directory, env, direct: true });
          running.push(first);
          let atKill = 0;
          const deadline = Date.now() + SETTLE_MS;
          while (atKill < KILL_AFTER && Date.now() < deadline) {
            atKill = (await recordedAlerts(reader)).largeCashEntries.length;
            if (atKill < KILL_AFTER) await new Promise((resolve) => setTimeout(resolve, POLL_MS));
          }
          await first.stop("SIGKILL");
          const afterKill = (await recordedAlerts(reader)).largeCashEntries.length;
          // The kill must land mid-batch, or this test would not test a resume.
          expect(atKill).toBeGreaterThanOrEqual(KILL_AFTER);
          expect(afterKill, `recorded ${afterKill} of ${BACKLOG} before the kill`).toBeLessThan(BACKLOG);

          const second = startBukubesar(args, { cwd: directory, env, direct: true });
          running.push(second);
          // Settled: every posting judged, nothing more recorded since the last look, all of it delivered.
          let seen = -1;
          let largeCashSeen = 0;
          let inStream = 0;
          await waitUntil(
            () =>
              `every alert is recorded and delivered: ${largeCashSeen} of ${BACKLOG} large-cash alerts and ${seen} in all recorded, ${new Set(deliveries).size} delivered, ${inStream} in the stream; the worker's stderr ends ${second.stderr().slice(-2000)}`,
            async () => {
              const now = await recordedAlerts(reader);
              largeCashSeen = now.largeCashEntries.length;
              inStream = await bus.streamMessageCount();
              const delivered = new Set(deliveries);
              const settled =
                now.largeCashEntries.length >= BACKLOG &&
                now.ids.length === seen &&
                now.ids.every((id) => delivered.has(id));
              seen = now.ids.length;
              return settled;
            },
            SETTLE_MS,
          );
          expect(await second.stop("SIGTERM")).toBe(0);

          const recorded = await recordedAlerts(reader);
          expect(recorded.ids.length).toBe(seen);
          expect(new Set(recorded.ids).size, "an alert id recorded twice").toBe(recorded.ids.length);
          expect([...recorded.largeCashEntries].sort()).toEqual(
            Array.from({ length: BACKLOG }, (_unused, index) => `besar-${index}`).sort(),
          );
          expect(new Set(deliveries)).toEqual(new Set(recorded.ids));
          console.log(
            `fault #22 (${name}): killed with ${afterKill} of ${BACKLOG} large-cash alerts recorded; ${recorded.ids.length} alerts in all, ${deliveries.length - recorded.ids.length} repeated deliveries past the subscriber's dedupe`,
          );
          const verified = await runBukubesar(["verify"], { cwd: directory, env: { STORE_URL: storeUrl } });
          expect(verified.code, verified.stdout + verified.stderr).toBe(0);
        } finally {
          await reader.close();
          await subscription.close();
          await bus.deleteStream().catch(() => undefined);
          await bus.close();
        }
      },
      CASE_TIMEOUT_MS,
    );
  }
});
