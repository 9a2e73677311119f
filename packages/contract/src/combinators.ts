/**
 * The io-ts combinators the wire formats are made of. Each failure carries a stable code beside its
 * explanation (decodeFailure.ts), and each codec its JSON Schema (jsonSchema.ts), so a decode error turns
 * into exactly the problem docs/api.md documents and the OpenAPI document describes what is accepted.
 * Objects are strict: a field a body does not take is `unknown_field`, never silently dropped.
 */
import * as E from "fp-ts/lib/Either.js";
import * as t from "io-ts";
import { codedValidationError, type DecodeCode, failWith as fail } from "./decodeFailure.js";
import { type JsonSchema, jsonSchemaOf, withJsonSchema } from "./jsonSchema.js";

export type Brand<A, B extends string> = A & { readonly __brand: B };

/** A string refined by a pattern, branded with the codec's name. */
export const refinedString = <B extends string>(
  name: B,
  pattern: RegExp,
  message: string,
  code: DecodeCode = "validation_failed",
): t.Type<Brand<string, B>, string, unknown> =>
  withJsonSchema(
    new t.Type<Brand<string, B>, string, unknown>(
      name,
      (u): u is Brand<string, B> => typeof u === "string" && pattern.test(u),
      (u, c) =>
        typeof u !== "string"
          ? fail(u, c, "validation_failed", "must be a string")
          : pattern.test(u)
            ? t.success(u as Brand<string, B>)
            : fail(u, c, code, message),
      (a) => a,
    ),
    { type: "string", pattern: pattern.source, description: message },
  );

/** Bidi overrides and isolates, and zero-width characters: refused everywhere (Trojan Source). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what this refuses.
const invisible = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/u;

/** Free text for people (names, memos, reasons): NFC-normalised, no control or bidi characters. */
export const text = (name: string, lengthMin: number, lengthMax: number) =>
  withJsonSchema(
    new t.Type<string, string, unknown>(
      name,
      (u): u is string => typeof u === "string",
      (u, c) => {
        if (typeof u !== "string") return fail(u, c, "validation_failed", "must be a string");
        const normalized = u.normalize("NFC");
        if (invisible.test(normalized))
          return fail(u, c, "validation_failed", "contains control or bidi characters");
        if (normalized.length < lengthMin || normalized.length > lengthMax) {
          return fail(u, c, "validation_failed", `must be ${lengthMin}-${lengthMax} characters`);
        }
        // Text that must be given must say something: the decider refuses a name or reason of spaces.
        if (lengthMin > 0 && normalized.trim().length === 0)
          return fail(u, c, "validation_failed", "must not be blank");
        return t.success(normalized);
      },
      (a) => a,
    ),
    {
      type: "string",
      minLength: lengthMin,
      maxLength: lengthMax,
      description: "Unicode text (NFC); control, bidi and zero-width characters are refused.",
    },
  );

export const literals = <L extends string>(name: string, values: readonly L[]) =>
  withJsonSchema(
    new t.Type<L, L, unknown>(
      name,
      (u): u is L => typeof u === "string" && (values as readonly string[]).includes(u),
      (u, c) =>
        typeof u === "string" && (values as readonly string[]).includes(u)
          ? t.success(u as L)
          : fail(u, c, "validation_failed", `must be one of ${values.join(", ")}`),
      (a) => a,
    ),
    { type: "string", enum: [...values] },
  );

export const BooleanCodec = withJsonSchema(
  new t.Type<boolean, boolean, unknown>(
    "boolean",
    (u): u is boolean => typeof u === "boolean",
    (u, c) =>
      typeof u === "boolean" ? t.success(u) : fail(u, c, "validation_failed", "must be true or false"),
    (a) => a,
  ),
  { type: "boolean" },
);

/** Nullable: `null` is an explicit value (e.g. clearing the approval threshold). */
export const nullable = <A>(codec: t.Type<A, unknown, unknown>) =>
  withJsonSchema(
    new t.Type<A | null, unknown, unknown>(
      `${codec.name} | null`,
      (u): u is A | null => u === null || codec.is(u),
      (u, c) => (u === null ? t.success(null) : codec.validate(u, c)),
      (a) => a,
    ),
    { anyOf: [jsonSchemaOf(codec), { type: "null" }] },
  );

export type AnyCodec = t.Mixed;
export type Props = Record<string, AnyCodec>;
export type Decoded<P extends Props> = { [K in keyof P]: t.TypeOf<P[K]> };

/**
 * A strict object: every required field present, optional ones only when given, and any other key is a
 * 400 `unknown_field`. The decoded value holds only the declared keys.
 */
