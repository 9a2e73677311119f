/**
 * A TCP proxy between a PostgreSQL client and the server that can cut one connection at a chosen point of
 * a transaction that writes events: the "outcome unknown" faults of docs/reliability.md section 6 (#9, #18).
 * It reads the client's side of the wire protocol (a startup message, then typed messages of 1 byte and a
 * 4-byte length) only to see where a transaction is; every byte is forwarded unchanged otherwise.
 *
 * Cut points:
 * - `after-commit`: the COMMIT of a transaction that inserted events reaches the server, the server's
 *   answer (it committed) comes back to the proxy, and the proxy drops it and closes both sides. The
 *   client never learns that its transaction committed.
 * - `before-commit`: the COMMIT is never forwarded; both sides are closed mid-transaction, so the server
 *   rolls it back and the client cannot tell that either.
 */
import { connect, createServer, type Server, type Socket } from "node:net";

export type PostgresCutPoint = "after-commit" | "before-commit";

/** The table whose inserts mark a transaction as one that writes events (postgresSchema.ts). */
const EVENTS_TABLE = "event_store_events";

/** The port a URL without one means. */
const POSTGRES_DEFAULT_PORT = 5432;

/** Bytes of a typed message's header: the type byte and the 4-byte length (which counts itself). */
const TYPED_HEADER_BYTES = 5;

/** Simple-query (Q) and Parse (P) messages carry SQL text; the rest are forwarded without a look. */
const SQL_MESSAGE_TYPES = new Set(["Q", "P"]);

export interface PostgresCuttingProxy {
  /** The server URL with the proxy's port in place of the server's. */
  readonly url: string;
  /** Cuts the next transaction that inserts events at `point`; resolves once it is cut. */
  cutNext(point: PostgresCutPoint): Promise<void>;
  /** How many connections were cut so far. */
  cuts(): number;
  close(): Promise<void>;
}

interface Armed {
  readonly point: PostgresCutPoint;
  readonly done: () => void;
}

/** Starts a proxy on a free loopback port in front of the server of `serverUrl`. */
export const startPostgresCuttingProxy = async (serverUrl: string): Promise<PostgresCuttingProxy> => {
  const target = new URL(serverUrl);
  const sockets = new Set<Socket>();
  let armed: Armed | null = null;
  let cutCount = 0;

  const relay = (client: Socket): void => {
    const server = createConnectionTo(target);
    sockets.add(client);
    sockets.add(server);
    const closeBoth = (): void => {
      client.destroy();
      server.destroy();
    };
    client.on("close", () => server.end());
    server.on("close", () => client.end());
    client.on("error", closeBoth);
    server.on("error", closeBoth);
    client.on("close", () => sockets.delete(client));
    server.on("close", () => sockets.delete(server));

    let pending = Buffer.alloc(0);
    let started = false;
    let writesEvents = false;
    /** Set once this connection's COMMIT went through armed `after-commit`: its answer is dropped. */
    let swallowAnswer: Armed | null = null;

    server.on("data", (chunk: Buffer) => {
      if (swallowAnswer === null) {
        client.write(chunk);
        return;
      }
      // The server answered the COMMIT: the transaction is durable, and the client will never know.
      const finished = swallowAnswer;
      swallowAnswer = null;
      cutCount += 1;
      closeBoth();
      finished.done();
    });

    client.on("data", (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      for (;;) {
        const length = messageLength(pending, started);
        if (length === null || pending.length < length) return;
        const message = pending.subarray(0, length);
        pending = pending.subarray(length);
        if (!started) {
          started = true;
          server.write(message);
          continue;
        }
        const type = String.fromCharCode(message[0] ?? 0);
        const sql = SQL_MESSAGE_TYPES.has(type) ? message.toString("utf8", TYPED_HEADER_BYTES) : "";
        if (/\bINSERT\s+INTO\b/i.test(sql) && sql.includes(EVENTS_TABLE)) writesEvents = true;
        const commits = type === "Q" && /^\s*COMMIT\b/i.test(sql);
        if (commits && writesEvents && armed !== null) {
          const cut = armed;
          armed = null;
          if (cut.point === "before-commit") {
            cutCount += 1;
            closeBoth();
            cut.done();
            return;
          }
          swallowAnswer = cut;
        }
        if (type === "Q" && /^\s*(COMMIT|ROLLBACK)\b/i.test(sql)) writesEvents = false;
        server.write(message);
      }
    });
  };

  const listener: Server = createServer(relay);
  await new Promise<void>((resolve) => listener.listen(0, "127.0.0.1", resolve));
  const address = listener.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;
  const url = new URL(serverUrl);
  url.hostname = "127.0.0.1";
  url.port = String(port);

  return {
    url: url.toString(),
    cutNext: (point) =>
      new Promise<void>((resolve) => {
        armed = { point, done: resolve };
      }),
    cuts: () => cutCount,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => listener.close(() => resolve()));
    },
  };
};

const createConnectionTo = (target: URL): Socket =>
  connect({ host: target.hostname, port: Number(target.port || POSTGRES_DEFAULT_PORT) });

/**
 * The length of the first whole message in `buffer`, or null when its header has not arrived: the startup
 * message is a 4-byte length (counting itself) and its body; every later message a type byte, then that.
 */
const messageLength = (buffer: Buffer, started: boolean): number | null => {
  if (!started) return buffer.length < 4 ? null : buffer.readInt32BE(0);
  return buffer.length < TYPED_HEADER_BYTES ? null : 1 + buffer.readInt32BE(1);
};
