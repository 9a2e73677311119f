/**
 * The JSON Schema of each io-ts codec, registered where the codec is made (combinators.ts, primitives.ts, bodies.ts), so the OpenAPI
 * document describes exactly the bodies and queries the codecs accept. The schemas are documentation
 * only: validation stays with io-ts, whose errors carry the stable codes of api.md.
 */
import type * as t from "io-ts";

export type JsonSchema = { readonly [keyword: string]: unknown };

const schemas = new WeakMap<t.Any, JsonSchema>();

/** Records `schema` as the JSON Schema of `codec` and returns the codec unchanged. */
export const withJsonSchema = <C extends t.Any>(codec: C, schema: JsonSchema): C => {
  schemas.set(codec, schema);
  return codec;
};

/** The JSON Schema of a codec; a codec made without one is described only by its name. */
export const jsonSchemaOf = (codec: t.Any): JsonSchema => schemas.get(codec) ?? { description: codec.name };
