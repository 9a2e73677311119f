/**
 * Turns an io-ts decode into a value or the ApiProblem that api.md prescribes for its first fault.
 */
import * as E from "fp-ts/lib/Either.js";
import type * as t from "io-ts";
import { isCodedValidationError } from "./decodeFailure.js";
import { ApiProblem, type FieldError, type ProblemCode } from "./problem.js";

/** When several faults are found, the one a client most needs to hear about decides the code. */
const codePriority: readonly ProblemCode[] = [
  "duplicate_key",
  "unknown_field",
  "too_many_lines",
  "too_few_lines",
  "amount_must_be_string",
  "debit_and_credit_on_one_line",
  "invalid_amount",
  "invalid_date",
  "invalid_header",
  "validation_failed",
];

/** Field errors listed in a problem: enough to fix the request, bounded so a 500-line body stays small. */
const FIELD_ERRORS_MAX = 50;

const pathOf = (context: t.Context): string =>
  context
    .slice(1)
    .map((entry) => entry.key)
    .reduce(
      (path, key) => (/^\d+$/.test(key) ? `${path}[${key}]` : path === "" ? key : `${path}.${key}`),
      "",
    );

export const fieldErrors = (errors: t.Errors): FieldError[] =>
  errors.slice(0, FIELD_ERRORS_MAX).map((error) =>
    isCodedValidationError(error)
      ? { path: pathOf(error.context), code: error.code, message: error.message }
      : {
          path: pathOf(error.context),
          code: "validation_failed",
          message: error.message ?? "is not valid",
        },
  );

/** Why a body was refused: the code that decides the answer, its first field error, and all of them. */
export interface BodyRefusal {
  readonly code: ProblemCode;
  /** The first field error with that code, if any names a field. */
  readonly first: FieldError | undefined;
  readonly errors: readonly FieldError[];
}

/**
 * A body decoded, or why it was refused, as a value: for callers that are not answering an HTTP request
 * (the CLI's import checks each line of a file by the API's rules) and for decodeBody below.
 */
export const checkBody = <A>(
  codec: t.Type<A, unknown, unknown>,
  value: unknown,
): E.Either<BodyRefusal, A> => {
  const decoded = codec.decode(value === undefined ? {} : value);
  if (E.isRight(decoded)) return decoded;
  const errors = fieldErrors(decoded.left);
  const code =
    codePriority.find((candidate) => errors.some((error) => error.code === candidate)) ?? "validation_failed";
  return E.left({ code, first: errors.find((error) => error.code === code), errors });
};

export const decodeBody = <A>(codec: t.Type<A, unknown, unknown>, value: unknown): A => {
  const checked = checkBody(codec, value);
  if (E.isRight(checked)) return checked.right;
  const { code, first, errors } = checked.left;
  const detail =
    first === undefined
      ? "The request is not valid."
      : `${first.path === "" ? "The body" : first.path} ${first.message}.`;
  throw new ApiProblem(code, detail, errors);
};

export const decodeQuery = <A>(codec: t.Type<A, unknown, unknown>, value: unknown): A => {
  const decoded = codec.decode(value ?? {});
  if (E.isRight(decoded)) return decoded.right;
  const errors = fieldErrors(decoded.left).map(
    (error): FieldError => ({
      ...error,
      code: error.code === "unknown_field" ? "validation_failed" : error.code,
    }),
  );
  const first = errors[0];
  throw new ApiProblem(
    first?.code === "invalid_date" ? "invalid_date" : "validation_failed",
    first === undefined ? "The query is not valid." : `Query parameter ${first.path} ${first.message}.`,
    errors,
  );
};

/** A path parameter that cannot name anything is simply not found: it reveals nothing. */
export const decodePath = <A>(codec: t.Type<A, unknown, unknown>, value: unknown, what: string): A => {
  const decoded = codec.decode(value);
  if (E.isRight(decoded)) return decoded.right;
  throw new ApiProblem("not_found", `No such ${what}.`);
};
