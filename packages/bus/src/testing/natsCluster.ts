import { type ChildProcess, spawn } from "node:child_process";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { jetstreamManager } from "@nats-io/jetstream";
import { type NatsAlertBus, openNatsAlertBus } from "../natsAlertBus.js";

/**
 * A JetStream cluster of nats-server processes on free loopback ports, for the tests of NATS faults
 * (docs/reliability.md section 6, D). Each node keeps its data in a temporary directory, so it can be
 * killed with SIGKILL and started again on the same data, and a copy of all the nodes' data taken at one
 * moment can be put back: the state a coordinated crash leaves when the writes since that moment were
 * not yet on disk.
 */
const NATS_SERVER = process.env.NATS_SERVER_BINARY ?? "nats-server";
/** How long the cluster may take to elect a JetStream meta leader and take a stream. */
export const CLUSTER_READY_MS = 30_000;
/** How much of each node's output is kept for the error of a cluster that does not come up. */
const LOG_KEPT_CHARACTERS = 4_000;
const READY_POLL_MS = 250;

export interface ClusterNode {
  readonly name: string;
  readonly url: string;
  readonly clientPort: number;
  readonly clusterPort: number;
  readonly dataDirectory: string;
  process: ChildProcess | null;
  log: string;
}

/**
 * The first port the NATS tests take. Below the kernel's ephemeral range (32768 and up on Linux), so no
 * `listen(0)` and no outgoing connection of another test is ever given one of these ports: a test that
 * kills a node and starts it again on the same port finds it still free.
 */
const TEST_PORT_FIRST = 20_000;
/** Ports in each test worker's own block, so test files running at once never pick the same port. */
const TEST_PORTS_PER_WORKER = 500;
/** Test workers whose blocks fit below the ephemeral range. */
const TEST_WORKER_BLOCKS = 24;

/** Whether a port on the loopback is free to listen on now. */
const canListen = (port: number): Promise<boolean> => {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
};

/** Listens on a loopback port for as long as the process lives (without keeping it alive); false if taken. */
const holdPort = (port: number): Promise<boolean> => {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => {
      server.unref();
      resolve(true);
    });
  });
};

/**
 * This process's block: the first one from its vitest worker's number (VITEST_POOL_ID, from 1; any other
 * process starts at block 0) whose first port it can listen on, held as the claim on the block for as long
 * as the process lives (the system lets go of it when the process ends, however it ends). Test processes
 * that do not share a vitest run (the same file run in several copies at once, to find a flaky test under
 * load) number their workers alike, so without a claim they took the same block: a copy's node failed to
 * start on a port another copy took, or a node killed for a restart freed its port, another copy's
 * cluster took it, and the first copy's clients then talked to the other copy's servers.
 */
const claimBlock = async (): Promise<number> => {
  const worker = Number(process.env.VITEST_POOL_ID ?? "0");
  const first = Number.isInteger(worker) && worker > 0 ? worker % TEST_WORKER_BLOCKS : 0;
  for (let offset = 0; offset < TEST_WORKER_BLOCKS; offset += 1) {
    const block = (first + offset) % TEST_WORKER_BLOCKS;
    if (await holdPort(TEST_PORT_FIRST + block * TEST_PORTS_PER_WORKER)) return block;
  }
  throw new Error(`all ${TEST_WORKER_BLOCKS} blocks of test ports are claimed`);
};

let claimedBlock: Promise<number> | null = null;
/** Ports of the block handed out so far; the first is the claim. */
let portsTaken = 1;

/**
 * The next unused port of this worker's block that is free now (one another program holds is passed
 * over). A port is never handed out twice in a process, so a node killed and started again keeps its own.
 */
export const freePort = async (): Promise<number> => {
  claimedBlock ??= claimBlock();
  const blockStart = TEST_PORT_FIRST + (await claimedBlock) * TEST_PORTS_PER_WORKER;
  while (portsTaken < TEST_PORTS_PER_WORKER) {
    const port = blockStart + portsTaken;
    portsTaken += 1;
    if (await canListen(port)) return port;
  }
  throw new Error(`no free port left in this test worker's block of ${TEST_PORTS_PER_WORKER}`);
};

const sleep = (milliseconds: number): Promise<void> => {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
};

const isRunning = (child: ChildProcess | null): child is ChildProcess => {
  return child !== null && child.exitCode === null && child.signalCode === null;
};

export class NatsCluster {
  private readonly routes: string;

  private constructor(
    readonly nodes: readonly ClusterNode[],
    readonly clusterName: string,
    private readonly directory: string,
  ) {
    this.routes = nodes.map((node) => `nats://127.0.0.1:${node.clusterPort}`).join(",");
  }

