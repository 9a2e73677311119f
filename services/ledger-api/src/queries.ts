/**
 * The query parameters of the API's routes: HTTP's own, so they stay with the routes; made of the same
 * combinators as the bodies (@bukubesar/contract).
 */
import { failWith as fail, queryObject, refinedString, withJsonSchema } from "@bukubesar/contract";
import * as t from "io-ts";
import { PAGE_SIZE_MAX } from "./limits.js";

export const Limit = withJsonSchema(
  new t.Type<number, unknown, unknown>(
    "Limit",
    (u): u is number => typeof u === "number",
    (u, c) => {
      if (typeof u === "string" && /^\d{1,7}$/.test(u)) {
        const limit = Number(u);
        if (limit >= 1 && limit <= PAGE_SIZE_MAX) return t.success(limit);
      }
      return fail(u, c, "validation_failed", `must be an integer from 1 to ${PAGE_SIZE_MAX}`);
    },
    (a) => a,
  ),
  { type: "integer", minimum: 1, maximum: PAGE_SIZE_MAX, default: 100 },
);

export const Revision = withJsonSchema(
  new t.Type<number, unknown, unknown>(
    "Revision",
    (u): u is number => typeof u === "number",
    (u, c) =>
      typeof u === "string" && /^(0|[1-9]\d{0,14})$/.test(u)
        ? t.success(Number(u))
        : fail(u, c, "validation_failed", "must be a revision"),
    (a) => a,
  ),
  { type: "integer", minimum: 0 },
);

export const Cursor = refinedString(
  "Cursor",
  /^[A-Za-z0-9_-]{1,200}$/,
  "must be a cursor from a previous page",
);

/**
 * `minRevision`, which every GET of one cooperative takes: answer only once this replica reflects at least
 * that revision of the cooperative's log (docs/api.md).
 */
export const MinRevisionQuery = queryObject("MinRevisionQuery", { minRevision: Revision });
