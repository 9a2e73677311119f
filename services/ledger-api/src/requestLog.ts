/**
 * What a request's log lines carry beyond Fastify's defaults: a request id that follows the request
 * across services (the caller's X-Request-Id, else the trace id of a W3C traceparent, else a new UUID),
 * and on `request completed` the principal, the cooperative and the problem code of a refusal.
 */
import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { FastifyReply } from "fastify";

declare module "fastify" {
  interface FastifyReply {
    /** The problem code sent, for the log line (null for a success). */
    problemCode: string | null;
  }
}

/** A request id we accept from a caller: visible ASCII, short enough for a log line and a header. */
const CALLER_REQUEST_ID = /^[\x21-\x7e]{1,128}$/;
/** W3C Trace Context `traceparent`: version 00, a 32-hex trace id (not all zeros), a parent id, flags. */
const TRACEPARENT = /^00-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$/;
const ZERO_TRACE_ID = "0".repeat(32);

const headerText = (value: string | string[] | undefined): string | undefined =>
  typeof value === "string" ? value.trim() : undefined;

/** The request id of an incoming request (Fastify's genReqId). */
export const requestIdOf = (request: IncomingMessage): string => {
  const given = headerText(request.headers["x-request-id"]);
  if (given !== undefined && CALLER_REQUEST_ID.test(given)) return given;
  const traceId = TRACEPARENT.exec(headerText(request.headers.traceparent) ?? "")?.[1];
  if (traceId !== undefined && traceId !== ZERO_TRACE_ID) return traceId;
  return randomUUID();
};

const coopIdOf = (params: unknown): string | undefined => {
  const coopId = (params as { coopId?: unknown } | undefined)?.coopId;
  return typeof coopId === "string" ? coopId : undefined;
};

/** pino serializers: the response side of `request completed` names who asked, about what, and how it ended. */
export const requestLogSerializers = {
  res: (response: { readonly statusCode: number }) => {
    // Fastify hands the reply itself to this serializer; its request and problem code are there too.
    const reply = response as Partial<FastifyReply>;
    return {
      statusCode: response.statusCode,
      principalId: reply.request?.principal?.principalId ?? null,
      coopId: coopIdOf(reply.request?.params) ?? null,
      problem: reply.problemCode ?? null,
    };
  },
};
