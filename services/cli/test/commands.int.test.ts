import { execFileSync } from "node:child_process";
import { readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { openEventStore } from "@bukubesar/event-store";
import { buildServer } from "@bukubesar/ledger-api";
import { snapshotStoreFor } from "@bukubesar/projections";
import { describe, expect, it } from "vitest";
import {
  openCooperative,
  postingCommands,
  recordCommands,
  runBukubesar,
  temporaryDirectory,
} from "./fixtures.js";

const COOP = "kkmp-mangunharjo";
const ENV = { DATA_DIR: "data", STORE_URL: "" };
/** How long a running service may take to notice a revoked token (it follows the principals stream). */
const REVOCATION_NOTICE_MS = 10_000;

const storeWithEntries = async (entries: number): Promise<{ directory: string; storeUrl: string }> => {
  const directory = temporaryDirectory();
  const storeUrl = `sqlite:${join(directory, "data", "bukubesar.db")}`;
  await openCooperative(storeUrl, COOP);
  await recordCommands(storeUrl, COOP, postingCommands(entries));
  return { directory, storeUrl };
};

const trialBalance = async (directory: string): Promise<unknown> => {
  const outcome = await runBukubesar(["trial-balance", "--coop", COOP, "--as-of", "2025-12-31", "--json"], {
    cwd: directory,
    env: ENV,
  });
  expect(outcome.code).toBe(0);
  return JSON.parse(outcome.stdout);
};

describe("bukubesar replay", () => {
  it("rebuilds the read models from the log, prints events/s, and the trial balance is the same after", async () => {
    const { directory } = await storeWithEntries(30);
    const before = await trialBalance(directory);
    const outcome = await runBukubesar(["replay"], { cwd: directory, env: ENV });
    expect(outcome.code).toBe(0);
    const match = /Replayed (\d+) ledger events into 1 read models in [\d.]+s: (\d+) events\/s\./.exec(
      outcome.stdout,
    );
    expect(match).not.toBeNull();
    // The opening events (ledger, settings, the chart's accounts) plus one per posted entry.
    expect(Number(match?.[1])).toBeGreaterThan(30);
    expect(Number(match?.[2])).toBeGreaterThan(0);
    expect(outcome.stderr).toMatch(/replay: \d+\/\d+ \(100%\)/);
    expect(await trialBalance(directory)).toEqual(before);
  });

  it("saves a fresh read-model snapshot at the end, at the log's last position, for serve to start from", async () => {
    const { directory, storeUrl } = await storeWithEntries(5);
    const outcome = await runBukubesar(["replay"], { cwd: directory, env: ENV });
    expect(outcome.code).toBe(0);
    const saved = /Saved the read models' snapshot at position (\d+) in [\d.]+s\./.exec(outcome.stdout);
    expect(saved).not.toBeNull();
    const store = await openEventStore(storeUrl);
    try {
      const head = await store.headPosition();
      expect(BigInt(saved?.[1] ?? -1)).toBe(head);
      expect((await snapshotStoreFor(store)?.load())?.position).toBe(head);
    } finally {
      await store.close();
    }
  });

  it("refuses to replay a store that does not exist (exit 3), creating nothing", async () => {
    const outcome = await runBukubesar(["replay"], { cwd: temporaryDirectory(), env: ENV });
    expect(outcome.code).toBe(3);
    expect(outcome.stderr).toContain("store unreachable");
  });
});

describe("bukubesar export", () => {
  it("writes a journal that hledger reads and balances to zero", async () => {
    const { directory } = await storeWithEntries(12);
    const outcome = await runBukubesar(["export", "--coop", COOP, "--format", "ledger"], {
      cwd: directory,
      env: ENV,
    });
    expect(outcome.code).toBe(0);
    // execFileSync throws on a non-zero exit, so reaching the assertions means hledger accepted it.
    const balance = execFileSync("hledger", ["-f", "-", "balance", "--no-total"], {
      input: outcome.stdout,
      encoding: "utf8",
    });
    const total = execFileSync("hledger", ["-f", "-", "balance", "--format", "%(total)"], {
      input: outcome.stdout,
      encoding: "utf8",
    });
    expect(balance).toMatch(/1101/);
    // 1000 + 2000 + … + 12000 rupiah of sales on the cash account.
    expect(balance.replace(/[.,\s]/g, "")).toContain("78000");
    expect(total.trim().split("\n").at(-1)?.trim()).toBe("0");
  });
});

describe("bukubesar admin-token --reset", () => {
  it("prints a new admin token; the old one stops working on a service running on the same store", async () => {
    const directory = temporaryDirectory();
    const storeUrl = `sqlite:${join(directory, "data", "bukubesar.db")}`;
    const oldToken = "admin-token-before-the-reset-0123456789";
    const server = await buildServer({ storeUrl, adminToken: oldToken, logger: false });
    try {
      const asks = async (token: string) =>
        (
          await server.app.inject({
            method: "GET",
            url: "/v1/cooperatives",
            headers: { authorization: `Bearer ${token}` },
          })
        ).statusCode;
      expect(await asks(oldToken)).toBe(200);

      // The file a first start without a terminal left the token in gets the new one.
      const tokenFile = join(directory, "data", "admin-token");
      writeFileSync(tokenFile, `${oldToken}\n`, { mode: 0o600 });
      const outcome = await runBukubesar(["admin-token", "--reset"], { cwd: directory, env: ENV });
      expect(outcome.code).toBe(0);
      const newToken = /^Admin token: (\S+)$/m.exec(outcome.stdout)?.[1];
      expect(newToken).toBeDefined();
      expect(newToken).not.toBe(oldToken);
      expect(readFileSync(tokenFile, "utf8")).toBe(`${newToken}\n`);
      expect(statSync(tokenFile).mode & 0o777).toBe(0o600);

      // The reset revokes the old admin and then issues the new one, two appends the service reads in
      // turn: wait until it has read both, not only the revocation.
      const deadline = Date.now() + REVOCATION_NOTICE_MS;
      while (
        ((await asks(oldToken)) !== 401 || (await asks(newToken as string)) !== 200) &&
        Date.now() < deadline
      ) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(await asks(oldToken)).toBe(401);
      expect(await asks(newToken as string)).toBe(200);
    } finally {
      await server.close();
    }
  });

  it("without --reset is a usage error", async () => {
    const outcome = await runBukubesar(["admin-token"], { cwd: temporaryDirectory(), env: ENV });
    expect(outcome.code).toBe(2);
  });
});

const COMMANDS = [
  "serve",
  "import",
  "verify",
  "checkpoint",
  "trial-balance",
  "export",
  "report",
  "replay",
  "alerts tail",
  "admin-token",
];

describe("bukubesar --help and usage errors", () => {
  it.each(COMMANDS)("%s --help shows an example and exits 0", async (command) => {
    const outcome = await runBukubesar([...command.split(" "), "--help"], {
      cwd: temporaryDirectory(),
      env: ENV,
    });
    expect(outcome.code).toBe(0);
    expect(outcome.stdout).toContain("Examples:");
    const exampleLines = outcome.stdout.split("\n").filter((line) => line.startsWith("  $ "));
    expect(exampleLines.some((line) => line.includes(`bukubesar ${command}`))).toBe(true);
  });

  it.each([
    [["no-such-command"]],
    [["import", "--coop", COOP]],
    [["import", "--file", "x.jsonl", "--coop", COOP, "--unknown-option"]],
    [["report", "--coop", COOP, "--kind", "no-such-report"]],
    [["trial-balance", "--coop", COOP, "--as-of", "31-12-2025"]],
    [["export", "--coop", COOP, "--format", "beancount"]],
    [["alerts", "tail"]],
    [[]],
  ])("%j exits 2", async (args) => {
    const outcome = await runBukubesar(args, { cwd: temporaryDirectory(), env: ENV });
    expect(outcome.code).toBe(2);
  });
});
