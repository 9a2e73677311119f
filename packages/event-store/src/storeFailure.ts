import type { ExpectedRevision, StoreError } from "./port.js";
import { StoreFailure } from "./port.js";

/** Recognises a StoreFailure at the edge (also across module copies, by name and shape). */
export const isStoreFailure = (error: unknown): error is StoreFailure => {
  if (error instanceof StoreFailure) return true;
  return (
    error instanceof Error &&
    error.name === "StoreFailure" &&
    typeof (error as { error?: { _tag?: unknown } }).error?._tag === "string"
  );
};

/** The name the port's comment uses for isStoreFailure. */
export const isStoreError = isStoreFailure;

/** True when the error is a StoreFailure with this tag. */
export const isStoreFailureOf = <Tag extends StoreError["_tag"]>(
  error: unknown,
  tag: Tag,
): error is StoreFailure & { readonly error: Extract<StoreError, { _tag: Tag }> } => {
  return isStoreFailure(error) && error.error._tag === tag;
};

export const storeUnavailable = (reason: string): StoreFailure => {
  return new StoreFailure({ _tag: "StoreUnavailable", reason });
};

export const eventIdReused = (eventId: string): StoreFailure => {
  return new StoreFailure({ _tag: "EventIdReused", eventId });
};

/**
 * Checks the expected revision against the stream's actual last revision and throws WrongExpectedRevision
 * when they disagree. Shared by every adapter that checks the revision itself.
 */
export const checkExpectedRevision = (
  streamId: string,
  expected: ExpectedRevision,
  actual: number | "no_stream",
): void => {
  if (expected === "any") return;
  if (expected === actual) return;
  throw new StoreFailure({ _tag: "WrongExpectedRevision", streamId, expected, actual });
};
