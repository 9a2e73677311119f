import type pg from "pg";
import { quoteSchema } from "./postgresSchema.js";

/**
 * The advisory lock class of leaderships (the first key of the two-key form); the second key is a hash of
 * the schema and the leadership's name, so deployments in different schemas elect apart.
 */
export const POSTGRES_LEADERSHIP_LOCK_CLASS = 0x6262_0004;

/** How often a standby asks for the lock: a dead leader is replaced within about this long. */
export const LEADERSHIP_POLL_INTERVAL_MS = 1_000;

/** How often the leader checks that its connection (hence its lock) is still there. */
export const LEADERSHIP_CHECK_INTERVAL_MS = 1_000;

/** Held leadership: `lost` resolves if the connection holding the lock breaks; `release` gives it up. */
export interface Leadership {
  readonly lost: Promise<string>;
  release(): Promise<void>;
}

export interface LeadershipOptions {
  /** Stops waiting (resolves null) when this resolves, e.g. on SIGTERM. */
  readonly cancelled?: Promise<unknown>;
  /** Called once when this process starts waiting because another holds the leadership. */
  readonly onWaiting?: () => void;
}

/**
 * Waits until this process holds the named leadership on a PostgreSQL store: a session-level advisory
 * lock on a connection of its own. PostgreSQL releases the lock when that session ends, so when the
 * leader's process dies (even by SIGKILL) or its connection breaks, a standby polling every
 * LEADERSHIP_POLL_INTERVAL_MS takes over within about a second plus the time the server needs to notice
 * the closed socket. The leader checks its connection every LEADERSHIP_CHECK_INTERVAL_MS and reports the
 * loss through `lost`: it must then stop acting as leader at once, since another may already be.
 */
export const acquirePostgresLeadership = async (
  url: string,
  name: string,
  options: LeadershipOptions = {},
): Promise<Leadership | null> => {
  const parsed = new URL(url);
  const schema = parsed.searchParams.get("schema") ?? "public";
  quoteSchema(schema);
  parsed.searchParams.delete("schema");
  const { Client } = await import("pg");
  let cancelled = false;
  void options.cancelled?.then(() => {
    cancelled = true;
  });
  let announced = false;
  while (!cancelled) {
    const client = new Client({ connectionString: parsed.toString() });
    client.on("error", () => undefined);
    try {
      await client.connect();
      while (!cancelled) {
        const result = await client.query<{ held: boolean }>(
          "SELECT pg_try_advisory_lock($1, hashtext($2)) AS held",
          [POSTGRES_LEADERSHIP_LOCK_CLASS, `${schema}/${name}`],
        );
        if (result.rows[0]?.held === true) return holdLeadership(client);
        if (!announced) options.onWaiting?.();
        announced = true;
        await pause(LEADERSHIP_POLL_INTERVAL_MS);
      }
    } catch {
      // The server is unreachable (a failover): try again with a new connection.
      await pause(LEADERSHIP_POLL_INTERVAL_MS);
    }
    await client.end().catch(() => undefined);
  }
  return null;
};

const holdLeadership = (client: pg.Client): Leadership => {
  let released = false;
  let timer: NodeJS.Timeout | undefined;
  const lost = new Promise<string>((resolve) => {
    const lose = (reason: string): void => {
      clearInterval(timer);
      if (!released) resolve(reason);
    };
    client.on("error", (error: Error) =>
      lose(`the connection holding the leadership broke: ${error.message}`),
    );
    client.on("end", () => lose("the connection holding the leadership ended"));
    timer = setInterval(() => {
      client.query("SELECT 1").catch((error: Error) => lose(`the leadership check failed: ${error.message}`));
    }, LEADERSHIP_CHECK_INTERVAL_MS);
  });
  return {
    lost,
    async release() {
      released = true;
      clearInterval(timer);
      // Ending the session releases its advisory locks.
      await client.end().catch(() => undefined);
    },
  };
};

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
