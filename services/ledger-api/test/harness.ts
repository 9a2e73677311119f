/**
 * Starts the API on a real port over a fresh store (SQLite file or a fresh PostgreSQL database), or, for
 * the route tests of authorization and validation, in the process over the memory store through
 * Fastify's `inject` (no socket, no file: the same routes, hooks and answers).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createTestPostgresDatabase, type EventStore, openEventStore } from "@bukubesar/event-store";
import { type BuiltServer, buildServer, type ServerConfig } from "../src/index.js";

export interface Harness {
  readonly base: string;
  readonly admin: string;
  readonly built: BuiltServer;
  readonly store: EventStore;
  call(method: string, path: string, options?: CallOptions): Promise<Answer>;
  restart(): Promise<Harness>;
  stop(): Promise<void>;
}

export interface CallOptions {
  readonly body?: unknown;
  readonly raw?: string | Buffer;
  readonly token?: string | null;
  readonly headers?: Record<string, string>;
}

export interface Answer {
  readonly status: number;
  // biome-ignore lint/suspicious/noExplicitAny: test answers are inspected field by field
  readonly body: any;
  readonly headers: Headers;
}

export const ADMIN_TOKEN = "test-admin-token-0123456789";

export type Backend = "sqlite" | "postgres";

/** Creates a fresh store; returns its URL and a cleanup. */
export const freshStore = async (
  backend: Backend,
): Promise<{ url: string; cleanup: () => Promise<void> }> => {
  if (backend === "sqlite") {
    const dir = mkdtempSync(join(tmpdir(), "bukubesar-api-"));
    return {
      url: `sqlite:${join(dir, "bukubesar.db")}`,
      cleanup: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const database = await createTestPostgresDatabase("api");
  return { url: database.url, cleanup: database.drop };
};

/** The headers and body of a request as the harness sends it (a bearer token unless `token` is null). */
const requestOf = (options: CallOptions): { headers: Record<string, string>; body?: string | Buffer } => {
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  const token = options.token === undefined ? ADMIN_TOKEN : options.token;
  if (token !== null) headers.authorization = `Bearer ${token}`;
  let body: string | Buffer | undefined;
  if (options.raw !== undefined) body = options.raw;
  else if (options.body !== undefined) body = JSON.stringify(options.body);
  if (body !== undefined && headers["content-type"] === undefined)
    headers["content-type"] = "application/json";
  return body === undefined ? { headers } : { headers, body };
};

/** An answer's body: parsed when it is JSON, else its text. */
const bodyOf = (type: string, text: string): unknown =>
  type.includes("json") && text !== "" ? JSON.parse(text) : text;

/**
 * The API over the memory store, called through `app.inject`: for the route tests of authorization and
 * validation, which need the routes and not a socket or a file. One end-to-end pass per store stays in
 * the e2e tests (contractFlow, the alerts and the snapshots run on SQLite and PostgreSQL).
 */
export const startInjectedHarness = async (config: Partial<ServerConfig> = {}): Promise<Harness> => {
  const store = await openEventStore("memory:");
  const built = await buildServer({ store, adminToken: ADMIN_TOKEN, logger: false, ...config });
  await built.app.ready();
  const harness: Harness = {
    base: "http://127.0.0.1",
    admin: ADMIN_TOKEN,
    built,
    store,
    async call(method, path, options = {}) {
      const { headers, body } = requestOf(options);
      const response = await built.app.inject({
        method: method as "GET",
        url: path,
        headers,
        ...(body === undefined ? {} : { payload: body }),
      });
      const answerHeaders = new Headers();
      for (const [name, value] of Object.entries(response.headers)) {
        if (value !== undefined)
          answerHeaders.set(name, Array.isArray(value) ? value.join(", ") : String(value));
      }
      return {
        status: response.statusCode,
        body: bodyOf(answerHeaders.get("content-type") ?? "", response.body),
        headers: answerHeaders,
      };
    },
    async restart() {
      throw new Error("an injected harness over the memory store keeps nothing to restart from");
    },
    async stop() {
      await built.close();
      await store.close();
    },
  };
  return harness;
};

export const startHarness = async (
  storeUrl: string,
  config: Partial<ServerConfig> = {},
  openStore: (url: string) => Promise<EventStore> = openEventStore,
): Promise<Harness> => {
  const store = await openStore(storeUrl);
  const built = await buildServer({ store, adminToken: ADMIN_TOKEN, logger: false, ...config });
  await built.app.listen({ port: 0, host: "127.0.0.1" });
  const address = built.app.server.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;
  const base = `http://127.0.0.1:${port}`;
  const harness: Harness = {
    base,
    admin: ADMIN_TOKEN,
    built,
    store,
    async call(method, path, options = {}) {
      const { headers, body } = requestOf(options);
      const response = await fetch(base + path, { method, headers, ...(body !== undefined ? { body } : {}) });
      const text = await response.text();
      return {
        status: response.status,
        body: bodyOf(response.headers.get("content-type") ?? "", text),
        headers: response.headers,
      };
    },
    async restart() {
      await harness.stop();
      return startHarness(storeUrl, config, openStore);
    },
    async stop() {
      await built.close();
      await store.close();
    },
  };
  return harness;
};
