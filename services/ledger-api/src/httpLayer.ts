/**
 * What the HTTP layer answers before (or instead of) a route, so that every client reads a problem
 * document and no form of a request slips past authentication or the rate limits (docs/reliability.md,
 * "The service protects itself"):
 * - a request Node's parser refuses is a problem document: 400 `malformed_request` for a malformed request
 *   line or header, 431 `request_header_fields_too_large`, 408 `request_timeout` for headers or a body that
 *   do not arrive in time;
 * - a percent-encoded path (`/%76%31/cooperatives`) or an absolute-form target
 *   (`GET http://host/v1/cooperatives`) is rewritten to its plain origin form before routing, so the token
 *   check and the rate limits see the same URL the router matches;
 * - after a 413 the rest of the body is read and thrown away (up to LINGER_BYTES_MAX and LINGER_MS_MAX)
 *   before the connection is closed, as nginx's lingering close does: a client that writes its whole body
 *   before reading (Python's urllib) otherwise gets a reset instead of the answer;
 * - one client address holds at most a bounded number of connections; a request on one more is 429.
 */
import type { IncomingMessage, Server } from "node:http";
import type { Socket } from "node:net";
import { LINGER_BYTES_MAX, LINGER_MS_MAX, TOO_MANY_CONNECTIONS_RETRY_AFTER_SECONDS } from "./limits.js";
import { ApiProblem, problemBody } from "./problem.js";

/** Characters RFC 3986 calls unreserved: percent-encoding them changes nothing (section 6.2.2.2). */
const UNRESERVED = /^[A-Za-z0-9\-._~]$/;

/**
 * The request target in origin form with unreserved characters decoded: what the router matches and what
 * authentication and the rate limits must see. Reserved characters stay encoded (`%2F` is not a `/`).
 */
export const originFormOf = (target: string): string => {
  let originForm = target;
  if (/^https?:\/\//i.test(target)) {
    try {
      const parsed = new URL(target);
      originForm = `${parsed.pathname}${parsed.search}`;
    } catch {
      return target;
    }
  }
  const queryAt = originForm.indexOf("?");
  const path = queryAt < 0 ? originForm : originForm.slice(0, queryAt);
  const query = queryAt < 0 ? "" : originForm.slice(queryAt);
  const decoded = path.replace(/%([0-9A-Fa-f]{2})/g, (encoded, hex: string) => {
    const character = String.fromCharCode(Number.parseInt(hex, 16));
    return UNRESERVED.test(character) ? character : encoded.toUpperCase();
  });
  return decoded + query;
};

/** Fastify's `rewriteUrl`: every request is routed, authenticated and counted by its plain form. */
export const rewriteToOriginForm = (request: IncomingMessage): string => originFormOf(request.url ?? "/");

const STATUS_TEXT: Readonly<Record<number, string>> = {
  400: "Bad Request",
  408: "Request Timeout",
  413: "Content Too Large",
  431: "Request Header Fields Too Large",
};

/** A whole HTTP/1.1 response carrying a problem document, written straight to a socket. */
const rawProblemResponse = (problem: ApiProblem): string => {
  const body = JSON.stringify(problemBody(problem));
  return [
    `HTTP/1.1 ${problem.status} ${STATUS_TEXT[problem.status] ?? "Error"}`,
    "Content-Type: application/problem+json",
    `Content-Length: ${Buffer.byteLength(body)}`,
    "Cache-Control: no-store",
    "Connection: close",
    "",
    body,
  ].join("\r\n");
};

/** The problem for an error Node's HTTP parser or its timers raised on a connection. */
export const clientErrorProblemOf = (error: NodeJS.ErrnoException): ApiProblem => {
  switch (error.code) {
    case "HPE_HEADER_OVERFLOW":
      return new ApiProblem(
        "request_header_fields_too_large",
        "The request's headers are larger than this server takes.",
      );
    case "ERR_HTTP_REQUEST_TIMEOUT":
      return new ApiProblem("request_timeout", "The request did not arrive in time; send it again.");
    default:
      return new ApiProblem("malformed_request", "The request is not well-formed HTTP/1.1.");
  }
};

/**
 * Fastify's `clientErrorHandler`: answers a problem document when nothing was written on the connection
 * yet, then closes it; a connection reset by the client is only closed.
 */
export const answerClientError = (error: NodeJS.ErrnoException, socket: Socket): void => {
  const answered = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (error.code === "ECONNRESET" || !socket.writable || answered?.headersSent === true) {
    socket.destroy();
    return;
  }
  socket.end(rawProblemResponse(clientErrorProblemOf(error)));
};

/**
 * Reads and discards what is left of a refused request's body, then closes the connection; past
 * LINGER_BYTES_MAX or LINGER_MS_MAX it is closed at once. Called before the 413 is sent. The answer still
 * says `Connection: close`, on which Node closes the socket as soon as the answer is written (its
 * `destroySoon`), with the body unread, and the kernel then resets the connection under the client's
 * feet: so for this one socket, closing "soon" only ends our side (the server allows half-open
 * connections) and the socket is closed once the body has been read.
 */
export const discardRestOfBody = (request: IncomingMessage): void => {
  if (request.complete) return;
  const socket = request.socket;
  const closeWhenWritten = socket.destroySoon.bind(socket);
  socket.destroySoon = () => {
    socket.end();
  };
  let discarded = 0;
  const cut = (): void => {
    socket.destroy();
  };
  const timer = setTimeout(cut, LINGER_MS_MAX);
  timer.unref();
  request.on("data", (chunk: Buffer) => {
    discarded += chunk.length;
    if (discarded > LINGER_BYTES_MAX) cut();
  });
  request.once("end", () => {
    clearTimeout(timer);
    closeWhenWritten();
  });
  socket.once("close", () => clearTimeout(timer));
  request.resume();
};

const OVER_LIMIT = Symbol("connection over the per-address limit");

/**
 * Counts open connections per client address; a connection beyond `max` is marked, and its requests are
 * answered 429 (`refuseOverLimit`) and closed. Marking instead of closing at once lets the client read why.
 */
export const capConnectionsPerAddress = (server: Server, max: number): void => {
  const open = new Map<string, number>();
  server.on("connection", (socket: Socket & { [OVER_LIMIT]?: boolean }) => {
    const address = socket.remoteAddress ?? "";
    const count = open.get(address) ?? 0;
    if (count >= max) {
      socket[OVER_LIMIT] = true;
      return;
    }
    open.set(address, count + 1);
    socket.once("close", () => {
      const left = (open.get(address) ?? 1) - 1;
      if (left <= 0) open.delete(address);
      else open.set(address, left);
    });
  });
};

/** Throws the 429 for a request on a connection beyond its address's limit. */
export const refuseOverLimit = (request: IncomingMessage): void => {
  if ((request.socket as Socket & { [OVER_LIMIT]?: boolean })[OVER_LIMIT] !== true) return;
  throw new ApiProblem(
    "rate_limited",
    "This address holds as many connections as it may; reuse one or close one first.",
    [],
    { "retry-after": String(TOO_MANY_CONNECTIONS_RETRY_AFTER_SECONDS), connection: "close" },
  );
};
