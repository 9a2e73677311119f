/**
 * RFC 9457 problem details: every error this API answers is one of these, with a stable `code` from api.md.
 */

export interface FieldError {
  readonly path: string;
  readonly code: string;
  readonly message: string;
}

export type ProblemCode =
  | "malformed_json"
  | "malformed_request"
  | "request_timeout"
  | "request_header_fields_too_large"
  | "duplicate_key"
  | "unknown_field"
  | "unknown_parameter"
  | "idempotency_key_required"
  | "invalid_header"
  | "unauthenticated"
  | "forbidden"
  | "csrf_token_invalid"
  | "self_approval"
  | "not_found"
  | "method_not_allowed"
  | "cooperative_exists"
  | "account_exists"
  | "member_exists"
  | "idempotency_key_in_flight"
  | "payload_too_large"
  | "unsupported_media_type"
  | "not_acceptable"
  | "validation_failed"
  | "amount_must_be_string"
  | "invalid_amount"
  | "invalid_date"
  | "unbalanced_entry"
  | "too_few_lines"
  | "too_many_lines"
  | "debit_and_credit_on_one_line"
  | "unknown_account"
  | "account_closed"
  | "account_not_empty"
  | "unknown_member"
  | "period_closed"
  | "insufficient_funds"
  | "already_reversed"
  | "cannot_reverse_reversal"
  | "not_pending"
  | "entry_not_posted"
  | "fiscal_year_not_ended"
  | "contra_account_wrong_side"
  | "entries_pending_approval"
  | "approval_pending"
  | "fixed_by_ad_art"
  | "jasa_usaha_unattributed"
  | "result_changed_since_close"
  | "member_required"
  | "member_business_mismatch"
  | "member_counterparty_conflict"
  | "member_not_active"
  | "system_account"
  | "simpanan_pokok_locked"
  | "member_exited"
  | "member_loan_outstanding"
  | "account_tag_locked"
  | "account_history_conflicts"
  | "idempotency_key_reused"
  | "rate_limited"
  | "store_unavailable"
  | "revision_unavailable"
  | "not_ready"
  | "ledger_integrity"
  | "renderer_busy"
  | "internal_error"
  | "not_implemented";

/** The status of each code; a code the domain adds later and this table does not know is a 422. */
const statusByCode: Readonly<Record<string, number>> = {
  malformed_json: 400,
  malformed_request: 400,
  request_timeout: 408,
  request_header_fields_too_large: 431,
  duplicate_key: 400,
  unknown_field: 400,
  unknown_parameter: 400,
  idempotency_key_required: 400,
  invalid_header: 400,
  unauthenticated: 401,
  csrf_token_invalid: 403,
  forbidden: 403,
  self_approval: 403,
  not_found: 404,
  method_not_allowed: 405,
  not_acceptable: 406,
  cooperative_exists: 409,
  account_exists: 409,
  member_exists: 409,
  idempotency_key_in_flight: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal_error: 500,
  not_implemented: 501,
  store_unavailable: 503,
  revision_unavailable: 503,
  not_ready: 503,
  ledger_integrity: 503,
  renderer_busy: 503,
};

const titleByStatus: Readonly<Record<number, string>> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  406: "Not Acceptable",
  408: "Request Timeout",
  409: "Conflict",
  413: "Content Too Large",
  415: "Unsupported Media Type",
  422: "Unprocessable Content",
  429: "Too Many Requests",
  431: "Request Header Fields Too Large",
  500: "Internal Server Error",
  501: "Not Implemented",
  503: "Service Unavailable",
};

export const statusOfCode = (code: string): number => statusByCode[code] ?? 422;

/** An expected failure on its way to the client; thrown inside handlers and rendered by the error handler. */
export class ApiProblem extends Error {
  readonly status: number;
  constructor(
    readonly code: ProblemCode | string,
    readonly detail: string,
    readonly errors: readonly FieldError[] = [],
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(`${code}: ${detail}`);
    this.name = "ApiProblem";
    this.status = statusOfCode(code);
  }
}

export interface ProblemBody {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly code: string;
  readonly errors?: readonly FieldError[];
}

/** A JSON Pointer reference token: `~` and `/` escaped (RFC 6901). */
const pointerToken = (token: string): string => token.replaceAll("~", "~0").replaceAll("/", "~1");

/**
 * A field path as a JSON Pointer (RFC 6901), the one notation of every problem's `errors[].path`:
 * `lines[0].amount` and `lines.0.amount` become `/lines/0/amount`, a query parameter or header name
 * `asOf` becomes `/asOf`, the whole body is `""`; a path that is a pointer already is kept.
 */
export const toJsonPointer = (path: string): string => {
  if (path === "" || path.startsWith("/")) return path;
  const tokens = [...path.matchAll(/\[(\d+)\]|([^.[\]]+)/g)].map((match) => match[1] ?? match[2] ?? "");
  return tokens.map((token) => `/${pointerToken(token)}`).join("");
};

/** The problem document; `type` points at the contract's list of codes. */
export const problemBody = (problem: ApiProblem): ProblemBody => ({
  type: `https://bukubesar.dev/problems/${problem.code}`,
  title: titleByStatus[problem.status] ?? "Error",
  status: problem.status,
  detail: problem.detail,
  code: problem.code,
  ...(problem.errors.length > 0
    ? { errors: problem.errors.map((error) => ({ ...error, path: toJsonPointer(error.path) })) }
    : {}),
});

export const notFound = (what = "not found"): ApiProblem => new ApiProblem("not_found", what);
export const forbidden = (detail: string): ApiProblem => new ApiProblem("forbidden", detail);
