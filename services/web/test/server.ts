/**
 * `bukubesar serve` as its own process, so that a test can kill it (SIGKILL, as a power cut would) and
 * start it again on the same port and data directory. It serves the built web application at `/`.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const repositoryRoot = fileURLToPath(new URL("../../../", import.meta.url));
const cliMain = join(repositoryRoot, "services/cli/src/main.ts");
const tsxLoader = createRequire(join(repositoryRoot, "package.json")).resolve("tsx");
/** A cold start compiles the sources with tsx; on a loaded machine that takes a while. */
const START_TIMEOUT_MS = 90_000;

export const ADMIN_TOKEN = "browser-test-admin-token-0123456789";

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });

export interface TestServer {
  readonly base: string;
  /** Kills the process at once (SIGKILL): nothing is flushed or closed gracefully. */
  kill(): Promise<void>;
  /** Starts it again on the same port over the same data. */
  start(): Promise<void>;
  /** Everything the server printed so far (stdout and stderr). */
  output(): string;
  /** Stops it and removes its data. */
  dispose(): Promise<void>;
  /** An API call with a bearer token (the admin's by default). */
  call(
    method: string,
    path: string,
    body?: unknown,
    token?: string,
    headers?: Record<string, string>,
    // biome-ignore lint/suspicious/noExplicitAny: test answers are inspected field by field
  ): Promise<{ status: number; body: any }>;
}

export interface TestServerOptions {
  /** Serve with `--demo`: the demo cooperative and its printed demo tokens (read them with output()). */
  readonly demo?: boolean;
}

export const startTestServer = async (options: TestServerOptions = {}): Promise<TestServer> => {
  const dataDir = mkdtempSync(join(tmpdir(), "bukubesar-web-"));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  let child: ChildProcess | null = null;
  let printed = "";

  const start = () =>
    new Promise<void>((resolve, reject) => {
      const started = spawn(
        process.execPath,
        [
          "--import",
          tsxLoader,
          "--conditions=source",
          cliMain,
          "serve",
          ...(options.demo === true ? ["--demo"] : []),
        ],
        {
          cwd: dataDir,
          env: {
            ...process.env,
            PORT: String(port),
            DATA_DIR: dataDir,
            BUKUBESAR_ADMIN_TOKEN: ADMIN_TOKEN,
            LOG_LEVEL: "warn",
            NATS_URL: "",
          },
          stdio: ["ignore", "pipe", "pipe"],
        },
      );
      child = started;
      let output = "";
      const timer = setTimeout(
        () => reject(new Error(`the server did not start:\n${output}`)),
        START_TIMEOUT_MS,
      );
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        printed += chunk.toString();
        if (output.includes("listening on")) {
          clearTimeout(timer);
          resolve();
        }
      };
      started.stdout?.on("data", onData);
      started.stderr?.on("data", onData);
      started.once("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`the server exited (${code}):\n${output}`));
      });
    });

  const kill = async () => {
    const running = child;
    if (running === null || running.exitCode !== null || running.signalCode !== null) return;
    const exited = new Promise((resolve) => running.once("exit", resolve));
    running.kill("SIGKILL");
    await exited;
    child = null;
  };

  await start();
  return {
    base,
    kill,
    start,
    output: () => printed,
    dispose: async () => {
      await kill();
      rmSync(dataDir, { recursive: true, force: true });
    },
    call: async (method, path, body, token = ADMIN_TOKEN, headers = {}) => {
      const response = await fetch(base + path, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { "content-type": "application/json" }),
          ...headers,
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await response.text();
      return { status: response.status, body: text === "" ? null : JSON.parse(text) };
    },
  };
};