  /** `size` nodes named `<label><n>`, started and routed to each other. */
  static async start(label: string, size: number): Promise<NatsCluster> {
    const directory = mkdtempSync(join(tmpdir(), `nats-${label}-`));
    const nodes: ClusterNode[] = [];
    for (let index = 1; index <= size; index += 1) {
      const clientPort = await freePort();
      const name = `${label}${index}`;
      nodes.push({
        name,
        url: `nats://127.0.0.1:${clientPort}`,
        clientPort,
        clusterPort: await freePort(),
        dataDirectory: join(directory, name),
        process: null,
        log: "",
      });
    }
    const cluster = new NatsCluster(nodes, `bukubesar-${label}`, directory);
    for (const node of nodes) cluster.startNode(node);
    return cluster;
  }

  get urls(): string[] {
    return this.nodes.map((node) => node.url);
  }

  startNode(node: ClusterNode): void {
    const child = spawn(
      NATS_SERVER,
      [
        ...["-js", "-n", node.name, "-a", "127.0.0.1", "-p", String(node.clientPort)],
        ...["-sd", node.dataDirectory, "--cluster_name", this.clusterName],
        ...["--cluster", `nats://127.0.0.1:${node.clusterPort}`, "--routes", this.routes],
      ],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    node.process = child;
    const keep = (chunk: Buffer) => {
      node.log = (node.log + chunk.toString()).slice(-LOG_KEPT_CHARACTERS);
    };
    child.stdout?.on("data", keep);
    child.stderr?.on("data", keep);
  }

  /** SIGKILL to every node at once; resolves once all have exited. */
  async killAll(): Promise<void> {
    const exits = this.nodes
      .map((node) => node.process)
      .filter(isRunning)
      .map((child) => new Promise<void>((resolve) => child.once("exit", () => resolve())));
    for (const node of this.nodes) if (isRunning(node.process)) node.process.kill("SIGKILL");
    await Promise.all(exits);
  }

  /** Every node started again on its data directory. */
  restartAll(): void {
    for (const node of this.nodes) if (!isRunning(node.process)) this.startNode(node);
  }

  /**
   * Copies every node's data as it is on disk now, all nodes frozen (SIGSTOP) meanwhile so the copies are
   * of one moment, as a crash then would leave them. Returns the name of the copy for `restoreSnapshot`.
   */
  async snapshot(name: string): Promise<string> {
    const running = this.nodes.map((node) => node.process).filter(isRunning);
    for (const child of running) child.kill("SIGSTOP");
    try {
      for (const node of this.nodes)
        cpSync(node.dataDirectory, join(this.directory, `${name}-${node.name}`), { recursive: true });
    } finally {
      for (const child of running) child.kill("SIGCONT");
    }
    return name;
  }

  /** Puts back every node's data from a snapshot: only while all the nodes are down. */
  restoreSnapshot(name: string): void {
    if (this.nodes.some((node) => isRunning(node.process))) throw new Error("restore with nodes running");
    for (const node of this.nodes) {
      rmSync(node.dataDirectory, { recursive: true, force: true });
      cpSync(join(this.directory, `${name}-${node.name}`), node.dataDirectory, { recursive: true });
    }
  }

  /** Removes every node's data (all of them lost their disks): only while all the nodes are down. */
  wipeAll(): void {
    if (this.nodes.some((node) => isRunning(node.process))) throw new Error("wipe with nodes running");
    for (const node of this.nodes) rmSync(node.dataDirectory, { recursive: true, force: true });
  }

  /** The last lines each node wrote, for an error message. */
  logs(): string {
    return this.nodes.map((node) => `--- ${node.name}\n${node.log}`).join("\n");
  }

  /** Kills every node and removes their data. */
  async destroy(): Promise<void> {
    await this.killAll();
    rmSync(this.directory, { recursive: true, force: true });
  }
}

/**
 * Calls `attempt` until it resolves (the cluster elects its meta leader, then the stream's leader), at
 * most CLUSTER_READY_MS; the error then carries the nodes' logs.
 */
export const whenClusterReady = async <T>(cluster: NatsCluster, attempt: () => Promise<T>): Promise<T> => {
  const readyBy = Date.now() + CLUSTER_READY_MS;
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      if (Date.now() > readyBy) throw new Error(`cluster not ready: ${String(error)}\n${cluster.logs()}`);
      await sleep(READY_POLL_MS);
    }
  }
};

/** A bus on every node of the cluster, its stream created (or checked) with one replica per node. */
export const openClusterBus = (
  cluster: NatsCluster,
  streamName: string,
  subjectPrefix: string,
  options: { readonly servers?: string | readonly string[]; readonly createStream?: boolean } = {},
) => {
  return whenClusterReady(cluster, () =>
    openNatsAlertBus({
      servers: options.servers ?? cluster.urls,
      streamName,
      subjectPrefix,
      replicas: cluster.nodes.length,
      ...(options.createStream === undefined ? {} : { createStream: options.createStream }),
    }),
  );
};

/** The alert stream's storage ("file" or "memory") and replica count, as the broker has them now. */
export const alertStreamConfig = async (
  bus: NatsAlertBus,
): Promise<{ readonly storage: string; readonly replicas: number }> => {
  const { config } = await (await jetstreamManager(bus.connection)).streams.info(bus.streamName);
  return { storage: config.storage, replicas: config.num_replicas };
};
