/**
 * `bukubesar supervise` as its own process on a SQLite file: it follows the store, records the alert of a
 * large cash posting appended while it runs (AlertRaised in alerts-<coopId>), prints it as a JSON line
 * without NATS_URL, and stops on SIGTERM with exit 0 after recording its progress.
 */
import { join } from "node:path";
import { ALERT_RAISED, alertsStreamId } from "@bukubesar/alerts";
import { openNatsAlertBus } from "@bukubesar/bus";
import { createTestPostgresDatabase, openEventStore, testPostgresServerUrl } from "@bukubesar/event-store";
import type { LedgerCommand } from "@bukubesar/ledger-core";
import { LARGE_CASH_RULE } from "@bukubesar/supervision";
import { SUPERVISOR_PROGRESS_STREAM } from "@bukubesar/supervisor";
import { describe, expect, it } from "vitest";
import { EXIT_STORE_UNREACHABLE } from "../src/exitCode.js";
import {
  openCooperative,
  recordCommands,
  runBukubesar,
  startBukubesar,
  temporaryDirectory,
} from "./fixtures.js";

const COOP = "kkmp-mangunharjo";

const largeCashPosting: LedgerCommand = {
  type: "PostJournalEntry",
  actor: { principalId: "test-treasurer", role: "treasurer" },
  data: {
    entryId: "entry-large-cash",
    date: "2026-01-14",
    memo: "Setoran tunai besar",
    lines: [
      {
        account: "1101",
        side: "debit",
        amount: "150000000.00",
        memberId: null,
        unit: null,
        counterparty: null,
        memo: null,
      },
      {
        account: "4101",
        side: "credit",
        amount: "150000000.00",
        memberId: null,
        unit: null,
        counterparty: null,
        memo: null,
      },
    ],
  },
};

