/**
 * The service the HTTP benchmarks load: `bukubesar serve` in a child process on a free port, over a
 * fresh SQLite directory, with an admin token of the benchmark's own and no NATS. http.bench.ts and
 * memoryBudget.bench.ts start it the same way through startBenchServer.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const repositoryRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
/** The CLI's entry point in the sources, run through tsx. */
export const mainSource = join(repositoryRoot, "services/cli/src/main.ts");

/**
 * The per-principal rate limit is raised for a run: with the default (6,000 a minute for each of 100
 * treasurers, i.e. 10,000 requests/s in total) the limiter, not the server, would bound the load.
 */
const BENCH_RATE_LIMIT_PER_MINUTE = 10_000_000;

export interface BenchServer {
  readonly url: string;
  readonly process: ChildProcess;
  /** From spawning to the URL printed. */
  readonly listenMs: number;
}

export interface BenchServerOptions {
  /** Node's arguments: flags, then the command and `serve` with its flags. */
  readonly nodeArguments: readonly string[];
  readonly dataDirectory: string;
  readonly adminToken: string;
  /** How long the server may take to print its URL. */
  readonly startTimeoutMs: number;
  /** More environment for the service (MEMORY_BUDGET_MB, …). */
  readonly environment?: Readonly<Record<string, string>>;
}

export const startBenchServer = async (options: BenchServerOptions): Promise<BenchServer> => {
  const started = performance.now();
  const child = spawn(process.execPath, [...options.nodeArguments], {
    cwd: repositoryRoot,
    env: {
      ...process.env,
      PORT: "0",
      DATA_DIR: options.dataDirectory,
      STORE_URL: "",
      NATS_URL: "",
      LOG_LEVEL: "silent",
      BUKUBESAR_ADMIN_TOKEN: options.adminToken,
      RATE_LIMIT_PER_MINUTE: String(BENCH_RATE_LIMIT_PER_MINUTE),
      ...options.environment,
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error("the server did not start")), options.startTimeoutMs);
    let printed = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      printed += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(printed);
      if (match?.[1] !== undefined) {
        clearTimeout(timer);
        resolveUrl(match[1]);
      }
    });
    child.once("exit", (code) => reject(new Error(`the server exited (${code}) before listening`)));
  });
  return { url, process: child, listenMs: performance.now() - started };
};

/** Stops the server gracefully (SIGTERM) and waits for it to exit. */
export const stopBenchServer = async (server: BenchServer): Promise<void> => {
  if (server.process.exitCode !== null) return;
  const exited = new Promise<void>((resolveExit) => server.process.once("exit", () => resolveExit()));
  server.process.kill("SIGTERM");
  await exited;
};
