/**
 * The rate limit, through @fastify/rate-limit: per principal once authenticated (RATE_LIMIT_PER_MINUTE),
 * and per client address for requests without a valid token, checked before the token is, so guessing
 * tokens is limited. Every counted response carries the RateLimit-Limit, RateLimit-Remaining and
 * RateLimit-Reset headers (the IETF draft's names); a refusal is 429 `rate_limited` with Retry-After. The
 * counts live in this process or in a store shared by replicas (rateLimitStore.ts).
 */
import rateLimit from "@fastify/rate-limit";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import {
  RATE_LIMIT_WINDOW_MS,
  REFUSALS_RECORDED_PER_MINUTE,
  SIGN_INS_PER_MINUTE,
  UNAUTHENTICATED_REQUESTS_PER_MINUTE,
} from "./limits.js";
import { ApiProblem } from "./problem.js";
import type { RateLimitStore } from "./rateLimitStore.js";

export interface RateLimits {
  /** Before authentication: 429 when this address has used up its budget of unauthenticated requests. */
  checkAddress(request: FastifyRequest, reply: FastifyReply): Promise<void>;
  /** After a failed authentication: counts it against the address. */
  countUnauthenticated(request: FastifyRequest, reply: FastifyReply): Promise<void>;
  /**
   * A sign-in, right or wrong, counted against its address before its body is read (SIGN_INS_PER_MINUTE):
   * 429 beyond it, so however many arrive at once, no more tokens than that are read in a window.
   */
  countSignIn(request: FastifyRequest, reply: FastifyReply): Promise<void>;
  /**
   * An audited refusal about to be recorded: counts it against the principal's refusal budget
   * (REFUSALS_RECORDED_PER_MINUTE); the 429 to answer instead when the budget is spent, else null.
   */
  countRefusal(request: FastifyRequest, reply: FastifyReply, principalId: string): Promise<ApiProblem | null>;
  /** After a successful authentication: counts the request against its principal, 429 beyond the limit. */
  countPrincipal(request: FastifyRequest, reply: FastifyReply, principalId: string): Promise<void>;
}

type Outcome = Awaited<ReturnType<ReturnType<FastifyInstance["createRateLimit"]>>>;

const setHeaders = (reply: FastifyReply, outcome: Outcome): void => {
  if (outcome.isAllowed) return;
  reply.header("ratelimit-limit", outcome.max);
  reply.header("ratelimit-remaining", outcome.remaining);
  reply.header("ratelimit-reset", outcome.ttlInSeconds);
};

const refusal = (outcome: Outcome, detail: string): ApiProblem =>
  new ApiProblem("rate_limited", detail, [], {
    "retry-after": String(outcome.isAllowed ? 1 : Math.max(1, outcome.ttlInSeconds)),
  });

export const registerRateLimits = async (
  app: FastifyInstance,
  options: {
    readonly perPrincipalPerMinute: number;
    readonly store?: RateLimitStore;
    readonly onRefused: (key: "principal" | "address") => void;
  },
): Promise<RateLimits> => {
  const shared = options.store;
  await app.register(rateLimit, {
    global: false,
    // @fastify/rate-limit constructs its store; a shared one is handed over as the constructed object.
    ...(shared === undefined
      ? {}
      : {
          store: function SharedStore() {
            return shared;
          } as never,
        }),
  });
  const byAddress = countedOrAllowed(
    app.createRateLimit({
      max: UNAUTHENTICATED_REQUESTS_PER_MINUTE,
      timeWindow: RATE_LIMIT_WINDOW_MS,
      keyGenerator: (request) => `address:${request.ip}`,
    }),
  );
  const byPrincipal = countedOrAllowed(
    app.createRateLimit({
      max: options.perPrincipalPerMinute,
      timeWindow: RATE_LIMIT_WINDOW_MS,
      keyGenerator: (request) => `principal:${request.principal?.principalId ?? ""}`,
    }),
  );
  const bySignIns = countedOrAllowed(
    app.createRateLimit({
      max: SIGN_INS_PER_MINUTE,
      timeWindow: RATE_LIMIT_WINDOW_MS,
      keyGenerator: (request) => `signin:${request.ip}`,
    }),
  );
  const byRefusals = countedOrAllowed(
    app.createRateLimit({
      max: REFUSALS_RECORDED_PER_MINUTE,
      timeWindow: RATE_LIMIT_WINDOW_MS,
      keyGenerator: (request) => `refusal:${request.principal?.principalId ?? ""}`,
    }),
  );
  const tooManyGuesses =
    "Too many requests without a valid token from this address; wait before trying again.";
  return {
    async checkAddress(request, reply) {
      const outcome = await byAddress(request, { increment: false });
      if (!outcome.isAllowed && outcome.remaining <= 0) {
        setHeaders(reply, outcome);
        options.onRefused("address");
        throw refusal(outcome, tooManyGuesses);
      }
    },
    async countUnauthenticated(request, reply) {
      const outcome = await byAddress(request);
      setHeaders(reply, outcome);
      if (!outcome.isAllowed && outcome.isExceeded) {
        options.onRefused("address");
        throw refusal(outcome, tooManyGuesses);
      }
    },
    async countSignIn(request, reply) {
      const outcome = await bySignIns(request);
      if (!outcome.isAllowed && outcome.isExceeded) {
        setHeaders(reply, outcome);
        options.onRefused("address");
        throw refusal(outcome, tooManyGuesses);
      }
    },
    async countRefusal(request, reply, principalId) {
      const outcome = await byRefusals(request);
      if (outcome.isAllowed || !outcome.isExceeded) return null;
      setHeaders(reply, outcome);
      options.onRefused("principal");
      return refusal(
        outcome,
        `Too many refused requests from the principal ${principalId}; they are recorded for supervisors, so slow down.`,
      );
    },
    async countPrincipal(request, reply, principalId) {
      const outcome = await byPrincipal(request);
      setHeaders(reply, outcome);
      if (!outcome.isAllowed && outcome.isExceeded) {
        options.onRefused("principal");
        throw refusal(outcome, `Too many requests from the principal ${principalId}; slow down.`);
      }
    },
  };
};

type RateLimitCheck = ReturnType<FastifyInstance["createRateLimit"]>;

/**
 * A limit whose shared store cannot be reached (a PostgreSQL failover) lets the request through instead
 * of failing it: the limit is a guard against abuse, not a record, and the request then meets the event
 * store, which answers 503 with Retry-After by itself if it is down too. Failing here would turn every
 * request into a 500 during a failover, and an unhandled store error would be a wrong answer.
 */
const countedOrAllowed = (check: RateLimitCheck): RateLimitCheck => {
  return (async (request: FastifyRequest, options?: { increment?: boolean }) => {
    try {
      return await check(request, options as never);
    } catch {
      return {
        isAllowed: true,
        key: "",
        max: 0,
        timeWindow: 0,
        remaining: 1,
        ttl: 0,
        ttlInSeconds: 0,
        isExceeded: false,
        isBanned: false,
      };
    }
  }) as RateLimitCheck;
};
