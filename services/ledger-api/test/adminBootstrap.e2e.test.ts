import { mkdtempSync, readFileSync, statSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openEventStore } from "@bukubesar/event-store";
import { PrincipalRegistry } from "@bukubesar/principals";
import { describe, expect, it } from "vitest";
import { ADMIN_TOKEN_FILE, bootstrapAdmin } from "../src/adminBootstrap.js";
import { serve } from "../src/index.js";

/** A terminal-or-not stand-in for process.stderr that keeps what was written. */
const fakeTerminal = (isTTY: boolean) => {
  const written: string[] = [];
  return { isTTY, written, write: (text: string) => written.push(text) };
};

const occupiedPort = async (): Promise<{ port: number; server: Server }> => {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  return { port: typeof address === "object" && address !== null ? address.port : 0, server };
};

const adminsIn = async (storeUrl: string): Promise<number> => {
  const store = await openEventStore(storeUrl);
  try {
    return (await PrincipalRegistry.open(store)).admins().length;
  } finally {
    await store.close();
  }
};

const answersWith = async (url: string, token: string): Promise<number> =>
  (await fetch(`${url}/v1/cooperatives`, { headers: { authorization: `Bearer ${token}` } })).status;

describe("the first admin of a store", () => {
  it("is not made by a start that cannot listen; the next good start makes it and keeps its token", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "bukubesar-bootstrap-"));
    const env = { DATA_DIR: dataDir, LOG_LEVEL: "silent" };
    const busy = await occupiedPort();
    try {
      const failed = serve({
        env: { ...env, PORT: String(busy.port) },
        handleSignals: false,
        print: () => undefined,
        terminal: fakeTerminal(false),
      });
      await expect(failed).rejects.toThrow(/already in use.*admin-token --reset/);
    } finally {
      busy.server.close();
    }
    expect(await adminsIn(`sqlite:${join(dataDir, "bukubesar.db")}`)).toBe(0);

    const terminal = fakeTerminal(false);
    const started = await serve({
      env: { ...env, PORT: "0" },
      handleSignals: false,
      print: () => undefined,
      terminal,
    });
    try {
      const tokenFile = join(dataDir, ADMIN_TOKEN_FILE);
      expect(statSync(tokenFile).mode & 0o777).toBe(0o600);
      const token = readFileSync(tokenFile, "utf8").trim();
      expect(terminal.written).toEqual([]);
      expect(await answersWith(started.url, token)).toBe(200);
    } finally {
      await started.close();
    }
  });

  it("shows the token on a terminal, names the reset command, and writes no file", async () => {
    const store = await openEventStore("memory:");
    const principals = await PrincipalRegistry.open(store);
    const dataDir = mkdtempSync(join(tmpdir(), "bukubesar-bootstrap-"));
    const terminal = fakeTerminal(true);
    const logged: string[] = [];
    const where = await bootstrapAdmin({ principals, dataDir, terminal, log: (line) => logged.push(line) });
    expect(where).toBe("terminal");
    const token = /^Admin token: (\S+)$/m.exec(terminal.written.join(""))?.[1] ?? "";
    expect(principals.authenticate(token)?.role).toBe("admin");
    expect(terminal.written.join("")).toContain("bukubesar admin-token --reset");
    expect(() => statSync(join(dataDir, ADMIN_TOKEN_FILE))).toThrow();
    expect(logged.join("\n")).not.toContain(token);
    // A second start finds the admin and makes nothing.
    expect(await bootstrapAdmin({ principals, dataDir, terminal, log: () => undefined })).toBeNull();
    await principals.close();
    await store.close();
  });

  it("logs where the token file is, never the token", async () => {
    const store = await openEventStore("memory:");
    const principals = await PrincipalRegistry.open(store);
    const dataDir = mkdtempSync(join(tmpdir(), "bukubesar-bootstrap-"));
    const logged: string[] = [];
    const where = await bootstrapAdmin({
      principals,
      dataDir,
      terminal: fakeTerminal(false),
      log: (line) => logged.push(line),
    });
    const token = readFileSync(join(dataDir, ADMIN_TOKEN_FILE), "utf8").trim();
    expect(where).toBe(join(dataDir, ADMIN_TOKEN_FILE));
    expect(logged.join("\n")).toContain(join(dataDir, ADMIN_TOKEN_FILE));
    expect(logged.join("\n")).toContain("bukubesar admin-token --reset");
    expect(logged.join("\n")).not.toContain(token);
    expect(principals.authenticate(token)?.role).toBe("admin");
    await principals.close();
    await store.close();
  });

  it("removes the token file when the store refuses the admin, so no file holds a token that works nowhere", async () => {
    const store = await openEventStore("memory:");
    const principals = await PrincipalRegistry.open(store);
    await store.close();
    const dataDir = mkdtempSync(join(tmpdir(), "bukubesar-bootstrap-"));
    await expect(
      bootstrapAdmin({ principals, dataDir, terminal: fakeTerminal(false), log: () => undefined }),
    ).rejects.toThrow();
    expect(() => statSync(join(dataDir, ADMIN_TOKEN_FILE))).toThrow();
    await principals.close();
  });
});
