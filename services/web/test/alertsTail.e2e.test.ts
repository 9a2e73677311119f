/**
 * `bukubesar alerts tail` over the API's Server-Sent Events: when the server is killed and started again,
 * the command reconnects with Last-Event-ID instead of exiting, and prints every alert exactly once,
 * including the ones raised before it had reconnected.
 */
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./server.js";

const COOP = "kkmp-ekor";
const launcher = fileURLToPath(new URL("../../../scripts/bukubesar.mjs", import.meta.url));
const WAIT_MS = 60_000;

const until = async (condition: () => boolean, what: string): Promise<void> => {
  const deadline = Date.now() + WAIT_MS;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};

describe("bukubesar alerts tail over SSE", () => {
  let server: TestServer;
  let treasurer: string;
  let supervisor: string;
  let tail: ChildProcessWithoutNullStreams | null = null;

  const postLargeCash = async (amount: string) => {
    const posted = await server.call(
      "POST",
      `/v1/cooperatives/${COOP}/journal-entries`,
      {
        date: "2026-03-02",
        memo: `Tunai ${amount}`,
        lines: [
          { account: "1101", debit: amount },
          { account: "3300", credit: amount },
        ],
      },
      treasurer,
      { "idempotency-key": `ekor-${amount}` },
    );
    expect(posted.status).toBe(201);
  };

  beforeAll(async () => {
    server = await startTestServer();
    await server.call("POST", "/v1/cooperatives", {
      id: COOP,
      name: "KKMP Ekor",
      regionCode: "35.74.03.1002",
      chart: "kkmp",
    });
    await server.call("PATCH", `/v1/cooperatives/${COOP}/settings`, { largeCashThreshold: "5000000" });
    treasurer = (
      await server.call("POST", "/v1/tokens", { role: "treasurer", scope: COOP, name: "bendahara" })
    ).body.token;
    supervisor = (
      await server.call("POST", "/v1/tokens", { role: "supervisor", scope: "35.74", name: "pengawas" })
    ).body.token;
  });
  afterAll(async () => {
    tail?.kill("SIGTERM");
    await server?.dispose();
  });

  it("reconnects after the server restarts and misses nothing", async () => {
    const environment: NodeJS.ProcessEnv = { ...process.env, NATS_URL: "" };
    delete environment.INIT_CWD;
    const child = spawn(
      process.execPath,
      [
        launcher,
        "alerts",
        "tail",
        "--region",
        "35.74",
        "--json",
        "--api",
        server.base,
        "--token",
        supervisor,
      ],
      { env: environment },
    );
    tail = child;
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString("utf8");
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString("utf8");
    });
    const largeCash = () =>
      stdout
        .split("\n")
        .filter((line) => line !== "")
        .map((line) => JSON.parse(line) as { rule: string; details: { amount: string } })
        .filter((alert) => alert.rule === "large-cash")
        .map((alert) => alert.details.amount);

    await until(() => stderr.includes("Waiting for alerts"), "the tail to start");
    await postLargeCash("6100000");
    await until(() => largeCash().length === 1, "the first alert");
    await server.kill();
    await until(() => stderr.includes("reconnecting"), "the tail to notice the drop");
    expect(child.exitCode).toBeNull();
    await server.start();
    await postLargeCash("6200000");
    await postLargeCash("6300000");
    await until(() => largeCash().length === 3, "the alerts raised around the restart");
    expect(largeCash()).toEqual(["6100000.00", "6200000.00", "6300000.00"]);
    expect(child.exitCode).toBeNull();
    const exited = new Promise((resolve) => child.once("close", resolve));
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    tail = null;
  });
});
