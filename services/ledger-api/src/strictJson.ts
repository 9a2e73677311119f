/**
 * The strict JSON reader of request bodies (@bukubesar/contract's checkStrictJson: no duplicate keys, no
 * deep nesting, valid UTF-8), its refusal answered as api.md's problem.
 */
import { checkStrictJson } from "@bukubesar/contract";
import { ApiProblem } from "./problem.js";

export const parseStrictJson = (bytes: Buffer): unknown => {
  const read = checkStrictJson(bytes);
  if (read.ok) return read.value;
  const { code, path, message, detail } = read.refusal;
  throw new ApiProblem(code, detail, path === undefined ? [] : [{ path, code, message }]);
};
