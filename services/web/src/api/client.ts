/**
 * The one way the application talks to the API: openapi-fetch over the types generated from the API's own
 * /openapi.json (schema.d.ts). The browser authenticates with its HttpOnly session cookie; every request
 * that changes something carries the session's CSRF token, which only this page can read.
 */
import createClient, { type Middleware } from "openapi-fetch";
import { noteResponse } from "../offline/dataCache.js";
import type { paths } from "./schema.js";

let csrfToken: string | null = null;

/** Set at sign-in and whenever the session is read back; cleared at sign-out. */
export const useCsrfToken = (token: string | null): void => {
  csrfToken = token;
};

export const hasCsrfToken = (): boolean => csrfToken !== null;

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

const csrf: Middleware = {
  onRequest: ({ request }) => {
    if (csrfToken !== null && !SAFE_METHODS.has(request.method))
      request.headers.set("x-csrf-token", csrfToken);
    return request;
  },
};

/** An answer the service worker served from its cache (no network) is noted, for "data as of". */
const staleness: Middleware = {
  onResponse: ({ response }) => {
    noteResponse(response);
    return response;
  },
};

export const api = createClient<paths>({ baseUrl: "", credentials: "same-origin" });
api.use(csrf);
api.use(staleness);

/** An API problem (RFC 9457) as the application handles it: its status, stable code and field errors. */
export interface Problem {
  readonly status: number;
  readonly code: string;
  readonly detail: string;
  readonly errors?: readonly { readonly path: string; readonly code: string; readonly message: string }[];
}

/** Thrown when the API answers a problem, or when it cannot be reached (status 0, code `offline`). */
export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(`${problem.code}: ${problem.detail}`);
  }
}

const asProblem = (status: number, body: unknown): Problem => {
  const candidate = body as Partial<Problem> | undefined;
  return {
    status,
    code: typeof candidate?.code === "string" ? candidate.code : "internal_error",
    detail: typeof candidate?.detail === "string" ? candidate.detail : "",
    ...(Array.isArray(candidate?.errors) ? { errors: candidate.errors } : {}),
  };
};

/**
 * Unwraps an openapi-fetch result into its body, or throws an ApiError with the problem. A network failure
 * (the village connection dropped) becomes the problem `offline`, which the outbox treats as "try later".
 */
export const unwrap = async <T>(
  call: Promise<{ data?: unknown; error?: unknown; response: Response }>,
): Promise<T> => {
  let result: Awaited<typeof call>;
  try {
    result = await call;
  } catch {
    throw new ApiError({ status: 0, code: "offline", detail: "" });
  }
  if (!result.response.ok) throw new ApiError(asProblem(result.response.status, result.error));
  return result.data as T;
};

/** The problem of a failed call, whatever was thrown (a bug in the page becomes `internal_error`). */
export const problemOf = (error: unknown): Problem =>
  error instanceof ApiError ? error.problem : { status: 0, code: "internal_error", detail: String(error) };
