/**
 * Idempotency keys being processed, claimed across every process that shares one PostgreSQL store, so
 * that API replicas behind a load balancer answer a key retried while its first request is still running
 * exactly as one process would: 409 `idempotency_key_in_flight` (docs/api.md, "Idempotency").
 *
 * A claim is a session-level advisory lock in the single-key (64-bit) space, which no other lock of ours
 * uses, on one connection of this process's own: PostgreSQL releases it when that session ends, so a
 * replica killed mid-request leaves no claim behind and the client's retry is served at once (no expiry
 * to wait for, nothing to clean up). Advisory locks are reentrant within a session, so the caller must
 * keep its own in-process set as well; this port only answers for other processes.
 */
import { createHash } from "node:crypto";
import type pg from "pg";
import { quoteSchema } from "./postgresSchema.js";
import { storeUnavailable } from "./storeFailure.js";

/** Claims of keys in flight, shared by the processes of one deployment. */
export interface InFlightClaims {
  /** Claims `key` for this process; false when another process holds it. */
  claim(key: string): Promise<boolean>;
  /** Gives a claim up (a no-op when the connection that held it is gone: so is the claim). */
  release(key: string): Promise<void>;
  close(): Promise<void>;
}

/** One process alone: nobody else can hold a key (the caller's own set answers for this process). */
export const processLocalInFlightClaims: InFlightClaims = {
  claim: async () => true,
  release: async () => undefined,
  close: async () => undefined,
};

/** The 64-bit advisory lock key of a claim: a hash of the schema and the key, as a signed decimal. */
const lockKeyOf = (schema: string, key: string): string =>
  createHash("sha256").update(`${schema}\u0000${key}`, "utf8").digest().readBigInt64BE(0).toString();

export class PostgresInFlightClaims implements InFlightClaims {
  private client: pg.Client | null = null;
  private connecting: Promise<pg.Client> | null = null;
  /** The connection each held claim was taken on: a claim dies with its connection. */
  private readonly held = new Map<string, pg.Client>();
  private closed = false;

  private constructor(
    private readonly connectionString: string,
    private readonly schema: string,
  ) {}

  /** Claims on the store at `url` (a postgres:// URL; its `schema` parameter separates deployments). */
  static open(url: string): PostgresInFlightClaims {
    const parsed = new URL(url);
    const schema = parsed.searchParams.get("schema") ?? "public";
    quoteSchema(schema);
    parsed.searchParams.delete("schema");
    return new PostgresInFlightClaims(parsed.toString(), schema);
  }

  private async connection(): Promise<pg.Client> {
    if (this.client !== null) return this.client;
    if (this.connecting !== null) return this.connecting;
    this.connecting = (async () => {
      const { Client } = await import("pg");
      const client = new Client({ connectionString: this.connectionString });
      const forget = () => {
        if (this.client === client) this.client = null;
      };
      // A broken connection (a failover) must not crash the process; its claims are gone with it.
      client.on("error", forget);
      client.on("end", forget);
      try {
        await client.connect();
      } catch (error) {
        await client.end().catch(() => undefined);
        throw storeUnavailable(`cannot claim idempotency keys: ${(error as Error).message}`);
      }
      this.client = client;
      return client;
    })().finally(() => {
      this.connecting = null;
    });
    return this.connecting;
  }

  async claim(key: string): Promise<boolean> {
    if (this.closed) throw storeUnavailable("the idempotency claims are closed");
    const client = await this.connection();
    try {
      const result = await client.query<{ claimed: boolean }>(
        "SELECT pg_try_advisory_lock($1::bigint) AS claimed",
        [lockKeyOf(this.schema, key)],
      );
      const claimed = result.rows[0]?.claimed === true;
      if (claimed) this.held.set(key, client);
      return claimed;
    } catch (error) {
      throw storeUnavailable(`cannot claim an idempotency key: ${(error as Error).message}`);
    }
  }

  async release(key: string): Promise<void> {
    const client = this.held.get(key);
    this.held.delete(key);
    if (client === undefined || client !== this.client) return;
    await client
      .query("SELECT pg_advisory_unlock($1::bigint)", [lockKeyOf(this.schema, key)])
      .catch(() => undefined);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.held.clear();
    const client = this.client ?? (await this.connecting?.catch(() => null)) ?? null;
    this.client = null;
    // Ending the session releases every claim it still holds.
    await client?.end().catch(() => undefined);
  }
}
