/**
 * A decode failure that carries its api.md code beside its message, as a value: the codecs make them and
 * the edge (decode.ts) reads them, with no string to split on the way.
 */
import * as t from "io-ts";
import { isProblemCode, type ProblemCode } from "./problem.js";

export interface CodedValidationError extends t.ValidationError {
  readonly code: ProblemCode;
  readonly message: string;
}

export const codedValidationError = (
  value: unknown,
  context: t.Context,
  code: ProblemCode,
  message: string,
): CodedValidationError => ({ value, context, code, message });

/** A failure of this value, at this place, with this code and message. */
export const failWith = (
  value: unknown,
  context: t.Context,
  code: ProblemCode,
  message: string,
): t.Validation<never> => t.failures([codedValidationError(value, context, code, message)]);

/** Whether an io-ts error is one of ours; io-ts's own (from its built-in codecs) carry no code. */
export const isCodedValidationError = (error: t.ValidationError): error is CodedValidationError =>
  isProblemCode((error as { readonly code?: unknown }).code) && typeof error.message === "string";