describe("bukubesar supervise", () => {
  it("records and prints the alert of a large cash posting appended while it runs, and stops on SIGTERM", async () => {
    const directory = temporaryDirectory();
    const storeUrl = `sqlite:${join(directory, "data", "bukubesar.db")}`;
    await openCooperative(storeUrl, COOP);
    const supervisor = startBukubesar(["supervise"], {
      cwd: directory,
      env: { DATA_DIR: "data", STORE_URL: "", NATS_URL: "" },
    });
    let exitCode: number | null = null;
    try {
      // Ready once it says so on stderr; stdout carries only alerts.
      const deadline = Date.now() + 30_000;
      while (!supervisor.stderr().includes("bukubesar supervisor following") && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 50));
      expect(supervisor.stderr()).toContain("bukubesar supervisor following");

      await recordCommands(storeUrl, COOP, [largeCashPosting]);
      const [line] = await supervisor.waitFor(/^\{.*"rule":"large-cash".*\}$/m);
      const printed = JSON.parse(line) as {
        alertId: string;
        coopId: string;
        entryIds: string[];
        regionCode: string;
      };
      expect(printed).toMatchObject({
        coopId: COOP,
        regionCode: "35.74.03.1002",
        entryIds: ["entry-large-cash"],
      });
    } finally {
      exitCode = await supervisor.stop("SIGTERM");
    }
    expect(exitCode).toBe(0);

    const store = await openEventStore(storeUrl);
    try {
      const recorded = await store.readStream(alertsStreamId(COOP));
      const alerts = recorded.filter((event) => event.type === ALERT_RAISED);
      expect(alerts.map((event) => (event.data as { rule: string }).rule)).toContain(LARGE_CASH_RULE);
      // A graceful stop records how far it got, so the next start resumes there.
      const progress = await store.readStream(SUPERVISOR_PROGRESS_STREAM);
      expect(progress.length).toBeGreaterThan(0);
    } finally {
      await store.close();
    }
  }, 60_000);

  it("runs apart from serve --no-supervisor: the API records no alert, the supervise process does", async () => {
    const directory = temporaryDirectory();
    const storeUrl = `sqlite:${join(directory, "data", "bukubesar.db")}`;
    await openCooperative(storeUrl, COOP);
    const env = { DATA_DIR: "data", STORE_URL: "", NATS_URL: "", PORT: "0", LOG_LEVEL: "silent" };
    const server = startBukubesar(["serve", "--no-supervisor"], { cwd: directory, env });
    const alertsRecorded = async () => {
      const store = await openEventStore(storeUrl);
      try {
        return (await store.readStream(alertsStreamId(COOP))).length;
      } finally {
        await store.close();
      }
    };
    try {
      await server.waitFor(/listening on/);
      await recordCommands(storeUrl, COOP, [largeCashPosting]);
      // An in-process supervisor would record the alert within milliseconds.
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      expect(await alertsRecorded()).toBe(0);
      const supervisor = startBukubesar(["supervise"], { cwd: directory, env });
      try {
        await supervisor.waitFor(/"rule":"large-cash"/);
      } finally {
        expect(await supervisor.stop("SIGTERM")).toBe(0);
      }
      expect(await alertsRecorded()).toBeGreaterThan(0);
    } finally {
      expect(await server.stop("SIGTERM")).toBe(0);
    }
  }, 60_000);

  it("on PostgreSQL runs one active supervisor; the standby takes over within seconds of a kill -9", async () => {
    const database = await createTestPostgresDatabase("cli_supervise_leader");
    const directory = temporaryDirectory();
    const storeUrl = `${database.url}?schema=ledger`;
    const env = { STORE_URL: storeUrl, NATS_URL: "" };
    const waitForStderr = async (process: ReturnType<typeof startBukubesar>, text: string, ms: number) => {
      const deadline = Date.now() + ms;
      while (!process.stderr().includes(text) && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 50));
      return process.stderr().includes(text);
    };
    await openCooperative(storeUrl, COOP);
    // Started without the launcher, so the SIGKILL below reaches the supervisor itself.
    const active = startBukubesar(["supervise"], { cwd: directory, env, direct: true });
    // The second starts once the first leads, so which one leads is known.
    const standbyStarted = waitForStderr(active, "bukubesar supervisor following", 30_000).then((led) => ({
      led,
      standby: startBukubesar(["supervise"], { cwd: directory, env, direct: true }),
    }));
    const { led, standby } = await standbyStarted;
    try {
      expect(led).toBe(true);
      expect(await waitForStderr(standby, "bukubesar supervisor standing by", 30_000)).toBe(true);
      expect(standby.stderr()).not.toContain("bukubesar supervisor following");
      const killedAt = Date.now();
      await active.stop("SIGKILL");
      expect(await waitForStderr(standby, "bukubesar supervisor following", 15_000)).toBe(true);
      // The lock goes with the dead session: about one poll interval, plus the server noticing the socket.
      expect(Date.now() - killedAt).toBeLessThan(10_000);
      await recordCommands(storeUrl, COOP, [largeCashPosting]);
      await standby.waitFor(/"rule":"large-cash"/);
    } finally {
      await active.stop("SIGKILL");
      expect(await standby.stop("SIGTERM")).toBe(0);
      await database.drop();
    }
  }, 90_000);

  it("on PostgreSQL stands by when a failover cuts its store, instead of exiting, and leads again after", async () => {
    const database = await createTestPostgresDatabase("cli_supervise_cut");
    const name = new URL(database.url).pathname.slice(1);
    const directory = temporaryDirectory();
    const storeUrl = `${database.url}?schema=ledger`;
    const { Client } = await import("pg");
    const admin = new Client({ connectionString: testPostgresServerUrl() });
    await admin.connect();
    const supervisor = startBukubesar(["supervise"], {
      cwd: directory,
      env: { STORE_URL: storeUrl, NATS_URL: "" },
      direct: true,
    });
    const timesFollowing = () => supervisor.stderr().split("bukubesar supervisor following").length - 1;
    const waitUntil = async (condition: () => boolean, ms: number) => {
      const deadline = Date.now() + ms;
      while (!condition() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      return condition();
    };
    try {
      await openCooperative(storeUrl, COOP);
      expect(await waitUntil(() => timesFollowing() === 1, 30_000)).toBe(true);
      await recordCommands(storeUrl, COOP, [largeCashPosting]);
      await supervisor.waitFor(/"entryIds":\["entry-large-cash"\]/);
      // The database goes away as in a failover: every session cut, new ones refused for a while.
      await admin.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS false`);
      await admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1", [name]);
      expect(await waitUntil(() => supervisor.stderr().includes("leadership lost"), 15_000)).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      await admin.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS true`);
      expect(await waitUntil(() => timesFollowing() === 2, 30_000), supervisor.stderr()).toBe(true);
      await recordCommands(storeUrl, COOP, [
        {
          ...largeCashPosting,
          data: { ...largeCashPosting.data, entryId: "entry-after-cut" },
        } as LedgerCommand,
      ]);
      await supervisor.waitFor(/"entryIds":\["entry-after-cut"\]/);
    } finally {
      await admin.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS true`).catch(() => undefined);
      await admin.end();
      expect(await supervisor.stop("SIGTERM")).toBe(0);
      await database.drop();
    }
  }, 120_000);
});

describe("bukubesar supervise with a mis-configured alert stream", () => {
  it("refuses to start, exit 3, naming the stream's replicas when they are fewer than NATS_ALERTS_REPLICAS", async () => {
    const natsUrl = process.env.TEST_NATS_URL ?? "nats://127.0.0.1:4222";
    const run = Math.random().toString(36).slice(2, 10);
    const streamName = `REPLICAS_${run}`;
    const subjectPrefix = `replicas${run}.alerts`;
    // An existing stream with one replica, as an operator may have made it by hand.
    const maker = await openNatsAlertBus({ servers: natsUrl, streamName, subjectPrefix, replicas: 1 });
    try {
      const directory = temporaryDirectory();
      const outcome = await runBukubesar(["supervise"], {
        cwd: directory,
        env: {
          STORE_URL: `sqlite:${join(directory, "bukubesar.db")}`,
          NATS_URL: natsUrl,
          NATS_ALERTS_STREAM: streamName,
          NATS_SUBJECT_PREFIX: subjectPrefix,
          NATS_ALERTS_REPLICAS: "3",
        },
      });
      expect(outcome.code).toBe(EXIT_STORE_UNREACHABLE);
      expect(outcome.stderr).toContain(
        `JetStream stream ${streamName} is mis-configured: num_replicas 1 is below 3`,
      );
    } finally {
      await maker.deleteStream();
      await maker.close();
    }
  });
});
