/**
 * Turns an io-ts decode into a value or the ApiProblem that api.md prescribes for its first fault; the
 * decode itself, as a value, is @bukubesar/contract's checkBody.
 */
import { checkBody, fieldErrors } from "@bukubesar/contract";
import * as E from "fp-ts/lib/Either.js";
import type * as t from "io-ts";
import { ApiProblem, type FieldError } from "./problem.js";

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
