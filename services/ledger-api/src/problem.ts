/**
 * RFC 9457 problem details: every error this API answers is one of these, with a stable `code` from api.md.
 */
import type { RejectionCode } from "@bukubesar/ledger-core";

/**
 * Every code this API answers with, and its status: the one list, so a code without a status (or a
 * status for a code nobody can raise) cannot be written. The decider's rejection codes are among them,
 * which `statusOfRejection` checks when the project compiles.
 */
const statusByCode = {
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
  forbidden: 403,
  csrf_token_invalid: 403,
  self_approval: 403,
  not_found: 404,
  method_not_allowed: 405,
  cooperative_exists: 409,
  account_exists: 409,
  member_exists: 409,
  idempotency_key_in_flight: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  validation_failed: 422,
  amount_must_be_string: 422,
  invalid_amount: 422,
  invalid_date: 422,
  unbalanced_entry: 422,
  too_few_lines: 422,
  too_many_lines: 422,
  debit_and_credit_on_one_line: 422,
  unknown_account: 422,
  account_closed: 422,
  account_not_empty: 422,
  unknown_member: 422,
  period_closed: 422,
  insufficient_funds: 422,
  already_reversed: 422,
  cannot_reverse_reversal: 422,
  not_pending: 422,
  entry_not_posted: 422,
  fiscal_year_not_ended: 422,
  contra_account_wrong_side: 422,
  entries_pending_approval: 422,
  approval_pending: 422,
  fixed_by_ad_art: 422,
  jasa_usaha_unattributed: 422,
  result_changed_since_close: 422,
  member_required: 422,
  member_business_mismatch: 422,
  member_counterparty_conflict: 422,
  member_not_active: 422,
  system_account: 422,
  simpanan_pokok_locked: 422,
  member_exited: 422,
  member_loan_outstanding: 422,
  account_tag_locked: 422,
  account_history_conflicts: 422,
  member_not_exited: 422,
  exit_settlement_paid: 422,
  exit_settlement_changed: 422,
  idempotency_key_reused: 422,
  rate_limited: 429,
  store_unavailable: 503,
  revision_unavailable: 503,
  not_ready: 503,
  ledger_integrity: 503,
  renderer_busy: 503,
  internal_error: 500,
  not_implemented: 501,
} as const satisfies Readonly<Record<string, number>>;

/** A stable code of api.md's table: a closed set, so an unknown code is a compile error, not a silent 422. */
export type ProblemCode = keyof typeof statusByCode;

export interface FieldError {
  readonly path: string;
  readonly code: ProblemCode;
  readonly message: string;
}

/**
 * A warning in a successful answer (an allocation outside the usual ranges): a field error's shape, but
 * its code names something unusual, not a refusal, so it is not one of the problem codes.
 */
export interface FieldWarning {
  readonly path: string;
  readonly code: string;
  readonly message: string;
}

export const PROBLEM_CODES = Object.keys(statusByCode) as readonly ProblemCode[];

export const isProblemCode = (value: unknown): value is ProblemCode =>
  typeof value === "string" && Object.hasOwn(statusByCode, value);

const titleByStatus: Readonly<Record<number, string>> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
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

export const statusOfCode = (code: ProblemCode): number => statusByCode[code];

/**
 * The status of a decider's rejection. Typed by ledger-core's RejectionCode, so a rejection code the
 * domain adds without a status here fails to compile instead of answering an unplanned 422.
 */
export const statusOfRejection = (code: RejectionCode): number => statusByCode[code];

/** An expected failure on its way to the client; thrown inside handlers and rendered by the error handler. */
export class ApiProblem extends Error {
  readonly status: number;
  constructor(
    readonly code: ProblemCode,
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
  readonly code: ProblemCode;
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
