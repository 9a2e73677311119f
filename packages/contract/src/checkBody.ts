/**
 * A decode as a value: the decoded body, or why it was refused (the code that decides the answer, the
 * first field error with that code, and all of them). The API's edge turns a refusal into its problem;
 * the CLI's import reports it for the line of the file.
 */
import * as E from "fp-ts/lib/Either.js";
import type * as t from "io-ts";
import { DECODE_CODES, type DecodeCode, isCodedValidationError } from "./decodeFailure.js";

/** Field errors listed in a refusal: enough to fix the request, bounded so a 500-line body stays small. */
export const FIELD_ERRORS_MAX = 50;

/** One fault of a decoded value: where (a dotted path, `lines[2].debit`), its code and what is wrong. */
export interface FieldRefusal {
  readonly path: string;
  readonly code: DecodeCode;
  readonly message: string;
}

const pathOf = (context: t.Context): string =>
  context
    .slice(1)
    .map((entry) => entry.key)
    .reduce(
      (path, key) => (/^\d+$/.test(key) ? `${path}[${key}]` : path === "" ? key : `${path}.${key}`),
      "",
    );

export const fieldErrors = (errors: t.Errors): FieldRefusal[] =>
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
  readonly code: DecodeCode;
  /** The first field error with that code, if any names a field. */
  readonly first: FieldRefusal | undefined;
  readonly errors: readonly FieldRefusal[];
}

/** A body decoded, or why it was refused, as a value (an absent body decodes as `{}`). */
export const checkBody = <A>(
  codec: t.Type<A, unknown, unknown>,
  value: unknown,
): E.Either<BodyRefusal, A> => {
  const decoded = codec.decode(value === undefined ? {} : value);
  if (E.isRight(decoded)) return decoded;
  const errors = fieldErrors(decoded.left);
  const code =
    DECODE_CODES.find((candidate) => errors.some((error) => error.code === candidate)) ?? "validation_failed";
  return E.left({ code, first: errors.find((error) => error.code === code), errors });
};