export const strictObject = <R extends Props, O extends Props = Record<never, AnyCodec>>(
  name: string,
  required: R,
  optional: O = {} as O,
): t.Type<Decoded<R> & Partial<Decoded<O>>, unknown, unknown> =>
  withJsonSchema(
    new t.Type<Decoded<R> & Partial<Decoded<O>>, unknown, unknown>(
      name,
      (u): u is Decoded<R> & Partial<Decoded<O>> => typeof u === "object" && u !== null,
      (u, c) => {
        if (typeof u !== "object" || u === null || Array.isArray(u)) {
          return fail(u, c, "validation_failed", "must be a JSON object");
        }
        const record = u as Record<string, unknown>;
        const errors: t.ValidationError[] = [];
        const result: Record<string, unknown> = {};
        for (const key of Object.keys(record)) {
          if (!Object.hasOwn(required, key) && !Object.hasOwn(optional, key)) {
            errors.push(
              codedValidationError(
                record[key],
                t.appendContext(c, key, t.unknown, record[key]),
                "unknown_field",
                "this route does not take this field",
              ),
            );
          }
        }
        const visit = (key: string, codec: AnyCodec, isRequired: boolean) => {
          if (!Object.hasOwn(record, key)) {
            if (isRequired) {
              errors.push(
                codedValidationError(
                  undefined,
                  t.appendContext(c, key, codec, undefined),
                  "validation_failed",
                  "is required",
                ),
              );
            }
            return;
          }
          const decoded = codec.validate(record[key], t.appendContext(c, key, codec, record[key]));
          if (E.isLeft(decoded)) errors.push(...decoded.left);
          else result[key] = decoded.right;
        };
        for (const [key, codec] of Object.entries(required)) visit(key, codec, true);
        for (const [key, codec] of Object.entries(optional)) visit(key, codec, false);
        return errors.length > 0 ? t.failures(errors) : t.success(result as Decoded<R> & Partial<Decoded<O>>);
      },
      (a) => a,
    ),
    objectSchema(required, optional),
  );

/** The JSON Schema of a strict object: its fields, which are required, and no others. */
const objectSchema = (required: Props, optional: Props): JsonSchema => ({
  type: "object",
  properties: Object.fromEntries(
    [...Object.entries(required), ...Object.entries(optional)].map(([key, codec]) => [
      key,
      jsonSchemaOf(codec),
    ]),
  ),
  ...(Object.keys(required).length > 0 ? { required: Object.keys(required) } : {}),
  additionalProperties: false,
});

/** An array with a length range; `tooFew`/`tooMany` name the codes for the two ends. */
export const boundedArray = <A>(
  name: string,
  item: t.Type<A, unknown, unknown>,
  lengthMin: number,
  lengthMax: number,
  tooFew: DecodeCode = "validation_failed",
  tooMany: DecodeCode = "validation_failed",
) =>
  withJsonSchema(
    new t.Type<A[], unknown, unknown>(
      name,
      (u): u is A[] => Array.isArray(u),
      (u, c) => {
        if (!Array.isArray(u)) return fail(u, c, "validation_failed", "must be an array");
        if (u.length < lengthMin) return fail(u, c, tooFew, `needs at least ${lengthMin} items`);
        if (u.length > lengthMax) return fail(u, c, tooMany, `takes at most ${lengthMax} items`);
        const errors: t.ValidationError[] = [];
        const result: A[] = [];
        u.forEach((element, index) => {
          const decoded = item.validate(element, t.appendContext(c, String(index), item, element));
          if (E.isLeft(decoded)) errors.push(...decoded.left);
          else result.push(decoded.right);
        });
        return errors.length > 0 ? t.failures(errors) : t.success(result);
      },
      (a) => a,
    ),
    { type: "array", items: jsonSchemaOf(item), minItems: lengthMin, maxItems: lengthMax },
  );

/** A record of at most `sizeMax` keys matching `keyPattern`. */
export const boundedRecord = <A>(
  name: string,
  value: t.Type<A, unknown, unknown>,
  keyPattern: RegExp,
  sizeMax: number,
) =>
  withJsonSchema(
    new t.Type<Record<string, A>, unknown, unknown>(
      name,
      (u): u is Record<string, A> => typeof u === "object" && u !== null,
      (u, c) => {
        if (typeof u !== "object" || u === null || Array.isArray(u)) {
          return fail(u, c, "validation_failed", "must be a JSON object");
        }
        const entries = Object.entries(u as Record<string, unknown>);
        if (entries.length > sizeMax) return fail(u, c, "validation_failed", `takes at most ${sizeMax} keys`);
        const errors: t.ValidationError[] = [];
        const result: Record<string, A> = {};
        for (const [key, element] of entries) {
          const context = t.appendContext(c, key, value, element);
          if (!keyPattern.test(key)) {
            errors.push(codedValidationError(element, context, "validation_failed", "is not an allowed key"));
            continue;
          }
          const decoded = value.validate(element, context);
          if (E.isLeft(decoded)) errors.push(...decoded.left);
          else result[key] = decoded.right;
        }
        return errors.length > 0 ? t.failures(errors) : t.success(result);
      },
      (a) => a,
    ),
    {
      type: "object",
      propertyNames: { pattern: keyPattern.source },
      additionalProperties: jsonSchemaOf(value),
      maxProperties: sizeMax,
    },
  );

/** Query objects ignore parameters they do not know (caches and proxies add some), but decode the ones they do. */
export const queryObject = <O extends Props>(name: string, optional: O) => {
  // Made once here, not at each decode: a query is decoded on every request (a new codec and its JSON
  // schema each time were a few per cent of a trial-balance read).
  const fields = strictObject(name, {}, optional);
  return withJsonSchema(
    new t.Type<Partial<Decoded<O>>, unknown, unknown>(
      name,
      (u): u is Partial<Decoded<O>> => typeof u === "object",
      (u, c) => {
        const record = (typeof u === "object" && u !== null ? u : {}) as Record<string, unknown>;
        const known = Object.fromEntries(
          Object.keys(optional)
            .filter((k) => Object.hasOwn(record, k))
            .map((k) => [k, record[k]]),
        );
        return fields.validate(known, c);
      },
      (a) => a,
    ),
    { type: "object", properties: objectSchema({}, optional).properties },
  );
};
