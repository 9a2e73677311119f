/**
 * Where the rate limit keeps its counts: in this process (@fastify/rate-limit's own LocalStore, the
 * default), or in a PostgreSQL table shared by every replica of the API (RATE_LIMIT_STORE_URL), so that
 * N replicas do not allow N times the limit.
 *
 * A store follows @fastify/rate-limit's interface: `incr(key, callback, timeWindowMs, max)` counts one
 * request and answers `{ current, ttl }` (requests in the key's window so far, milliseconds left in it);
 * `read` answers the same without counting; `child` gives the store for a route (the same one here).
 */
import pg from "pg";

type Answer = (error: Error | null, result?: { current: number; ttl: number }) => void;

export interface RateLimitStore {
  incr(key: string, callback: Answer, timeWindowMs: number, max: number): void;
  read(key: string, callback: Answer, timeWindowMs: number, max: number): void;
  child(): RateLimitStore;
}

/** Connections the shared store may hold: one request's count is one short statement. */
const POOL_CONNECTIONS_MAX = 4;
/** Windows that ended this long ago are deleted, so keys of past clients do not pile up. */
const STALE_ROW_MS = 10 * 60_000;
const CLEANUP_INTERVAL_MS = 60_000;

const COUNT = `
INSERT INTO bukubesar_rate_limits AS bucket (key, hits, window_started) VALUES ($1, 1, clock_timestamp())
ON CONFLICT (key) DO UPDATE SET
  hits = CASE WHEN bucket.window_started + make_interval(secs => $2::float8 / 1000) <= clock_timestamp()
              THEN 1 ELSE bucket.hits + 1 END,
  window_started = CASE WHEN bucket.window_started + make_interval(secs => $2::float8 / 1000) <= clock_timestamp()
                        THEN clock_timestamp() ELSE bucket.window_started END
RETURNING hits,
  GREATEST(0, EXTRACT(EPOCH FROM (window_started + make_interval(secs => $2::float8 / 1000) - clock_timestamp())) * 1000)::float8 AS ttl`;

const READ = `
SELECT CASE WHEN window_started + make_interval(secs => $2::float8 / 1000) <= clock_timestamp() THEN 0 ELSE hits END AS hits,
  GREATEST(0, EXTRACT(EPOCH FROM (window_started + make_interval(secs => $2::float8 / 1000) - clock_timestamp())) * 1000)::float8 AS ttl
FROM bukubesar_rate_limits WHERE key = $1`;

/** The counts in one table of a PostgreSQL database, shared by every process that points at it. */
export class PostgresRateLimitStore implements RateLimitStore {
  private readonly cleanup: NodeJS.Timeout;
  private ready: Promise<unknown>;

  constructor(private readonly pool: pg.Pool) {
    // An idle connection that dies (a database failover) must not crash the process: without a listener
    // the pool's "error" event would. The next query opens a new connection.
    pool.on("error", () => undefined);
    this.ready = pool.query(
      "CREATE TABLE IF NOT EXISTS bukubesar_rate_limits (key text PRIMARY KEY, hits integer NOT NULL, window_started timestamptz NOT NULL)",
    );
    this.cleanup = setInterval(() => {
      pool
        .query(
          "DELETE FROM bukubesar_rate_limits WHERE window_started < clock_timestamp() - make_interval(secs => $1::float8 / 1000)",
          [STALE_ROW_MS],
        )
        .catch(() => undefined);
    }, CLEANUP_INTERVAL_MS);
    this.cleanup.unref();
  }

  static open(url: string): PostgresRateLimitStore {
    return new PostgresRateLimitStore(new pg.Pool({ connectionString: url, max: POOL_CONNECTIONS_MAX }));
  }

  private answer(sql: string, key: string, timeWindowMs: number, callback: Answer): void {
    this.ready
      .then(() => this.pool.query<{ hits: number; ttl: number }>(sql, [key, timeWindowMs]))
      .then(
        (result) => {
          const row = result.rows[0];
          callback(null, {
            current: row?.hits ?? 0,
            ttl: row === undefined ? timeWindowMs : Math.ceil(row.ttl),
          });
        },
        (error: unknown) => callback(error instanceof Error ? error : new Error(String(error))),
      );
  }

  incr(key: string, callback: Answer, timeWindowMs: number): void {
    this.answer(COUNT, key, timeWindowMs, callback);
  }

  read(key: string, callback: Answer, timeWindowMs: number): void {
    this.answer(READ, key, timeWindowMs, callback);
  }

  child(): RateLimitStore {
    return this;
  }

  async close(): Promise<void> {
    clearInterval(this.cleanup);
    await this.pool.end();
  }
}
