/**
 * A decode failure that carries its docs/api.md code beside its message, as a value: the codecs make them
 * and their readers (checkBody, the API's edge) read them, with no string to split on the way.
 */
import * as t from "io-ts";

/**
 * The codes a decode may give, in the order that decides which one a refusal answers with when several
 * faults are found (the one a client most needs to hear about first). Each is a problem code of
 * docs/api.md; the API's table of statuses must hold every one (a compile-time check in its problem.ts).
 */
export const DECODE_CODES = [
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
  "malformed_json",
] as const;

export type DecodeCode = (typeof DECODE_CODES)[number];

export const isDecodeCode = (value: unknown): value is DecodeCode =>
  typeof value === "string" && (DECODE_CODES as readonly string[]).includes(value);

export interface CodedValidationError extends t.ValidationError {
  readonly code: DecodeCode;
  readonly message: string;
}

export const codedValidationError = (
  value: unknown,
  context: t.Context,
  code: DecodeCode,
  message: string,
): CodedValidationError => ({ value, context, code, message });

/** A failure of this value, at this place, with this code and message. */
export const failWith = (
  value: unknown,
  context: t.Context,
  code: DecodeCode,
  message: string,
): t.Validation<never> => t.failures([codedValidationError(value, context, code, message)]);

/** Whether an io-ts error is one of ours; io-ts's own (from its built-in codecs) carry no code. */
export const isCodedValidationError = (error: t.ValidationError): error is CodedValidationError =>
  isDecodeCode((error as { readonly code?: unknown }).code) && typeof error.message === "string";
