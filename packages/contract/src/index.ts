/**
 * The formats of the public contract (docs/api.md) that more than one part reads: the request bodies as
 * io-ts codecs (bodies.ts), the vocabulary codecs they are made of (primitives.ts) and the combinators
 * that make those (combinators.ts), a decode as a value (checkBody.ts), the strict JSON reader, the hash
 * of a keyed request and an entry line from a decoded body. The HTTP API answers their refusals as
 * problems; the CLI's import reads files by the same rules, and neither imports the other.
 */
export * from "./bodies.js";
export * from "./checkBody.js";
export * from "./combinators.js";
export * from "./decodeFailure.js";
export * from "./entryLine.js";
export * from "./jsonSchema.js";
export * from "./limits.js";
export * from "./primitives.js";
export * from "./requestHash.js";
export * from "./strictJson.js";
