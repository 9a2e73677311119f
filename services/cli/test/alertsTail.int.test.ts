import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { type NatsAlertBus, openNatsAlertBus } from "@bukubesar/bus";
import { type Alert, alertIdFor } from "@bukubesar/supervision";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launcher, temporaryDirectory } from "./fixtures.js";

const NATS_URL = process.env.TEST_NATS_URL ?? "nats://127.0.0.1:4222";
const RUN = randomUUID().replaceAll("-", "").slice(0, 12);
const STREAM = `TEST_CLI_ALERTS_${RUN}`;
const PREFIX = `testcli${RUN}.alerts`;
/** Starting the command (tsx compiles the sources) takes a few seconds on a cold cache. */
const READY_TIMEOUT_MS = 30_000;

const alert = (seed: string, regionCode: string, severity: Alert["severity"]): Alert => ({
  alertId: alertIdFor("large-cash", ["cli-test", RUN, seed]),
  rule: "large-cash",
  severity,
  coopId: regionCode === "35.13.01.2001" ? "kop-lumajang" : "kkmp-mangunharjo",
  regionCode,
  entryIds: [`entry-${seed}`],
  summary: `Transaksi tunai besar ${seed}`,
  raisedAt: "2026-01-14T03:00:00.000Z",
  details: { amount: "150000000.00" },
});

interface Tail {
  readonly child: ChildProcessWithoutNullStreams;
  stdout: string;
  stderr: string;
  readonly exited: Promise<number | null>;
}

const startTail = (args: readonly string[]): Tail => {
  const environment: NodeJS.ProcessEnv = {
    ...process.env,
    NATS_URL,
    NATS_ALERTS_STREAM: STREAM,
    NATS_SUBJECT_PREFIX: PREFIX,
  };
  delete environment.INIT_CWD;
  const child = spawn(process.execPath, [launcher, "alerts", "tail", ...args], {
    cwd: temporaryDirectory(),
    env: environment,
  });
  const tail: Tail = {
    child,
    stdout: "",
    stderr: "",
    exited: new Promise((resolve) => child.on("close", (code) => resolve(code))),
  };
  child.stdout.on("data", (chunk: Buffer) => {
    tail.stdout += chunk.toString("utf8");
  });
  child.stderr.on("data", (chunk: Buffer) => {
    tail.stderr += chunk.toString("utf8");
  });
  return tail;
};

const until = async (condition: () => boolean, what: string, timeout = 10_000): Promise<void> => {
  const deadline = Date.now() + timeout;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
};

const jsonLines = (text: string): Alert[] =>
  text
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line) as Alert);

describe("bukubesar alerts tail over NATS", () => {
  let bus: NatsAlertBus;

  beforeAll(async () => {
    bus = await openNatsAlertBus({ servers: NATS_URL, streamName: STREAM, subjectPrefix: PREFIX });
  });

  afterAll(async () => {
    await bus.deleteStream().catch(() => undefined);
    await bus.close();
  });

  it("prints the region's alerts as JSON Lines, never another region's, and stops cleanly on SIGTERM", async () => {
    const everything = startTail(["--region", "35.74", "--json"]);
    const highOnly = startTail(["--region", "35.74", "--severity", "high"]);
    await until(
      () =>
        everything.stderr.includes("Waiting for alerts") && highOnly.stderr.includes("Waiting for alerts"),
      "both tails to subscribe",
      READY_TIMEOUT_MS,
    );

    const elsewhere = alert("lumajang", "35.13.01.2001", "high");
    const warning = alert("warning", "35.74.03.1002", "warning");
    const high = alert("high", "35.74.03.1002", "high");
    await bus.publish(elsewhere);
    await bus.publish(warning);
    await bus.publish(high);

    await until(() => jsonLines(everything.stdout).length >= 2, "two alerts on the JSON tail");
    await until(() => highOnly.stdout.includes(high.summary), "the high alert on the human tail");

    everything.child.kill("SIGTERM");
    highOnly.child.kill("SIGINT");
    expect(await everything.exited).toBe(0);
    expect(await highOnly.exited).toBe(0);

    // Ordered delivery: the 35.13 alert went out first, so had it matched it would already be here.
    expect(jsonLines(everything.stdout)).toEqual([warning, high]);
    const humanLines = highOnly.stdout.split("\n").filter((line) => line !== "");
    expect(humanLines).toHaveLength(1);
    expect(humanLines[0]).toMatch(
      /^2026-01-14T03:00:00\.000Z {2}high {5}35\.74\.03\.1002 {2}kkmp-mangunharjo {2}large-cash: Transaksi tunai besar high$/,
    );
    expect(everything.stdout).not.toContain("35.13");
  });

  it("refuses a malformed region with the usage exit code", async () => {
    const tail = startTail(["--region", "35.7"]);
    expect(await tail.exited).toBe(2);
    expect(tail.stderr).toContain("--region");
  });
});
