/**
 * What the HTTP layer itself answers (docs/reliability.md, "The service protects itself"): a body too
 * large is a 413 every client can read, even one that writes its whole body before reading; a malformed
 * request line, headers too large and a request too slow are problem documents; a percent-encoded or
 * absolute-form URL is authenticated and rate limited exactly like its plain form; one address cannot hold
 * more than its share of connections.
 */
import { execFile } from "node:child_process";
import { connect, type Socket } from "node:net";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BODY_BYTES_MAX } from "../src/index.js";
import { freshStore, type Harness, startHarness } from "./harness.js";

const run = promisify(execFile);
const CONNECTIONS_MAX = 4;
const PER_MINUTE = 6;
/** Far more than the socket buffers hold: a server that closes without reading resets the connection. */
const OVERSIZED_BYTES = 24 * BODY_BYTES_MAX;

let harness: Harness;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  const store = await freshStore("sqlite");
  cleanup = store.cleanup;
  harness = await startHarness(store.url, {
    httpTimeouts: { headersMs: 1_000, requestMs: 2_000 },
    connectionsPerAddressMax: CONNECTIONS_MAX,
    rateLimitPerMinute: PER_MINUTE,
  });
});
afterAll(async () => {
  await harness?.stop();
  await cleanup?.();
});

const port = () => Number(new URL(harness.base).port);

/** Writes `chunks` as fast as the socket takes them, then reads until the server closes. */
const exchange = (chunks: readonly (string | Buffer)[], timeoutMs = 10_000): Promise<string> =>
  new Promise((resolve) => {
    const socket = connect(port(), "127.0.0.1", () => {
      for (const chunk of chunks) socket.write(chunk);
    });
    let answer = "";
    socket.on("data", (chunk: Buffer) => {
      answer += chunk.toString("latin1");
    });
    socket.on("error", (error) => {
      answer += `\n<error ${(error as NodeJS.ErrnoException).code}>`;
    });
    socket.on("close", () => resolve(answer));
    setTimeout(() => socket.destroy(), timeoutMs).unref();
  });

const problemOf = (answer: string): { status: number; code: string; type: string } => {
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1]);
  const type = (/^content-type: ([^\r\n;]*)/im.exec(answer)?.[1] ?? "").trim();
  const body = answer.slice(answer.indexOf("\r\n\r\n") + 4);
  const code = (JSON.parse(body.slice(body.indexOf("{"), body.lastIndexOf("}") + 1)) as { code: string })
    .code;
  return { status, code, type };
};

describe("the HTTP layer answers with problem documents", () => {
  it("a client that writes its whole oversized body first still reads the 413 (Python urllib)", async () => {
    const script = `
import json, sys, urllib.request, urllib.error
body = b'{"memo":"' + b"x" * ${OVERSIZED_BYTES} + b'"}'
request = urllib.request.Request(sys.argv[1], data=body, method="POST",
    headers={"Content-Type": "application/json", "Authorization": "Bearer " + sys.argv[2]})
try:
    urllib.request.urlopen(request, timeout=20)
    print("no error")
except urllib.error.HTTPError as error:
    print(error.code, json.loads(error.read())["code"])
`;
    const { stdout } = await run("python3", ["-c", script, `${harness.base}/v1/cooperatives`, harness.admin]);
    expect(stdout.trim()).toBe("413 payload_too_large");
  }, 30_000);

  it("a raw client that sends headers and the whole body at once reads the 413", async () => {
    const body = Buffer.alloc(OVERSIZED_BYTES, "x");
    const answer = await exchange([
      `POST /v1/cooperatives HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${harness.admin}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`,
      body,
    ]);
    expect(problemOf(answer)).toEqual({
      status: 413,
      code: "payload_too_large",
      type: "application/problem+json",
    });
  }, 20_000);

  it("a malformed request line is a 400 problem document", async () => {
    const answer = await exchange(["GARBAGE\r\n\r\n"]);
    expect(problemOf(answer)).toEqual({
      status: 400,
      code: "malformed_request",
      type: "application/problem+json",
    });
  });

  it("headers over the limit are a 431 problem document", async () => {
    const answer = await exchange([
      `GET /health HTTP/1.1\r\nHost: x\r\nX-Big: ${"a".repeat(64 * 1024)}\r\n\r\n`,
    ]);
    expect(problemOf(answer)).toEqual({
      status: 431,
      code: "request_header_fields_too_large",
      type: "application/problem+json",
    });
  });

  it("headers that never end are a 408 problem document", async () => {
    const answer = await exchange(["GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: "]);
    expect(problemOf(answer)).toEqual({
      status: 408,
      code: "request_timeout",
      type: "application/problem+json",
    });
  }, 15_000);
});

describe("every form of a URL is authenticated and limited as its plain form", () => {
  const forms = ["/v1/cooperatives", "/%76%31/%63ooperatives", "http://bukubesar.test/v1/cooperatives"];

  it("without a token each form is 401 with WWW-Authenticate", async () => {
    for (const form of forms) {
      const answer = await exchange([`GET ${form} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`]);
      expect(problemOf(answer).status, form).toBe(401);
      expect(answer, form).toMatch(/^www-authenticate: Bearer/im);
    }
  });

  it("with a token each form answers 200 and counts against the same budget", async () => {
    const issued = await harness.call("POST", "/v1/tokens", {
      body: { role: "supervisor", scope: "*", name: "bentuk-url" },
    });
    const statuses: number[] = [];
    for (let index = 0; index < PER_MINUTE + 1; index += 1) {
      const form = forms[index % forms.length] as string;
      const answer = await exchange([
        `GET ${form} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${issued.body.token}\r\nConnection: close\r\n\r\n`,
      ]);
      statuses.push(Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1]));
    }
    expect(statuses).toEqual([...Array(PER_MINUTE).fill(200), 429]);
  });
});

describe("connections per client address", () => {
  const openIdle = (): Promise<Socket> =>
    new Promise((resolve) => {
      const socket = connect(port(), "127.0.0.1", () => resolve(socket));
    });

  it("refuses one more than the limit with a 429 problem document and takes it again once one closes", async () => {
    const held = await Promise.all(Array.from({ length: CONNECTIONS_MAX }, openIdle));
    try {
      const refused = await exchange(["GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"]);
      expect(problemOf(refused)).toEqual({
        status: 429,
        code: "rate_limited",
        type: "application/problem+json",
      });
      expect(refused).toMatch(/^retry-after: \d+/im);
    } finally {
      for (const socket of held) socket.destroy();
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
    const served = await exchange(["GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"]);
    expect(problemOf(served).status).toBe(200);
  });
});
